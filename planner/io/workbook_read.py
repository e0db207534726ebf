"""Reading the Excel scenario (`read_workbook`): its sheets → the raw scenario dict, and a `WorkbookMap` of cells."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from planner.errors import ScenarioError, ScenarioIssue, format_path
from planner.i18n import tr
from planner.io.loading import load_standard
from planner.io.office_table import offices_from_rows
from planner.io.spreadsheet import cell_value, check_workbook_size, open_workbook, sheet_rows
from planner.io.standards import Standard
from planner.io.workbook_keep import KEEP_SHEET, read_keep
from planner.io.workbook_scenario import (
    ALL_ZH,
    BUDGET_HEADER,
    CHOICES,
    COST_HEADER,
    COST_KINDS,
    HOUSING_FIELDS,
    HOUSING_HEADER,
    QUOTA_HEADER,
    SETTINGS,
    SHEETS,
    TARGET_HEADER,
    TARGET_TIERS,
    Path_,
)
from planner.io.yamlsrc import SourceMap


@dataclass
class WorkbookMap(SourceMap):
    """Where each value of a workbook came from: path → `sheet!cell`."""

    cells: dict[Path_, str] = field(default_factory=dict)

    def cell_of(self, path: Path_) -> str | None:
        p = tuple(path)
        while p:
            if p in self.cells:
                return self.cells[p]
            p = p[:-1]
        return None

    def issue(self, path: Path_, message: str, field_name: str | None = None) -> ScenarioIssue:
        cell = self.cell_of(path)
        name = field_name or format_path(path)
        return ScenarioIssue(self.file, None, f"{cell}: {name}" if cell else name, message)



MAX_UNPACKED = 20 * 1024 * 1024


def read_workbook(path: Path, display: str, allow_outside: bool | None = None) -> tuple[dict[str, Any], SourceMap]:
    """The workbook as the raw scenario dict the YAML loader would give, and where each value is."""
    check_workbook_size(path, display, MAX_UNPACKED)  # a filled-in template is well under 1 MB unpacked
    wb = open_workbook(path, display, data_only=True)  # read-only, every row whatever <dimension> says
    missing = [s for s in SHEETS[1:] if s not in wb.sheetnames]
    if missing:
        raise ScenarioError([ScenarioIssue(display, None, "", tr(
            f"缺少工作表 {'、'.join(missing)}（用 plan template 生成模板）",
            f"sheet {', '.join(missing)} is missing (make the template with plan template)"))])
    sheets = {name: [list(row) for row in sheet_rows(wb[name], f"{display}:{name}")]
              for name in (*SHEETS[1:], KEEP_SHEET) if name in wb.sheetnames}  # 原方案行动 only with keep:
    wb.close()
    reader = _Reader(sheets, display, path.parent)
    reader.allow_outside = allow_outside
    raw = reader.read()
    if reader.issues:
        raise ScenarioError(reader.issues)
    return raw, reader.smap


class _Reader:
    def __init__(self, sheets: dict[str, list[list[Any]]], display: str, folder: Path) -> None:
        self.sheets, self.smap, self.folder = sheets, WorkbookMap(display), folder
        self.issues: list[ScenarioIssue] = []
        self.raw: dict[str, Any] = {}
        self.allow_outside: bool | None = None  # as load_scenario's (None: PLAN_ALLOW_OUTSIDE)

    def read(self) -> dict[str, Any]:
        self.settings()
        standard = self.standard()
        self.targets()
        self.raw["budget"] = self.limits("预算", BUDGET_HEADER, ("budget",))
        self.raw["quotas"] = {}
        self.quotas(standard)
        self.costs(standard)
        self.offices(standard)
        read_keep(self)
        return self.raw

    def at(self, path: Path_, sheet: str, col: int, row: int) -> None:
        self.smap.cells.setdefault(path, f"{sheet}!{get_column_letter(col + 1)}{row}")

    def bad(self, sheet: str, col: int, row: int, name: str, zh: str, en: str) -> None:
        self.issues.append(ScenarioIssue(self.smap.file, None, f"{sheet}!{get_column_letter(col + 1)}{row}: {name}",
                                         tr(zh, en)))

    def rows(self, sheet: str, header: list[str]) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells) of the data rows, after checking the header; empty rows skipped."""
        table = self.sheets[sheet]
        found = [cell_value(c) for c in (table[0] if table else [])]
        for col, name in enumerate(header):
            if (found[col] if col < len(found) else None) != name:
                self.bad(sheet, col, 1, "header", f"表头应为“{name}”", f"the header should be “{name}”")
        for n, row in enumerate(table[1:], start=2):
            cells = [cell_value(c) for c in row[: len(header)]] + [None] * (len(header) - len(row))
            if any(c is not None for c in cells):
                yield n, cells

    def settings(self) -> None:
        labels = {label: (path, n) for n, (label, path, _) in enumerate(SETTINGS)}
        for row, (label, value, *_) in self.rows("基本设置", ["项目", "值", "说明"]):
            if label not in labels:
                self.bad("基本设置", 0, row, "项目", f"未知项目 {label!r}（可用：{'、'.join(labels)}）",
                         f"unknown item {label!r} (known: {', '.join(labels)})")
                continue
            path = labels[label][0]
            self.at(path, "基本设置", 1, row)
            self.at(path[:1], "基本设置", 1, row)
            if value is not None:
                _put(self.raw, path, CHOICES.get(path, {}).get(value, value) if isinstance(value, str) else value)

    def standard(self) -> Standard | None:
        """The standard the 司法所 sheet's headers are read with; None leaves the error to the loader."""
        try:  # the loader's own rule (built-in id or a path)
            return load_standard(self.raw, self.folder, self.smap, self.allow_outside)[0]
        except ScenarioError:
            return None

    def targets(self) -> None:
        targets: dict[Any, dict[str, Any]] = {}
        for row, cells in self.rows("达标目标", TARGET_HEADER):
            year = _year(cells[0])
            self.at(("targets", year), "达标目标", 0, row)
            if year in targets:
                self.bad("达标目标", 0, row, f"targets.{year}", f"年度 {year} 重复", f"year {year} appears twice")
            rates = targets.setdefault(year, {})
            for col, tier in enumerate(TARGET_TIERS, start=1):
                if cells[col] is not None:
                    rates[tier] = cells[col]
                    self.at(("targets", year, tier), "达标目标", col, row)
        self.smap.cells.setdefault(("targets",), "达标目标!A1")
        if targets:
            self.raw["targets"] = targets

    def limits(self, sheet: str, header: list[str], at: Path_, first: int = 0,
               keep: Callable[[list[Any]], bool] = lambda cells: True) -> dict[Any, Any]:
        """预算 / 编制 rows (scope, year, amount from column `first`) → {year: amount, county: {year: amount}}."""
        shape: dict[Any, Any] = {}
        self.smap.cells.setdefault(at, f"{sheet}!A1")
        for row, cells in self.rows(sheet, header):
            if not keep(cells):
                continue
            scope, year, amount = cells[first], _year(cells[first + 1]), cells[first + 2]
            if scope in (None, ALL_ZH, "all"):
                path: Path_ = at + (year,)
                node = shape
            else:
                self.at(at + (scope,), sheet, first, row)
                path = at + (scope, year)
                node = shape.setdefault(scope, {})
            if year in node:
                self.bad(sheet, first + 1, row, format_path(path), f"{scope or ALL_ZH} {year} 年重复",
                         f"{scope or ALL_ZH} {year} appears twice")
            node[year] = amount
            self.at(path, sheet, first + 2, row)
        return shape

    def quotas(self, standard: Standard | None) -> None:
        names = _names(standard.roles if standard else {})
        roles: dict[str, None] = {}
        for row, cells in self.rows("编制", QUOTA_HEADER):
            role = names.get(cells[0], cells[0])
            self.at(("quotas", role), "编制", 0, row)
            roles[role] = None
        for role in roles:
            self.raw["quotas"][role] = self.limits("编制", QUOTA_HEADER, ("quotas", role), 1, _is_role(names, role))

    def costs(self, standard: Standard | None) -> None:
        roles = _names(standard.roles if standard else {})
        rooms = _names(standard.facilities if standard else {})
        costs: dict[str, Any] = {"roles": {}, "facilities": {}, "housing": {}}
        self.smap.cells[("costs",)] = "费用标准!A1"
        for row, (kind, item, one_time, annual, lead) in self.rows("费用标准", COST_HEADER):
            if kind in ("岗位", "功能室"):
                name = (roles if kind == "岗位" else rooms).get(item, item)
                at: Path_ = ("costs", "roles" if kind == "岗位" else "facilities", name)
                self.at(at, "费用标准", 1, row)
                entry = {k: v for k, v in (("one_time", one_time), ("annual", annual)) if v is not None}
                if lead is not None:
                    entry["lead_years"] = lead  # not a field: the schema says so at this cell
                self.at(at + ("one_time",), "费用标准", 2, row)
                self.at(at + ("annual",), "费用标准", 3, row)
                self.at(at + ("lead_years",), "费用标准", 4, row)
                costs[at[1]][name] = entry
            elif kind == "租赁":
                self.at(("costs", "housing", "lease"), "费用标准", 3, row)
                costs["housing"]["lease"] = {"annual_per_m2": annual}
            elif kind == "新建":
                at = ("costs", "housing", "build")
                self.at(at, "费用标准", 2, row)
                self.at(at + ("lead_years",), "费用标准", 4, row)
                costs["housing"]["build"] = {"one_time_per_m2": one_time} | (
                    {"lead_years": lead} if lead is not None else {})
            else:
                self.bad("费用标准", 0, row, "costs", f"类别应为 {'、'.join(COST_KINDS)}（得到 {kind!r}）",
                         f"the kind is one of {', '.join(COST_KINDS)} (got {kind!r})")
        self.raw["costs"] = costs

    def offices(self, standard: Standard | None) -> None:
        self.smap.cells[("offices",)] = "司法所!A1"
        table = self.sheets["司法所"]
        header = [str(c) if c is not None else "" for c in (table[0] if table else [])]
        while header and header[-1] == "":
            header.pop()
        rows = [(n, [cell_value(c) for c in row[: len(header)]] + [None] * (len(header) - len(row)))
                for n, row in enumerate(table[1:], start=2)]
        rows = [(n, cells) for n, cells in rows if any(c is not None for c in cells)]
        self.raw["offices"] = []
        if standard is None or not header:
            return
        try:
            offices, _, columns = offices_from_rows(header, rows, f"{self.smap.file}:司法所", standard)
        except ScenarioError as exc:
            self.issues.extend(exc.issues)
            return
        for i, (row, _) in enumerate(rows):
            self.at(("offices", i), "司法所", 0, row)
            for col, keys in enumerate(columns):
                self.at(("offices", i, *keys), "司法所", col, row)
        self.raw["offices"] = offices
        self.housing({o.get("id"): i for i, o in reversed(list(enumerate(offices)))})

    def housing(self, index: dict[Any, int]) -> None:
        for row, cells in self.rows("用房方案", HOUSING_HEADER):
            if cells[0] not in index:
                self.bad("用房方案", 0, row, "office", f"司法所表中没有编号 {cells[0]!r}",
                         f"no office {cells[0]!r} in the 司法所 sheet")
                continue
            i = index[cells[0]]
            options = self.raw["offices"][i].setdefault("housing_options", [])
            j = len(options)
            self.at(("offices", i, "housing_options", j), "用房方案", 1, row)
            option = {}
            for col, name in enumerate(HOUSING_FIELDS, start=1):
                self.at(("offices", i, "housing_options", j, name), "用房方案", col, row)
                if cells[col] is not None:
                    option[name] = str(cells[col]) if name == "id" else cells[col]
            options.append(option)


def _is_role(names: dict[Any, str], role: str) -> Callable[[list[Any]], bool]:
    return lambda cells: names.get(cells[0], cells[0]) == role


def _put(raw: dict[str, Any], path: Path_, value: Any) -> None:
    node = raw
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _year(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _names(named: dict[str, Any]) -> dict[Any, str]:
    """Chinese name (or id) → id, for cells that may hold either."""
    return {n.name_zh: key for key, n in named.items()} | {key: key for key in named}
