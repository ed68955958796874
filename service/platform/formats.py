"""Dates and numbers as the school writes them, through Babel: one short form for tables and lists
("04.12.2026", "04.12.2026 09:05"), one long form for documents ("2026 жылғы 4 желтоқсан",
"4 декабря 2026 г."), and a decimal comma in Kazakh and Russian ("3,5")."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

# CLDR's Kazakh short form has a two-digit year ("04.12.26") and its medium form abbreviates the
# month after the year ("2026 ж. 04 жел."): the school writes neither. Russian's short form is right.
SHORT_DATE = {"kk": "dd.MM.yyyy", "ru": "dd.MM.yyyy"}
SHORT_DATETIME = {"kk": "dd.MM.yyyy HH:mm", "ru": "dd.MM.yyyy HH:mm"}
LONG_DATE = {"kk": "y 'жылғы' d MMMM"}  # "2026 жылғы 4 желтоқсан", as official letters date


def short_date(value: date | None, lang: str) -> str:
    if value is None:
        return "—"
    return format_date(value, SHORT_DATE.get(lang, "medium"), locale=lang)


def long_date(value: date | None, lang: str) -> str:
    if value is None:
        return "—"
    return format_date(value, LONG_DATE.get(lang, "long"), locale=lang).replace("\u202f", " ")


def short_datetime(value: datetime | None, lang: str, tz: tzinfo | None = None) -> str:
    if value is None:
        return "—"
    return format_datetime(value, SHORT_DATETIME.get(lang, "short"), tzinfo=tz, locale=lang)


def decimal(value: float | None, lang: str, digits: int = 1) -> str:
    """A fraction with `digits` places and the language's separator: "3,5" (kk, ru), "3.5" (en)."""
    if value is None:
        return "—"
    return format_decimal(value, "#,##0." + "0" * digits if digits else "#,##0", locale=lang)
