"""Reading and writing the register of local acts: editions as plain texts, amendments in flight."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.features.acts.models import ActAmendment, ActClause, ActEdition, ActSection, LocalAct
from service.features.acts.rules import ActText, Clause, Section

IN_FLIGHT = ("proposed",)


def acts(session: Session) -> list[LocalAct]:
    return list(session.execute(select(LocalAct).order_by(LocalAct.id)).scalars())


def act_by_code(session: Session, code: str, lock: bool = False) -> LocalAct | None:
    query = select(LocalAct).where(LocalAct.code == code)
    if lock:
        # Publishing locks the act: two amendments finishing at once publish one after the other.
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def editions_of(session: Session, act_id: int) -> list[ActEdition]:
    return list(
        session.execute(
            select(ActEdition).where(ActEdition.act_id == act_id).order_by(ActEdition.number)
        ).scalars()
    )


def edition(session: Session, act_id: int, number: int) -> ActEdition | None:
    return session.execute(
        select(ActEdition)
        .where(ActEdition.act_id == act_id, ActEdition.number == number)
        .options(selectinload(ActEdition.sections).selectinload(ActSection.clauses))
    ).scalar_one_or_none()


def in_force(session: Session, act_id: int) -> ActEdition | None:
    return session.execute(
        select(ActEdition)
        .where(ActEdition.act_id == act_id, ActEdition.status == "in_force")
        .options(selectinload(ActEdition.sections).selectinload(ActSection.clauses))
    ).scalar_one_or_none()


def text_of(row: ActEdition | None) -> ActText:
    """An edition as plain data; no edition (an act not yet loaded) is an empty text."""
    if row is None:
        return ActText("", "", ())
    return ActText(
        row.header,
        row.title,
        tuple(
            Section(s.number, s.title, tuple(Clause(c.number, c.text) for c in s.clauses))
            for s in row.sections
        ),
    )


def store_edition(
    session: Session,
    act: LocalAct,
    number: int,
    text: ActText,
    *,
    in_force_from: date | None,
    order_number: str | None = None,
    order_date: date | None = None,
    order_id: int | None = None,
    amendment_id: int | None = None,
    published_by: str = "",
) -> ActEdition:
    """Write a new edition in force; the caller has made the previous one historical."""
    row = ActEdition(
        act_id=act.id,
        number=number,
        status="in_force",
        title=text.title or act.title,
        header=text.header,
        in_force_from=in_force_from,
        order_number=order_number,
        order_date=order_date,
        order_id=order_id,
        amendment_id=amendment_id,
        published_by=published_by,
    )
    row.sections = [
        ActSection(
            position=i,
            number=s.number,
            title=s.title,
            clauses=[ActClause(position=j, number=c.number, text=c.text) for j, c in enumerate(s.clauses)],
        )
        for i, s in enumerate(text.sections)
    ]
    session.add(row)
    session.flush()
    return row


def amendment_of_instance(session: Session, instance_id: int) -> ActAmendment | None:
    return session.execute(
        select(ActAmendment).where(ActAmendment.instance_id == instance_id)
    ).scalar_one_or_none()


def amendments_in_flight(session: Session, act_id: int) -> list[ActAmendment]:
    return list(
        session.execute(
            select(ActAmendment)
            .where(ActAmendment.act_id == act_id, ActAmendment.status.in_(IN_FLIGHT))
            .order_by(ActAmendment.id)
        ).scalars()
    )


def amendments_of(session: Session, act_id: int) -> list[ActAmendment]:
    return list(
        session.execute(
            select(ActAmendment).where(ActAmendment.act_id == act_id).order_by(ActAmendment.id.desc())
        ).scalars()
    )
