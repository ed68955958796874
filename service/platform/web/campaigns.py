"""Campaign tasks on the web: the inbox's link to where a person responds, and the /api/v1 routes."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from service.platform.campaigns import usecases as campaign_cases
from service.platform.campaigns.store import PendingTask, pending_for, task_title
from service.platform.errors import BadRequest, NotFound
from service.platform.runtime import Actor, Runtime
from service.platform.web import schemas
from service.platform.web.api_model import answer
from service.platform.web.api_request import api_actor, authenticate, data_of, json_body
from service.platform.web.context import actor, runtime

bp = Blueprint("campaigns", __name__)
api_bp = Blueprint("campaigns_api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate)


def act_url(rt: Runtime, task: PendingTask) -> str:
    """The feature's page where the person responds to this campaign (declared by its kind)."""
    kind = rt.features.campaign_kinds.get(task.kind)
    if kind is None:
        return url_for("inbox.tasks")
    from service.platform.persistence.models import Campaign

    stub = Campaign(
        id=task.campaign_id,
        kind=task.kind,
        subject_ref=task.subject_ref,
        title=task.title,
        instance_id=task.instance_id,
    )
    endpoint, args = kind.act_at(stub)
    return url_for(endpoint, **args)


def pending_rows(rt: Runtime, me: Actor, lang: str, limit: int = 50) -> list[schemas.CampaignTask]:
    """My pending campaign tasks as inbox rows, in my language, each with the page to act on."""
    if me.id is None:
        return []
    with rt.db.read() as session:
        tasks = pending_for(session, me.id, limit)
    return [
        schemas.CampaignTask(
            id=t.id,
            campaign_id=t.campaign_id,
            kind=t.kind,
            name=task_title(rt.features, t.kind, t.title, lang),
            title=t.title,
            instance_id=t.instance_id,
            created_at=t.created_at,
            due_at=t.due_at,
            url=act_url(rt, t),
        )
        for t in tasks
    ]


@bp.route("/campaign-tasks/<int:task_id>")
@login_required
def go(task_id: int) -> ResponseReturnValue:
    """A reminder's link: the page where the person responds, while their task is pending."""
    me = actor()
    rt = runtime()
    with rt.db.read() as session:
        mine = [t for t in pending_for(session, me.id or 0, 200) if t.id == task_id]
    if not mine:
        abort(404)
    return redirect(act_url(rt, mine[0]))


@api_bp.post("/campaign-tasks/<int:task_id>/respond")
def respond(task_id: int) -> ResponseReturnValue:
    result = campaign_cases.respond_task(runtime(), api_actor(), task_id, data_of(json_body()))
    return answer(
        schemas.CampaignResponse(
            campaign_id=result.campaign_id,
            task_id=result.task_id,
            responded_at=result.responded_at,
            ended=result.ended,
        )
    )


def _progress(campaign_id: int) -> schemas.CampaignProgress:
    rt = runtime()
    p = campaign_cases.progress_of(rt, api_actor(), campaign_id)
    with rt.db.read() as session:
        from service.platform.persistence.models import Campaign

        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound("no such campaign")
    return schemas.CampaignProgress(
        id=campaign_id,
        kind=campaign.kind,
        title=campaign.title,
        status=p.status,  # type: ignore[arg-type]
        outcome=p.outcome,
        audience=p.audience,
        responded=p.responded,
        pending=[u for u, _ in p.pending],
        deadline_at=p.deadline_at,
        summary=p.summary,
    )


@api_bp.get("/campaigns/<int:campaign_id>")
def show(campaign_id: int) -> ResponseReturnValue:
    return answer(_progress(campaign_id))


@api_bp.post("/campaigns/<int:campaign_id>/close")
def close(campaign_id: int) -> ResponseReturnValue:
    campaign_cases.close(runtime(), api_actor(), campaign_id)
    return answer(_progress(campaign_id))


@api_bp.post("/campaigns/<int:campaign_id>/remind")
def remind(campaign_id: int) -> ResponseReturnValue:
    campaign_cases.remind(runtime(), api_actor(), campaign_id)
    return answer(_progress(campaign_id))


@api_bp.post("/campaigns/<int:campaign_id>/extend")
def extend(campaign_id: int) -> ResponseReturnValue:
    raw = json_body().get("deadline_at")
    try:
        deadline = datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        deadline = None
    if deadline is None or deadline.tzinfo is None:
        raise BadRequest("deadline_at must be an ISO 8601 time with its zone")
    campaign_cases.extend(runtime(), api_actor(), campaign_id, deadline)
    return answer(_progress(campaign_id))
