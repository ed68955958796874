"""Dates and numbers as the school writes them: one short form in tables, one long in documents."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from service.platform.formats import decimal, long_date, short_date, short_datetime

DAY = date(2026, 12, 4)


def test_short_and_long_dates_per_language() -> None:
    assert short_date(DAY, "kk") == "04.12.2026"  # not CLDR's "04.12.26" nor "2026 ж. 04 жел."
    assert short_date(DAY, "ru") == "04.12.2026"
    assert long_date(DAY, "kk") == "2026 жылғы 4 желтоқсан"
    assert long_date(DAY, "ru") == "4 декабря 2026 г."
    assert long_date(DAY, "en") == "December 4, 2026"
    assert short_date(None, "kk") == "—"


def test_moments_are_shown_in_the_schools_zone() -> None:
    moment = datetime(2026, 12, 4, 20, 5, tzinfo=UTC)
    assert short_datetime(moment, "kk", ZoneInfo("Asia/Almaty")) == "05.12.2026 01:05"


def test_decimal_comma_in_kazakh_and_russian() -> None:
    assert decimal(0.0, "kk") == "0,0" and decimal(3.46, "ru") == "3,5" and decimal(3.5, "en") == "3.5"
    assert decimal(1234.5, "kk") != "1234.5" and "," in decimal(1234.5, "kk")


def test_page_filters_use_the_short_form(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        assert app.jinja_env.filters["d"](DAY) == "04.12.2026"
        assert app.jinja_env.filters["num"](0.0) == "0,0"
        assert app.jinja_env.filters["long_date"](DAY) == "4 декабря 2026 г."


def test_tables_write_dates_in_the_short_form_and_xlsx_as_real_dates() -> None:
    import csv as csv_module
    import io

    from openpyxl import load_workbook

    from service.platform.documents.tables import csv_text, xlsx

    moment = datetime(2026, 12, 4, 9, 5, tzinfo=ZoneInfo("Asia/Almaty"))
    rows = list(
        csv_module.reader(io.StringIO(csv_text(["Күні", "Уақыты"], [[DAY, moment]]).lstrip("\ufeff")))
    )
    assert rows[1] == ["04.12.2026", "04.12.2026 09:05"]
    sheet = load_workbook(io.BytesIO(xlsx("t", ["Күні", "Уақыты"], [[DAY, moment]]))).active
    assert sheet is not None
    day, at = sheet["A2"], sheet["B2"]
    assert day.value.date() == DAY and day.number_format == "DD.MM.YYYY"
    assert at.value == datetime(2026, 12, 4, 9, 5) and at.number_format == "DD.MM.YYYY HH:MM"
