"""Service-task operators of the amendment process: record, check, prefill the order, publish, tally."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.features.acts import queries as acts_queries
from service.features.acts.models import ActAmendment, ActEdition, LocalAct
from service.features.acts.rules import (
    ACK_KIND,
    CHANGES,
    SOURCES,
    ActChanged,
    ActTextError,
    apply_change,
    without_own_number,
)
from service.features.orders.models import Order
from service.platform import kazakh
from service.platform.audit import log as audit
from service.platform.campaigns import store
from service.platform.clock import utcnow
from service.platform.durations import add_duration
from service.platform.engine import OperatorCall
from service.platform.errors import BadRequest, Conflict, FieldError, ValidationFailed
from service.platform.persistence.models import HumanTask
from service.platform.registry import OperatorFamily, OperatorTable
from service.platform.runtime import Runtime

NAMES: tuple[str, ...] = (
    "amendment_current_text",
    "record_amendment",
    "check_amendment_base",
    "amendment_order",
    "publish_act_edition",
    "tally_council_opinion",
    "set_amendment_status",
    "open_edition_acknowledgement",
)


def clause_text(session: Session, act: LocalAct, clause: str) -> tuple[int, str]:
    """(number of the edition in force, the clause's text in it); 0 and "" when there is none."""
    edition = acts_queries.in_force(session, act.id)
    found = acts_queries.text_of(edition).clause(clause)
    return (edition.number if edition else 0), (found.text if found else "")


def validated_proposal(session: Session, data: Mapping[str, Any]) -> tuple[LocalAct, str, str]:
    """The act, clause and change of a proposal, checked against the edition in force (422 per field)."""
    code = str(data.get("act") or "")
    clause = str(data.get("clause") or "").strip()
    change = str(data.get("change") or "")
    act = acts_queries.act_by_code(session, code) if code else None
    if act is None:
        raise ValidationFailed({"act": FieldError("enum")})
    if change not in CHANGES:
        raise ValidationFailed({"change": FieldError("enum")})
    if data.get("source") not in SOURCES:
        raise ValidationFailed({"source": FieldError("enum")})
    edition = acts_queries.in_force(session, act.id)
    if edition is None:
        raise ValidationFailed({"act": FieldError("no_edition")})
    try:
        apply_change(acts_queries.text_of(edition), clause, change, str(data.get("proposed_text") or "x"))
    except ActTextError as err:
        raise ValidationFailed({"clause": FieldError("unknown_clause", {"reason": str(err)})}) from None
    return act, clause, change


def build(rt: Runtime, session: Session, instance_id: int) -> OperatorTable:

    def amendment_current_text(call: OperatorCall) -> str:
        act = acts_queries.act_by_code(session, str(call.data.get("act") or ""))
        if act is None or not call.data.get("clause"):
            return str(call.data.get("current_text") or "")
        return clause_text(session, act, str(call.data["clause"]))[1]

    def record_amendment(call: OperatorCall) -> dict[str, Any]:
        # The proposer has just seen the text in force (the form shows it), so it becomes the base.
        act, clause, change = validated_proposal(session, call.data)
        number, current = clause_text(session, act, clause)
        row = acts_queries.amendment_of_instance(session, instance_id)
        if row is None:
            row = ActAmendment(instance_id=instance_id, proposer=str(call.data.get("initiator") or ""))
            session.add(row)
        row.act_id = act.id
        row.clause = clause
        row.change = change
        row.current_text = current
        proposed = "" if change == "delete" else str(call.data.get("proposed_text") or "")
        row.proposed_text = without_own_number(clause, proposed)
        row.reason = str(call.data.get("reason") or "")
        row.source = str(call.data.get("source"))
        row.base_edition = number
        row.current_edition = number
        row.status = "proposed"
        row.updated_at = row.recorded_at = utcnow()
        session.flush()
        audit.append(
            session,
            str(call.data.get("initiator") or "system"),
            "act.amendment.record",
            instance_id=instance_id,
            detail={"act": act.code, "clause": clause, "change": change, "base_edition": number},
        )
        return {"id": row.id, "current_text": current, "base_edition": number}

    def check_amendment_base(call: OperatorCall) -> dict[str, Any]:
        row = _amendment(session, instance_id)
        act = session.get(LocalAct, row.act_id)
        assert act is not None
        number, current = clause_text(session, act, row.clause)
        return {"stale": number != row.base_edition, "current_text": current, "current_edition": number}

    def amendment_order(call: OperatorCall) -> dict[str, str]:
        row = _amendment(session, instance_id)
        act = session.get(LocalAct, row.act_id)
        assert act is not None
        return order_prefill(act.title, row)

    def publish_act_edition(call: OperatorCall) -> dict[str, Any]:
        return publish(session, instance_id, call.data)

    def tally_council_opinion(call: OperatorCall) -> str:
        # Opinions of this round: those already saved in the inbox (all of them when the deadline
        # timer ended the round, which drops the multi-instance output) and the collected output
        # {member: decision} (which holds the last one, not yet marked completed in this transaction).
        collected = call.data.get(str(call.params.get("votes") or "council_opinions")) or {}
        opinions = _saved_opinions(session, instance_id)
        if isinstance(collected, dict):
            opinions.update({str(k): str(v) for k, v in collected.items()})
        decisions = list(opinions.values())
        support, against = decisions.count("support"), decisions.count("object")
        if str(call.params.get("majority") or "simple") == "absolute":
            passed = support * 2 > len(decisions)  # more than half of everyone who answered
        else:
            passed = support > against  # abstentions do not count
        return "supported" if passed else "not_supported"

    def set_amendment_status(call: OperatorCall) -> str:
        status = str(call.params.get("status") or "")
        if status not in ("proposed", "dropped"):
            raise BadRequest(f"unknown amendment status {status}")
        row = acts_queries.amendment_of_instance(session, instance_id)
        if row is not None:
            row.status = status
            row.updated_at = utcnow()
        return status

    def open_edition_acknowledgement(call: OperatorCall) -> int:
        # Staff acknowledge the published edition in a campaign (a row each), not in the instance state.
        row = session.execute(
            select(ActAmendment).where(ActAmendment.instance_id == instance_id)
        ).scalar_one()
        act = session.get(LocalAct, row.act_id)
        if act is None or row.published_edition is None:
            raise Conflict("the edition is acknowledged once it is published")
        campaign = store.open_campaign(
            session,
            rt.features,
            kind=ACK_KIND,
            audience=store.audience_ids(session, call.params),
            title=f"{act.title} — {row.published_edition}",
            subject_ref=f"{act.code}/{row.published_edition}",
            doc_version=str(row.published_edition),
            deadline_at=add_duration(utcnow(), str(call.params.get("deadline") or "P7D"), rt.tz),
            instance_id=instance_id,
            wait_step=str(call.params.get("wait_step") or ""),
        )
        return campaign.id

    return {
        "open_edition_acknowledgement": open_edition_acknowledgement,
        "amendment_current_text": amendment_current_text,
        "record_amendment": record_amendment,
        "check_amendment_base": check_amendment_base,
        "amendment_order": amendment_order,
        "publish_act_edition": publish_act_edition,
        "tally_council_opinion": tally_council_opinion,
        "set_amendment_status": set_amendment_status,
    }


COUNCIL_STEP = "Task_council_opinion"


def _saved_opinions(session: Session, instance_id: int) -> dict[str, str]:
    """{username: decision} of the council opinions completed since the proposal was last recorded."""
    row = acts_queries.amendment_of_instance(session, instance_id)
    if row is None:
        return {}
    tasks = session.execute(
        select(HumanTask).where(
            HumanTask.instance_id == instance_id,
            HumanTask.bpmn_id == COUNCIL_STEP,
            HumanTask.status == "completed",
            HumanTask.created_at >= row.recorded_at,
        )
    ).scalars()
    opinions: dict[str, str] = {}
    for task in tasks:
        decision = json.loads(task.data_json or "{}").get("decision")
        if task.completed_by is not None and decision:
            opinions[task.completed_by.username] = str(decision)
    return opinions


def _amendment(session: Session, instance_id: int) -> ActAmendment:
    row = acts_queries.amendment_of_instance(session, instance_id)
    if row is None:
        raise Conflict("this instance has no recorded amendment")
    return row


def order_prefill(act_title: str, row: ActAmendment) -> dict[str, str]:
    """The director's order drafted from the amendment: its title, type and the change as its body.

    The act's name takes its case ending: "«…ережеге» өзгерістер енгізу туралы", "«…ереженің» 8.1-тармағы".
    """
    of_act = f"«{kazakh.genitive(act_title)}»"
    proposed = without_own_number(row.clause, row.proposed_text)
    if row.change == "change":
        body = f"{of_act} {row.clause}-тармағы мынадай редакцияда жазылсын:\n«{proposed}»"
    elif row.change == "add":
        body = f"«{act_title}» мынадай мазмұндағы {row.clause}-тармақпен толықтырылсын:\n«{proposed}»"
    else:
        body = f"{of_act} {row.clause}-тармағы алып тасталсын."
    return {
        "title": f"«{kazakh.dative(act_title)}» өзгерістер енгізу туралы"[:300],
        "order_type": "act_amendment",
        "body": body,
        "basis": row.reason,
    }


def publish(session: Session, instance_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """Publish the amended edition in force from the order's date; refuse over unseen changes."""
    row = _amendment(session, instance_id)
    act = session.get(LocalAct, row.act_id)
    assert act is not None
    act = acts_queries.act_by_code(session, act.code, lock=True)  # serialise publications of one act
    assert act is not None
    session.refresh(row)
    previous = acts_queries.in_force(session, act.id)
    in_force_number = previous.number if previous else 0
    if row.status == "published":
        raise Conflict("this amendment is already published")
    if in_force_number != row.base_edition:
        # Someone else's edition came into force after this proposal was written: publishing it
        # now would silently undo their change. Nothing is written; the proposer must review first.
        raise ActChanged(act.code, row.base_edition, in_force_number)
    registration = data.get("registration") or {}
    order = session.execute(select(Order).where(Order.instance_id == instance_id)).scalar_one_or_none()
    order_date = _as_date(registration.get("date")) or (order.registered_on if order else None)
    if order is None or order.number is None or order_date is None:
        raise Conflict("an edition is published only after its order is registered")
    try:
        new_text = apply_change(acts_queries.text_of(previous), row.clause, row.change, row.proposed_text)
    except ActTextError as err:
        raise Conflict(f"the amendment no longer applies: {err}") from None
    if previous is not None:
        previous.status = "historical"
        session.flush()
    latest = session.execute(
        select(func.max(ActEdition.number)).where(ActEdition.act_id == act.id)
    ).scalar_one()
    edition = acts_queries.store_edition(
        session,
        act,
        (latest or 0) + 1,
        new_text,
        in_force_from=order_date,
        order_number=order.number,
        order_date=order_date,
        order_id=order.id,
        amendment_id=row.id,
        published_by=str(data.get("initiator") or ""),
    )
    row.status = "published"
    row.published_edition = edition.number
    row.updated_at = utcnow()
    # The other amendments of this act now read the text in force; their base stays, so each
    # must be reviewed by its proposer before it can publish (check_amendment_base / this check).
    for other in acts_queries.amendments_in_flight(session, act.id):
        found = new_text.clause(other.clause)
        other.current_text = found.text if found else ""
        other.current_edition = edition.number
        other.updated_at = utcnow()
    audit.append(
        session,
        "system",
        "act.publish",
        instance_id=instance_id,
        detail={"act": act.code, "edition": edition.number, "order": order.number, "clause": row.clause},
    )
    return {"act": act.code, "edition": edition.number, "in_force_from": order_date.isoformat()}


def _as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


FAMILY = OperatorFamily(NAMES, build)
