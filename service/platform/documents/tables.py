"""Registers and lists as spreadsheets and PDF tables (XLSX by openpyxl, PDF by fpdf2)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from service.platform.documents.fonts import FAMILY, printable
from service.platform.documents.pdf import Margins, new_pdf
from service.platform.documents.pdf_text import write_line

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection, OWASP):
# people's text (an order's title, an incident's description) must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Dates in a table have one short form (issue 15 item 9): 04.12.2026, 04.12.2026 09:05.
CSV_DATE, CSV_MOMENT = "%d.%m.%Y", "%d.%m.%Y %H:%M"
XLSX_DATE, XLSX_MOMENT = "DD.MM.YYYY", "DD.MM.YYYY HH:MM"


def _as_text(value: object) -> object:
    """User text that a spreadsheet would run as a formula, made inert by a leading apostrophe; a date
    (already in the school's zone) in the tables' short form."""
    if isinstance(value, datetime):
        return value.strftime(CSV_MOMENT)
    if isinstance(value, date):
        return value.strftime(CSV_DATE)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The table as CSV, with a BOM so that Excel opens the Kazakh text as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in header])  # lazily translated headers become text here
    writer.writerows([_as_text(v) for v in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def xlsx(
    title: str,
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int | None] = (),
) -> bytes:
    """The table as one sheet: a bold header, real date cells; a column's width from `widths` (None or
    missing: fitted to its longest cell, between 10 and 60)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):  # a real date cell, shown in the short form
                cell.value = cell.value.replace(tzinfo=None)
                cell.number_format = XLSX_MOMENT
            elif isinstance(cell.value, date):
                cell.number_format = XLSX_DATE
            if isinstance(cell.value, str):
                # openpyxl stores a string starting with "=" as a formula; a string cell stays text.
                cell.data_type = "s"
    for index, column in enumerate(sheet.columns):
        fixed = widths[index] if index < len(widths) else None
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = fixed or min(60, max(10, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_table(
    heading: str,
    subheading: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    *,
    created: datetime | None,
) -> bytes:
    """A titled table on A4 with Kazakh text, e.g. the acknowledgement form (келісу формасы).

    `created` is the latest moment the rows show (e.g. the last acknowledgement), so the same table
    renders to the same bytes; None for a table with no such moment yet.
    """
    # 10 mm margins (fpdf2's own), which the callers' column widths were measured against.
    pdf = new_pdf(heading, created=created, margins=Margins(left=10, top=10, right=10))
    pdf.add_page()
    write_line(pdf, heading, size=13, style="B", align="C", h=8)
    write_line(pdf, subheading, size=10, align="C", h=6)
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 9)
    with pdf.table(col_widths=tuple(widths), first_row_as_headings=True) as table:
        table.row([printable(text) for text in header])
        for row in rows:
            table.row([printable(text) for text in row])
    return bytes(pdf.output())
