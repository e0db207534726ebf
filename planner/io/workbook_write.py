"""Writing a scenario out: the Excel workbook (`plan template`, `plan convert`) with its example, and YAML."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.io.loading import load_standard_file
from planner.io.office_columns import HEADER_ALIASES
from planner.io.scenario import Office, Scenario
from planner.io.standards import BUILTIN_IDS, Standard, builtin_path
from planner.io.workbook_keep import write_keep
from planner.io.workbook_scenario import (
    ALL_ZH,
    BUDGET_HEADER,
    CHOICES,
    COST_HEADER,
    COST_KINDS,
    HOUSING_FIELDS,
    HOUSING_HEADER,
    MAX_ROWS,
    OFFICE_PLAIN,
    PER_M2,
    QUOTA_HEADER,
    SETTINGS,
    TARGET_HEADER,
    TARGET_TIERS,
    VALUE_ZH,
    Path_,
)
from planner.plan import write_atomic
from planner.reports.cells import keep_text, sheet_value


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
    data = scenario.model_dump(exclude_defaults=True)
    return (f"# Converted by `plan convert` from {source.as_posix()} (docs/outputs.md).\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=120))
