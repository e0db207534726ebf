"""The scenario as an Excel workbook (`plan template`, `plan convert`, and `plan solve 情景.xlsx`).

One sheet per part of the scenario file (docs/reference.md §8), with Chinese headers:
说明 (read by people only), 基本设置, 达标目标, 预算, 编制, 费用标准, 司法所 (the office-table format of
`planner.io.office_table`) and 用房方案 (housing options, one row each). `read_workbook` turns it into the same
raw dict the YAML loader validates, with a `WorkbookMap` so every error names its cell:
`情景.xlsx: 预算!C4: budget.海陵区.2022: …`. `write_workbook` writes a validated scenario back,
so YAML → XLSX → YAML gives an equal scenario.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.errors import ScenarioError, ScenarioIssue, format_path
from planner.i18n import tr
from planner.io.loading import load_standard_file
from planner.io.office_table import (
    HEADER_ALIASES,
    _cell,
    check_workbook_size,
    offices_from_rows,
    open_workbook,
    sheet_rows,
)
from planner.io.scenario import Office, Scenario, Schedule
from planner.io.standards import BUILTIN_IDS, TIER_ZH, TIERS, Standard, builtin_path
from planner.io.workbook_keep import KEEP_SHEET, read_keep, write_keep
from planner.io.yamlsrc import SourceMap
from planner.plan import write_atomic
from planner.reports.cells import keep_text, sheet_value
from planner.rules.scopes import ALL

Path_ = tuple[Any, ...]
ALL_ZH = "全市"
SETTINGS: list[tuple[str, Path_, str]] = [  # 基本设置: label, field, note
    ("名称", ("name",), "情景名称，如 泰州市 2022 年司法所分类建设计划"),
    ("标准", ("standard",), f"内置标准 {' / '.join(BUILTIN_IDS)}，或标准文件相对本文件的路径"),
    ("起始年度", ("horizon", "start"), "规划期第一年"),
    ("结束年度", ("horizon", "end"), "规划期最后一年（含）"),
    ("达标范围", ("target_scope",),
     "县区 / 地级市 / 省：每个县区（市、省）分别达标；全部：全部司法所合计达标；空：按标准"),
    ("目标模式", ("targets_mode",), "必须完成：达不到即无解；尽量完成：使差额最小"),
    *[(f"权重（{TIER_ZH[t]}）", ("weights", t), "达标所·年的权重；空：1") for t in TIERS],
    # schedule: (docs/reference.md §8): the quarter of each milestone in 时间进度表 and the Word draft
    *[(label, ("schedule", key), f"第几季度（1–4）；空：{Schedule.model_fields[key].default}")
      for label, key in (("招录启动季度", "hire_start"), ("招录完成季度", "hire_recruited"),
                         ("到岗季度", "hire_in_post"), ("租赁签订季度", "lease_signed"),
                         ("新建开工季度", "build_start"), ("新建竣工季度（计入当年）", "build_complete"),
                         ("用房方案落实季度", "housing_taken"), ("用房方案交付季度（计入当年）", "housing_in_use"),
                         ("功能室建成季度", "facility_ready"), ("达标验收季度", "acceptance"))],
    ("原方案", ("keep", "plan"), "plan advance 写入：新方案尽量保持的原方案 plan.json（仅作说明，不读取），"
                               "其行动见“原方案行动”表；空：不保持"),
    ("原方案已核验", ("keep", "verified"), "否：plan advance 用 --force 接受了另一版本情景的方案；空：是"),
]
CHOICES: dict[Path_, dict[str, Any]] = {  # Chinese value in a cell → the scenario's value
    ("target_scope",): {"县区": "county", "地级市": "city", "省": "province", "全部": "all"},
    ("targets_mode",): {"必须完成": "hard", "尽量完成": "soft"},
    ("keep", "verified"): {"是": True, "否": False},
}
TARGET_TIERS = (*TIERS, ALL)
TARGET_HEADER = ["年度", *[TIER_ZH[t] + "（达标率）" for t in TIERS], "全部（达标率）"]
BUDGET_HEADER = ["范围（全市，或县区、地级市、省）", "年度", "金额（万元）"]
QUOTA_HEADER = ["岗位", "范围（全市，或县区、地级市、省）", "年度", "名额（人）"]
COST_HEADER = ["类别", "项目", "一次性费用（万元）", "年度费用（万元）", "建设周期（年）"]
COST_KINDS = ("岗位", "功能室", "租赁", "新建")
PER_M2 = "业务用房（每平方米）"
HOUSING_HEADER = ["司法所编号", "方案编号", "面积（m²）", "一次性费用（万元）", "年度费用（万元）", "最早年度",
                  "建设周期（年）"]
HOUSING_FIELDS = ("id", "area_m2", "one_time", "annual", "from_year", "lead_years")
OFFICE_PLAIN = [("编号", "id"), ("名称", "name"), ("县区", "county"), ("地级市", "city"), ("省", "province"),
                ("类型", "kind"), ("常住人口", "population"),
                ("辖区面积", "area_km2"), ("GDP排名", "gdp_rank"), ("法治需求", "demand"), ("类别", "tier"),
                ("业务用房面积", "floor_area_m2"), ("已有功能室", "facilities")]
VALUE_ZH = {"kind": {"township": "乡镇", "subdistrict": "街道"}, "demand": {"high": "高", "medium": "中", "low": "低"},
            "tier": {t: TIER_ZH[t] for t in TIERS}}
SHEETS = ("说明", "基本设置", "达标目标", "预算", "编制", "费用标准", "司法所", "用房方案")
MAX_ROWS = 2000  # data validation reaches this far down each sheet


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


# ---------------------------------------------------------------- reading


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
        found = [_cell(c) for c in (table[0] if table else [])]
        for col, name in enumerate(header):
            if (found[col] if col < len(found) else None) != name:
                self.bad(sheet, col, 1, "header", f"表头应为“{name}”", f"the header should be “{name}”")
        for n, row in enumerate(table[1:], start=2):
            cells = [_cell(c) for c in row[: len(header)]] + [None] * (len(header) - len(row))
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
        from planner.io.loading import _load_standard  # the loader's own rule (built-in id or a path)

        try:
            return _load_standard(self.raw, self.folder, self.smap, self.allow_outside)[0]
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
        rows = [(n, [_cell(c) for c in row[: len(header)]] + [None] * (len(header) - len(row)))
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


# ---------------------------------------------------------------- writing


def write_workbook(scenario: Scenario, standard: Standard, path: Path) -> None:
    """The template filled with `scenario`: headers, drop-downs, numbers ≥ 0, frozen header rows."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _guide(wb.create_sheet("说明"), standard)
    _settings_sheet(wb, scenario)
    years = scenario.horizon.years
    targets: dict[int, dict[str, float]] = dict(scenario.targets or {})  # type: ignore[arg-type]
    _sheet(wb, "达标目标", TARGET_HEADER, [[y, *[rates.get(t) for t in TARGET_TIERS]] for y, rates in targets.items()],
           rates=range(1, 5), whole=(0,))
    _sheet(wb, "预算", BUDGET_HEADER, list(_limit_rows(scenario.budget)), numbers=(2,), whole=(1,))
    _sheet(wb, "编制", QUOTA_HEADER, [[standard.role_zh(role), *r] for role, shape in scenario.quotas.items()
                                     for r in _limit_rows(shape)],
           numbers=(3,), whole=(2, 3), choices={0: [n.name_zh for n in standard.roles.values()]})
    _sheet(wb, "费用标准", COST_HEADER, _cost_rows(scenario, standard), numbers=(2, 3), whole=(4,),
           choices={0: list(COST_KINDS)})
    assert isinstance(scenario.offices, list)
    header, keys = _office_columns(scenario.offices, standard, years)
    choice_cols = {c: list(VALUE_ZH[k[0]].values()) for c, k in enumerate(keys) if k[0] in VALUE_ZH}
    text_cols = {c for c, k in enumerate(keys) if k[0] in ("id", "name", "county", "city", "province", "facilities",
                                                           "generated")}
    _sheet(wb, "司法所", header, [[_office_cell(o, k) for k in keys] for o in scenario.offices],
           numbers=tuple(c for c in range(len(keys)) if c not in text_cols and c not in choice_cols),
           choices=choice_cols, freeze="C2")
    _sheet(wb, "用房方案", HOUSING_HEADER,
           [[o.id, *[getattr(h, f) for f in HOUSING_FIELDS]] for o in scenario.offices for h in o.housing_options],
           numbers=(2, 3, 4, 5, 6), whole=(2, 5, 6))
    write_keep(wb, scenario, _sheet)
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(path, buf.getvalue())


def _limit_rows(shape: dict[Any, Any]) -> Iterator[list[Any]]:
    for key, value in shape.items():
        if isinstance(value, dict):
            yield from ([key, y, v] for y, v in value.items())
        else:
            yield [ALL_ZH, key, value]


def _cost_rows(scenario: Scenario, standard: Standard) -> list[list[Any]]:
    c = scenario.costs
    rows: list[list[Any]] = [["岗位", standard.role_zh(r), v.one_time, v.annual, None] for r, v in c.roles.items()]
    rows += [["功能室", standard.facility_zh(f), v.one_time, v.annual, None] for f, v in c.facilities.items()]
    if c.housing.lease is not None:
        rows.append(["租赁", PER_M2, None, c.housing.lease.annual_per_m2, None])
    if c.housing.build is not None:
        rows.append(["新建", PER_M2, c.housing.build.one_time_per_m2, None, c.housing.build.lead_years])
    return rows


def _office_columns(offices: list[Office], standard: Standard, years: list[int]) -> tuple[list[str], list[Path_]]:
    """Headers and field keys of the 司法所 sheet: the plain fields, every role, caseload and attribute
    of the standard (per-year caseload columns where an office gives figures per year)."""
    cols: list[tuple[str, Path_]] = [(h, (f,)) for h, f in OFFICE_PLAIN]
    cols += [(n.name_zh, ("staff", r)) for r, n in standard.roles.items()]
    for fld, n in standard.caseload_fields.items():
        values = [o.caseload[fld] for o in offices if fld in o.caseload]
        if not values or any(not isinstance(v, dict) for v in values):
            cols.append((n.name_zh, ("caseload", fld)))
        per_year = sorted({y for v in values if isinstance(v, dict) for y in v} or [])
        cols += [(f"caseload.{fld}.{y}", ("caseload", fld, y)) for y in per_year]
    cols += [(n.name_zh, ("attributes", a)) for a, n in standard.attributes.items()]
    cols.append(("generated", ("generated",)))
    assert all(HEADER_ALIASES.get(h, f[0]) == f[0] for h, f in cols[: len(OFFICE_PLAIN)])
    return [h for h, _ in cols], [k for _, k in cols]


def _office_cell(o: Office, keys: Path_) -> Any:
    value: Any = o
    for k in keys:
        if isinstance(value, dict):
            value = value.get(k)
        elif isinstance(value, Office):
            value = getattr(value, k, None)
        else:  # one figure for every year, asked for a year's column
            return None
        if value is None:
            return None
    if len(keys) == 2 and keys[0] == "caseload" and isinstance(value, dict):
        return None  # given per year, in the per-year columns
    if isinstance(value, list):
        return ";".join(value) or None
    return VALUE_ZH[keys[0]].get(value, value) if keys[0] in VALUE_ZH else value


def _settings_sheet(wb: Workbook, sc: Scenario) -> None:
    data = sc.model_dump()
    rows = []
    for label, path, note in SETTINGS:
        value: Any = data
        for k in path:
            value = value.get(k) if isinstance(value, dict) else None
        if path in CHOICES and value is not None:
            value = next(zh for zh, v in CHOICES[path].items() if v == value)
        rows.append([label, value, note])
    ws = _sheet(wb, "基本设置", ["项目", "值", "说明"], rows, widths=(14, 44, 60))
    for n, (_, path, _) in enumerate(SETTINGS, start=2):
        options = list(CHOICES[path]) if path in CHOICES else list(BUILTIN_IDS) if path == ("standard",) else None
        if options:
            _dropdown(ws, options, f"B{n}", strict=path != ("standard",))
        elif path[0] in ("horizon", "weights", "schedule"):
            _non_negative(ws, f"B{n}", whole=True)


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]], numbers: tuple[int, ...] = (),
           whole: tuple[int, ...] = (), rates: range | tuple[int, ...] = (),
           choices: dict[int, list[str]] | None = None, freeze: str = "A2",
           widths: tuple[int, ...] = ()) -> Worksheet:
    ws = wb.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append([sheet_value(v) for v in row])
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            keep_text(cell)  # user text such as a name "=1+1" stays text, never a formula
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for col, name in enumerate(header, start=1):
        cell = ws.cell(1, col)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="center")
        width = widths[col - 1] if col - 1 < len(widths) else max(10, min(40, 2 * len(name) + 2))
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = freeze
    last = max(MAX_ROWS, len(rows) + 1)
    for col in numbers:
        _non_negative(ws, f"{get_column_letter(col + 1)}2:{get_column_letter(col + 1)}{last}", col in whole)
    for col in (c for c in whole if c not in numbers):
        _non_negative(ws, f"{get_column_letter(col + 1)}2:{get_column_letter(col + 1)}{last}", True)
    for col in rates:
        letter = get_column_letter(col + 1)
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True,
                            showErrorMessage=True, error="达标率在 0 与 1 之间（如 90% 写 0.9）")
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{last}")
        for r in range(2, len(rows) + 2):
            ws[f"{letter}{r}"].number_format = "0%"
    for col, options in (choices or {}).items():
        _dropdown(ws, options, f"{get_column_letter(col + 1)}2:{get_column_letter(col + 1)}{last}")
    return ws


def _dropdown(ws: Worksheet, options: list[str], ref: str, strict: bool = True) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
                        showErrorMessage=True, errorStyle="stop" if strict else "warning",
                        error="请从下拉列表中选择" if strict else "不是内置标准：请确认是标准文件的路径")
    ws.add_data_validation(dv)
    dv.add(ref)


def _non_negative(ws: Worksheet, ref: str, whole: bool) -> None:
    dv = DataValidation(type="whole" if whole else "decimal", operator="greaterThanOrEqual", formula1="0",
                        allow_blank=True, showErrorMessage=True,
                        error="请填写不小于 0 的数" + ("（整数）" if whole else ""))
    ws.add_data_validation(dv)
    dv.add(ref)


def _guide(ws: Worksheet, standard: Standard) -> None:
    lines = [
        "司法所分类建设情景模板（plan template）",
        "填写后可直接运行：plan validate 情景.xlsx / plan classify 情景.xlsx / plan solve 情景.xlsx",
        "转换为 YAML：plan convert 情景.xlsx 情景.yaml（反之亦可）。出错时提示“工作表!单元格: 字段”，如 预算!C4。",
        "",
        "基本设置：名称、标准、规划期、达标范围、目标模式、权重。",
        "达标目标：每年一行，各类别达标率（0–1，如 90% 写 0.9）；整表为空则用标准的默认目标。",
        "预算：每行一个范围、年度和金额（万元，最多 4 位小数）；范围写“全市”（全部司法所），或县区、地级市、省的名称。",
        "编制：每行一个岗位、范围、年度和名额（人）。",
        ("费用标准：岗位和功能室的一次性、年度费用（万元）；租赁为每平方米年租金，新建为每平方米造价和建设周期。"
         "未列出的岗位不能招录，未列出的功能室不能建设。"),
        "司法所：每行一个司法所；类型、法治需求、类别从下拉列表选择；已有功能室写编号，用分号分隔。",
        "用房方案：每行一个备选用房（租赁、置换、购置），按司法所编号对应。",
        "",
        f"标准 {standard.id}（{standard.name}）的岗位、功能室编号：",
        *[f"  岗位 {r}：{n.name_zh}" for r, n in standard.roles.items()],
        *[f"  功能室 {f}：{n.name_zh}" for f, n in standard.facilities.items()],
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120


EXAMPLE: dict[str, Any] = {
    "name": "示例市 2024—2025 年司法所分类建设计划", "standard": "jiangsu-2021",
    "horizon": {"start": 2024, "end": 2025}, "targets": {2024: {"all": 0.5}, 2025: {"all": 1.0}},
    "target_scope": "county", "budget": {"示例县": {2024: 50, 2025: 50}}, "quotas": {"posts": {2024: 1}},
    "costs": {"roles": {"posts": {"annual": 0}, "mediators": {"one_time": 0.5, "annual": 7.2},
                        "correction_sw": {"one_time": 0.3, "annual": 8.0}},
              "facilities": {f: {"one_time": 3.0} for f in (
                  "correction_branch_center", "public_legal_service_center", "non_litigation_center",
                  "mediation_committee", "governance_room", "publicity_room", "enforcement_supervision_room",
                  "enforcement_management_room", "five_stations", "rule_of_law_room")},
              "housing": {"lease": {"annual_per_m2": 0.024}, "build": {"one_time_per_m2": 0.45, "lead_years": 1}}},
    "offices": [{"id": "SL-01", "name": "示例镇", "county": "示例县", "kind": "township", "population": 30000,
                 "area_km2": 60, "gdp_rank": 1, "demand": "medium", "staff": {"posts": 2, "mediators": 1},
                 "floor_area_m2": 120, "facilities": ["public_legal_service_center", "mediation_committee"],
                 "housing_options": [{"id": "旧村部", "area_m2": 60, "one_time": 3.0, "lead_years": 0}]}],
}


def example_scenario() -> tuple[Scenario, Standard]:
    """The template's example rows: one county, one office (valid as it stands)."""
    return Scenario.model_validate(EXAMPLE), load_standard_file(builtin_path("jiangsu-2021"), "jiangsu-2021")



def scenario_yaml(scenario: Scenario, source: Path) -> str:
    """The scenario as a YAML scenario file (offices inline), what `plan convert … X.yaml` writes."""
    import yaml

    data = scenario.model_dump(exclude_defaults=True)
    return (f"# Converted by `plan convert` from {source.as_posix()} (docs/outputs.md).\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=120))
