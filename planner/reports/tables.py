"""The plan's tables as plain rows, in Chinese or English: the one source for xlsx, csv and html.

Names of roles and rooms come from the standard; what each task closes ("专职人民调解员 1→2（标准 2）")
from the scenario's offices. Both are optional: without the scenario the tables still list every
action, with ids and an empty requirement column (`load_context` says why on its `note`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planner.analysis.milestones import Milestone, plan_milestones
from planner.errors import ScenarioError
from planner.io.loading import LoadedScenario, load_standard_file
from planner.io.scenario import Office
from planner.io.standards import TIER_ZH, AnyOf, Standard, standard_path
from planner.plan import Action, PlanResult
from planner.reports.labels import (
    HEADERS,
    QUARTER_LABEL,
    SHEETS,
    STATUS_ZH,
    T_ANNUAL,
    T_AREA,
    T_DUE,
    T_ONE_TIME,
    T_PEOPLE,
    TIER_ALL,
    TIMETABLE_HEAD,
    TIMETABLE_TAIL,
    TOTAL,
    UNVERIFIED,
    VERIFIED,
    WHOLE,
)
from planner.rules.actions import lead_years, spec
from planner.rules.needs import area_need, staff_need
from planner.rules.scopes import ALL
from planner.rules.targets import scope_zh


@dataclass(frozen=True)
class Table:
    key: str  # summary | tasks | timetable | attainment | spending
    title: str
    header: list[str]
    rows: list[list[Any]]
    money_columns: tuple[int, ...] = ()
    rate_columns: tuple[int, ...] = ()
    banner: str = ""  # "未核验 …" on every sheet/page of an unverified plan
    count_columns: tuple[int, ...] = ()  # whole numbers (人, m²)
    date_columns: tuple[int, ...] = ()
    totals: int = 0  # the last rows are 合计 / 全市 rows, not records

    @property
    def body(self) -> list[list[Any]]:
        """The records, without the 合计 / 全市 rows."""
        return self.rows[: len(self.rows) - self.totals]


@dataclass
class Context:
    """What the tables may draw on besides plan.json: the scenario and/or its standard."""

    loaded: LoadedScenario | None = None
    standard: Standard | None = None
    notes: list[str] = field(default_factory=list)  # why something is missing, for stderr
    verified: bool = True  # False: used with --force, not checked against its own scenario



def load_context(plan: PlanResult, loaded: LoadedScenario | None, verified: bool = True,
                 scenario: Path | None = None) -> Context:
    """What the tables draw on: the scenario the plan was checked against (verify.check_plan_file).

    Without one (--force, scenario not loadable) the standard alone (built-in id, or a path
    relative to the scenario's folder), then ids; the tables then say 未核验."""
    if loaded is not None:
        return Context(loaded, loaded.standard, verified=verified)
    source = scenario or Path(plan.scenario.file)
    ctx = Context(verified=False)
    ref = plan.standard
    path = standard_path(ref, source.parent)
    try:
        ctx.standard = load_standard_file(path, str(path))
    except (ScenarioError, OSError):
        ctx.notes.append(f"could not load the standard {ref}; roles and rooms are shown by id")
    return ctx


def build_tables(plan: PlanResult, ctx: Context | LoadedScenario | None, lang: str = "zh") -> list[Table]:
    """汇总, 任务清单, 时间进度表, 达标情况, 经费 as header + rows."""
    if not isinstance(ctx, Context):  # a LoadedScenario (as `plan solve` has one) or nothing
        ctx = Context(ctx, ctx.standard if ctx else None)
    key = "zh" if lang == "zh" else "en"
    names = _Names(ctx, plan, key == "zh")
    years = plan_years(plan)
    summary = summary_rows(plan, key == "zh") + [["核验" if key == "zh" else "verification",
                                                 (VERIFIED if ctx.verified else UNVERIFIED)[key]]]
    tasks = [names.task_row(n, a, ms) for n, (a, ms) in enumerate(zip(plan.actions, names.milestones), 1)]
    timetable = [names.timetable_row(n, o.id, years) for n, o in enumerate(plan.offices, 1)]
    width = len(TIMETABLE_HEAD[key]) + 4 * len(years)
    whole = whole_scenario_rows(plan, key)
    tables = [
        Table("summary", SHEETS["summary"][key], HEADERS["summary"][key], summary),
        Table("tasks", SHEETS["tasks"][key], HEADERS["tasks"][key], tasks + [total_row(tasks, 14, T_PEOPLE, 4, key)],
              money_columns=(T_ONE_TIME, T_ANNUAL), count_columns=(T_PEOPLE, T_AREA), date_columns=(T_DUE,),
              totals=1),
        Table("timetable", SHEETS["timetable"][key],
              TIMETABLE_HEAD[key] + [f"{y}年{q}" if key == "zh" else f"{y} {q}" for y in years
                                     for q in QUARTER_LABEL[key]] + TIMETABLE_TAIL[key],
              timetable + [total_row(timetable, width + 6, width, 4, key)],
              money_columns=(width + 2, width + 3), count_columns=(width, width + 1), date_columns=(width + 4,),
              totals=1),
        Table("attainment", SHEETS["attainment"][key], HEADERS["attainment"][key],
              [_attainment_row(a, key) for a in plan.attainment] + whole, rate_columns=(5, 8), totals=len(whole)),
        Table("spending", SHEETS["spending"][key], HEADERS["spending"][key],
              [[s.year, scope_label(s.scope, key), s.budget, s.spent, round(s.budget - s.spent, 4)]
               for s in plan.spending], money_columns=(2, 3, 4)),
        *explanation_tables(plan.explanations or {}, key, names),
    ]
    if ctx.verified:
        return tables
    return [replace(t, banner=UNVERIFIED[key]) for t in tables]


def explanation_tables(explanations: dict[str, Any], key: str, names: Names) -> list[Table]:
    """各所说明 and 边际价值 from plan.json's `explanations` (`plan solve --explain`), when there;
    a quota's role by its name in the standard, each variant's status in the sheet's language."""
    zh = key == "zh"
    out = []
    if isinstance(explanations.get("offices"), list):
        rows = []
        for o in explanations["offices"]:
            first = (o.get("cheapest") or [{}])[0]
            years = [y for y, a in (o.get("attained") or {}).items() if a]
            why = [w["text_zh" if zh else "text_en"] for w in o.get("not_attained", [])]
            rows.append([o["county"], o["id"], o["name"], tier_label(o["tier"], key),
                         ("、" if zh else ", ").join(years) or ("无" if zh else "none"),
                         first.get("total_cost", "不可能" if zh else "impossible"),
                         "\n".join(why) or ("每年达标" if zh else "attained every year")])
        out.append(Table("why", SHEETS["why"][key], HEADERS["why"][key], rows, money_columns=(5,)))
    marginal = explanations.get("marginal")
    if isinstance(marginal, dict):
        rows = []
        for direction, values in (("gains", marginal.get("gains", [])), ("losses", marginal.get("losses", []))):
            label = {"gains": ("增加", "more"), "losses": ("减少", "less")}[direction][0 if zh else 1]
            for i, v in enumerate(values, 1):
                what = ("预算" if zh else "budget") if v["kind"] == "budget" else (
                    f"{names.role(v['role'])}名额" if zh else f"{names.role(v['role'])} quota")
                limit = f"{scope_label(v['scope'], key)} {v['year']}{' 年' if zh else ' '}{what}"
                rows.append([i, label, limit, v["change"], v["before"], v["after"],
                             v["delta_attained_office_years"], v["delta_shortfall"], v["delta_total_cost"],
                             STATUS_ZH.get(v["status"], v["status"]) if zh else v["status"],
                             v["text_zh" if zh else "text_en"]])
        out.append(Table("marginal", SHEETS["marginal"][key], HEADERS["marginal"][key], rows, money_columns=(8,)))
    return out


def total_row(rows: list[list[Any]], width: int, first: int, n: int, key: str) -> list[Any]:
    """合计: the sums of the `n` number columns from `first` on; the label under 序号."""
    out: list[Any] = [TOTAL[key]] + [None] * (width - 1)
    for col in range(first, first + n):
        total = sum(r[col] or 0 for r in rows)
        out[col] = round(total, 4) if isinstance(total, float) else total
    return out


def whole_scenario_rows(plan: PlanResult, key: str) -> list[list[Any]]:
    """全市: per year and tier with a target on a county, city or province, the attainment over the
    whole scenario (every office of the tier); the target rate where all scopes share one."""
    cells: dict[tuple[int, str], list[Any]] = {}
    for a in plan.attainment:
        cells.setdefault((a.year, a.tier), []).append(a)
    out = []
    for (year, tier), group in cells.items():
        if any(a.scope == ALL for a in group):
            continue  # that row is already the whole scenario's
        offices = [o for o in plan.offices if tier == "all" or o.tier == tier]
        attained = sum(1 for o in offices if o.attained.get(str(year)))
        rates = {a.target for a in group}
        missed = sum(not a.met for a in group)
        met = ("是" if not missed else f"否（{missed}项未完成）") if key == "zh" else (
            "yes" if not missed else f"no ({missed} missed)")
        out.append([year, WHOLE[key], tier_label(tier, key), len(offices), attained,
                    rates.pop() if len(rates) == 1 else None, sum(a.required for a in group), met,
                    round(attained / len(offices), 4) if offices else None])
    return out


def plan_years(plan: PlanResult) -> list[int]:
    return sorted({int(y) for o in plan.offices for y in o.attained})


def first_attained(plan: PlanResult, office_id: str) -> int | None:
    """The first year from which the office stays attained to the horizon's end, or None."""
    attained = next(o.attained for o in plan.offices if o.id == office_id)
    years = sorted(int(y) for y in attained)
    first = None
    for y in years:
        if attained[str(y)]:
            first = first if first is not None else y
        else:
            first = None
    return first


def scope_label(scope: str, key: str) -> str:
    return scope_zh(scope) if key == "zh" else scope


def tier_label(tier: str, key: str) -> str:
    return (TIER_ZH.get(tier, TIER_ALL["zh"]) if key == "zh" else tier)


def summary_rows(plan: PlanResult, zh: bool) -> list[list[Any]]:
    met = sum(a.met for a in plan.attainment)
    years = plan_years(plan)
    horizon = f"{years[0]}–{years[-1]}" if years else ""
    return [["情景" if zh else "scenario", plan.scenario.name],
            ["情景文件" if zh else "scenario file", plan.scenario.file],
            ["标准" if zh else "standard", plan.standard],
            ["规划期" if zh else "horizon", horizon],
            ["司法所数" if zh else "offices", len(plan.offices)],
            ["求解状态" if zh else "status", STATUS_ZH[plan.status] if zh else plan.status],
            ["目标缺口" if zh else "shortfall", plan.objective.shortfall],
            ["达标所·年" if zh else "attained office-years", plan.objective.attained_office_years],
            ["总费用（万元）" if zh else "total cost (10k CNY)", plan.objective.total_cost],
            ["完成目标" if zh else "targets met", f"{met}/{len(plan.attainment)}"],
            ["任务数" if zh else "actions", len(plan.actions)]]


def _attainment_row(a: Any, key: str) -> list[Any]:
    short = a.required - a.attained
    met = ("是" if a.met else f"否（差{short}个）") if key == "zh" else ("yes" if a.met else f"no (short by {short})")
    return [a.year, scope_label(a.scope, key), tier_label(a.tier, key), a.offices, a.attained, a.target,
            a.required, met, round(a.attained / a.offices, 4) if a.offices else None]


def people(a: Action) -> int | None:
    return a.count if spec(a).effect == "staff" else None


def area(a: Action) -> int | None:
    return a.area_m2 if spec(a).effect == "area" else None


def quantity(a: Action) -> str:
    effect = spec(a).effect
    if effect == "staff":
        return f"{a.count}人" if a.count else ""
    if effect == "area" and a.area_m2:
        return f"{a.area_m2}m²"
    return "1"


class Names:
    """Roles and rooms by the standard's name (Chinese or English), housing options by their `name`
    in the scenario; an id where neither knows it. The one namer of the task list, compare, explain."""

    def __init__(self, ctx: Context | LoadedScenario | None, zh: bool) -> None:
        if not isinstance(ctx, Context):
            ctx = Context(ctx, ctx.standard if ctx else None)
        self.ctx, self.zh = ctx, zh
        self.offices: dict[str, Office] = {o.id: o for o in ctx.loaded.offices} if ctx.loaded else {}

    def action(self, a: Action) -> str:
        return spec(a).zh if self.zh else spec(a).en

    def role(self, role: str) -> str:
        std = self.ctx.standard
        if std is None or role not in std.roles:
            return role
        return std.roles[role].name_zh if self.zh else (std.roles[role].name_en or role)

    def room(self, fid: str) -> str:
        std = self.ctx.standard
        if std is None or fid not in std.facilities:
            return fid
        return std.facilities[fid].name_zh if self.zh else (std.facilities[fid].name_en or fid)

    def what(self, a: Action) -> str:
        """What the action is about: the role, the room, the housing option, else floor area."""
        item, names = spec(a).item, {"role": self.role, "facility": self.room}
        if item == "option":
            return self.option(a.office, a.option or "")
        if item in names and (value := spec(a).item_of(a)):
            return names[item](value)
        return "业务用房" if self.zh else "floor area"

    def named(self, a: Action) -> str:
        """What the action does and how much, as a milestone names it: 专职人民调解员 1人, 业务用房 50m²."""
        amount = quantity(a)
        return f"{self.what(a)} {amount}" if amount not in ("", "1") else self.what(a)

    def responsible(self, county: str, office: str) -> str:
        """责任单位: the county's 司法局 and the office's 司法所 (泰兴市司法局 / 黄桥镇司法所)."""
        if not self.zh:
            return f"{county} justice bureau / {office} justice office"
        return f"{_suffixed(county, '司法局')} / {_suffixed(office, '司法所')}"

    def option(self, office_id: str, option_id: str) -> str:
        """A housing option by its `name` where the scenario gives one, else its id."""
        office = self.offices.get(office_id)
        opt = next((h for h in office.housing_options if h.id == option_id), None) if office else None
        return (opt.name if opt is not None and opt.name else None) or option_id


def _suffixed(name: str, unit: str) -> str:
    return name if name.endswith(unit) else name + unit


class _Names(Names):
    """Names and, from the scenario, what each task closes."""

    def __init__(self, ctx: Context, plan: PlanResult, zh: bool) -> None:
        super().__init__(ctx, zh)
        self.plan = plan
        self.records = {o.id: o for o in plan.offices}
        # Milestones are Chinese phrases (启动招录…到岗, as in the Word draft): they name what they
        # concern in Chinese in every language, never '启动招录full-time mediators'.
        self.milestones, self.acceptance = plan_milestones(plan, ctx.loaded, Names(ctx, True).named)

    def task_row(self, n: int, a: Action, milestones: list[Milestone]) -> list[Any]:
        o = self.records[a.office]
        return [n, self.responsible(o.county, o.name), o.county, a.office, o.name, a.year, self.action(a),
                self.what(a), people(a), area(a), a.one_time, a.annual, milestones[-1].due, self.closes(a)]

    def timetable_row(self, n: int, office_id: str, years: list[int]) -> list[Any]:
        """Per quarter the office's milestones (Chinese, as in the Word draft), then its totals."""
        o = self.records[office_id]
        acts = [(a, ms) for a, ms in zip(self.plan.actions, self.milestones) if a.office == office_id]
        steps = [m for _, ms in acts for m in ms] + [m for m in self.acceptance if m.office == office_id]
        cells = []
        for y in years:
            for q in range(1, 5):
                done = [m.text for m in steps if (m.year, m.quarter) == (y, q)]
                cells.append("；".join(done) if done else None)
        first = first_attained(self.plan, office_id)
        tail = first if first is not None else ("未达标" if self.zh else "not attained")
        sums = [sum(people(a) or 0 for a, _ in acts), sum(area(a) or 0 for a, _ in acts),
                round(sum(a.one_time for a, _ in acts), 4), round(sum(a.annual for a, _ in acts), 4)]
        due = max((m.due for m in steps), default=None)
        return ([n, self.responsible(o.county, o.name), o.county, o.id, o.name,
                 tier_label(o.tier, "zh" if self.zh else "en")] + cells + sums + [due, tail])

    def closes(self, a: Action) -> str:
        """The requirement the task works towards: have → have after（standard）. `have` counts the
        office's earlier actions that have taken effect by the year this one does (a build's area
        only after its lead time)."""
        loaded, office = self.ctx.loaded, self.offices.get(a.office)
        if loaded is None or office is None:
            return ""
        tier = self.records[a.office].tier
        effective = a.year + lead_years(loaded, office, a)
        earlier = [x for x in self.plan.actions if x.office == a.office and x.year < a.year
                   and x.year + lead_years(loaded, office, x) <= effective]
        effect = spec(a).effect
        if effect == "staff" and a.role:
            return self._closes_staff(loaded, office, tier, a, earlier)
        if effect == "area":
            return self._closes_area(loaded, office, tier, a, earlier)
        if effect == "room" and a.facility:
            return self._closes_room(loaded, tier, a)
        return ""

    def _closes_staff(self, loaded: LoadedScenario, office: Office, tier: str, a: Action,
                      earlier: list[Action]) -> str:
        role = a.role or ""
        before = office.staff.get(role, 0) + sum(
            x.count or 0 for x in earlier if spec(x).effect == "staff" and x.role == role)
        # the most the standard asks for from this year on (a caseload may grow)
        need = max(staff_need(loaded.standard, tier, office, role, y) for y in loaded.years if y >= a.year)
        after = before + (a.count or 0)
        std_word = "标准" if self.zh else "standard"
        return f"{self.what(a)} {before}→{after}（{std_word} {need}）" if self.zh else \
            f"{self.what(a)} {before}→{after} ({std_word} {need})"

    def _closes_area(self, loaded: LoadedScenario, office: Office, tier: str, a: Action,
                     earlier: list[Action]) -> str:
        before = office.floor_area_m2 + sum(x.area_m2 or 0 for x in earlier if spec(x).effect == "area")
        after = before + (a.area_m2 or 0)
        need = area_need(loaded.standard, tier, office)
        return f"业务用房 {before}→{after}m²（标准 {need}m²）" if self.zh else \
            f"floor area {before}→{after} m² (standard {need} m²)"

    def _closes_room(self, loaded: LoadedScenario, tier: str, a: Action) -> str:
        ts = loaded.standard.tiers[tier]  # type: ignore[index]
        alt = next((item for item in ts.facilities if isinstance(item, AnyOf)
                    and any(a.facility in g for g in item.any_of)), None)
        std_word = "标准" if self.zh else "standard"
        tier_name = ts.name_zh if self.zh else f"{tier} office"
        extra = ""
        if alt is not None:  # e.g. 依法治理室+法治宣传室 or the merged 法治建设室
            extra = (": " if not self.zh else "：") + (" 或 " if self.zh else " or ").join(
                "+".join(self.room(f) for f in group) for group in alt.any_of)
        return f"{self.what(a)} 无→有（{tier_name}{std_word}{extra}）" if self.zh else \
            f"{self.what(a)} none→present ({tier_name} {std_word}{extra})"
