"""Producing a registered order's PDF and DOCX, recording the PDF's hash and its verification code."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.features.orders.documents.content import normalize_verification_code
from service.features.orders.documents.files import (
    ApprovalStep,
    OrderDocument,
    render_order_docx,
    render_order_pdf,
    verification_code,
)
from service.features.orders.models import Order
from service.features.orders.rules import ACK_KIND
from service.features.orders.usecases import ACKNOWLEDGEMENT_STEP, get_order, order_labels
from service.platform.audit import log as audit
from service.platform.documents.files import DOCX_TYPE, ProducedFile
from service.platform.documents.tables import pdf_table
from service.platform.errors import Conflict, NotFound
from service.platform.persistence.models import Campaign, CampaignTask, HumanTask, ProcessInstance, User
from service.platform.processes.definitions import definition_parts
from service.platform.runtime import Actor, Runtime


def _option_title(form: Any, value: str) -> str:
    """The Kazakh title the step's form gave a decision ("Қолдаймын" for a council member's support)."""
    prop = form.get("properties", {}).get("decision", {}) if isinstance(form, dict) else {}
    titles = prop.get("x-enum-titles", {}).get(str(value), {}) if isinstance(prop, dict) else {}
    return str(titles.get("kk", "")) if isinstance(titles, dict) else ""


def _document(rt: Runtime, session: Session, order: Order, code: str) -> OrderDocument:
    steps = list(
        session.execute(
            select(HumanTask)
            .where(
                HumanTask.instance_id == order.instance_id,
                HumanTask.status == "completed",
                # Acknowledgements are not approvals (nor, for an order called from an amendment,
                # are the staff's acknowledgements of the new edition).
                HumanTask.bpmn_id.not_in((ACKNOWLEDGEMENT_STEP, "Task_acknowledge_edition")),
            )
            .order_by(HumanTask.completed_at, HumanTask.id)
        ).scalars()
    )
    sheet = []
    director, approved_at = "", None
    instance = session.get(ProcessInstance, order.instance_id)
    forms = definition_parts(rt, session, instance.definition_id).forms if instance else {}
    for task in steps:
        data = json.loads(task.data_json or "{}")
        who = task.completed_by.full_name if task.completed_by else ""
        done_at = task.completed_at or task.created_at
        decision = data.get("decision")
        label = _option_title(forms.get(task.form_key or "", {}), decision) if decision else ""
        sheet.append(ApprovalStep(task.name, who, decision, data.get("comment"), done_at, label))
        if task.bpmn_id == "Task_director_approval" and data.get("decision") == "approve":
            director, approved_at = who, done_at
    if order.registered_on is None or order.number is None or approved_at is None:
        raise Conflict("the order is not registered yet")
    latest = next((t for t in reversed(steps) if t.bpmn_id in ("Task_draft", "Task_rework")), None)
    draft = json.loads(latest.data_json or "{}") if latest else {}
    labels = order_labels(rt, "kk", session)
    help_labels = labels["ai_help"]
    return OrderDocument(
        school_name=rt.school_name,
        number=order.number,
        date=order.registered_on,
        title=order.title,
        order_type_label=labels["order_type"].get(order.order_type, order.order_type),
        body=str(draft.get("body") or ""),
        basis=draft.get("basis") or None,
        marking_label=labels["marking"].get(order.marking or "", order.marking or ""),
        ai_assisted=order.ai_assisted,
        ai_help_labels=tuple(help_labels.get(k, k) for k in json.loads(order.ai_help_json or "[]")),
        director_name=director,
        approved_at=approved_at,
        approval_sheet=tuple(sheet),
        verification_code=code,
        timezone=rt.timezone,
    )


def order_file(rt: Runtime, actor: Actor, order_id: int, kind: str) -> ProducedFile:
    """The PDF or DOCX of a registered order; the first PDF fixes the verification code and its hash."""
    get_order(rt, actor, order_id)  # the same visibility as the order page
    if kind not in ("pdf", "docx"):
        raise NotFound("no such document")
    with rt.db.session() as session:
        order = session.get(Order, order_id, with_for_update=True)
        if order is None:
            raise NotFound("no such order")
        code = order.verification_code
        if code is None:
            # The code is derived from the document without it, then printed on the final PDF.
            code = verification_code(render_order_pdf(_document(rt, session, order, "")))
        document = _document(rt, session, order, code)
        pdf = render_order_pdf(document)
        if order.verification_code is None:
            order.verification_code = code
            order.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            audit.append(
                session,
                actor.username,
                "order.document",
                instance_id=order.instance_id,
                detail={
                    "order": order.id,
                    "number": order.number,
                    "pdf_sha256": order.pdf_sha256,
                    "verification_code": code,
                },
            )
        name = f"order-{order.number.replace('/', '-') if order.number else order.id}"
        if kind == "pdf":
            return ProducedFile(f"{name}.pdf", pdf, "application/pdf")
        return ProducedFile(f"{name}.docx", render_order_docx(document), DOCX_TYPE)


def find_by_code(rt: Runtime, code: str) -> tuple[str, str, str] | None:
    """(number, title, pdf sha256) of the order that printed this code, for the verification page."""
    with rt.db.session() as session:
        order = session.execute(
            select(Order).where(Order.verification_code == normalize_verification_code(code))
        ).scalar_one_or_none()
        if order is None or order.number is None:
            return None
        return order.number, order.title, order.pdf_sha256 or ""


def acknowledgement_list(rt: Runtime, actor: Actor, order_id: int) -> ProducedFile:
    """The acknowledgement form (келісу формасы) of an order: every person, when they acknowledged."""
    view = get_order(rt, actor, order_id)
    with rt.db.session() as session:
        people = _acknowledged_by(session, view.order.instance_id)
        done = [when for _, when in people if when is not None]
        rows = [
            [str(number), name, when.astimezone(rt.tz).strftime("%d.%m.%Y %H:%M") if when else "—"]
            for number, (name, when) in enumerate(sorted(people, key=lambda p: p[0]), 1)
        ]
    order = view.order
    content = pdf_table(
        "Жаңа ережелермен келісу формасы",
        f"Бұйрық № {order.number or '—'}: {order.title}",
        ["№", "Аты-жөні", "Танысқан күні мен уақыты"],
        rows,
        (12, 100, 70),
        created=max(done, default=None),  # the last acknowledgement: the same list, the same bytes
    )
    return ProducedFile(f"acknowledgements-{order.id}.pdf", content, "application/pdf")


def _acknowledged_by(session: Session, instance_id: int) -> list[tuple[str, datetime | None]]:
    """(full name, when acknowledged or None) of everyone asked: the campaign's rows, or, for an order
    still on the old diagram, its multi-instance tasks."""
    campaign = session.execute(
        select(Campaign.id).where(Campaign.instance_id == instance_id, Campaign.kind == ACK_KIND)
    ).scalar_one_or_none()
    if campaign is not None:
        return [
            (str(name), when if status == "done" else None)
            for name, status, when in session.execute(
                select(User.full_name, CampaignTask.status, CampaignTask.responded_at)
                .join(User, User.id == CampaignTask.user_id)
                .where(CampaignTask.campaign_id == campaign)
            ).all()
        ]
    tasks = session.execute(
        select(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.bpmn_id == ACKNOWLEDGEMENT_STEP
        )
    ).scalars()
    return [
        (t.assignee.full_name if t.assignee else "", t.completed_at if t.status == "completed" else None)
        for t in tasks
    ]
