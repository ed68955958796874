"""Producing an edition's PDF and DOCX and the comparison table of two editions."""

from __future__ import annotations

from service.features.acts import usecases as act_cases
from service.features.acts.documents import (
    ComparisonDocument,
    EditionDocument,
    render_comparison_pdf,
    render_edition_docx,
    render_edition_pdf,
)
from service.platform.documents.files import DOCX_TYPE
from service.platform.documents.files import ProducedFile as Produced
from service.platform.documents.tables import pdf_table
from service.platform.errors import NotFound
from service.platform.runtime import Actor, Runtime


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


def acknowledgement_file(rt: Runtime, actor: Actor, code: str, number: int) -> Produced:
    """The acknowledgement form (келісу формасы) of an edition: every person and when they acknowledged."""
    view = act_cases.get_edition(rt, actor, code, number)
    acks = act_cases.edition_acknowledgements(rt, view.edition)
    if acks is None:
        raise NotFound("this edition was not published by an amendment")
    rows = [
        [str(i), name, at.astimezone(rt.tz).strftime("%d.%m.%Y %H:%M") if at else "—"]
        for i, (name, at) in enumerate(acks.rows, 1)
    ]
    content = pdf_table(
        "Жаңа ережелермен келісу формасы",
        f"{view.act.title}, {number}-редакция",
        ["№", "Аты-жөні", "Танысқан күні мен уақыты"],
        rows,
        (12, 100, 70),
        created=max((at for _, at in acks.rows if at), default=None),  # the last acknowledgement
    )
    return Produced(f"{code}-edition-{number}-acknowledgements.pdf", content, "application/pdf")
