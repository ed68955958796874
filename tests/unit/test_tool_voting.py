"""The commission's decision rule over every combination of votes for 1 to 7 members."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from service.features.tools.rules import VoteRule, decided_early, outcome

A, R, J = "approve", "approve_with_restrictions", "reject"


def _expected(a: int, r: int, j: int, members: int) -> str:
    """The default rule written out in integers, independently of the implementation."""
    cast = a + r + j
    if 2 * cast <= members:
        return "no_quorum"
    if 2 * a > cast:
        return "permitted"
    if 2 * (a + r) > cast:
        return "permitted_with_restrictions"
    return "rejected"


def _combinations(members: int) -> list[tuple[int, int, int]]:
    return [
        (a, r, j)
        for a in range(members + 1)
        for r in range(members + 1 - a)
        for j in range(members + 1 - a - r)
    ]


@pytest.mark.parametrize("members", range(1, 8))
def test_outcome_matches_the_default_rule_for_every_combination(members: int) -> None:
    for a, r, j in _combinations(members):
        votes = [A] * a + [R] * r + [J] * j
        assert outcome(votes, members) == _expected(a, r, j, members), (a, r, j, members)


@pytest.mark.parametrize("members", range(1, 8))
def test_early_close_only_when_no_remaining_vote_can_change_the_outcome(members: int) -> None:
    for a, r, j in _combinations(members):
        votes = [A] * a + [R] * r + [J] * j
        remaining = members - len(votes)
        # every future: each remaining member votes one of three ways or not at all
        futures = {
            _expected(a + f.count(A), r + f.count(R), j + f.count(J), members)
            for f in itertools.product([A, R, J, None], repeat=remaining)
        }
        early = decided_early(votes, members)
        if len(futures) == 1 and "no_quorum" not in futures:
            assert early == futures.pop(), (a, r, j, members)
        else:
            assert early is None, (a, r, j, members, futures)


@pytest.mark.parametrize(
    ("votes", "members", "result", "early"),
    [
        ([], 1, "no_quorum", None),
        ([J], 1, "rejected", "rejected"),
        ([A], 2, "no_quorum", None),  # half of two is not more than half
        ([A, A], 2, "permitted", "permitted"),
        ([A, J], 2, "rejected", "rejected"),  # a tie is no majority
        ([A, R], 2, "permitted_with_restrictions", "permitted_with_restrictions"),
        ([J, J], 5, "no_quorum", None),
        ([J, J, J], 5, "rejected", "rejected"),  # the early close: three of five reject
        ([A, A, A], 5, "permitted", "permitted"),
        ([J, R, A], 5, "permitted_with_restrictions", None),
        ([J, R, A, A], 5, "permitted_with_restrictions", None),
        ([J, R, A, A, A], 5, "permitted", "permitted"),  # the 3 / 1 / 1
        ([A, A, J], 7, "no_quorum", None),  # 3 of 7 is not more than half
        ([A, A, A, J], 7, "permitted", None),  # three more rejects would make it rejected
        ([A, A, A, A], 7, "permitted", "permitted"),  # even three more rejects leave 4 of 7
        ([A, A, A, R], 7, "permitted", None),  # three rejects would make it 3 of 7
    ],
)
def test_table_of_cases(votes: list[str], members: int, result: str, early: str | None) -> None:
    assert outcome(votes, members) == result
    assert decided_early(votes, members) == early


def test_configurable_quorum_and_majority() -> None:
    two_thirds = VoteRule.parse("2/3", "2/3")
    assert outcome([A, A, A, J], 6, two_thirds) == "no_quorum"  # 4 is not more than 2/3 of 6
    assert outcome([A, A, A, A, J], 6, two_thirds) == "permitted"  # 4 > 2/3 of 5
    assert outcome([A, A, A, J, J], 6, two_thirds) == "rejected"  # 3 is not more than 2/3 of 5
    assert VoteRule.parse("", None) == VoteRule()
    assert VoteRule.parse("0", "1/2").quorum == Fraction(0)
    with pytest.raises(ValueError):
        VoteRule.parse("3/2")
    with pytest.raises(ValueError):
        outcome(["maybe"], 3)
