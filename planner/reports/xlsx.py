"""The plan as an Excel workbook (汇总, 任务清单, 时间进度表, 达标情况, 经费) or UTF-8 CSV files with a BOM."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.plan import write_atomic
from planner.reports.tables import Table

MONEY_FORMAT = "#,##0.0000"
RATE_FORMAT = "0%"


def write_xlsx(tables: list[Table], path: Path) -> None:
    """Frozen header row, bold shaded headers, widths fitted to content, 万元 number format."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(table.title)
        ws.append(table.header)
        for row in table.rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.freeze_panes = "A2"
        for columns, fmt in ((table.money_columns, MONEY_FORMAT), (table.rate_columns, RATE_FORMAT)):
            for col in columns:
                for (cell,) in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
                    cell.number_format = fmt
        for i, name in enumerate(table.header, start=1):
            values = [name] + [row[i - 1] for row in table.rows]
            width = max(_display_width(str(v)) for v in values)
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(path, buf.getvalue())


def write_csv(tables: list[Table], folder: Path) -> list[Path]:
    """One CSV per table, UTF-8 with a BOM so that Excel opens the Chinese correctly."""
    out = []
    for table in tables:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(table.header)
        w.writerows(table.rows)
        path = folder / f"{table.title}.csv"
        write_atomic(path, "\ufeff" + buf.getvalue())
        out.append(path)
    return out


def _display_width(text: str) -> int:
    """Wide (CJK) characters take two columns in Excel's default font."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
