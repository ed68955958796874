"""A register's CSV or XLSX from its declared columns (`registry.ExportTable`), whatever the feature.

A feature's export route fetches its rows (its use case authorizes the reader) and hands them here; the
headers are read in the downloader's language (or `language`), each row gives its cells through the
columns' `value`, datetimes of a dated column land in the school's time zone, and
`platform/documents/tables` writes the bytes: CSV in UTF-8 with a BOM (Excel then reads Kazakh
correctly), XLSX with a bold header and real date cells; formula-like text stays text in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from flask import Response
from flask_babel import force_locale

from service.platform.documents import tables
from service.platform.documents.files import ProducedFile
from service.platform.errors import NotFound
from service.platform.registry import ExportColumn, ExportTable
from service.platform.web.context import runtime
from service.platform.web.downloads import attachment

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": tables.XLSX_MIMETYPE}


def cell(column: ExportColumn, row: Any, tz: tzinfo) -> object:
    """One cell: the column's value of the row, a code by its name, a datetime in the school's zone."""
    value = column.value(row) if column.value is not None else row[column.key]
    if column.labels is not None:
        return str(column.labels.get(str(value), value))
    if isinstance(value, datetime) and column.kind != "text":
        local = value.astimezone(tz)
        if column.kind == "date":
            return local.date()
        if column.kind == "time":
            return local.strftime("%H:%M")
        return local
    return value


def table_file(
    table: ExportTable,
    rows: Iterable[Any],
    fmt: str,
    tz: tzinfo,
    *,
    language: str | None = None,
    filename: str | None = None,
    sheet: object = None,
) -> ProducedFile:
    """The rows as `fmt` ("csv" or "xlsx"), headed in `language` (None: the request's own)."""
    if fmt not in FORMATS:
        raise NotFound("no such export format")
    if language is None:
        return _written(table, rows, fmt, tz, filename, sheet)
    with force_locale(language):
        return _written(table, rows, fmt, tz, filename, sheet)


def _written(
    table: ExportTable, rows: Iterable[Any], fmt: str, tz: tzinfo, filename: str | None, sheet: object
) -> ProducedFile:
    header = [str(c.header) for c in table.columns]  # lazily translated headers become text here
    cells = [[cell(c, row, tz) for c in table.columns] for row in rows]
    name = f"{filename or table.filename}.{fmt}"
    if fmt == "csv":
        return ProducedFile(name, tables.csv_text(header, cells).encode(), FORMATS[fmt])
    title = str(sheet if sheet is not None else (table.sheet or table.filename))
    content = tables.xlsx(title, header, cells, [c.width for c in table.columns])
    return ProducedFile(name, content, FORMATS[fmt])


def export(name: str, rows: Iterable[Any], fmt: str, **names: Any) -> Response:
    """The download of the registered export `name` (a `Feature.export_tables` key) in this request."""
    table = runtime().features.export_tables[name]
    return download(table, rows, fmt, **names)


def download(table: ExportTable, rows: Iterable[Any], fmt: str, **names: Any) -> Response:
    """The download of a table, registered or built for this request (a survey's questions)."""
    produced = table_file(table, rows, fmt, runtime().tz, **names)
    return attachment(produced.content, produced.mimetype, produced.filename)
