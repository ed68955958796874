"""The plan seed parses into 5 stages and 30 items with their roles, deadlines and due dates;
an item's status follows its due date in a fixed clock."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.features.plan.rules import (
    PlanTextError,
    item_status,
    parse_deadline,
    parse_plan,
    roles_for,
    school_year_of,
)

SEED = Path(__file__).resolve().parents[2] / "seeds" / "plan_2025_2026.txt"
PLAN = parse_plan(SEED.read_text(encoding="utf-8"))
BY_NUMBER = {i.number: i for i in PLAN.items}

# DOMAIN.md's role table applied to the responsible column of every item.
EXPECTED_ROLES = {
    **{n: ("responsible",) for n in (6, 7, 9, 10, 11, 12, 13, 14, 17, 18, 20, 21, 22, 25, 26, 27, 29)},
    **{n: ("wg_chair",) for n in (1, 2, 4, 15, 16, 23, 24, 28, 30)},
    3: ("wg_deputy",),
    5: ("staff",),  # "Шығармашылық тобы, пән мұғалімдері": the creative group of subject teachers
    8: ("wg_member",),
    19: ("commission",),
}


def test_five_stages_and_thirty_items() -> None:
    assert [s.number for s in PLAN.stages] == [1, 2, 3, 4, 5]
    assert PLAN.stages[3].title == "ІСКЕ АСЫРУ"
    assert PLAN.stages[2].title == "НОРМАТИВТІК ҚҰЖАТТАРДЫ ДАЙЫНДАУ"  # the seed's "3-СТАП" typo is read
    assert len(PLAN.items) == 30
    assert sorted(BY_NUMBER) == list(range(1, 31))
    assert [sum(1 for i in PLAN.items if i.stage == s) for s in range(1, 6)] == [6, 4, 6, 9, 5]


def test_header() -> None:
    assert PLAN.school_year == 2025
    assert PLAN.title.startswith("2025-2026 ОҚУ ЖЫЛЫНА АРНАЛҒАН") and PLAN.title.endswith("ЖОСПАРЫ")
    assert "Мектеп директоры А.Е. Рамазанова" in PLAN.approval
    assert PLAN.topic == "«Жасанды интеллект: Білім берудің жаңа көкжиектері»"


def test_every_item_maps_to_its_roles() -> None:
    assert {n: i.roles for n, i in BY_NUMBER.items()} == EXPECTED_ROLES


def test_unnumbered_row_takes_the_missing_number_and_keeps_its_place() -> None:
    item = BY_NUMBER[16]
    assert item.activity.startswith("Жұмыс тобының отырысында төрт локалдық актіні талқылау")
    assert item.stage == 3
    assert [i.number for i in PLAN.items][13:17] == [14, 16, 15, 17]


def test_spot_checks() -> None:
    first = BY_NUMBER[1]
    assert first.stage == 1 and first.responsible == "Жұмыс тобының төрағасы"
    assert first.participants == "Мектептің толық ұжымы"
    assert first.result == "Сауалнама нәтижелері бойынша талдамалық анықтама"
    assert first.deadline.kind == "months" and first.deadline.due_on(2025) == date(2025, 9, 30)
    five = BY_NUMBER[5]
    assert five.deadline.text == "Қыркүйек-Казан" and five.deadline.months == (9, 10)
    assert five.deadline.due_on(2025) == date(2025, 10, 31)
    assert BY_NUMBER[4].deadline.kind == "quarterly" and BY_NUMBER[4].deadline.due_on(2025) is None
    assert BY_NUMBER[6].deadline.kind == "per_schedule"
    assert BY_NUMBER[8].deadline.kind == "throughout_year"
    assert BY_NUMBER[27].deadline.kind == "ad_hoc"
    assert BY_NUMBER[7].deadline.due_on(2025) == date(2026, 2, 28)
    assert BY_NUMBER[7].deadline.due_on(2027) == date(2028, 2, 29)  # a leap year's February
    assert BY_NUMBER[19].responsible == "Комиссия (по Регламенту)"
    assert BY_NUMBER[30].result.startswith("Локалдық актілерге өзгерістер енгізу туралы бұйрықтар")
    assert BY_NUMBER[14].responsible == "Академиялық адалдық және жасанды интеллектті этикалық"


@pytest.mark.parametrize(
    ("text", "kind", "months"),
    [
        ("Қазан", "months", (10,)),
        ("қараша, желтоқсан", "months", (11, 12)),
        ("Тоқсан сайын", "quarterly", ()),
        ("Жыл бойы", "throughout_year", ()),
        ("Кесте бойынша", "per_schedule", ()),
        ("Кезектен тыс", "ad_hoc", ()),
    ],
)
def test_deadlines(text: str, kind: str, months: tuple[int, ...]) -> None:
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.months) == (kind, months)


def test_unknown_texts_are_refused() -> None:
    with pytest.raises(PlanTextError):
        parse_deadline("ертең")
    with pytest.raises(PlanTextError):
        roles_for("Аспаз")
    with pytest.raises(PlanTextError):
        parse_plan("no table here")


def test_status_rules_with_a_fixed_clock() -> None:
    due = date(2026, 2, 28)
    assert item_status(due, done=False, today=date(2026, 1, 1)) == "open"
    assert item_status(due, done=False, today=date(2026, 2, 14)) == "due_soon"
    assert item_status(due, done=False, today=date(2026, 2, 28)) == "due_soon"  # its last day is in time
    assert item_status(due, done=False, today=date(2026, 3, 1)) == "overdue"
    assert item_status(due, done=True, today=date(2026, 3, 1)) == "done"
    assert item_status(None, done=False, today=date(2026, 3, 1)) == "no_date"
    assert item_status(None, done=True, today=date(2026, 3, 1)) == "done"


def test_school_year_starts_in_september() -> None:
    assert school_year_of(date(2025, 9, 1)) == 2025
    assert school_year_of(date(2026, 8, 31)) == 2025
