"""The yearly plan tracker: loading the plan, progress by stage, marking items done and undoing a mark."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from service.features.plan import evidence as plan_evidence
from service.features.plan import queries as plan_queries
from service.features.plan.models import PlanItem, PlanMark, PlanStage, SchoolPlan
from service.features.plan.rules import item_status, parse_plan, retitled, school_year_of
from service.platform.audit import log as audit
from service.platform.clock import utcnow
from service.platform.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.platform.registry import Evidence
from service.platform.runtime import Actor, Runtime

# Besides the holders of an item's responsible roles, these may mark any item; only they may undo a mark.
COORDINATORS = frozenset({"wg_chair", "director"})
MAX_TEXT = 2000


class AlreadyMarked(Conflict):
    code = "plan_item_marked"


class NotMarked(Conflict):
    code = "plan_item_not_marked"


class YearHasPlan(Conflict):
    code = "plan_year_exists"


# Who opens the next school year's plan from this one (an administrative act of the school).
YEAR_OPENERS = frozenset({"director", "wg_chair", "admin"})


@dataclass(frozen=True)
class ItemView:
    item: PlanItem
    status: str
    may_mark: bool
    evidence: Evidence | None


@dataclass(frozen=True)
class StageProgress:
    number: int
    title: str
    done: int
    total: int


@dataclass
class PlanView:
    plan: SchoolPlan
    stages: list[StageProgress]
    items: list[ItemView]
    years: list[int]
    today: date
    may_unmark: bool
    done: int = 0
    total: int = 0
    may_open_next_year: bool = False  # the next school year has no plan yet and the reader may open it


@dataclass
class ItemDetail:
    plan: SchoolPlan
    stage: PlanStage | None
    view: ItemView
    history: list[tuple[PlanMark, Evidence | None]] = field(default_factory=list)
    may_unmark: bool = False
    years: list[int] = field(default_factory=list)  # school years with a plan, for the year switcher


def load_plan(rt: Runtime, path: Path, school_year: int | None = None) -> bool:
    """Load a plan text for its school year (or `school_year`); False when that year has a plan already."""
    text = parse_plan(path.read_text(encoding="utf-8"))
    year = school_year or text.school_year
    if year != text.school_year:
        # The same activities in another year: its months fall in that year, and the title says so.
        text = replace(text, title=retitled(text.title, year))
    with rt.db.session() as session:
        if plan_queries.plan_for_year(session, year) is not None:
            return False
        plan_queries.store_plan(session, text, year, path.name)
        audit.append(
            session,
            "system",
            "plan.load",
            detail={"school_year": year, "items": len(text.items), "file": path.name},
        )
        return True


def may_mark(actor: Actor, item: PlanItem) -> bool:
    return actor.has(*item.role_codes, *COORDINATORS)


def may_unmark(actor: Actor) -> bool:
    return actor.has(*COORDINATORS)


def may_open_next_year(actor: Actor) -> bool:
    return actor.has(*YEAR_OPENERS)


def _today(rt: Runtime) -> date:
    """Today in the school's time zone: an item is overdue once its last day has ended there."""
    return utcnow().astimezone(rt.tz).date()


def _plan(session: Session, rt: Runtime, year: int | None) -> SchoolPlan:
    """The plan of `year`; by default the current school year's, else the latest loaded."""
    if year is None:
        years = plan_queries.school_years(session)
        current = school_year_of(_today(rt))
        year = current if current in years else (years[-1] if years else None)
    plan = plan_queries.plan_for_year(session, year) if year is not None else None
    if plan is None:
        raise NotFound("no plan")
    return plan


def _view(rt: Runtime, session: Session, actor: Actor, item: PlanItem, today: date) -> ItemView:
    evidence = None
    if item.done_at is not None and item.evidence_kind and item.evidence_ref:
        evidence = plan_evidence.resolve(
            session, rt.features.evidence_sources, actor, item.evidence_kind, item.evidence_ref
        )
    status = item_status(item.due_on, item.done_at is not None, today)
    return ItemView(item, status, item.done_at is None and may_mark(actor, item), evidence)


def get_plan(rt: Runtime, actor: Actor, year: int | None = None, today: date | None = None) -> PlanView:
    """Every item with its status and the progress of each stage; every signed-in person reads the plan."""
    day = today or _today(rt)
    with rt.db.session() as session:
        plan = _plan(session, rt, year)
        items = [_view(rt, session, actor, i, day) for i in plan_queries.items_of(session, plan.id)]
        stages = [
            StageProgress(
                s.number,
                s.title,
                sum(1 for v in items if v.item.stage == s.number and v.status == "done"),
                sum(1 for v in items if v.item.stage == s.number),
            )
            for s in plan_queries.stages_of(session, plan.id)
        ]
        years = plan_queries.school_years(session)
        view = PlanView(plan, stages, items, years, day, may_unmark(actor))
        view.may_open_next_year = may_open_next_year(actor) and plan.school_year + 1 not in years
        view.done = sum(s.done for s in stages)
        view.total = len(items)
        return view


def get_item(rt: Runtime, actor: Actor, number: int, year: int | None = None) -> ItemDetail:
    with rt.db.session() as session:
        plan = _plan(session, rt, year)
        row = plan_queries.item(session, plan.id, number)
        if row is None:
            raise NotFound("no such item")
        stage = next((s for s in plan_queries.stages_of(session, plan.id) if s.number == row.stage), None)
        history = [
            (
                m,
                plan_evidence.resolve(
                    session, rt.features.evidence_sources, actor, m.evidence_kind, m.evidence_ref
                )
                if m.evidence_kind and m.evidence_ref
                else None,
            )
            for m in plan_queries.marks_of(session, row.id)
        ]
        return ItemDetail(
            plan,
            stage,
            _view(rt, session, actor, row, _today(rt)),
            history,
            may_unmark(actor),
            plan_queries.school_years(session),
        )


def _text_errors(name: str, value: str) -> dict[str, FieldError]:
    if not value.strip():
        return {name: FieldError("required")}
    if len(value) > MAX_TEXT:
        return {name: FieldError("max_length", {"limit": MAX_TEXT})}
    return {}


def _locked(session: Session, rt: Runtime, number: int, year: int | None) -> tuple[SchoolPlan, PlanItem]:
    plan = _plan(session, rt, year)
    row = plan_queries.item(session, plan.id, number, lock=True)
    if row is None:
        raise NotFound("no such item")
    return plan, row


def mark_item(
    rt: Runtime,
    actor: Actor,
    number: int,
    *,
    comment: str,
    evidence_kind: str = "",
    evidence_ref: str = "",
    year: int | None = None,
) -> None:
    """Mark an item done (its responsible roles, wg_chair, director); exactly one of two racing marks wins."""
    with rt.db.session() as session:
        plan, row = _locked(session, rt, number, year)
        if not may_mark(actor, row):
            raise Forbidden("not allowed")
        if row.done_at is not None:
            raise AlreadyMarked("already marked")
        errors = _text_errors("comment", comment)
        evidence, evidence_errors = plan_evidence.validated(
            session, rt.features.evidence_sources, actor, evidence_kind, evidence_ref
        )
        errors.update(evidence_errors)
        if errors:
            raise ValidationFailed(errors)
        now = utcnow()
        kind, ref = (evidence.kind, evidence.ref) if evidence else (None, None)
        row.done_at, row.done_by_id, row.done_comment = now, actor.id, comment.strip()
        row.evidence_kind, row.evidence_ref = kind, ref
        session.add(
            PlanMark(
                item_id=row.id,
                action="mark",
                at=now,
                user_id=actor.id,
                comment=comment.strip(),
                evidence_kind=kind,
                evidence_ref=ref,
            )
        )
        audit.append(
            session,
            actor.username,
            "plan.mark",
            detail={
                "school_year": plan.school_year,
                "item": number,
                "evidence": f"{kind}:{ref}" if kind else None,
            },
        )


def unmark_item(rt: Runtime, actor: Actor, number: int, *, reason: str, year: int | None = None) -> None:
    """Undo a mark (wg_chair, director) with a reason; the mark stays in the item's history."""
    with rt.db.session() as session:
        plan, row = _locked(session, rt, number, year)
        if not may_unmark(actor):
            raise Forbidden("not allowed")
        if row.done_at is None:
            raise NotMarked("not marked")
        errors = _text_errors("reason", reason)
        if errors:
            raise ValidationFailed(errors)
        row.done_at, row.done_by_id, row.done_comment = None, None, ""
        row.evidence_kind, row.evidence_ref = None, None
        session.add(
            PlanMark(item_id=row.id, action="unmark", at=utcnow(), user_id=actor.id, comment=reason.strip())
        )
        audit.append(
            session, actor.username, "plan.unmark", detail={"school_year": plan.school_year, "item": number}
        )


def open_next_year(rt: Runtime, actor: Actor, from_year: int) -> int:
    """Start the next school year's plan from the plan of `from_year`: the same stages and activities,
    every item open, each deadline's month in the new year; the approval lines stay empty until the new
    plan is approved. 409 when the next year has a plan already (someone opened it just now)."""
    if not may_open_next_year(actor):
        raise Forbidden("not allowed")
    year = from_year + 1
    with rt.db.session() as session:
        source = plan_queries.plan_for_year(session, from_year)
        if source is None:
            raise NotFound("no plan")
        if plan_queries.plan_for_year(session, year) is not None:
            raise YearHasPlan("that school year has a plan")
        items = plan_queries.copy_plan(session, source, year, retitled(source.title, year))
        audit.append(
            session,
            actor.username,
            "plan.next_year",
            detail={"from_year": from_year, "school_year": year, "items": items},
        )
    return year


# The school's plan for 2025-2026 (a copy of the seed text): 30 activities in 5 stages.
PLAN_SEED = "plan_2025_2026.txt"


def load_demo_plan(rt: Runtime) -> str | None:
    """The seed's plan for the current school year (by today in the school's zone), its months mapped
    onto that year and every item open; idempotent: one plan per school year. The seed's own year would
    leave every item overdue once that year is over, and the year's report without a plan."""
    year = school_year_of(_today(rt))
    if load_plan(rt, rt.bpmn_dir.parent / "seeds" / PLAN_SEED, year):
        return f"plan {year}-{year + 1} loaded from seeds/{PLAN_SEED}"
    return None
