"""Spreadsheets (XLSX through openpyxl) for reports: one sheet per table, a header row, safe cells.

Text a school typed must never run as a formula (OWASP "CSV injection"). In an XLSX file a cell
is a formula only if it is stored as one: openpyxl stores any text starting with ``=`` as a
formula, so every text cell here is written with the string type, whatever it starts with, and
Excel and LibreOffice show it as typed ("+0.40 SD" stays "+0.40 SD"). Text starting with ``=``
also keeps an apostrophe in front, so that a copy saved as CSV and opened again stays inert.
Numbers stay numbers so they can be summed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """The value for a spreadsheet cell: text starting with ``=`` gets an apostrophe in front
    (it is stored as text in any case: ``_as_text``)."""
    if isinstance(value, str) and value[:1] == "=":
        return "'" + value
    return value


def _as_text(row) -> None:
    """Store every text cell of a row as text, never as a formula."""
    for cell in row:
        if isinstance(cell.value, str):
            cell.data_type = "s"


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    note: str = ""


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX file with one sheet per :class:`Sheet`; an optional note sits above the header."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])  # Excel's limit on a sheet name
        if sheet.note:
            ws.append([safe_cell(sheet.note)])
            _as_text(ws[ws.max_row])
        ws.append([safe_cell(h) for h in sheet.header])
        _as_text(ws[ws.max_row])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([safe_cell(v) for v in row])
            _as_text(ws[ws.max_row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
