"""Exports never carry a live formula: risky text becomes text in CSV and in XLSX."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from casework.exports import SafeCsvWriter, csv_cell, xlsx_append

RISKY = ['=HYPERLINK("http://evil.example/","点击")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("value", RISKY)
def test_risky_text_is_quoted_in_csv(value):
    assert csv_cell(value) == "'" + value


def test_plain_values_and_numbers_are_unchanged():
    assert csv_cell("退役士兵") == "退役士兵"
    assert csv_cell(-3) == -3
    assert csv_cell(None) is None


def test_csv_writer_writes_quoted_cells():
    out = io.StringIO()
    SafeCsvWriter(out).writerows([["=1+1", 5, -2]])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "5", "-2"]


def test_xlsx_has_no_formula_cell_after_reload():
    book = Workbook()
    xlsx_append(book.active, [*RISKY, -4, "普通"])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = next(iter(sheet.iter_rows(values_only=False)))
    assert [c.data_type for c in cells] == ["s"] * len(RISKY) + ["n", "s"]
    assert cells[0].value == RISKY[0]
