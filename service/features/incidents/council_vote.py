"""The ethics council's vote rule: quorum, majority of non-abstaining votes, the chair's casting vote."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

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

    No enumeration (it runs under the instance lock on every vote): counting the votes, then constant work:
    - once the quorum is reached more votes never remove it, and an abstention or silence leaves the
      counts alone, so a future is the current counts plus at most one decision vote per outstanding member;
    - who casts which of those votes does not matter, except for the chair: while the chair is outstanding
      (and breaks ties) each choice of theirs is tried on its own, the others then having one vote fewer;
    - for a fixed chair's choice `_reachable_outcomes` says which outcomes some future reaches, each by the
      cheapest future that produces it, so the vote is settled when the current outcome is the only one.
    """
    rule = rule or VoteRule()
    now = tally(votes, members, chair, rule)
    if now.status == NO_QUORUM:
        return False
    outstanding = {m for m in members if votes.get(m) not in VOTE_CHOICES}
    counts = {d: now.counts.get(d, 0) for d in DECISIONS}
    futures: list[tuple[Mapping[str, int], str | None, int]]  # counts, the chair's choice, votes left
    if rule.chair_breaks_tie and chair in outstanding:
        others = len(outstanding) - 1
        futures = [(counts, None, others)]  # the chair abstains or stays silent
        futures += [({**counts, d: counts[d] + 1}, d, others) for d in DECISIONS]
    else:
        chair_vote = votes.get(chair) if chair is not None and chair in members else None
        breaks_tie = rule.chair_breaks_tie and chair_vote in DECISIONS
        futures = [(counts, chair_vote if breaks_tie else None, len(outstanding))]
    reachable: set[tuple[str, str | None]] = set()
    for future_counts, chair_choice, budget in futures:
        reachable |= _reachable_outcomes(future_counts, chair_choice, budget)
    return reachable == {(now.status, now.decision)}


def _reachable_outcomes(
    counts: Mapping[str, int], chair_choice: str | None, budget: int
) -> set[tuple[str, str | None]]:
    """The (status, decision) pairs that adding at most `budget` decision votes to `counts` can give.

    The quorum is reached; `chair_choice` is the chair's decision, counted in `counts` and fixed, or None
    when no tie will be broken. Writing n_d for the counts, N for their sum and M for the largest:
    - d by a strict majority: every added vote for d is best, 2(n_d + b) > N + b;
    - the chair's choice c by the tie-break: c and its strongest rival r both raised to M (raising the
      level further costs two votes per step), M - n_c + M - n_r <= b;
    - no majority without a chair: a strict majority disappears once the others reach the leader, which
      2M - N votes for one rival achieve (it does not overtake the leader);
    - no majority with a chair's choice c: the tie-break must not apply either, so either one leader L
      alone at a level t without a strict majority (the others at most t - 1, at least 2t votes in all;
      t >= 2, there being five other decisions to hold the rest), or c's strongest rival h ahead of c
      at a level t >= max(M, n_c + 1) (at least 2t votes in all). Either costs max(t - n_leader, 2t - N),
      least at the lowest t allowed.
    """
    total = sum(counts.values())
    top = max(counts.values())
    outcomes: set[tuple[str, str | None]] = {
        (DECIDED, d) for d in DECISIONS if 2 * counts[d] + budget > total
    }

    def cost(leader: str, level: int) -> int:
        return max(level - counts[leader], 2 * level - total)

    if chair_choice is None:
        if 2 * top - total <= budget:
            outcomes.add((NO_MAJORITY, None))
        return outcomes
    rival = max((d for d in DECISIONS if d != chair_choice), key=lambda d: counts[d])
    if 2 * top - counts[chair_choice] - counts[rival] <= budget:
        outcomes.add((DECIDED, chair_choice))
    alone = min(
        cost(leader, max(counts[leader], 1 + max(counts[d] for d in DECISIONS if d != leader), 2))
        for leader in DECISIONS
    )
    ahead = cost(rival, max(top, counts[chair_choice] + 1))
    if min(alone, ahead) <= budget:
        outcomes.add((NO_MAJORITY, None))
    return outcomes


def vote_settled(
    votes: Mapping[str, str] | None,
    members: Collection[str],
    chair: str | None = None,
    quorum: str | None = None,
    tie_break: str | None = None,
) -> bool:
    """The form a BPMN completion condition calls: plain data in, a boolean out."""
    return settled(dict(votes or {}), list(members), chair, VoteRule.parse(quorum, tie_break))
