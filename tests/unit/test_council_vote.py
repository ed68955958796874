"""The council vote rule for 1–9 members: quorum, majority of non-abstaining votes, chair tie-break."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest

from service.domain.council_vote import (
    DECIDED,
    NO_MAJORITY,
    NO_QUORUM,
    VoteRule,
    settled,
    tally,
    vote_settled,
)


def members(n: int) -> list[str]:
    return [f"m{i}" for i in range(1, n + 1)]


@pytest.mark.parametrize(
    ("n", "quorum"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4), (7, 5), (8, 6), (9, 6)]
)
def test_quorum_is_two_thirds_rounded_up(n: int, quorum: int) -> None:
    assert VoteRule().quorum_for(n) == quorum
    below = {m: "warning" for m in members(n)[: quorum - 1]}
    assert tally(below, members(n), None).status == NO_QUORUM
    at = {m: "warning" for m in members(n)[:quorum]}
    result = tally(at, members(n), None)
    assert (result.status, result.decision, result.present) == (DECIDED, "warning", quorum)


def test_abstentions_count_for_quorum_but_not_for_majority() -> None:
    votes = {"m1": "abstain", "m2": "abstain", "m3": "training", "m4": "abstain"}
    result = tally(votes, members(5), None)
    assert (result.status, result.decision, result.abstained, result.present) == (DECIDED, "training", 3, 4)
    assert tally({m: "abstain" for m in members(5)}, members(5), None).status == NO_MAJORITY


def test_plurality_without_majority_decides_nothing() -> None:
    votes = {"m1": "warning", "m2": "warning", "m3": "training", "m4": "no_violation"}
    assert tally(votes, members(4), "m1").status == NO_MAJORITY  # 2 of 4 is not more than half


def test_the_chairs_vote_breaks_a_tie_only_when_the_chair_is_in_it() -> None:
    votes = {"m1": "warning", "m2": "warning", "m3": "training", "m4": "training"}
    by_chair = tally(votes, members(4), "m3")
    assert (by_chair.status, by_chair.decision, by_chair.by_chair) == (DECIDED, "training", True)
    assert tally({**votes, "m5": "abstain"}, members(5), "m5").status == NO_MAJORITY
    assert tally(votes, members(4), "m3", VoteRule(chair_breaks_tie=False)).status == NO_MAJORITY


def test_votes_of_non_members_and_unknown_choices_are_ignored() -> None:
    result = tally({"m1": "warning", "intruder": "training", "m2": "maybe"}, members(3), None)
    assert (result.present, result.status) == (1, NO_QUORUM)


def test_configured_quorum() -> None:
    rule = VoteRule.parse("1/2", "none")
    assert rule.quorum == Fraction(1, 2) and not rule.chair_breaks_tie and rule.quorum_for(9) == 5
    with pytest.raises(ValueError):
        VoteRule.parse("3/2")


@pytest.mark.parametrize("n", range(1, 10))
def test_settled_means_no_remaining_votes_can_change_the_outcome(n: int) -> None:
    """Brute force over small councils: whenever `settled` says so, every continuation agrees."""
    people = members(n)
    chair = people[0]
    choices = ("warning", "training", "abstain")
    for cast in range(n + 1):
        for combo in product(choices, repeat=cast) if cast <= 4 else [("warning",) * cast]:
            votes = dict(zip(people[:cast], combo, strict=True))
            if not settled(votes, people, chair):
                continue
            outcome = tally(votes, people, chair)
            rest = people[cast:]
            for more in product((*choices, "no_violation"), repeat=min(len(rest), 3)):
                final = {**votes, **dict(zip(rest, more, strict=False))}
                later = tally(final, people, chair)
                assert (later.status, later.decision) == (outcome.status, outcome.decision), (votes, final)


def test_settled_examples() -> None:
    six = members(6)
    # 4 of 6 present, warning 2 of 3 counted: two members could still turn it.
    votes = {"m1": "training", "m2": "warning", "m3": "warning", "m4": "abstain"}
    assert not settled(votes, six, "m6")
    # warning 3 of 4 counted, one member left: nothing can change it.
    assert settled({**votes, "m5": "warning"}, six, "m6")
    assert not settled({"m1": "warning", "m2": "warning", "m3": "warning"}, six, "m6")  # below quorum
    assert settled({m: "warning" for m in six}, six, "m6")
    assert vote_settled({**votes, "m5": "warning"}, {m: m for m in six}, "m6", "2/3", "chair")
    assert not vote_settled(None, six)
