"""Registers' exports come from declared columns (`Feature.export_tables`) through one platform writer:
CSV (UTF-8 with a BOM) and XLSX read back with the same headers, in the language asked, and every
declared column is headed in Kazakh and Russian, never in its English msgid (issue 12)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_babel import Babel, force_locale, lazy_gettext
from openpyxl import load_workbook

from service.features import FEATURES
from service.platform.registry import ExportColumn, ExportTable, Registry
from service.platform.web.exports import table_file

ROOT = Path(__file__).resolve().parents[2]
ALMATY = ZoneInfo("Asia/Almaty")

TABLE = ExportTable(
    filename="orders",
    columns=(
        ExportColumn("number", lazy_gettext("Number")),
        ExportColumn("title", lazy_gettext("Title"), lambda r: r["title"].upper(), width=40),
        ExportColumn("date", lazy_gettext("Date"), kind="date"),
        ExportColumn("time", lazy_gettext("Time"), kind="time"),
        ExportColumn("approved", lazy_gettext("Minutes approved"), kind="moment"),
    ),
)
# 20:30 UTC on the 4th is 01:30 (UTC+5) on the 5th in Almaty: the cells show the school's day and time.
MOMENT = datetime(2026, 12, 4, 20, 30, tzinfo=UTC)
ROWS = [
    {"number": "12/Ж", "title": "бұйрық", "date": MOMENT, "time": MOMENT, "approved": MOMENT},
    {"number": "", "title": "=1+1", "date": date(2026, 1, 2), "time": "", "approved": ""},
]
ENGLISH = ["Number", "Title", "Date", "Time", "Minutes approved"]


@pytest.fixture
def babel_app() -> Iterator[Flask]:
    app = Flask("export-tables")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    Babel(app)
    with app.test_request_context():
        yield app


def _headers(lang: str) -> list[str]:
    with force_locale(lang):
        return [str(c.header) for c in TABLE.columns]


@pytest.mark.usefixtures("babel_app")
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_csv_has_a_bom_translated_headers_and_local_cells(lang: str) -> None:
    produced = table_file(TABLE, ROWS, "csv", ALMATY, language=lang)
    assert produced.filename == "orders.csv"
    assert produced.mimetype == "text/csv; charset=utf-8"
    assert produced.content.startswith("\ufeff".encode())  # Excel then opens Kazakh as UTF-8
    rows = list(csv.reader(io.StringIO(produced.content.decode("utf-8").removeprefix("\ufeff"))))
    assert rows[0] == _headers(lang)
    assert not set(rows[0]) & set(ENGLISH)
    assert rows[1] == ["12/Ж", "БҰЙРЫҚ", "05.12.2026", "01:30", "05.12.2026 01:30"]
    assert rows[2] == ["", "'=1+1", "02.01.2026", "", ""]  # a formula stays text


@pytest.mark.usefixtures("babel_app")
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_xlsx_reads_back_with_translated_headers_dates_and_widths(lang: str) -> None:
    produced = table_file(TABLE, ROWS, "xlsx", ALMATY, language=lang, sheet="Бұйрықтар")
    assert produced.filename == "orders.xlsx"
    sheet = load_workbook(io.BytesIO(produced.content)).active
    assert sheet is not None
    assert sheet.title == "Бұйрықтар"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == _headers(lang)
    assert all(cell.font.bold for cell in sheet[1])
    assert values[1][:4] == ["12/Ж", "БҰЙРЫҚ", datetime(2026, 12, 5), "01:30"]
    assert values[1][4] == datetime(2026, 12, 5, 1, 30)  # a real date cell, local time
    assert sheet["E2"].number_format == "DD.MM.YYYY HH:MM"
    assert sheet["B3"].data_type == "s" and sheet["B3"].value == "=1+1"
    assert sheet.column_dimensions["B"].width == 40  # declared
    assert 10 <= (sheet.column_dimensions["A"].width or 0) <= 60  # fitted


@pytest.mark.usefixtures("babel_app")
def test_the_sheet_is_named_after_the_table_unless_told() -> None:
    sheet = load_workbook(io.BytesIO(table_file(TABLE, [], "xlsx", ALMATY).content)).active
    assert sheet is not None and sheet.title == "orders"


@pytest.mark.usefixtures("babel_app")
def test_a_labelled_column_names_codes_in_the_language_asked() -> None:
    statuses = {"registered": lazy_gettext("registered")}
    table = ExportTable(
        columns=(ExportColumn("status", lazy_gettext("Status"), labels=statuses),), filename="s"
    )
    rows = [{"status": "registered"}, {"status": "unknown"}]
    text = table_file(table, rows, "csv", ALMATY, language="ru").content.decode("utf-8")
    with force_locale("ru"):
        assert text.splitlines()[1:] == [str(statuses["registered"]), "unknown"]
    with force_locale("ru"):
        assert str(statuses["registered"]) != "registered"  # the code became a Russian word


def test_a_column_declared_twice_or_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        ExportTable(columns=(ExportColumn("a", "A"), ExportColumn("a", "B")), filename="x")
    with pytest.raises(ValueError, match="kind"):
        ExportColumn("a", "A", kind="money")


def test_features_declare_their_registers() -> None:
    assert set(Registry(FEATURES).export_tables) >= {
        "orders",
        "incidents",
        "plan",
        "consultations",
        "meetings",
    }


@pytest.mark.usefixtures("babel_app")
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_declared_export_is_headed_in_kazakh_and_russian(lang: str) -> None:
    untranslated = []
    for name, table in Registry(FEATURES).export_tables.items():
        for column in table.columns:
            with force_locale("en"):
                english = str(column.header)
            with force_locale(lang):
                text = str(column.header)
            if not text.strip() or text == english:
                untranslated.append(f"{name}.{column.key}: {text!r}")
    assert not untranslated, f"{lang}: " + ", ".join(untranslated)
