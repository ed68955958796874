"""Producing an edition's PDF and DOCX and the comparison table of two editions."""

from __future__ import annotations

from dataclasses import dataclass

from service.documents.acts import (
    ComparisonDocument,
    EditionDocument,
    render_comparison_pdf,
    render_edition_docx,
    render_edition_pdf,
)
from service.domain.errors import NotFound
from service.workflows import acts as act_cases
from service.workflows.runtime import Actor, Runtime

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Produced:
    filename: str
    content: bytes
    mimetype: str


def edition_file(rt: Runtime, actor: Actor, code: str, number: int, kind: str) -> Produced:
    if kind not in ("pdf", "docx"):
        raise NotFound("no such document")
    view = act_cases.get_edition(rt, actor, code, number)
    e = view.edition
    doc = EditionDocument(
        school_name=rt.school_name,
        act_title=view.act.title,
        edition=e.number,
        text=view.text,
        order_number=e.order_number,
        order_date=e.order_date,
        in_force_from=e.in_force_from,
    )
    name = f"{code}-edition-{number}"
    if kind == "pdf":
        return Produced(f"{name}.pdf", render_edition_pdf(doc), "application/pdf")
    return Produced(f"{name}.docx", render_edition_docx(doc), DOCX_TYPE)


def comparison_file(rt: Runtime, actor: Actor, code: str, old: int, new: int) -> Produced:
    rows = act_cases.compare_editions(rt, actor, code, old, new)
    act = act_cases.get_act(rt, actor, code).act
    doc = ComparisonDocument(rt.school_name, act.title, old, new, tuple(rows))
    return Produced(f"{code}-compare-{old}-{new}.pdf", render_comparison_pdf(doc), "application/pdf")
