"""The diff between two editions marks exactly the changed words, Kazakh included."""

from __future__ import annotations

import re

from service.platform.documents.textdiff import Piece, word_diff


def changed_words(pieces: list[Piece]) -> tuple[list[str], list[str]]:
    """(inserted words, deleted words): what a reader would call the change."""
    inserted = [w for p in pieces if p.op == "insert" for w in re.findall(r"\w+", p.text)]
    deleted = [w for p in pieces if p.op == "delete" for w in re.findall(r"\w+", p.text)]
    return inserted, deleted


def test_exactly_the_changed_words() -> None:
    old = "Мұғалімдер жасанды интеллект құралдарын ашық пайдаланады."
    new = "Мұғалімдер жасанды интеллект құралдарын ашық және қауіпсіз пайдаланады."
    pieces = word_diff(old, new)
    assert changed_words(pieces) == (["және", "қауіпсіз"], [])
    assert "".join(p.text for p in pieces if p.op != "delete") == new
    assert "".join(p.text for p in pieces if p.op != "insert") == old


def test_replacement_is_a_deletion_and_an_insertion() -> None:
    pieces = word_diff("Бұйрық күшіне енеді 1 қыркүйектен.", "Бұйрық күшіне енеді 15 қыркүйектен.")
    assert changed_words(pieces) == (["15"], ["1"])
    assert Piece("delete", "1") in pieces and Piece("insert", "15") in pieces


def test_line_breaks_and_empty_texts() -> None:
    assert changed_words(word_diff("", "Жаңа мәтін")) == (["Жаңа", "мәтін"], [])
    pieces = word_diff("бір\nекі", "бір\nекі\nүш")
    assert changed_words(pieces) == (["үш"], [])
    assert word_diff("same", "same") == [Piece("same", "same")]
