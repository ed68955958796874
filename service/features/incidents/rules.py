"""Incident rules shared by the operators and the pages: codes, recommendations, the vote summary."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from service.features.incidents.council_vote import DECIDED, NO_QUORUM, Tally
from service.platform.errors import FieldError, ValidationFailed
from service.platform.persistence.models import User

log = logging.getLogger(__name__)

INCIDENT_TYPES = ("data_disclosure", "inappropriate_content", "academic_integrity", "other")
SEVERITIES = ("minor", "serious")
STATUSES = ("reported", "council", "voting", "decision", "follow_up", "decided", "resolved", "closed")
TOOL_ACTIONS = ("restrict_tool", "withdraw_tool")
MAX_RECOMMENDATIONS = 30


@dataclass(frozen=True)
class Recommendation:
    assignee: str  # a username: a role named with one holder is resolved to that person
    due: date
    action: str


def parse_recommendations(
    text: str,
    today: date,
    holders_of: Callable[[str], Sequence[User]],
    user_named: Callable[[str], User | None],
) -> list[Recommendation]:
    """One recommendation per non-empty line: `who; YYYY-MM-DD; what to do`.

    `who` is a username or a role code held by exactly one active person (a task needs one owner);
    any bad line is reported with its number, so the chair can fix the text and submit again.
    """
    plan: list[Recommendation] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";", 2)]
        if len(parts) != 3 or not all(parts):
            raise _bad_line(number)
        who, due_text, action = parts
        try:
            due = date.fromisoformat(due_text)
        except ValueError:
            raise _bad_line(number) from None
        if due < today:
            raise _bad_line(number)
        user = user_named(who)
        if user is None or not user.is_active:
            holders = [u for u in holders_of(who) if u.is_active]
            if len(holders) != 1:
                raise ValidationFailed(
                    {"recommendations": FieldError("recommendation_owner", {"limit": number})}
                )
            user = holders[0]
        plan.append(Recommendation(user.username, due, action[:2000]))
    if len(plan) > MAX_RECOMMENDATIONS:
        raise ValidationFailed({"recommendations": FieldError("max_length", {"limit": MAX_RECOMMENDATIONS})})
    return plan


def parse_follow_up_rows(
    rows: Sequence[object],
    today: date,
    holders_of: Callable[[str], Sequence[User]],
    user_named: Callable[[str], User | None],
) -> list[Recommendation]:
    """Recommendations entered as rows (`{"assignee", "due", "action"}`: a person chosen from a list, a
    date, a text); a row that is incomplete, dated in the past or names nobody is reported by its number
    on `follow_ups`. The assignee is resolved like a line's `who` (a username, or a role of one person)."""
    plan: list[Recommendation] = []
    for number, row in enumerate(rows, start=1):
        fields = row if isinstance(row, dict) else {}
        who, due_text, action = (str(fields.get(k) or "").strip() for k in ("assignee", "due", "action"))
        try:
            due = date.fromisoformat(due_text)
        except ValueError:
            due = None
        if not who or not action or due is None or due < today:
            raise ValidationFailed({"follow_ups": FieldError("follow_up_row", {"limit": number})})
        user = user_named(who)
        if user is None or not user.is_active:
            holders = [u for u in holders_of(who) if u.is_active]
            if len(holders) != 1:
                raise ValidationFailed({"follow_ups": FieldError("follow_up_owner", {"limit": number})})
            user = holders[0]
        plan.append(Recommendation(user.username, due, action[:2000]))
    return plan


def recommendation_lines(plan: Sequence[Recommendation]) -> str:
    """The plan as the documented text shape (`who; YYYY-MM-DD; what`), one per line."""
    return "\n".join(f"{r.assignee}; {r.due.isoformat()}; {r.action}" for r in plan)


def _bad_line(number: int) -> ValidationFailed:
    return ValidationFailed({"recommendations": FieldError("recommendation_line", {"limit": number})})


# The summary's sentences by language: stored in Kazakh (the language of the council's minutes), shown to
# each reader in theirs (`access.summary_for`).
SUMMARY_PHRASES: dict[str, dict[str, str]] = {
    "kk": {
        "present": "Қатысқандар: {present} / {members} (кворум: {quorum})",
        "abstained": "Қалыс қалғандар: {count}",
        "decision": "Шешім: {name}",
        "by_chair": " (төрағаның дауысымен)",
        "no_quorum": "Кворум жоқ",
        "no_majority": "Көпшілік дауыс жоқ",
    },
    "ru": {
        "present": "Присутствовали: {present} / {members} (кворум: {quorum})",
        "abstained": "Воздержались: {count}",
        "decision": "Решение: {name}",
        "by_chair": " (голосом председателя)",
        "no_quorum": "Кворума нет",
        "no_majority": "Большинства голосов нет",
    },
    "en": {
        "present": "Present: {present} / {members} (quorum: {quorum})",
        "abstained": "Abstained: {count}",
        "decision": "Decision: {name}",
        "by_chair": " (by the chair's casting vote)",
        "no_quorum": "No quorum",
        "no_majority": "No majority",
    },
}


def vote_summary(
    result: Tally, members_named: int, labels: Mapping[str, str] | None = None, lang: str = "kk"
) -> str:
    """What the chair reads above the decision form, in `lang` (Kazakh, the language of the council's
    minutes, unless told): decisions by the names the vote form gave them (`labels`), never by their codes."""
    names = labels or {}
    say = SUMMARY_PHRASES.get(lang) or SUMMARY_PHRASES["kk"]
    lines = [
        say["present"].format(present=result.present, members=members_named, quorum=result.quorum),
        *(f"{names.get(decision, decision)}: {count}" for decision, count in result.counts.items()),
        say["abstained"].format(count=result.abstained),
    ]
    if result.status == DECIDED:
        suffix = say["by_chair"] if result.by_chair else ""
        name = names.get(str(result.decision), str(result.decision))
        lines.append(say["decision"].format(name=name) + suffix)
    elif result.status == NO_QUORUM:
        lines.append(say["no_quorum"])
    else:
        lines.append(say["no_majority"])
    return "\n".join(lines)


def tally_of(counted: Mapping[str, Any]) -> Tally | None:
    """The tally stored with an incident (`vote_json`), or None when it is not one."""
    try:
        counts = counted.get("counts") or {}
        return Tally(
            members=int(counted["members"]),
            present=int(counted["present"]),
            quorum=int(counted["quorum"]),
            counts={str(k): int(v) for k, v in dict(counts).items()},
            abstained=int(counted.get("abstained") or 0),
            status=str(counted.get("status") or NO_QUORUM),
            decision=str(counted["decision"]) if counted.get("decision") else None,
            by_chair=bool(counted.get("by_chair")),
        )
    except (KeyError, TypeError, ValueError):
        return None
