"""The amendment's order is written in grammatical Kazakh and never repeats the clause's number."""

from __future__ import annotations

from service.features.acts.models import ActAmendment
from service.features.acts.operators import order_prefill
from service.features.acts.rules import apply_change, parse_act, without_own_number

TITLE = "Мектепте жасанды интеллектті жауапты пайдалану туралы ереже"
RULES = "АЖ/ЖИ құралдарын бағалау және пайдалану қағидалары"


def _row(change: str, text: str = "Жаңа мәтін.") -> ActAmendment:
    return ActAmendment(clause="8.1", change=change, proposed_text=text, reason="Мониторинг")


def test_title_and_body_decline_the_act_name() -> None:
    order = order_prefill(TITLE, _row("change"))
    assert order["title"] == f"«{TITLE}ге» өзгерістер енгізу туралы"
    assert order["body"].startswith(f"«{TITLE}нің» 8.1-тармағы мынадай редакцияда жазылсын:")
    assert order_prefill(RULES, _row("delete"))["body"] == (
        "«АЖ/ЖИ құралдарын бағалау және пайдалану қағидаларының» 8.1-тармағы алып тасталсын."
    )
    assert order_prefill(RULES, _row("add"))["title"].startswith(
        "«АЖ/ЖИ құралдарын бағалау және пайдалану қағидаларына»"
    )


def test_a_leading_copy_of_the_number_is_dropped() -> None:
    assert without_own_number("8.1", "8.1. Мәтін") == "Мәтін"
    assert without_own_number("8.1", "  8.1 Мәтін ") == "Мәтін"
    assert without_own_number("8.1", "8.10. Мәтін") == "8.10. Мәтін"  # another clause's number stays
    assert without_own_number("8.1", "Мәтін 8.1.") == "Мәтін 8.1."
    assert order_prefill(TITLE, _row("change", "8.1. Жаңа мәтін."))["body"].endswith("«Жаңа мәтін.»")


def test_the_published_clause_does_not_read_its_number_twice() -> None:
    act = parse_act("ЕРЕЖЕ\n8. Инциденттер\n8.1. Ескі мәтін.\n")
    new = apply_change(act, "8.1", "change", "8.1. Жаңа мәтін.")
    clause = new.clause("8.1")
    assert clause is not None and clause.text == "Жаңа мәтін."
