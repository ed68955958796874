"""The minutes of one meeting as the document renders them, read inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from service.features.meetings import queries as mq
from service.features.meetings.documents import MinutesDecision, MinutesDoc, MinutesItem
from service.features.meetings.models import Decision, Meeting
from service.platform.runtime import Runtime

# The kind's name as the minutes' subtitle (always Kazakh: the official language of the paperwork).
KIND_TITLES = {
    "working_group": "Жұмыс тобының отырысы",
    "council": "Үйлестіру-этикалық кеңестің отырысы",
    "training": "Оқыту семинары",
    "class_hour": "Сынып сағаты",
    "parents": "Ата-аналар жиналысы",
    "other": "Отырыс",
}
_CHOICE = {"for": "иә", "against": "қарсы", "abstain": "қалыс"}


def vote_line(decision: Decision, names: dict[str, str]) -> str:
    if decision.vote == "none":
        return ""
    counts = (
        f"«иә» — {decision.votes_for}, «қарсы» — {decision.votes_against}, «қалыс» — {decision.votes_abstain}"
    )
    named = ""
    if decision.vote == "named" and decision.named_votes:
        votes = json.loads(decision.named_votes)
        named = " (" + "; ".join(f"{names.get(u, u)}: {_CHOICE.get(v, v)}" for u, v in votes.items()) + ")"
    if not decision.quorum:
        result = "Кворум жоқ, шешім қабылданбады."
    else:
        result = "Шешім қабылданды." if decision.adopted else "Шешім қабылданбады."
    return f"Дауыс беру: {counts}{named}. {result}"


def _task(names: dict[str, str], who: str, text: str, due: date) -> str:
    return f"{names.get(who, who)} — {text}, мерзімі: {due.strftime('%d.%m.%Y')}"


def minutes_document(rt: Runtime, session: Session, meeting: Meeting) -> MinutesDoc:
    attendance = mq.attendance(session, meeting.id)
    decisions = mq.decisions(session, meeting.id)
    followups = mq.followups(session, meeting.id)
    wanted = [
        meeting.chair,
        meeting.secretary,
        *(a.username for a in attendance),
        *(f.assignee for f in followups),
    ]
    for d in decisions:
        if d.named_votes:
            wanted += list(json.loads(d.named_votes))
    names = mq.full_names(session, wanted)
    local = meeting.starts_at.astimezone(rt.tz)
    external = ""
    if meeting.external_present is not None:
        external = f"Сырттан қатысқандар: {meeting.external_present} адам"
    elif meeting.external_count:
        external = f"Шақырылған сырттағы қатысушылар: {meeting.external_count} адам"
    if meeting.external_list.strip():
        external = ", ".join(x for x in (external, "; ".join(meeting.external_list.split("\n"))) if x)
    items = []
    for item in mq.agenda(session, meeting.id):
        mine = [d for d in decisions if d.item_id == item.id]
        items.append(
            MinutesItem(
                title=item.title,
                presenter=item.presenter,
                heard=item.heard,
                discussion=item.discussion,
                decisions=[
                    MinutesDecision(
                        d.text,
                        vote_line(d, names),
                        [
                            _task(names, f.assignee, f.text, f.due_on)
                            for f in followups
                            if f.decision_id == d.id
                        ],
                    )
                    for d in mine
                ],
            )
        )
    addenda = [
        (a.number, a.created_at.astimezone(rt.tz).strftime("%d.%m.%Y"), a.text)
        for a in mq.addenda(session, meeting.id)
    ]
    created = meeting.approved_at or meeting.updated_at
    if addenda:
        created = max(created, *(a.created_at for a in mq.addenda(session, meeting.id)))
    return MinutesDoc(
        school_name=rt.school_name,
        kind_title=KIND_TITLES.get(meeting.kind, KIND_TITLES["other"]),
        number=f"{meeting.number}" if meeting.number else "",
        date=local.strftime("%d.%m.%Y"),
        time=local.strftime("%H:%M"),
        place=meeting.place or meeting.online_link,
        chair=names.get(meeting.chair, meeting.chair),
        secretary=names.get(meeting.secretary, meeting.secretary),
        present=[names.get(a.username, a.username) for a in attendance if a.present],
        absent=[f"{names.get(a.username, a.username)} ({a.reason})" for a in attendance if not a.present],
        external=external,
        items=items,
        created=created,
        draft=meeting.status != "approved",
        addenda=addenda,
    )
