"""Reading .csv and .xlsx files into header and rows, safely: encodings, size caps, title rows, unsaved formulas."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from itertools import zip_longest
from pathlib import Path
from typing import Any

from planner.errors import ScenarioError, ScenarioIssue, excerpt
from planner.i18n import tr
from planner.io.office_columns import HEADER_ALIASES, REQUIRED_COLUMNS


def _check_title_row(display: str, first: list[Any], row: list[Any], line: int) -> None:
    """Refuse a title (one cell, e.g. 2022年司法所基本情况表) above the header, naming the header's line.

    Called for the first few lines under line 1; a line that names required columns is the header."""
    if sum(1 for c in first if c not in (None, "") and str(c).strip()) > 1:
        return
    names = {str(c).strip() for c in row if c is not None}
    if sum(1 for n in names if n in REQUIRED_COLUMNS or HEADER_ALIASES.get(n) in REQUIRED_COLUMNS) >= 2:
        raise ScenarioError([ScenarioIssue(display, 1, "", tr(
            f"第 1 行是表头上方的标题（列名在第 {line} 行）：请删除标题行，使表头位于第 1 行",
            f"line 1 is a title above the header (the column names are on line {line}): delete it, so "
            "that the header is the first line"))])


TITLE_LINES = 5  # how far below line 1 a header under a title is looked for


def read_csv(path: Path, display: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and rows (line, cells) of a UTF-8 or GBK CSV file; blank rows are skipped."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise ScenarioError([ScenarioIssue(display, None, "", tr("二进制文件，不是 CSV 表格",
                                                                  "binary file, not a CSV table"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # Excel on Chinese Windows saves CSV as GBK
        except UnicodeDecodeError:
            raise ScenarioError([ScenarioIssue(display, None, "", tr(
                "不是 UTF-8 或 GBK 文本：请在 Excel 中将表格另存为“CSV UTF-8（逗号分隔）”",
                "not UTF-8 or GBK text: save the table as 'CSV UTF-8' from Excel"))])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        all_rows = list(reader)
    except csv.Error as exc:
        raise ScenarioError([ScenarioIssue(display, reader.line_num, "", tr(f"CSV 格式错误：{_csv_error_zh(exc)}",
                                                                             f"CSV error: {exc}"))])
    if not all_rows:
        raise ScenarioError([ScenarioIssue(display, 1, "", tr("表格为空", "table is empty"))])
    header = all_rows[0]
    for n, row in enumerate(all_rows[1:TITLE_LINES + 1], start=2):
        _check_title_row(display, header, row, n)
    rows = []
    for n, row in enumerate(all_rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise ScenarioError([ScenarioIssue(display, n, column_number(len(header)), tr(
                f"该行有 {len(row)} 个单元格，表头只有 {len(header)} 个",
                f"row has {len(row)} cells but the header {len(header)}"))])
        rows.append((n, row + [""] * (len(header) - len(row))))
    return header, rows


MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # bytes, as the zip declares them; zipfile reads no more
MAX_CELLS = 2_000_000  # rows × columns read from the first worksheet


def check_workbook_size(path: Path, display: str, limit: int | None = None) -> None:
    """Refuse an .xlsx whose parts unpack to more than `limit` (200 MB), before openpyxl reads any of it.

    A sheet of 8 MB can unpack to gigabytes (no `<dimension>`, millions of empty cells); the zip
    directory declares each part's size, and Python's zipfile never inflates past what is declared.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ScenarioError([ScenarioIssue(display, None, "", tr(
            f"不是可读取的 .xlsx 工作簿（{exc}）", f"not a readable .xlsx workbook ({exc})"))])
    limit = MAX_XLSX_UNPACKED if limit is None else limit
    if total > limit:
        raise ScenarioError([ScenarioIssue(display, None, "", tr(
            f"工作簿解压后 {total // 1_048_576} MB，超过上限 {limit // 1_048_576} MB",
            f"the workbook unpacks to {total // 1_048_576} MB; the limit is {limit // 1_048_576} MB"))])


def open_workbook(path: Path, display: str, data_only: bool) -> Any:
    """An .xlsx opened read-only within the size cap (values, or formulas when not `data_only`)."""
    import openpyxl  # lazy: start-up (openpyxl: ~0.25 s; every command loads this module)

    check_workbook_size(path, display)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise ScenarioError([ScenarioIssue(display, None, "", tr(
            f"不是可读取的 .xlsx 工作簿（{excerpt(str(exc))}）",
            f"not a readable .xlsx workbook ({excerpt(str(exc))})"))])


def sheet_rows(ws: Any, display: str) -> Any:
    """A read-only worksheet's rows of values, every row whatever `<dimension>` says, within MAX_CELLS.

    Excel and other writers leave a stale `<dimension ref="A1:Q3">`; openpyxl's read-only mode would
    stop at row 3 and silently drop the offices below."""
    ws.reset_dimensions()
    cells = 0
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        cells += max(len(row), 1)
        if cells > MAX_CELLS:
            raise ScenarioError([ScenarioIssue(display, n, "", tr(
                f"工作表超过 {MAX_CELLS:,} 个单元格（到第 {n} 行为止）；司法所表每所一行即可",
                f"the worksheet holds more than {MAX_CELLS:,} cells (by row {n}); an office table needs "
                "one row per office"))])
        yield row


Unsaved = list[tuple[int, int, str, str]]  # formula cells without a value: line, column, sheet!cell, formula


def read_xlsx(path: Path, display: str) -> tuple[list[str], list[tuple[int, list[Any]]], Unsaved]:
    """Header, rows (line, cells) and the formula cells without a saved value.

    Read twice: the saved values, and the formulas. A workbook written by a script (or saved without
    calculating) has formulas and no values; those cells are read as empty and each is named."""
    values, formulas = open_workbook(path, display, True), open_workbook(path, display, False)
    ws, fs = values.worksheets[0], formulas.worksheets[0]
    header: list[str] = []
    rows = []
    unsaved: Unsaved = []
    for n, (row, frow) in enumerate(zip_longest(sheet_rows(ws, display), sheet_rows(fs, display), fillvalue=()),
                                    start=1):
        for col, (value, formula) in enumerate(zip_longest(row, frow)):
            if value is None and formula is not None:  # only a formula reads differently in the two
                unsaved.append((n, col, f"{ws.title}!{column_letter(col)}{n}", str(getattr(formula, "text", formula))))
        if 1 < n <= TITLE_LINES + 1:
            _check_title_row(display, header, list(row), n)
        if n == 1:
            header = ["" if c is None else str(c) for c in row]
            while header and header[-1] == "":
                header.pop()
            continue
        cells = list(row[: len(header)])
        if any(c not in (None, "") for c in row[len(header):]):
            raise ScenarioError([ScenarioIssue(display, n, column_number(len(header)), tr(
                "表头为空的列中填了内容（是否合并了表头单元格？）",
                "cell under an empty header (merged header cells?)"))])
        if all(c in (None, "") for c in cells):
            continue
        rows.append((n, cells + [None] * (len(header) - len(cells))))
    values.close()
    formulas.close()
    if not header and not rows:
        raise ScenarioError([ScenarioIssue(display, 1, "", tr("工作表为空", "worksheet is empty"))])
    return header, rows, unsaved


def cell_value(cell: Any) -> Any:
    """A cell as read: a whole float as an int, text stripped, an empty or blank cell as None."""
    if cell is None:
        return None
    if isinstance(cell, float):
        if math.isfinite(cell) and cell == int(cell):
            return int(cell)
        return cell
    if isinstance(cell, (int, bool)):
        return cell
    text = str(cell).strip()
    return text if text else None


def column_number(index: int) -> str:
    """0 → "column 1" (第 1 列): a column named by its place, for a field name."""
    return tr(f"第 {index + 1} 列", f"column {index + 1}")


def _csv_error_zh(exc: csv.Error) -> str:
    """The csv module's refusal in Chinese where it is the one a table can meet (a cell over its size limit)."""
    limit = re.fullmatch(r"field larger than field limit \((\d+)\)", str(exc))
    return f"单元格超过 {int(limit[1]):,} 个字符的上限" if limit else str(exc)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: as Excel labels the column."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out
