"""The plan's tables as plain rows (one source for xlsx and csv), in Chinese or English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.loading import LoadedScenario
from planner.plan import Action, PlanResult
from planner.standards import TIER_ZH

ACTION_ZH = {"hire": "招录/聘用", "lease": "租赁用房", "build": "新建用房", "housing": "用房方案", "facility": "功能室建设"}
SCOPE_ZH = {"all": "全市"}
HEADERS = {
    "summary": {"zh": ["项目", "内容"], "en": ["item", "value"]},
    "tasks": {"zh": ["县区", "司法所编号", "司法所", "年度", "任务类型", "岗位/功能室/方案", "数量",
                     "一次性费用（万元）", "年度费用（万元）", "补齐的标准"],
              "en": ["county", "office id", "office", "year", "action", "role / room / option", "quantity",
                     "one-time cost (10k CNY)", "annual cost (10k CNY)", "requirement it closes"]},
    "attainment": {"zh": ["年度", "县区", "类别", "所数", "达标数", "目标达标率", "应达标数", "是否完成"],
                   "en": ["year", "scope", "tier", "offices", "attained", "target rate", "required", "met"]},
    "spending": {"zh": ["年度", "范围", "预算（万元）", "支出（万元）", "结余（万元）"],
                 "en": ["year", "scope", "budget (10k CNY)", "spent (10k CNY)", "left (10k CNY)"]},
}
SHEETS = {"summary": {"zh": "汇总", "en": "Summary"}, "tasks": {"zh": "任务清单", "en": "Tasks"},
          "timetable": {"zh": "时间进度表", "en": "Timetable"}, "attainment": {"zh": "达标情况", "en": "Attainment"},
          "spending": {"zh": "经费", "en": "Spending"}}


@dataclass(frozen=True)
class Table:
    key: str  # summary | tasks | timetable | attainment | spending
    title: str
    header: list[str]
    rows: list[list[Any]]
    money_columns: tuple[int, ...] = ()


def build_tables(plan: PlanResult, loaded: LoadedScenario | None, lang: str = "zh") -> list[Table]:
    zh = lang == "zh"
    names = _Names(loaded, zh)
    offices = {o.id: o for o in plan.offices}
    tasks = [[offices[a.office].county, a.office, offices[a.office].name, a.year,
              ACTION_ZH[a.type] if zh else a.type, names.what(a), _quantity(a), a.one_time, a.annual,
              names.closes(a, plan)] for a in plan.actions]
    years = sorted({int(y) for o in plan.offices for y in o.attained})
    timetable_header = (["县区", "司法所编号", "司法所", "类别"] if zh else ["county", "office id", "office", "tier"]) + \
        [f"{y}年" if zh else str(y) for y in years] + (["达标年度"] if zh else ["attains from"])
    timetable = []
    for o in plan.offices:
        done = {y: "；".join(f"{ACTION_ZH[a.type] if zh else a.type} {names.what(a)} {_quantity(a)}".strip()
                            for a in plan.actions if a.office == o.id and a.year == y) for y in years}
        first = next((y for y in years if o.attained[str(y)]), None)
        timetable.append([o.county, o.id, o.name, TIER_ZH[o.tier] if zh else o.tier]
                         + [done[y] or ("—" if zh else "-") for y in years]
                         + [first if first is not None else ("未达标" if zh else "not attained")])
    attainment = [[a.year, SCOPE_ZH.get(a.scope, a.scope) if zh else a.scope,
                   (TIER_ZH.get(a.tier, "全部") if zh else a.tier), a.offices, a.attained, a.target, a.required,
                   ("是" if a.met else f"否（差{a.required - a.attained}个）") if zh else
                   ("yes" if a.met else f"no (short by {a.required - a.attained})")] for a in plan.attainment]
    spending = [[s.year, SCOPE_ZH.get(s.scope, s.scope) if zh else s.scope, s.budget, s.spent,
                 round(s.budget - s.spent, 4)] for s in plan.spending]
    met = sum(a.met for a in plan.attainment)
    summary = [["情景" if zh else "scenario", plan.scenario.name], ["标准" if zh else "standard", plan.standard],
               ["求解状态" if zh else "status", ("最优（已证明）" if plan.status == "optimal" else "可行（未证明最优）")
                if zh else plan.status],
               ["目标缺口" if zh else "shortfall", plan.objective.shortfall],
               ["达标所·年" if zh else "attained office-years", plan.objective.attained_office_years],
               ["总费用（万元）" if zh else "total cost (10k CNY)", plan.objective.total_cost],
               ["完成目标" if zh else "targets met", f"{met}/{len(plan.attainment)}"],
               ["任务数" if zh else "actions", len(plan.actions)]]
    key = "zh" if zh else "en"
    return [Table("summary", SHEETS["summary"][key], HEADERS["summary"][key], summary),
            Table("tasks", SHEETS["tasks"][key], HEADERS["tasks"][key], tasks, (7, 8)),
            Table("timetable", SHEETS["timetable"][key], timetable_header, timetable),
            Table("attainment", SHEETS["attainment"][key], HEADERS["attainment"][key], attainment),
            Table("spending", SHEETS["spending"][key], HEADERS["spending"][key], spending, (2, 3, 4))]


def _quantity(a: Action) -> str:
    if a.type == "hire":
        return f"{a.count}人" if a.count else ""
    if a.type in ("lease", "build", "housing") and a.area_m2:
        return f"{a.area_m2}m²"
    return "1"


class _Names:
    """Chinese names from the scenario's standard, and what each action closes."""

    def __init__(self, loaded: LoadedScenario | None, zh: bool) -> None:
        self.loaded, self.zh = loaded, zh

    def what(self, a: Action) -> str:
        std = self.loaded.standard if self.loaded else None
        if a.type == "hire" and a.role:
            return std.role_zh(a.role) if std and self.zh else a.role
        if a.type == "facility" and a.facility:
            return std.facility_zh(a.facility) if std and self.zh else a.facility
        if a.type == "housing":
            return a.option or ""
        return ("业务用房" if self.zh else "floor area")

    def closes(self, a: Action, plan: PlanResult) -> str:
        if self.loaded is None:
            return ""
        office = next(o for o in self.loaded.offices if o.id == a.office)
        tier = next(o.tier for o in plan.offices if o.id == a.office)
        ts = self.loaded.standard.tiers[tier]  # type: ignore[index]
        if a.type == "hire" and a.role:
            before = office.staff.get(a.role, 0) + sum(  # people of the role hired in earlier years
                x.count or 0 for x in plan.actions
                if x.type == "hire" and x.office == a.office and x.role == a.role and x.year < a.year)
            need = ts.min_staff.get(a.role, 0)
            ratio = self.loaded.standard.caseload_ratios.get(a.role)
            if ratio:
                need = max(need, -(-max(office.caseload_in(ratio.field, y) for y in self.loaded.years)
                                   // ratio.per_worker))
            name = self.what(a)
            return (f"{name} {before}→{before + (a.count or 0)}（标准 {need}）" if self.zh
                    else f"{name} {before}→{before + (a.count or 0)} (standard {need})")
        if a.type in ("lease", "build", "housing"):
            need = ts.min_floor_area_m2[office.kind]
            return (f"业务用房 {office.floor_area_m2}m²（标准 {need}m²）" if self.zh
                    else f"floor area {office.floor_area_m2} m² (standard {need} m²)")
        return ("功能室" if self.zh else "room") + f"：{self.what(a)}"
