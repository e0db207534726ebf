"""Office tables (.csv / .xlsx, docs/reference.md §8): rows → office dicts with a line map, the header checked.

Bureaus keep office data in Excel with Chinese headers, so the common Chinese headers are accepted
too (docs/scenario.md lists them, `office_columns` holds them), as are the standard's Chinese role and
caseload names. The files themselves are read by `spreadsheet`.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from planner.errors import EXCERPT_CHARS, ScenarioError, ScenarioIssue, excerpt
from planner.i18n import tr
from planner.io.office_columns import (
    HEADER_ALIASES,
    PLAIN_COLUMNS,
    REQUIRED_COLUMNS,
    convert_value,
    field_for,
    field_keys,
    header_map,
)
from planner.io.spreadsheet import Unsaved, cell_value, column_letter, column_number, read_csv, read_xlsx
from planner.io.standards import Standard
from planner.io.validation import WHAT_ZH, did_you_mean
from planner.io.yamlsrc import MAX_FILE_BYTES, SourceMap


def read_office_table(path: Path, display: str, standard: Standard) -> tuple[list[dict[str, Any]], SourceMap]:
    """Rows of an office table as nested dicts ready for the `Office` model, with a line map.

    The line map records, for path ("offices", i, *field), the table row (header = line 1) so
    errors read `offices.csv:5: staff.mediators: ...`.
    """
    if not path.exists():
        raise ScenarioError([ScenarioIssue(display, None, "offices", tr("找不到司法所表", "office table not found"))])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError([ScenarioIssue(display, None, "offices", tr("司法所表超过 20 MB",
                                                                         "office table larger than 20 MB"))])
    suffix = path.suffix.lower()
    unsaved: Unsaved = []
    if suffix == ".csv":
        header, rows = read_csv(path, display)
    elif suffix in (".xlsx", ".xlsm"):
        header, rows, unsaved = read_xlsx(path, display)
    else:
        raise ScenarioError([ScenarioIssue(display, None, "offices", tr(
            "司法所表应为 .csv 或 .xlsx 文件", "office table must be a .csv or .xlsx file"))])
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
    fields = [field_for(h, aliases) for h in header]
    for col, (h, f) in enumerate(zip(header, fields)):
        if not f:
            raise ScenarioError([ScenarioIssue(display, 1, column_number(col), tr(
                "表头为空（是否合并了表头单元格？）", "empty header (merged header cells?)"))])
    first: dict[str, int] = {}
    for col, f in enumerate(fields):
        if f in first:
            this, other, name = column_letter(col), column_letter(first[f]), header[first[f]].strip()
            raise ScenarioError([ScenarioIssue(display, 1, header[col].strip(), tr(
                f"{this} 列与 {other} 列“{name}”是同一字段（{f}）；请只保留一列",
                f"column {this} holds the same field ({f}) as column {other} “{name}”; keep one"))])
        first[f] = col
    problems = _check_header(header, fields, standard, display)
    if problems:
        raise ScenarioError(problems)
    smap = SourceMap(display)
    for col, (h, f) in enumerate(zip(header, fields)):
        smap.columns[tuple(field_keys(f))] = tr(f"{column_letter(col)} 列“{h.strip()}”",
                                                f"column {column_letter(col)} “{h.strip()}”")
    offices: list[dict[str, Any]] = []
    for i, (line, row) in enumerate(rows):
        office: dict[str, Any] = {}
        smap.lines[("offices", i)] = line
        for f, cell in zip(fields, row):
            value = cell_value(cell)
            if value is None:
                continue
            keys = field_keys(f)
            value = convert_value(keys[0], value)
            if keys[0] == "facilities":  # the standard's Chinese room names, as in 已有功能室
                value = [field_for(v, rooms) for v in value]
            _put(office, keys, value, display, line, f)
        offices.append(office)
    if not offices:
        raise ScenarioError([ScenarioIssue(display, 2, "offices", tr("司法所表没有数据行",
                                                                      "office table has no rows"))])
    return offices, smap, [field_keys(f) for f in fields]


def _check_header(header: list[str], fields: list[str], standard: Standard, display: str) -> list[ScenarioIssue]:
    """Every column must name an office field the standard knows; required ones must be there.

    Checked on the header (line 1) so that a misspelt column is reported once, not on every row.
    """
    subs = {"staff": list(standard.roles), "caseload": list(standard.caseload_fields),
            "attributes": list(standard.attributes)}
    known = list(PLAIN_COLUMNS) + [f"{k}.{n}" for k, names in subs.items() for n in names]
    issues: list[ScenarioIssue] = []

    def bad(col: int, zh: str, en: str) -> None:
        name = header[col].strip()[:EXCERPT_CHARS]  # a header cell may hold a pasted paragraph
        letter = column_letter(col)
        issues.append(ScenarioIssue(display, 1, name, tr(f"{letter} 列：{zh}", f"column {letter}: {en}")))

    for col, f in enumerate(fields):
        keys = f.split(".")
        if f in PLAIN_COLUMNS:
            continue
        if keys[0] == "housing_options":
            bad(col, "用房方案不能写在表格中；请在 YAML 情景文件中直接列出这些司法所",
                "housing options cannot be given in a table; give those offices inline in the YAML")
        elif keys[0] in subs and len(keys) == 1:
            example = f"{keys[0]}.{subs[keys[0]][0] if subs[keys[0]] else 'x'}"
            what = _SUB_WHAT[keys[0]]
            bad(col, f"请写明{WHAT_ZH[what]}：{keys[0]}.<名称>，例如 {example}",
                f"name the {what}: {keys[0]}.<name>, e.g. {example}")
        elif keys[0] in subs and keys[1] not in subs[keys[0]]:
            hint = difflib.get_close_matches(keys[1], subs[keys[0]], n=1, cutoff=0.6)
            names = subs[keys[0]]
            if hint:
                tail_zh = tail_en = did_you_mean(f"{keys[0]}.{hint[0]}")
            else:
                tail_zh, tail_en = f"；可用：{'、'.join(names) or '无'}", f"; known: {', '.join(names) or 'none'}"
            what = _SUB_WHAT[keys[0]]
            bad(col, f"标准 {standard.id} 中没有{WHAT_ZH[what]} {keys[1]!r}{tail_zh}",
                f"unknown {what} {keys[1]!r} in standard {standard.id}{tail_en}")
        elif keys[0] == "caseload" and len(keys) == 3 and not keys[2].isdigit():
            bad(col, f"{keys[2]!r} 不是年份：应为 caseload.{keys[1]}.<年份>，例如 caseload.{keys[1]}.2023",
                f"{keys[2]!r} is not a year: caseload.{keys[1]}.<year>, e.g. caseload.{keys[1]}.2023")
        elif keys[0] in subs and len(keys) > (3 if keys[0] == "caseload" else 2):
            bad(col, "以点分隔的层级过多", "too many dotted parts")
        elif keys[0] not in subs:
            hint = difflib.get_close_matches(f, known + list(HEADER_ALIASES), n=1, cutoff=0.6)
            tail = did_you_mean(hint[0]) if hint else \
                tr("；列名应为司法所字段（docs/scenario.md 列出了这些字段及其中文表头）",
                   "; columns are office fields (docs/scenario.md lists them and their Chinese headers)")
            bad(col, f"未知列{tail}", f"unknown column{tail}")
    for name in REQUIRED_COLUMNS:
        if name not in fields:
            headers = " / ".join(h for h, f in HEADER_ALIASES.items() if f == name)
            issues.append(ScenarioIssue(display, 1, name, tr(
                f"缺少必填字段 {name!r} 的列（表头写 {name} 或 {headers}）",
                f"no column for the required field {name!r} (header {name} or {headers})")))
    return issues


_SUB_WHAT = {"staff": "role", "caseload": "caseload field", "attributes": "attribute"}


def _put(office: dict[str, Any], keys: list[Any], value: Any, display: str, line: int, col: str) -> None:
    node = office
    for k in keys[:-1]:
        nxt = node.setdefault(k, {})
        if not isinstance(nxt, dict):
            raise ScenarioError([ScenarioIssue(display, line, col, tr(
                f"该列与列 {k!r} 冲突（一个是单个数值，一个是逐年数值）",
                f"column conflicts with column {k!r} (one number and per-year numbers)"))])
        node = nxt
    if isinstance(node.get(keys[-1]), dict):
        raise ScenarioError([ScenarioIssue(display, line, col, tr(
            "该列与同一字段的逐年列冲突", "column conflicts with per-year columns of the same field"))])
    node[keys[-1]] = value
