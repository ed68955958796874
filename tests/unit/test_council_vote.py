"""The council vote rule for 1–9 members: quorum, majority of non-abstaining votes, chair tie-break."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from itertools import combinations_with_replacement, product

import pytest

from service.features.incidents.council_vote import (
    DECIDED,
    NO_MAJORITY,
    NO_QUORUM,
    VOTE_CHOICES,
    VoteRule,
    settled,
    tally,
    vote_settled,
)
from service.features.incidents.rules import tally_of, vote_summary


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


def reference_settled(
    votes: Mapping[str, str], people: Sequence[str], chair: str | None, rule: VoteRule
) -> bool:
    """The former enumeration (without its size cap): every multiset of the outstanding members' votes."""
    now = tally(votes, people, chair, rule)
    if now.status == NO_QUORUM:
        return False
    outstanding = [m for m in people if votes.get(m) not in VOTE_CHOICES]
    choices: tuple[str | None, ...] = (*VOTE_CHOICES, None)  # None: does not vote
    others = [m for m in outstanding if m != chair]
    chair_options: tuple[str | None, ...] = choices if chair in outstanding else (None,)
    for chair_vote in chair_options:
        for combo in combinations_with_replacement(choices, len(others)):
            trial = dict(votes)
            trial.update(
                {who: choice for who, choice in zip(others, combo, strict=True) if choice is not None}
            )
            if chair_vote is not None and chair is not None:
                trial[chair] = chair_vote
            result = tally(trial, people, chair, rule)
            if (result.status, result.decision) != (now.status, now.decision):
                return False
    return True


RULES = [
    VoteRule.parse(quorum, tie_break)
    for quorum in ("2/3", "1/2", "1", "1/5")
    for tie_break in ("chair", "none")
]
MAYBE_VOTES: tuple[str | None, ...] = (*VOTE_CHOICES, None)  # None: has not voted


def every_vote(people: Sequence[str], chair: str | None) -> Iterator[dict[str, str]]:
    """Every state of the vote, up to which of the ordinary members cast which vote.

    `tally` (hence the outcome of every future) sees only the ordinary members' votes as a multiset, so
    a multiset per state covers every assignment; the chair's own vote (or silence) is varied separately.
    """
    seated = chair in people
    ordinary = [m for m in people if m != chair]
    for chair_vote in MAYBE_VOTES if seated else (None,):
        for combo in combinations_with_replacement(MAYBE_VOTES, len(ordinary)):
            votes = {who: choice for who, choice in zip(ordinary, combo, strict=True) if choice is not None}
            if chair is not None and chair_vote is not None:
                votes[chair] = chair_vote
            if chair is not None and not seated:
                votes[chair] = "warning"  # a chair outside the council: their vote must be ignored
            yield votes


@pytest.mark.parametrize(
    ("n", "chair"),
    [(n, "m1") for n in range(1, 7)]
    + [(n, None) for n in range(1, 7)]
    + [(n, "outsider") for n in range(1, 5)],
)
def test_settled_equals_the_enumeration_for_every_vote(n: int, chair: str | None) -> None:
    """Councils of 1–6 with the chair seated (voted or not, any vote), without a chair, or not a member."""
    people = members(n)
    for votes in every_vote(people, chair):
        for rule in RULES:
            assert settled(votes, people, chair, rule) == reference_settled(votes, people, chair, rule), (
                votes,
                chair,
                rule,
            )


@pytest.mark.parametrize("n", range(1, 5))
def test_settled_equals_the_enumeration_for_every_assignment(n: int) -> None:
    """Literally every assignment of small councils, the chair not first: who voted what does not matter."""
    people = members(n)
    chair = people[-1]
    for combo in product(MAYBE_VOTES, repeat=n):
        votes = {who: choice for who, choice in zip(people, combo, strict=True) if choice is not None}
        for rule in (RULES[0], RULES[3]):
            assert settled(votes, people, chair, rule) == reference_settled(votes, people, chair, rule), votes


def test_a_large_council_answers_and_may_close_early() -> None:
    forty = members(40)  # quorum 27
    votes = {m: "training" for m in forty[:20]} | {m: "abstain" for m in forty[20:28]}
    # 12 outstanding (the old enumeration took seconds here): 20 of 20 cannot be diluted below half by 12.
    assert settled(votes, forty, "m1")
    assert not settled(votes | {m: "warning" for m in forty[16:20]}, forty, "m1")  # 16 of 20: 12 can
    # 13 outstanding, beyond the old cap, where it used to answer "not yet" without looking.
    assert settled({m: "training" for m in forty[:27]}, forty, "m1")
    thousand = members(1000)
    assert settled({m: "no_violation" for m in thousand[:800]}, thousand, "m1")


def test_the_chairs_tie_break_makes_one_rival_not_enough() -> None:
    six = members(6)  # quorum 4
    # warning 2 of 2, the chair (m6) among them; m4 and m5 outstanding.
    votes = {"m1": "warning", "m2": "abstain", "m3": "abstain", "m6": "warning"}
    assert tally(votes, six, "m6").decision == "warning"
    # Both for one rival only tie 2–2, and the chair breaks the tie for warning: the same outcome.
    both = tally({**votes, "m4": "training", "m5": "training"}, six, "m6")
    assert (both.decision, both.by_chair) == ("warning", True)
    # One each for two rivals leaves warning alone at the top without a majority: no decision.
    assert tally({**votes, "m4": "training", "m5": "no_violation"}, six, "m6").status == NO_MAJORITY
    assert not settled(votes, six, "m6")
    # With one member left neither is possible any more.
    assert settled({**votes, "m4": "abstain"}, six, "m6")
    # A decision by the tie-break itself stands only when nobody is left: one more vote for either
    # side, or for a third option, undoes the tie.
    tied = {"m1": "warning", "m2": "training", "m3": "training", "m6": "warning"}
    assert tally(tied, six, "m6").by_chair
    assert not settled({**tied, "m4": "abstain"}, six, "m6")
    assert settled({**tied, "m4": "abstain", "m5": "abstain"}, six, "m6")


def test_the_chairs_own_outstanding_vote_can_join_a_tie_and_break_it() -> None:
    four = members(4)  # quorum 3
    votes = {"m1": "warning", "m2": "training", "m3": "restrict_tool"}
    # An ordinary fourth member makes 2–1–1 (no majority) or a four-way tie nobody breaks: settled.
    assert settled(votes, four, None)
    assert settled(votes, four, "m4", VoteRule.parse(None, "none"))
    # The chair voting for a fourth option makes a four-way tie that includes the chair's choice.
    assert tally({**votes, "m4": "no_violation"}, four, "m4").decision == "no_violation"
    assert not settled(votes, four, "m4")


def test_the_vote_summary_reads_in_each_language_from_the_stored_tally() -> None:
    result = tally({"a": "warning", "b": "warning", "c": "training", "d": "abstain"}, "abcdef", None)
    stored = tally_of(result.as_dict())  # what `vote_json` keeps, read back
    assert stored == result
    labels = {"kk": {"warning": "Ескерту", "training": "Оқыту"}, "ru": {"warning": "Предупреждение"}}
    assert vote_summary(result, 6, labels["kk"]).splitlines() == [  # the minutes' text, as before
        "Қатысқандар: 4 / 6 (кворум: 4)",
        "Ескерту: 2",
        "Оқыту: 1",
        "Қалыс қалғандар: 1",
        "Шешім: Ескерту",
    ]
    assert vote_summary(result, 6, labels["ru"], "ru").splitlines()[0] == "Присутствовали: 4 / 6 (кворум: 4)"
    assert vote_summary(result, 6, labels["ru"], "ru").splitlines()[-1] == "Решение: Предупреждение"
    assert vote_summary(result, 6, {}, "en").splitlines()[-2:] == ["Abstained: 1", "Decision: warning"]
    assert tally_of({"present": "x"}) is None
