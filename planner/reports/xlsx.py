"""The plan as an Excel workbook (汇总, 任务清单, 时间进度表, 达标情况, 经费) or UTF-8 CSV files with a BOM.

Each sheet is ready to file and print: numbers stay numbers (money `0.00` 万元, counts in 人 / m², dates),
合计 / 全市 rows in bold, long text wrapped, the header frozen and filtered, A4 landscape fitted to the
page width with the header rows repeated on every printed page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.plan import write_atomic
from planner.reports.cells import csv_text, keep_text, sheet_value
from planner.reports.tables import Table

MONEY_FORMAT = "0.00"
RATE_FORMAT = "0%"
COUNT_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 40  # wider text wraps


def write_xlsx(tables: list[Table], path: Path) -> None:
    """Frozen header row, bold shaded headers, widths fitted to content, 万元 number format.

    Every text cell is text (cells.keep_text), never a formula. An unverified plan's banner is the
    first row of every sheet and the header of every printed page."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(table.title)
        first = 1
        if table.banner:
            ws.append([sheet_value(table.banner)])
            ws["A1"].font = Font(bold=True, color="C00000")
            ws.oddHeader.center.text = table.banner
            ws.oddHeader.center.color = "C00000"
            first = 2
        ws.append([sheet_value(v) for v in table.header])
        for row in table.rows:
            ws.append([sheet_value(v) for v in row])
        for cells in ws.iter_rows():
            for cell in cells:
                keep_text(cell)
        for cell in ws[first]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.freeze_panes = f"A{first + 1}"
        _formats(ws, table, first)
        _widths(ws, table, first)
        _print_and_filter(ws, table, first)
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(path, buf.getvalue())


def _formats(ws: Worksheet, table: Table, first: int) -> None:
    formats = ((table.money_columns, MONEY_FORMAT), (table.rate_columns, RATE_FORMAT),
               (table.count_columns, COUNT_FORMAT), (table.date_columns, DATE_FORMAT))
    for columns, fmt in formats:
        for col in columns:
            for (cell,) in ws.iter_rows(min_row=first + 1, min_col=col + 1, max_col=col + 1):
                cell.number_format = fmt
    for row in ws.iter_rows(min_row=ws.max_row - table.totals + 1) if table.totals else ():
        for cell in row:
            cell.font = Font(bold=True)


def _widths(ws: Worksheet, table: Table, first: int) -> None:
    """Widths fitted to content up to MAX_WIDTH; a column with longer text wraps."""
    for i, name in enumerate(table.header, start=1):
        values = [name] + [row[i - 1] for row in table.rows]
        width = max(_display_width(_shown(v)) for v in values) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, width))
        if width > MAX_WIDTH or any(isinstance(v, str) and "\n" in v for v in values):
            for (cell,) in ws.iter_rows(min_row=first + 1, min_col=i, max_col=i):
                cell.alignment = Alignment(vertical="top", wrap_text=True)


def _print_and_filter(ws: Worksheet, table: Table, first: int) -> None:
    """A4 landscape, one page wide, header rows (and the banner) on every page; a filter over the
    records (not the 合计 rows, which a sort would move)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{first}"
    last = max(first, ws.max_row - table.totals)
    ws.auto_filter.ref = f"A{first}:{get_column_letter(len(table.header))}{last}"


def _shown(value: object) -> str:
    """The text a cell shows, for its width: dates as yyyy-mm-dd, money with 2 decimals."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def write_csv(tables: list[Table], folder: Path) -> list[Path]:
    """One CSV per table (cells.csv_text: BOM, neutralised fields); an unverified plan's banner is
    the first line of every file."""
    out = []
    for table in tables:
        rows = ([[table.banner]] if table.banner else []) + [table.header] + table.rows
        path = csv_path(table, folder)
        write_atomic(path, csv_text(rows[0], rows[1:]))
        out.append(path)
    return out


def _display_width(text: str) -> int:
    """Wide (CJK) characters take two columns in Excel's default font."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def csv_path(table: Table, folder: Path) -> Path:
    return folder / f"{table.title}.csv"


def csv_paths(tables: list[Table], folder: Path) -> list[Path]:
    return [csv_path(t, folder) for t in tables]
