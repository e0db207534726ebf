"""Office tables (.csv / .xlsx, docs/reference.md §8): one row per office, dotted column names.

Bureaus keep office data in Excel with Chinese headers, so the common Chinese headers are accepted
too (docs/scenario.md lists them), as are the standard's Chinese role and caseload names.
"""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path
from typing import Any

from planner.errors import EXCERPT_CHARS, ScenarioError, ScenarioIssue, excerpt
from planner.i18n import tr
from planner.io.standards import Standard
from planner.io.yamlsrc import MAX_FILE_BYTES, SourceMap

# Chinese header → field name (docs/reference.md §8).
HEADER_ALIASES: dict[str, str] = {
    "编号": "id", "代码": "id", "名称": "name", "司法所": "name", "乡镇街道": "name",
    "县区": "county", "县(市、区)": "county", "县（市、区）": "county", "所属县区": "county",
    "地级市": "city", "设区市": "city", "所属地级市": "city", "所属市": "city", "省": "province", "省份": "province",
    "所属省份": "province",
    "类型": "kind", "常住人口": "population", "人口": "population",
    "面积": "area_km2", "辖区面积": "area_km2", "面积(平方公里)": "area_km2",
    "GDP排名": "gdp_rank", "经济排名": "gdp_rank", "法治需求": "demand",
    "类别": "tier", "分类": "tier", "业务用房面积": "floor_area_m2", "业务用房": "floor_area_m2",
    "功能室": "facilities", "已有功能室": "facilities", "标准化建设考核分": "attributes.score",
}
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "kind": {"镇": "township", "乡": "township", "乡镇": "township", "街道": "subdistrict"},
    "demand": {"高": "high", "量大": "high", "中": "medium", "较大": "medium", "低": "low"},
    "tier": {"大型": "large", "中型": "medium", "小型": "small", "大": "large", "中": "medium", "小": "small"},
}
LIST_FIELDS = {"facilities", "generated"}
# Office fields a table column may hold as one cell; `staff`, `caseload` and `attributes` take a
# dotted sub-name; housing options (a list of records) do not fit one row.
PLAIN_COLUMNS = ("id", "name", "county", "city", "province", "kind", "population", "area_km2", "gdp_rank",
                 "demand", "tier",
                 "floor_area_m2", "facilities", "generated")
REQUIRED_COLUMNS = ("id", "name", "county", "kind")


def header_map(standard: Standard) -> dict[str, str]:
    """Every accepted header → dotted field, incl. the standard's Chinese role/caseload names."""
    out = dict(HEADER_ALIASES)
    for role, named in standard.roles.items():
        out[named.name_zh] = f"staff.{role}"
        out.setdefault(_UNIT.sub("", named.name_zh), f"staff.{role}")  # 专职社区矫正社会工作者 without （警辅）
    for fld, named in standard.caseload_fields.items():
        out[named.name_zh] = f"caseload.{fld}"
    for attr, named in standard.attributes.items():
        out[named.name_zh] = f"attributes.{attr}"
    return out


_UNIT = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def _field_for(header: str, aliases: dict[str, str]) -> str:
    """The field a header names: as written, else without spaces or a trailing unit in brackets.

    Spreadsheets say `常住人口（人）`, `面积 (平方公里)` or `专职社区矫正社会工作者(警辅)`; all are meant.
    """
    h = header.strip()
    for candidate in (h, re.sub(r"\s+", "", h), _UNIT.sub("", h), _UNIT.sub("", re.sub(r"\s+", "", h))):
        if candidate in aliases:
            return aliases[candidate]
    return h


def read_office_table(path: Path, display: str, standard: Standard) -> tuple[list[dict[str, Any]], SourceMap]:
    """Rows of an office table as nested dicts ready for the `Office` model, with a line map.

    The line map records, for path ("offices", i, *field), the table row (header = line 1) so
    errors read `offices.csv:5: staff.mediators: ...`.
    """
    if not path.exists():
        raise ScenarioError([ScenarioIssue(display, None, "offices", "office table not found")])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError([ScenarioIssue(display, None, "offices", "office table larger than 20 MB")])
    suffix = path.suffix.lower()
    unsaved: Unsaved = []
    if suffix == ".csv":
        header, rows = _read_csv(path, display)
    elif suffix in (".xlsx", ".xlsm"):
        header, rows, unsaved = _read_xlsx(path, display)
    else:
        raise ScenarioError([ScenarioIssue(display, None, "offices",
                                           "office table must be a .csv or .xlsx file")])
    offices, smap, columns = offices_from_rows(header, rows, display, standard)
    for line, col, where, formula in unsaved:
        field = ".".join(str(k) for k in columns[col]) if col < len(columns) else where
        smap.warnings.append(ScenarioIssue(display, line, field, tr(
            f"{where} 的公式 {excerpt(formula)} 没有保存的计算结果，按空单元格读取；"
            "请在 Excel 中打开并保存，或直接填写数值",
            f"{where}: formula {excerpt(formula)} has no saved value and is read as empty; open and save the "
            "workbook in Excel, or type the value")))
    return offices, smap


def offices_from_rows(header: list[str], rows: list[tuple[int, list[Any]]], display: str,
                      standard: Standard) -> tuple[list[dict[str, Any]], SourceMap, list[list[Any]]]:
    """Table rows (line, cells) under `header` → office dicts, their line map and each column's keys
    (e.g. ["staff", "mediators"]); shared by office tables and the workbook's 司法所 sheet."""
    aliases = header_map(standard)
    rooms = {named.name_zh: fid for fid, named in standard.facilities.items()}
    fields = [_field_for(h, aliases) for h in header]
    for col, (h, f) in enumerate(zip(header, fields)):
        if not f:
            raise ScenarioError([ScenarioIssue(display, 1, f"column {col + 1}",
                                               "empty header (merged header cells?)")])
    first: dict[str, int] = {}
    for col, f in enumerate(fields):
        if f in first:
            raise ScenarioError([ScenarioIssue(
                display, 1, header[col].strip(), f"column {column_letter(col)} holds the same field ({f}) "
                f"as column {column_letter(first[f])} “{header[first[f]].strip()}”; keep one")])
        first[f] = col
    problems = _check_header(header, fields, standard, display)
    if problems:
        raise ScenarioError(problems)
    smap = SourceMap(display)
    for col, (h, f) in enumerate(zip(header, fields)):
        smap.columns[tuple(_keys(f))] = f"column {column_letter(col)} “{h.strip()}”"
    offices: list[dict[str, Any]] = []
    for i, (line, row) in enumerate(rows):
        office: dict[str, Any] = {}
        smap.lines[("offices", i)] = line
        for f, cell in zip(fields, row):
            value = _cell(cell)
            if value is None:
                continue
            keys = _keys(f)
            value = _convert(keys[0], value)
            if keys[0] == "facilities":  # the standard's Chinese room names, as in 已有功能室
                value = [_field_for(v, rooms) for v in value]
            _put(office, keys, value, display, line, f)
        offices.append(office)
    if not offices:
        raise ScenarioError([ScenarioIssue(display, 2, "offices", "office table has no rows")])
    return offices, smap, [_keys(f) for f in fields]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: as Excel labels the column."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _keys(field: str) -> list[Any]:
    """`caseload.correction_subjects.2023` → ["caseload", "correction_subjects", 2023]."""
    keys: list[Any] = field.split(".")
    if keys[0] == "caseload" and len(keys) == 3 and keys[2].isdigit():
        keys[2] = int(keys[2])
    return keys


def _check_header(header: list[str], fields: list[str], standard: Standard, display: str) -> list[ScenarioIssue]:
    """Every column must name an office field the standard knows; required ones must be there.

    Checked on the header (line 1) so that a misspelt column is reported once, not on every row.
    """
    subs = {"staff": list(standard.roles), "caseload": list(standard.caseload_fields),
            "attributes": list(standard.attributes)}
    known = list(PLAIN_COLUMNS) + [f"{k}.{n}" for k, names in subs.items() for n in names]
    issues: list[ScenarioIssue] = []

    def bad(col: int, message: str) -> None:
        name = header[col].strip()[:EXCERPT_CHARS]  # a header cell may hold a pasted paragraph
        issues.append(ScenarioIssue(display, 1, name, f"column {column_letter(col)}: {message}"))

    for col, f in enumerate(fields):
        keys = f.split(".")
        if f in PLAIN_COLUMNS:
            continue
        if keys[0] == "housing_options":
            bad(col, "housing options cannot be given in a table; give those offices inline in the YAML")
        elif keys[0] in subs and len(keys) == 1:
            bad(col, f"name the {_SUB_WHAT[keys[0]]}: {keys[0]}.<name>, e.g. "
                     f"{keys[0]}.{subs[keys[0]][0] if subs[keys[0]] else 'x'}")
        elif keys[0] in subs and keys[1] not in subs[keys[0]]:
            hint = difflib.get_close_matches(keys[1], subs[keys[0]], n=1, cutoff=0.6)
            tail = f" (did you mean '{keys[0]}.{hint[0]}'?)" if hint else \
                f"; known: {', '.join(subs[keys[0]]) or 'none'}"
            bad(col, f"unknown {_SUB_WHAT[keys[0]]} {keys[1]!r} in standard {standard.id}{tail}")
        elif keys[0] == "caseload" and len(keys) == 3 and not keys[2].isdigit():
            bad(col, f"{keys[2]!r} is not a year: caseload.{keys[1]}.<year>, e.g. caseload.{keys[1]}.2023")
        elif keys[0] in subs and len(keys) > (3 if keys[0] == "caseload" else 2):
            bad(col, "too many dotted parts")
        elif keys[0] not in subs:
            hint = difflib.get_close_matches(f, known + list(HEADER_ALIASES), n=1, cutoff=0.6)
            tail = f" (did you mean '{hint[0]}'?)" if hint else \
                "; columns are office fields (docs/scenario.md lists them and their Chinese headers)"
            bad(col, f"unknown column{tail}")
    for name in REQUIRED_COLUMNS:
        if name not in fields:
            zh = [h for h, f in HEADER_ALIASES.items() if f == name]
            issues.append(ScenarioIssue(display, 1, name, f"no column for the required field {name!r} "
                                        f"(header {name} or {' / '.join(zh)})"))
    return issues


_SUB_WHAT = {"staff": "role", "caseload": "caseload field", "attributes": "attribute"}


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


def _read_csv(path: Path, display: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    import csv
    import io

    data = path.read_bytes()
    if b"\x00" in data:
        raise ScenarioError([ScenarioIssue(display, None, "", "binary file, not a CSV table")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # Excel on Chinese Windows saves CSV as GBK
        except UnicodeDecodeError:
            raise ScenarioError([ScenarioIssue(display, None, "", "not UTF-8 or GBK text: save "
                                               "the table as 'CSV UTF-8' from Excel")])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        all_rows = list(reader)
    except csv.Error as exc:
        raise ScenarioError([ScenarioIssue(display, reader.line_num, "", f"CSV error: {exc}")])
    if not all_rows:
        raise ScenarioError([ScenarioIssue(display, 1, "", "table is empty")])
    header = all_rows[0]
    for n, row in enumerate(all_rows[1:TITLE_LINES + 1], start=2):
        _check_title_row(display, header, row, n)
    rows = []
    for n, row in enumerate(all_rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise ScenarioError([ScenarioIssue(display, n, f"column {len(header) + 1}",
                                               f"row has {len(row)} cells but the header {len(header)}")])
        rows.append((n, row + [""] * (len(header) - len(row))))
    return header, rows


MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # bytes, as the zip declares them; zipfile reads no more
MAX_CELLS = 2_000_000  # rows × columns read from the first worksheet


def check_workbook_size(path: Path, display: str, limit: int | None = None) -> None:
    """Refuse an .xlsx whose parts unpack to more than `limit` (200 MB), before openpyxl reads any of it.

    A sheet of 8 MB can unpack to gigabytes (no `<dimension>`, millions of empty cells); the zip
    directory declares each part's size, and Python's zipfile never inflates past what is declared.
    """
    import zipfile

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
    import zipfile

    import openpyxl

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


def _read_xlsx(path: Path, display: str) -> tuple[list[str], list[tuple[int, list[Any]]], Unsaved]:
    """Header, rows (line, cells) and the formula cells without a saved value.

    Read twice: the saved values, and the formulas. A workbook written by a script (or saved without
    calculating) has formulas and no values; those cells are read as empty and each is named."""
    from itertools import zip_longest

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
            raise ScenarioError([ScenarioIssue(display, n, f"column {len(header) + 1}",
                                               "cell under an empty header (merged header cells?)")])
        if all(c in (None, "") for c in cells):
            continue
        rows.append((n, cells + [None] * (len(header) - len(cells))))
    values.close()
    formulas.close()
    if not header and not rows:
        raise ScenarioError([ScenarioIssue(display, 1, "", "worksheet is empty")])
    return header, rows, unsaved


def _cell(cell: Any) -> Any:
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


LIST_SEPARATORS = re.compile(r"[;；、,，]")  # as bureaus type lists: 执法管理室；调解室、…


def _convert(field: str, value: Any) -> Any:
    if field in LIST_FIELDS:
        return [v.strip() for v in LIST_SEPARATORS.split(str(value)) if v.strip()]
    if field in VALUE_ALIASES and isinstance(value, str):
        return VALUE_ALIASES[field].get(value, value)
    if field in ("id", "name", "county", "city", "province"):
        return str(value)
    if isinstance(value, str):
        try:
            num = float(value)
        except ValueError:
            return value  # the schema reports the wrong type with the column's name
        if math.isfinite(num) and num == int(num) and "." not in value:
            return int(num)
        return num
    return value


def _put(office: dict[str, Any], keys: list[Any], value: Any, display: str, line: int, col: str) -> None:
    node = office
    for k in keys[:-1]:
        nxt = node.setdefault(k, {})
        if not isinstance(nxt, dict):
            raise ScenarioError([ScenarioIssue(
                display, line, col, f"column conflicts with column {k!r} (one number and per-year numbers)")])
        node = nxt
    if isinstance(node.get(keys[-1]), dict):
        raise ScenarioError([ScenarioIssue(display, line, col,
                                           "column conflicts with per-year columns of the same field")])
    node[keys[-1]] = value
