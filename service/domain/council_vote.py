"""The ethics council's vote rule: quorum, majority of non-abstaining votes, the chair's casting vote."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations_with_replacement

ABSTAIN = "abstain"
# The decisions a member may vote for (abstaining is allowed besides them).
DECISIONS: tuple[str, ...] = (
    "warning",
    "training",
    "restrict_tool",
    "withdraw_tool",
    "refer_to_administration",
    "no_violation",
)
VOTE_CHOICES: tuple[str, ...] = (*DECISIONS, ABSTAIN)

DECIDED = "decided"
NO_QUORUM = "no_quorum"
NO_MAJORITY = "no_majority"

# Beyond this many outstanding members the "settled" check answers "not yet" rather than enumerate.
_MAX_ENUMERATED = 12


@dataclass(frozen=True)
class VoteRule:
    """Defaults: two thirds present, majority of the non-abstaining votes, the chair breaks a tie."""

    quorum: Fraction = Fraction(2, 3)
    chair_breaks_tie: bool = True

    @classmethod
    def parse(cls, quorum: str | None = None, tie_break: str | None = None) -> VoteRule:
        """From diagram parameters such as quorum "2/3" and tie_break "chair" or "none"."""
        share = Fraction(str(quorum)) if quorum else Fraction(2, 3)
        if not Fraction(0) < share <= Fraction(1):
            raise ValueError("quorum must be a fraction in (0, 1]")
        return cls(quorum=share, chair_breaks_tie=(tie_break or "chair") == "chair")

    def quorum_for(self, members: int) -> int:
        """How many members must take part (voting or abstaining); at least one."""
        return max(1, math.ceil(members * self.quorum))


@dataclass(frozen=True)
class Tally:
    members: int
    present: int
    quorum: int
    counts: dict[str, int] = field(default_factory=dict)
    abstained: int = 0
    status: str = NO_QUORUM
    decision: str | None = None
    by_chair: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "members": self.members,
            "present": self.present,
            "quorum": self.quorum,
            "counts": dict(self.counts),
            "abstained": self.abstained,
            "status": self.status,
            "decision": self.decision,
            "by_chair": self.by_chair,
        }


def tally(
    votes: Mapping[str, str], members: Collection[str], chair: str | None, rule: VoteRule | None = None
) -> Tally:
    """The outcome of the votes cast so far, as if nobody else voted."""
    rule = rule or VoteRule()
    cast = {who: choice for who, choice in votes.items() if who in members and choice in VOTE_CHOICES}
    quorum = rule.quorum_for(len(members))
    counts = Counter(choice for choice in cast.values() if choice != ABSTAIN)
    base = Tally(
        members=len(members),
        present=len(cast),
        quorum=quorum,
        counts={d: counts[d] for d in DECISIONS if counts[d]},
        abstained=sum(1 for c in cast.values() if c == ABSTAIN),
    )
    if len(cast) < quorum:
        return base
    counted = sum(counts.values())
    if counted == 0:
        return _with(base, NO_MAJORITY)
    top = max(counts.values())
    leaders = [d for d in DECISIONS if counts[d] == top]
    if top * 2 > counted:
        return _with(base, DECIDED, leaders[0])
    chair_choice = cast.get(chair or "")
    if rule.chair_breaks_tie and len(leaders) > 1 and chair_choice in leaders:
        return _with(base, DECIDED, chair_choice, by_chair=True)
    return _with(base, NO_MAJORITY)


def _with(base: Tally, status: str, decision: str | None = None, *, by_chair: bool = False) -> Tally:
    return Tally(
        base.members, base.present, base.quorum, base.counts, base.abstained, status, decision, by_chair
    )


def settled(
    votes: Mapping[str, str], members: Collection[str], chair: str | None, rule: VoteRule | None = None
) -> bool:
    """True when no way the outstanding members vote (or stay silent) can change the outcome.

    Used to close the vote early. Before the quorum is reached it is never settled: silence would
    end without a quorum, while more votes could still decide.
    """
    rule = rule or VoteRule()
    now = tally(votes, members, chair, rule)
    if now.status == NO_QUORUM:
        return False
    outstanding = [m for m in members if votes.get(m) not in VOTE_CHOICES]
    if not outstanding:
        return True
    if len(outstanding) > _MAX_ENUMERATED:
        return False
    outcome = (now.status, now.decision)
    choices: tuple[str | None, ...] = (*VOTE_CHOICES, None)  # None: does not vote
    others = [m for m in outstanding if m != chair]
    chair_options: tuple[str | None, ...] = choices if (chair in outstanding) else (None,)
    for chair_vote in chair_options:
        for combo in combinations_with_replacement(choices, len(others)):
            # Who casts which vote does not matter except for the chair, handled separately.
            trial = dict(votes)
            for who, choice in zip(others, combo, strict=True):
                if choice is not None:
                    trial[who] = choice
            if chair_vote is not None and chair is not None:
                trial[chair] = chair_vote
            result = tally(trial, members, chair, rule)
            if (result.status, result.decision) != outcome:
                return False
    return True


def vote_settled(
    votes: Mapping[str, str] | None,
    members: Collection[str],
    chair: str | None = None,
    quorum: str | None = None,
    tie_break: str | None = None,
) -> bool:
    """The form a BPMN completion condition calls: plain data in, a boolean out."""
    return settled(dict(votes or {}), list(members), chair, VoteRule.parse(quorum, tie_break))
