"""Every English msgid in the code has a Kazakh and a Russian translation with the same placeholders.

Messages are extracted at test time with the method map of babel.cfg, so a new `_('…')` without a
translation fails here (fix: pybabel extract + update, translate, compile; see docs/architecture.md).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("kk", "ru")
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


@cache
def extracted() -> dict[str, list[str]]:
    """msgid → where it occurs ("path:line"), as `pybabel extract -F babel.cfg -k lazy_gettext` sees it."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


@cache
def catalog(lang: str) -> Catalog:
    path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), f"{path} is missing: run pybabel init/update (docs/architecture.md)"
    with path.open("rb") as po:
        return read_po(po, locale=lang)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_extraction_sees_templates_and_python() -> None:
    found = extracted()
    assert "Sign in" in found  # templates/auth/login.html
    assert "This field is required." in found  # lazy_gettext in service/web/i18n.py
    assert any(where.startswith("service/") for places in found.values() for where in places)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    cat = catalog(lang)
    problems = []
    for msgid, places in sorted(extracted().items()):
        msg = cat.get(msgid)
        if msg is None:
            problems.append(f"missing: {msgid!r} ({places[0]})")
            continue
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        if msg.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif not all(s and s.strip() for s in strings):
            problems.append(f"empty: {msgid!r} ({places[0]})")
        elif any(placeholders(s) != placeholders(msgid) for s in strings):
            problems.append(f"placeholders differ: {msgid!r} → {strings!r}")
    assert not problems, f"{lang}: " + "; ".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_fuzzy_entries_at_all(lang: str) -> None:
    fuzzy = [m.id for m in catalog(lang) if m.id and m.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy entries {fuzzy}"


def test_pages_the_tests_read() -> None:
    assert catalog("kk").get("Sign in").string == "Кіру"
    assert catalog("ru").get("Sign in").string == "Войти"
    assert catalog("kk").get("My tasks").string == "Менің тапсырмаларым"
    assert catalog("ru").get("My tasks").string == "Мои задачи"
