"""The commission's decision rule for an AI tool: quorum, majorities, and when a vote may close early."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

VERDICTS: tuple[str, ...] = ("approve", "approve_with_restrictions", "reject")
# What each member rates (and the assessment scores): the vote, its stored row and the conclusion share them.
CRITERIA: tuple[str, ...] = ("security", "data_protection", "functionality", "limitations")


@dataclass(frozen=True)
class VoteRule:
    """Quorum: more than `quorum` of the members voted. Majority: more than `majority` of the votes cast.

    Fractions keep "more than half" exact (5 members: 3 is a quorum, 2.5 is not a number of people).
    """

    quorum: Fraction = Fraction(1, 2)
    majority: Fraction = Fraction(1, 2)

    @classmethod
    def parse(cls, quorum: str | None = None, majority: str | None = None) -> VoteRule:
        """From settings such as "1/2" or "2/3" (empty: the default); refuses nonsense at start-up."""
        return cls(_fraction(quorum, cls.quorum), _fraction(majority, cls.majority))

    def describe(self) -> str:
        """The rule as stored with a decision (a stable, parseable record; pages and the conclusion
        reword it in the reader's language through `described`)."""
        return f"quorum > {self.quorum} of members; majority > {self.majority} of votes cast"

    @classmethod
    def described(cls, text: str | None) -> VoteRule | None:
        """The rule a stored `describe()` text records; None for text in any other shape."""
        found = re.fullmatch(
            r"quorum > (\d+/\d+|\d+) of members; majority > (\d+/\d+|\d+) of votes cast", text or ""
        )
        return cls(Fraction(found.group(1)), Fraction(found.group(2))) if found else None

    def kazakh(self) -> str:
        """The rule in the words of a Kazakh document."""
        return (
            f"кворум — комиссия мүшелерінің {_kk_part(self.quorum)} астамы; "
            f"көпшілік — берілген дауыстардың {_kk_part(self.majority)} астамы"
        )


def _kk_part(value: Fraction) -> str:
    return "жартысынан" if value == Fraction(1, 2) else f"{value} бөлігінен"


def _fraction(text: str | None, default: Fraction) -> Fraction:
    if text is None or not text.strip():
        return default
    value = Fraction(text.strip())
    if not 0 <= value < 1:
        raise ValueError(f"a voting fraction must be at least 0 and below 1: {text!r}")
    return value


def quorum_met(cast: int, members: int, rule: VoteRule) -> bool:
    return members > 0 and Fraction(cast) > rule.quorum * members


def quorum_needed(members: int, rule: VoteRule) -> int:
    """The fewest votes that make a quorum: the smallest whole number above `quorum` × members."""
    return int(rule.quorum * members) + 1 if members > 0 else 0


def restriction_lines(text: str, limit: int = 30) -> list[str]:
    """Restrictions written one per line (blank lines dropped, each at most 1,000 characters)."""
    return [line.strip()[:1000] for line in text.splitlines() if line.strip()][:limit]


def outcome(votes: Iterable[str], members: int, rule: VoteRule = VoteRule()) -> str:
    """The outcome of the votes cast so far, as if the vote closed now.

    One of permitted, permitted_with_restrictions, rejected and no_quorum.
    """
    counts = Counter(votes)
    unknown = set(counts) - set(VERDICTS)
    if unknown:
        raise ValueError(f"unknown verdicts: {sorted(unknown)}")
    cast = sum(counts.values())
    if not quorum_met(cast, members, rule):
        return "no_quorum"
    needed = rule.majority * cast
    if counts["approve"] > needed:
        return "permitted"
    if counts["approve"] + counts["approve_with_restrictions"] > needed:
        return "permitted_with_restrictions"
    return "rejected"


def decided_early(votes: Sequence[str], members: int, rule: VoteRule = VoteRule()) -> str | None:
    """The outcome if no remaining vote can change it (quorum reached), else None.

    "Remaining" covers every member who has not voted voting any way or not at all (the deadline
    may come first), so the vote closes only when every such future gives the same outcome.
    """
    cast = len(votes)
    if cast > members:
        raise ValueError("more votes than members")
    now = outcome(votes, members, rule)
    if now == "no_quorum":
        return None
    if cast == members:
        return now
    remaining = members - cast
    base = list(votes)
    for extra in range(0, remaining + 1):
        for approve in range(extra + 1):
            for restricted in range(extra - approve + 1):
                rejected = extra - approve - restricted
                future = (
                    base
                    + ["approve"] * approve
                    + ["approve_with_restrictions"] * restricted
                    + ["reject"] * rejected
                )
                if outcome(future, members, rule) != now:
                    return None
    return now


@dataclass(frozen=True)
class SignedVerdict:
    """One member's signed verdict as the tally needs it."""

    member: str  # username
    name: str  # full name
    decision: str
    restrictions: str = ""


def tally_of(votes: Sequence[SignedVerdict], members: int, rule: VoteRule, result: str) -> dict[str, Any]:
    """What the chair confirms: per verdict the count and who signed it, the quorum and whether it was met
    (kept as JSON on the register entry when the vote closes)."""
    return {
        "members": members,
        "cast": len(votes),
        "quorum_needed": quorum_needed(members, rule),
        "quorum_met": quorum_met(len(votes), members, rule),
        "outcome": result,
        "verdicts": {
            verdict: [
                {"member": v.member, "name": v.name, "restrictions": v.restrictions.strip()}
                for v in votes
                if v.decision == verdict
            ]
            for verdict in VERDICTS
        },
    }


# What staff may use (and see, with the memo); everything else is the evaluators' business.
PERMITTED: tuple[str, ...] = ("permitted", "permitted_with_restrictions")
# Who adopts a region tool for the school and restricts it further (the register's keepers).
ADOPTERS = frozenset({"responsible", "wg_chair", "director"})
SCHOOL_RESTRICTIONS_MAX = 2000  # characters of a school's further restrictions


def restriction_texts(restrictions_json: str | None) -> list[str]:
    """The restrictions a register entry stores (as JSON rows with their text), as text."""
    return [str(r["text"]) for r in json.loads(restrictions_json or "[]")]
