"""The plan as an Excel workbook (汇总, 任务清单, 时间进度表, 达标情况, 经费) or UTF-8 CSV files with a BOM."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.plan import write_atomic
from planner.reports.cells import csv_text, keep_text, sheet_value
from planner.reports.tables import Table

MONEY_FORMAT = "#,##0.0000"
RATE_FORMAT = "0%"


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
        for columns, fmt in ((table.money_columns, MONEY_FORMAT), (table.rate_columns, RATE_FORMAT)):
            for col in columns:
                for (cell,) in ws.iter_rows(min_row=first + 1, min_col=col + 1, max_col=col + 1):
                    cell.number_format = fmt
        for i, name in enumerate(table.header, start=1):
            values = [name] + [row[i - 1] for row in table.rows]
            width = max(_display_width(str(v)) for v in values)
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(path, buf.getvalue())


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
