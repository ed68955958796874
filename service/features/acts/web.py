"""The register of local acts: pages and /api/v1/acts endpoints (editions, comparison, documents)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_login import login_required

from service.features.acts import exports as act_documents
from service.features.acts import schemas
from service.features.acts import usecases as act_cases
from service.features.acts.models import ActAmendment, ActEdition, LocalAct
from service.features.acts.rules import ClauseComparison
from service.features.incidents import council
from service.platform.errors import BadRequest, ServiceError, ValidationFailed
from service.platform.inbox import instances as instance_cases
from service.platform.registry import NavLink, TimelineWords
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, data_of, json_body
from service.platform.web.context import actor, runtime
from service.platform.web.downloads import attachment
from service.platform.web.params import bounded_int

bp = Blueprint("acts", __name__)
api_bp = Blueprint("acts_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)

ACT_TITLES: dict[str, Any] = {
    "ai_regulation": lazy_gettext("Regulation on responsible use of AI"),
    "council_regulation": lazy_gettext("Regulation on the coordination and ethics council"),
    "responsible_regulation": lazy_gettext("Regulation on the responsible person"),
    "evaluation_rules": lazy_gettext("Rules for evaluating and using IS/AI"),
}
EDITION_STATUSES: dict[str, Any] = {
    "in_force": lazy_gettext("in force"),
    "historical": lazy_gettext("historical"),
}
AMENDMENT_STATUSES: dict[str, Any] = {
    "proposed": lazy_gettext("in progress"),
    "published": lazy_gettext("published"),
    "dropped": lazy_gettext("dropped"),
}


class EditionNumbersMissing(BadRequest):
    """A comparison asked without two edition numbers (a hand-edited address)."""

    code = "edition_numbers"


def _edition_numbers() -> tuple[int, int]:
    old, new = bounded_int(request.args.get("from")), bounded_int(request.args.get("to"))
    if old is None or new is None:
        raise EditionNumbersMissing("from and to must be edition numbers")
    return old, new


# --- pages ----------------------------------------------------------------------------------------


@bp.route("/acts")
@login_required
def index() -> ResponseReturnValue:
    rows = act_cases.list_acts(runtime(), actor())
    return render_template("acts/list.html", rows=rows, titles=ACT_TITLES, statuses=EDITION_STATUSES)


@bp.route("/acts/<code>")
@login_required
def show(code: str) -> ResponseReturnValue:
    view = act_cases.get_act(runtime(), actor(), code)
    return render_template(
        "acts/show.html",
        v=view,
        titles=ACT_TITLES,
        statuses=EDITION_STATUSES,
        amendment_statuses=AMENDMENT_STATUSES,
        conflict=act_cases.conflict_message,
    )


@bp.route("/acts/<code>/editions/<int:number>")
@login_required
def edition(code: str, number: int) -> ResponseReturnValue:
    return _edition(code, number)


def _edition(
    code: str, number: int, ack_errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None
) -> Any:
    view = act_cases.get_edition(runtime(), actor(), code, number)
    return render_template(
        "acts/edition.html",
        v=view,
        titles=ACT_TITLES,
        statuses=EDITION_STATUSES,
        acks=act_cases.edition_acknowledgements(runtime(), view.edition, actor()),
        may_propose=view.edition.status == "in_force" and act_cases.may_propose(actor()),
        ack_errors=ack_errors or {},
        ack_typed=typed or {},
    )


@bp.route("/acts/<code>/editions/<int:number>/acknowledge", methods=["POST"])
@login_required
def acknowledge(code: str, number: int) -> ResponseReturnValue:
    """The reader's own acknowledgement of the edition; 422 keeps the comment, again is 409."""
    typed = {"acknowledged": request.form.get("acknowledged"), "comment": request.form.get("comment", "")}
    try:
        act_cases.acknowledge_edition(runtime(), actor(), code, number, typed)
    except ValidationFailed as err:
        messages = {
            "acknowledged": gettext("Tick the box to confirm that you have read the new edition."),
            "comment": gettext("The comment is too long."),
        }
        return _edition(code, number, {k: messages.get(k, k) for k in err.fields}, typed), 422
    flash(gettext("Thank you: your acknowledgement is recorded."), "success")
    return redirect(url_for("acts.edition", code=code, number=number))


@bp.route("/acts/<code>/clauses/<clause>/amend", methods=["POST"])
@login_required
def amend(code: str, clause: str) -> ResponseReturnValue:
    instance_id = act_cases.propose_for_clause(runtime(), actor(), code, clause)
    view = instance_cases.get_instance(runtime(), actor(), instance_id)
    mine = [t for t in view.open_tasks if t.assignee_id == actor().id]
    if mine:
        return redirect(url_for("tasks.show", task_id=mine[0].id))
    return redirect(url_for("instances.show", instance_id=instance_id))


@bp.route("/acts/<code>/compare")
@login_required
def compare(code: str) -> ResponseReturnValue:
    old, new = _edition_numbers()
    rows = act_cases.compare_editions(runtime(), actor(), code, old, new)
    view = act_cases.get_act(runtime(), actor(), code)
    return render_template(
        "acts/compare.html", v=view, rows=rows, old=old, new=new, titles=ACT_TITLES, only_changed=True
    )


def _send(produced: act_documents.Produced) -> Response:
    return attachment(produced.content, produced.mimetype, produced.filename)


@bp.route("/acts/<code>/editions/<int:number>/document.<kind>")
@login_required
def document(code: str, number: int, kind: str) -> ResponseReturnValue:
    return _send(act_documents.edition_file(runtime(), actor(), code, number, kind))


@bp.route("/acts/<code>/editions/<int:number>/acknowledgements.pdf")
@login_required
def acknowledgements_pdf(code: str, number: int) -> ResponseReturnValue:
    return _send(act_documents.acknowledgement_file(runtime(), actor(), code, number))


@bp.route("/acts/<code>/compare.pdf")
@login_required
def compare_pdf(code: str) -> ResponseReturnValue:
    old, new = _edition_numbers()
    return _send(act_documents.comparison_file(runtime(), actor(), code, old, new))


# --- API ------------------------------------------------------------------------------------------


def _edition_fields(e: ActEdition) -> dict[str, Any]:
    return {
        "number": e.number,
        "status": e.status,
        "in_force_from": e.in_force_from,
        "order_number": e.order_number,
        "order_date": e.order_date,
        "order_id": e.order_id,
    }


def edition_row(e: ActEdition) -> schemas.EditionRow:
    return schemas.EditionRow(**_edition_fields(e))


def amendment_row(a: ActAmendment, act: LocalAct | None = None) -> schemas.Amendment:
    return schemas.Amendment(
        instance_id=a.instance_id,
        act=act.code if act else None,
        clause=a.clause,
        change=a.change,  # type: ignore[arg-type]  # change | add | delete
        current_text=a.current_text,
        proposed_text=a.proposed_text,
        reason=a.reason,
        source=a.source,
        status=a.status,  # type: ignore[arg-type]  # proposed | published | dropped
        base_edition=a.base_edition,
        current_edition=a.current_edition,
        published_edition=a.published_edition,
        conflict=act_cases.conflict_message(a),
    )


@api_bp.get("/acts")
def api_acts() -> ResponseReturnValue:
    rows = act_cases.list_acts(runtime(), api_actor())
    return answer(
        schemas.ActList(
            acts=[
                schemas.ActSummary(
                    code=a.code, title=a.title, edition_in_force=edition_row(e) if e is not None else None
                )
                for a, e in rows
            ]
        )
    )


@api_bp.get("/acts/<code>")
def api_act(code: str) -> ResponseReturnValue:
    view = act_cases.get_act(runtime(), api_actor(), code)
    return answer(
        schemas.Act(
            code=view.act.code,
            title=view.act.title,
            editions=[edition_row(e) for e in view.editions],
            amendments=[amendment_row(a, view.act) for a in view.amendments],
        )
    )


@api_bp.get("/acts/<code>/editions/<int:number>")
def api_edition(code: str, number: int) -> ResponseReturnValue:
    view = act_cases.get_edition(runtime(), api_actor(), code, number)
    return answer(
        schemas.Edition(
            act=view.act.code,
            **_edition_fields(view.edition),
            title=view.text.title,
            header=view.text.header,
            sections=[
                schemas.EditionSection(
                    number=s.number,
                    title=s.title,
                    clauses=[schemas.EditionClause(number=c.number, text=c.text) for c in s.clauses],
                )
                for s in view.text.sections
            ],
        )
    )


def comparison_row(row: ClauseComparison) -> schemas.ClauseComparisonRow:
    return schemas.ClauseComparisonRow(
        clause=row.number,
        old=row.old,
        new=row.new,
        changed=row.changed,
        pieces=[schemas.ComparisonPiece(op=p.op, text=p.text) for p in row.pieces],
    )


@api_bp.get("/acts/<code>/compare")
def api_compare(code: str) -> ResponseReturnValue:
    old, new = _edition_numbers()
    rows = act_cases.compare_editions(runtime(), api_actor(), code, old, new)
    # `from` is a Python keyword: the model's field is `from_`, given and sent under its alias.
    clauses = [comparison_row(r) for r in rows]
    return answer(
        schemas.Comparison.model_validate({"act": code, "from": old, "to": new, "clauses": clauses})
    )


@api_bp.post("/acts/<code>/amendments")
def api_start_amendment(code: str) -> ResponseReturnValue:
    data = data_of(json_body())
    instance_id = act_cases.start_amendment(
        runtime(),
        api_actor(),
        act=code,
        clause=str(data.get("clause") or ""),
        change=str(data.get("change") or ""),
        proposed_text=str(data.get("proposed_text") or ""),
        reason=str(data.get("reason") or ""),
        source=str(data.get("source") or ""),
    )
    return answer(schemas.AmendmentStarted(instance_id=instance_id), 201)


@api_bp.get("/amendments/<int:instance_id>")
def api_amendment(instance_id: int) -> ResponseReturnValue:
    row, act = act_cases.get_amendment(runtime(), api_actor(), instance_id)
    # Where it came from, only for those who may read that incident (its existence is private).
    source = council.incident_of_amendment(runtime(), api_actor(), instance_id)
    body = amendment_row(row, act)
    body.incident = schemas.AmendmentIncident(id=source.id, number=source.number) if source else None
    return answer(body)


@api_bp.get("/acts/<code>/editions/<int:number>/document.<kind>")
def api_document(code: str, number: int, kind: str) -> ResponseReturnValue:
    return _send(act_documents.edition_file(runtime(), api_actor(), code, number, kind))


@api_bp.get("/acts/<code>/compare.pdf")
def api_compare_pdf(code: str) -> ResponseReturnValue:
    old, new = _edition_numbers()
    return _send(act_documents.comparison_file(runtime(), api_actor(), code, old, new))


NAV = (NavLink("acts.index", lazy_gettext("Local acts")),)


# How this feature's codes read on timelines, diagrams and exports (Feature.timeline_words).
WORDS = TimelineWords(
    actions={
        "act.amendment.record": lazy_gettext("recorded the amendment proposal"),
        "act.publish": lazy_gettext("published the new edition"),
        "act.load": lazy_gettext("loaded the act"),
    },
    flows={
        "proceed": lazy_gettext("proceed"),
        "rework": lazy_gettext("rework"),
        "drop": lazy_gettext("drop"),
        "supported": lazy_gettext("supported"),
        "not supported": lazy_gettext("not supported"),
        "current": lazy_gettext("the text is current"),
        "act changed": lazy_gettext("the act changed"),
        "registered": lazy_gettext("registered"),
        "resubmit": lazy_gettext("resubmit"),
        "withdraw": lazy_gettext("withdraw"),
        "order": lazy_gettext("order"),
        "amendment": lazy_gettext("amendment"),
    },
    statuses=AMENDMENT_STATUSES,
    processes={
        "regulation_amendment": lazy_gettext("Amendment of a local act"),
    },
    elements={  # the names its diagram shows besides lanes, flows and form steps, by element id
        "regulation_amendment": {
            "Participant_school": lazy_gettext("School"),
            "regulation_amendment": lazy_gettext("Amendment of a local act"),
            "StartEvent_amendment": lazy_gettext("A proposed change"),
            "Settings_amendment": lazy_gettext("Load the deadlines"),
            "Service_current_text": lazy_gettext("The current text"),
            "Gateway_to_record": lazy_gettext("To recording the proposal"),
            "Service_record_amendment": lazy_gettext("Record the proposal"),
            "Script_after_record": lazy_gettext("Refresh the current text"),
            "Script_clear_comment": lazy_gettext("Clear the comment field"),
            "Service_wg_members": lazy_gettext("Working group members"),
            "Timer_wg_deadline": lazy_gettext("Comment deadline"),
            "Gateway_comments_done": lazy_gettext("Comments collected"),
            "Gateway_wg_decision": lazy_gettext("The chair's decision"),
            "Gateway_legal_decision": lazy_gettext("The lawyer's decision"),
            "Script_clear_decision": lazy_gettext("Clear the decision field"),
            "Service_council_members": lazy_gettext("Council members"),
            "Timer_council_deadline": lazy_gettext("Opinion deadline"),
            "Service_tally": lazy_gettext("Count the opinions"),
            "Gateway_council": lazy_gettext("The council's opinion"),
            "Service_check_base": lazy_gettext("Check the edition"),
            "Gateway_stale": lazy_gettext("Has the act changed"),
            "Service_order_prefill": lazy_gettext("Draft order"),
            "Script_order_prefill": lazy_gettext("Order data"),
            "CallActivity_order": lazy_gettext("The director's order"),
            "Gateway_order_outcome": lazy_gettext("Was the order registered"),
            "Service_publish": lazy_gettext("Publish the new edition"),
            "Service_open_edition_acknowledgement": lazy_gettext("Open the acknowledgement"),
            "Wait_edition_acknowledgements": lazy_gettext("Acknowledging the new edition"),
            "Timer_edition_reminder": lazy_gettext("Reminder"),
            "Service_edition_reminder": lazy_gettext("Remind to acknowledge"),
            "Service_acknowledged": lazy_gettext("Everyone acknowledged"),
            "End_published": lazy_gettext("The new edition took effect"),
            "Gateway_to_rework": lazy_gettext("To rework"),
            "Service_refresh": lazy_gettext("Check the current text"),
            "Script_refresh": lazy_gettext("Refresh the current text"),
            "Gateway_rework_decision": lazy_gettext("The proposer's decision"),
            "Service_dropped": lazy_gettext("The proposal was not accepted"),
            "End_dropped": lazy_gettext("The proposal was not accepted"),
        },
    },
)


def act_changed_message(err: ServiceError) -> tuple[str, dict[str, Any]]:
    """The 409 of an amendment written against an edition that is no longer in force."""
    message = gettext(
        "The act has changed since this amendment was prepared: it was written against edition "
        "%(base)s, but edition %(current)s is now in force. Nothing was published or registered. "
        "Reject the order so that the proposer reviews the current text.",
        base=err.params["base"],
        current=err.params["current"],
    )
    return message, {"conflict": err.params}


def edition_numbers_message(err: ServiceError) -> tuple[str, dict[str, Any]]:
    """The 400 of a comparison address without two edition numbers, in the reader's language."""
    return gettext("Choose two editions to compare: the address needs both edition numbers."), {}
