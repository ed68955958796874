"""Reading and writing the yearly plan: plans by school year, their stages, items and marks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from service.features.plan.models import PlanItem, PlanMark, PlanStage, SchoolPlan
from service.features.plan.rules import PlanText, parse_deadline


def plan_for_year(session: Session, school_year: int) -> SchoolPlan | None:
    return session.execute(
        select(SchoolPlan).where(SchoolPlan.school_year == school_year)
    ).scalar_one_or_none()


def school_years(session: Session) -> list[int]:
    return list(session.execute(select(SchoolPlan.school_year).order_by(SchoolPlan.school_year)).scalars())


def stages_of(session: Session, plan_id: int) -> list[PlanStage]:
    return list(
        session.execute(
            select(PlanStage).where(PlanStage.plan_id == plan_id).order_by(PlanStage.number)
        ).scalars()
    )


def items_of(session: Session, plan_id: int) -> list[PlanItem]:
    return list(
        session.execute(
            select(PlanItem).where(PlanItem.plan_id == plan_id).order_by(PlanItem.position)
        ).scalars()
    )


def item(session: Session, plan_id: int, number: int, lock: bool = False) -> PlanItem | None:
    query = select(PlanItem).where(PlanItem.plan_id == plan_id, PlanItem.number == number)
    if lock:
        # Marking locks the item row: two people marking at once are served one after the other.
        # The marker is loaded separately: PostgreSQL refuses FOR UPDATE on an outer join's nullable side.
        query = (
            query.options(lazyload(PlanItem.done_by))
            .with_for_update(of=PlanItem)
            .execution_options(populate_existing=True)
        )
    return session.execute(query).scalar_one_or_none()


def marks_of(session: Session, item_id: int) -> list[PlanMark]:
    return list(
        session.execute(select(PlanMark).where(PlanMark.item_id == item_id).order_by(PlanMark.id)).scalars()
    )


def store_plan(session: Session, text: PlanText, school_year: int, source: str) -> SchoolPlan:
    """The plan with its stages and items, every item open; due dates for `school_year`."""
    plan = SchoolPlan(
        school_year=school_year, title=text.title, approval=text.approval, topic=text.topic, source=source
    )
    session.add(plan)
    session.flush()
    for stage in text.stages:
        session.add(PlanStage(plan_id=plan.id, number=stage.number, title=stage.title))
    for position, row in enumerate(text.items, start=1):
        session.add(
            PlanItem(
                plan_id=plan.id,
                stage=row.stage,
                position=position,
                number=row.number,
                activity=row.activity,
                responsible=row.responsible,
                roles=",".join(row.roles),
                participants=row.participants,
                deadline=row.deadline.text,
                deadline_kind=row.deadline.kind,
                due_on=row.deadline.due_on(school_year),
                result=row.result,
                done_comment="",
            )
        )
    session.flush()
    return plan


def copy_plan(session: Session, source: SchoolPlan, school_year: int, title: str) -> int:
    """A new plan for `school_year` with `source`'s stages and items, every item open and due in that
    year (the deadline's text read again for it); returns the number of items copied. Two people opening
    the same year at once: the plan's unique (school, year) lets one of them through."""
    plan = SchoolPlan(
        school_year=school_year, title=title, approval="", topic=source.topic, source=source.source
    )
    session.add(plan)
    session.flush()
    for stage in stages_of(session, source.id):
        session.add(PlanStage(plan_id=plan.id, number=stage.number, title=stage.title))
    rows = items_of(session, source.id)
    for row in rows:
        session.add(
            PlanItem(
                plan_id=plan.id,
                stage=row.stage,
                position=row.position,
                number=row.number,
                activity=row.activity,
                responsible=row.responsible,
                roles=row.roles,
                participants=row.participants,
                deadline=row.deadline,
                deadline_kind=row.deadline_kind,
                due_on=parse_deadline(row.deadline).due_on(school_year),
                result=row.result,
                done_comment="",
            )
        )
    session.flush()
    return len(rows)
