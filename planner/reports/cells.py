"""User text in spreadsheets stays text: the one place every CSV and workbook writer goes through.

Office names, ids, counties and file names come from the user. A cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return is a formula to Excel and LibreOffice (DDE such as
`=cmd|' /C calc'!A0`, or `=HYPERLINK(...)` leaking data). Following the OWASP CSV-injection
guidance, such a CSV field gets a leading `'`; a workbook cell is written as a string (never `<f>`)
with Excel's quote prefix, so it is shown exactly as typed and stays text when edited.
CSV is written as UTF-8 with a BOM, so Excel on Chinese Windows reads the Chinese correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_field(value: Any) -> Any:
    """A CSV field: text that a spreadsheet would run as a formula gets a leading `'`."""
    return "'" + value if is_formula_like(value) else value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """A whole CSV document (BOM, header, rows), every field neutralised."""
    buf = io.StringIO()
    write_csv(buf, header, rows)
    return buf.getvalue()


def write_csv(stream: IO[str], header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """BOM, header and rows onto a text stream (a file, or stdout for `--csv`)."""
    stream.write(BOM)
    w = csv.writer(stream)
    w.writerow([csv_field(v) for v in header])
    for row in rows:
        w.writerow([csv_field(v) for v in row])


def sheet_value(value: Any) -> Any:
    """Text a workbook can hold: control characters Excel rejects shown as `\\x1b`."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


def keep_text(cell: Cell) -> None:
    """A string cell stays a string: openpyxl would store `=…` as a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_formula_like(cell.value):
            cell.quotePrefix = True
