"""Spreadsheet exports (CSV, XLSX) that never carry a live formula.

A subject such as ``=HYPERLINK("http://evil", "点击")`` typed by an applicant would otherwise run
as a formula when a supervisor opens the export (CSV/formula injection, OWASP). Every export
writes its cells through these helpers, so a cell starting with =, +, -, @, tab or CR is text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from _typeshed import SupportsWrite
    from openpyxl.worksheet.worksheet import Worksheet

# Spreadsheet programs start a formula (or DDE call) with these characters.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_is_risky(value: object) -> TypeGuard[str]:
    """True for a text value that a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: object) -> object:
    """The value as a CSV cell: risky text gets a leading apostrophe, which spreadsheet
    programs read as "this is text" (numbers, including negative ones, stay numbers)."""
    return "'" + value if cell_is_risky(value) else value


class SafeCsvWriter:
    """A ``csv.writer`` whose rows always pass through ``csv_cell``."""

    def __init__(self, stream: SupportsWrite[str]) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Sequence[object]) -> None:
        self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_append(sheet: Worksheet, row: Sequence[object]) -> None:
    """Append a row to an openpyxl worksheet; risky text is stored as a string cell with
    Excel's quote prefix, never as a formula (openpyxl makes any "=..." string a formula)."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if cell_is_risky(cell.value) or cell.data_type == "f":
            cell.data_type = "s"
            cell.quotePrefix = True
