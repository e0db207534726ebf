"""Side-by-side comparison of plans: KPIs per plan and differences per office (`plan compare`).

A plan comes from a `plan.json` already solved (recognised by content: `"format": "plan-result/1"`)
or from a scenario file, solved here (planner/pipeline.py). Every
figure is read from the plan itself (docs/reference.md §9), so solved and loaded plans compare alike; costs are
summed in whole yuan (docs/reference.md §1) and only then shown in 万元.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.analysis.replan import churn_section, earlier_of, from_scenario
from planner.errors import ScenarioError, ScenarioIssue
from planner.io.loading import load_scenario
from planner.io.scenario import to_wan, to_yuan
from planner.io.standards import TIERS
from planner.pipeline import plan_scenario
from planner.plan import FORMAT, Action, Churn, EarlierRef, PlanResult, PlanTooLarge, read_plan_bytes
from planner.reports.tables import Names
from planner.rules.actions import spec
from planner.rules.requirements import derive
from planner.rules.targets import ALL, TargetCell
from planner.rules.verify import check_plan_file
from planner.solver.params import SolveParams
from planner.solver.status import SolveStatus

TIER_ORDER = (*TIERS, ALL)


class NoPlanError(Exception):
    """A scenario to compare has no plan: hard targets infeasible, or nothing found in time."""

    def __init__(self, file: str, status: str, conflict: tuple[TargetCell, ...] = ()) -> None:
        self.file, self.status, self.conflict = file, status, conflict
        what = ("its hard targets cannot all be met (try --soft-targets)" if status == SolveStatus.INFEASIBLE
                else "no plan was found within the time limit (try a longer --time-limit)")
        super().__init__(f"{file}: {what}")


@dataclass(frozen=True)
class ComparedPlan:
    label: str  # the path as the user gave it
    source: str  # "scenario" (solved here) or "plan" (read from plan.json)
    plan: PlanResult
    verified: bool = True  # False: a plan.json let through by --force (another scenario version)
    loaded: Any = None  # the scenario it was solved from or checked against (names of roles, rooms)


def is_plan_file(path: Path) -> bool:
    """A plan.json is recognised by its content, not its name: JSON with the plan-result format.
    A file over the plan size cap counts as one, so that reading it refuses it with the cap."""
    try:
        data = json.loads(read_plan_bytes(path))
    except PlanTooLarge:
        return True
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT


def solve_scenario_file(path: Path, display: str, params: SolveParams,
                        soft_targets: bool | None = None) -> tuple[PlanResult, Any]:
    """Load, derive, solve and make the plan of one scenario file (with the loaded scenario);
    raises `NoPlanError` without one."""
    loaded = load_scenario(path, display)
    earlier = from_scenario(loaded)  # a scenario from `plan advance` keeps to its plan, as `plan solve` does
    run = plan_scenario(loaded, params, soft_targets=soft_targets, earlier=earlier, verify=False)
    if run.plan is None:
        raise NoPlanError(display, run.status, run.outcome.conflict)
    return run.plan, loaded


def load_for_compare(path: Path, params: SolveParams, soft_targets: bool | None = None,
                     force: bool = False) -> ComparedPlan:
    """A plan.json is checked against the scenario it names (verify.check_plan_file: refused when it
    fails); anything else is taken for a scenario and solved."""
    display = str(path)
    if not path.is_file():
        raise ScenarioError([ScenarioIssue(display, None, "", "file not found")])
    if is_plan_file(path):
        checked = check_plan_file(path, force=force)
        return ComparedPlan(display, "plan", checked.plan, checked.verified, checked.loaded)
    plan, loaded = solve_scenario_file(path, display, params, soft_targets)
    return ComparedPlan(display, "scenario", plan, loaded=loaded)


# ---------------------------------------------------------------- KPIs


@dataclass(frozen=True)
class TierRate:
    offices: int
    attained: int
    target: float | None  # the target rate of that tier and year, if any

    @property
    def rate(self) -> float | None:
        return self.attained / self.offices if self.offices else None


@dataclass(frozen=True)
class Kpis:
    """The figures a planner puts side by side, all read from one plan."""

    status: str
    targets_mode: str
    shortfall: int
    attained_office_years: int  # weighted, as the objective (docs/reference.md §7)
    total_cost: float  # 万元
    cost_by_year: dict[int, float]  # 万元, docs/reference.md §5 costs falling in each horizon year
    attainment: dict[tuple[int, str], TierRate]  # (year, tier or "all") → rate against target
    targets_met: int
    targets_total: int
    hires: dict[str, int]  # role → people hired over the horizon
    years: tuple[int, ...]

    @property
    def posts_filled(self) -> int:
        """New 政法专编 (the `posts` role) filled by the plan."""
        return self.hires.get("posts", 0)

    @property
    def cost_per_year(self) -> float:
        return round(self.total_cost / len(self.years), 4) if self.years else 0.0


def plan_years(plan: PlanResult) -> tuple[int, ...]:
    years = {int(y) for o in plan.offices for y in o.attained} | {a.year for a in plan.actions}
    return tuple(sorted(years))


def cost_by_year(plan: PlanResult, years: tuple[int, ...]) -> dict[int, int]:
    """Yuan falling in each year (docs/reference.md §5): one-time + annual in the action's year, annual after."""
    out = dict.fromkeys(years, 0)
    for a in plan.actions:
        one_time, annual = to_yuan(a.one_time), to_yuan(a.annual)
        for y in years:
            if y == a.year:
                out[y] += one_time + annual
            elif y > a.year:
                out[y] += annual
    return out


def kpis(plan: PlanResult) -> Kpis:
    years = plan_years(plan)
    targets: dict[tuple[int, str], float] = {}
    for rec in plan.attainment:  # the same rate in every scope; the first one stands for all
        targets.setdefault((rec.year, rec.tier), rec.target)
    counts: Counter[tuple[int, str]] = Counter()
    attained: Counter[tuple[int, str]] = Counter()
    for o in plan.offices:
        for y in years:
            for tier in (o.tier, ALL):
                counts[(y, tier)] += 1
                attained[(y, tier)] += bool(o.attained.get(str(y)))
    rates = {(y, t): TierRate(counts[(y, t)], attained[(y, t)], targets.get((y, t)))
             for y in years for t in TIER_ORDER if counts[(y, t)] and (t != ALL or (y, t) in targets)}
    hires: Counter[str] = Counter()
    for a in plan.actions:
        if spec(a).effect == "staff" and a.role:
            hires[a.role] += a.count or 0
    return Kpis(
        status=plan.status, targets_mode=plan.targets_mode, shortfall=plan.objective.shortfall,
        attained_office_years=plan.objective.attained_office_years, total_cost=plan.objective.total_cost,
        cost_by_year={y: to_wan(v) for y, v in cost_by_year(plan, years).items()}, attainment=rates,
        targets_met=sum(r.met for r in plan.attainment), targets_total=len(plan.attainment),
        hires=dict(sorted(hires.items())), years=years)


# ---------------------------------------------------------------- differences per office


@dataclass(frozen=True)
class OfficeDiff:
    """How one office fares in the baseline plan (the first) and in another plan."""

    office: str
    name: str
    other: str  # the other plan's label
    only_in_base: list[int] = field(default_factory=list)  # years attained in the baseline only
    only_in_other: list[int] = field(default_factory=list)  # years attained in the other only
    actions_base: list[str] = field(default_factory=list)  # actions the baseline takes, the other not
    actions_other: list[str] = field(default_factory=list)  # and the other way round
    missing_in: str | None = None  # "base" / "other" when the office is in one plan only

    def to_dict(self) -> dict[str, Any]:
        return {"office": self.office, "name": self.name, "other": self.other,
                "attained_only_in_base": self.only_in_base, "attained_only_in_other": self.only_in_other,
                "actions_only_in_base": self.actions_base, "actions_only_in_other": self.actions_other,
                "missing_in": self.missing_in}


def describe_action(a: Action, names: Names | None = None) -> str:
    """One line per action, e.g. `2022 hire mediators ×2`, `2023 housing annex-lease 150 m²`;
    with Chinese `names`: `2022 招录/聘用 专职人民调解员 ×2`, `2023 用房方案 东侧附楼 150 m²`."""
    kind = spec(a)
    if names is not None and names.zh:
        what = [names.what(a)] if kind.item else []
        qty = [f"×{a.count}"] if kind.effect == "staff" else [f"{a.area_m2} m²"] if a.area_m2 else []
        return " ".join([str(a.year), names.action(a), *what, *qty])
    qty = [f"×{a.count}"] if kind.effect == "staff" else [f"{a.area_m2} m²"] if kind.effect == "area" else []
    return " ".join([str(a.year), a.type, *([str(kind.item_of(a))] if kind.item else []), *qty])


def actions_by_office(plan: PlanResult, names: Names | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in sorted(plan.actions, key=lambda a: (a.office, a.year, a.type, describe_action(a))):
        out.setdefault(a.office, []).append(describe_action(a, names))
    return out


def plan_names(p: ComparedPlan, zh: bool) -> Names | None:
    """Chinese names of roles, rooms and options for a plan's actions (None: ids, as in --json)."""
    return Names(p.loaded, zh=True) if zh else None


def office_differences(base: ComparedPlan, other: ComparedPlan, zh: bool = False) -> list[OfficeDiff]:
    """Offices whose attainment or actions differ between two plans, in the baseline's order;
    actions named in Chinese when `zh`, else by id."""
    b_off = {o.id: o for o in base.plan.offices}
    o_off = {o.id: o for o in other.plan.offices}
    b_act = actions_by_office(base.plan, plan_names(base, zh))
    o_act = actions_by_office(other.plan, plan_names(other, zh))
    ids = list(b_off) + [i for i in o_off if i not in b_off]
    diffs = []
    for oid in ids:
        if oid not in o_off or oid not in b_off:
            rec = b_off.get(oid) or o_off[oid]
            diffs.append(OfficeDiff(oid, rec.name, other.label, missing_in="other" if oid not in o_off else "base"))
            continue
        bo, oo = b_off[oid], o_off[oid]
        years = sorted({int(y) for y in bo.attained} | {int(y) for y in oo.attained})
        only_b = [y for y in years if bo.attained.get(str(y)) and not oo.attained.get(str(y))]
        only_o = [y for y in years if oo.attained.get(str(y)) and not bo.attained.get(str(y))]
        ab, ao = Counter(b_act.get(oid, [])), Counter(o_act.get(oid, []))
        act_b, act_o = sorted((ab - ao).elements()), sorted((ao - ab).elements())
        if only_b or only_o or act_b or act_o:
            diffs.append(OfficeDiff(oid, bo.name, other.label, only_b, only_o, act_b, act_o))
    return diffs


def compare(plans: list[ComparedPlan]) -> dict[str, Any]:
    """The whole comparison as plain data (what `plan compare --json` prints)."""
    base = plans[0]
    return {
        "plans": [{"label": p.label, "source": p.source, "scenario": p.plan.scenario.name,
                   "kpis": kpis_dict(kpis(p.plan))} for p in plans],
        "baseline": base.label,
        "differences": [{"other": p.label, "offices": [d.to_dict() for d in office_differences(base, p)]}
                        for p in plans[1:]],
        "churn": [{"other": p.label, **plan_churn(base, p).model_dump(exclude_none=True)} for p in plans[1:]],
    }


def plan_churn(base: ComparedPlan, other: ComparedPlan) -> Churn:
    """How `other` changes the baseline's actions in its own horizon (docs/reference.md §9 `churn`),
    with the input changes behind them when both scenarios are known (planner/analysis/churn_causes.py)."""
    years = list(other.loaded.years) if other.loaded is not None else list(plan_years(other.plan))
    ref = EarlierRef(plan=base.label, source="compare", verified=base.verified)
    earlier = earlier_of(base.plan, base.loaded, years, {o.id for o in other.plan.offices}, ref)
    req = derive(other.loaded) if other.loaded is not None else None
    return churn_section(earlier, other.plan.actions, years, other.loaded, req)


def kpis_dict(k: Kpis) -> dict[str, Any]:
    return {
        "status": k.status, "targets_mode": k.targets_mode, "shortfall": k.shortfall,
        "targets_met": k.targets_met, "targets_total": k.targets_total,
        "attained_office_years": k.attained_office_years, "total_cost": k.total_cost,
        "cost_per_year": k.cost_per_year, "cost_by_year": {str(y): v for y, v in k.cost_by_year.items()},
        "attainment": [{"year": y, "tier": t, "offices": r.offices, "attained": r.attained,
                        "rate": None if r.rate is None else round(r.rate, 4), "target": r.target}
                       for (y, t), r in sorted(k.attainment.items(),
                                               key=lambda kv: (kv[0][0], TIER_ORDER.index(kv[0][1])))],
        "posts_filled": k.posts_filled, "hires": k.hires,
    }


# ---------------------------------------------------------------- the KPI table, as rows


@dataclass(frozen=True)
class KpiRow:
    """One line of the side-by-side table: a metric, its year if any, a value per plan."""

    metric: str  # machine name, e.g. `attainment.small`, `cost`, `hires.mediators`
    label: str  # what a planner reads (Chinese, English alongside)
    year: int | None
    values: list[Any]  # raw, per plan (None where the plan has no such figure)
    text: list[str]  # as shown, per plan


TIER_LABEL = {"large": "大型 large", "medium": "中型 medium", "small": "小型 small", ALL: "全部 all"}


def kpi_rows(all_kpis: list[Kpis], names: Names | None = None) -> list[KpiRow]:
    """Rows in the order a planner reads them: outcome, attainment, money, people; roles by their
    Chinese names when `names` is given."""
    rows: list[KpiRow] = []

    def add(metric: str, label: str, year: int | None, values: list[Any], text: list[str]) -> None:
        rows.append(KpiRow(metric, label, year, values, text))

    add("status", "状态 status", None, [k.status for k in all_kpis], [k.status for k in all_kpis])
    met = [f"{k.targets_met}/{k.targets_total}" for k in all_kpis]
    add("targets_met", "目标达成 targets met", None, met, met)
    add("shortfall", "缺口 shortfall", None, [k.shortfall for k in all_kpis],
        [str(k.shortfall) for k in all_kpis])
    add("attained_office_years", "达标所·年 attained office-years", None,
        [k.attained_office_years for k in all_kpis], [str(k.attained_office_years) for k in all_kpis])
    cells = sorted({c for k in all_kpis for c in k.attainment}, key=lambda c: (c[0], TIER_ORDER.index(c[1])))
    for year, tier in cells:
        rates = [k.attainment.get((year, tier)) for k in all_kpis]
        targets = {r.target for r in rates if r is not None}
        shared = len(targets) == 1 and None not in targets  # one target: say it once, in the label
        label = f"达标率 attainment {TIER_LABEL[tier]}" + (f" · 目标 target {targets.pop():.0%}" if shared else "")
        add(f"attainment.{tier}", label, year,
            [None if r is None or r.rate is None else round(r.rate, 4) for r in rates],
            [_rate_text(r, with_target=not shared) for r in rates])
    add("total_cost", "总费用 total cost (万元)", None, [k.total_cost for k in all_kpis],
        [f"{k.total_cost:,.4f}" for k in all_kpis])
    add("cost_per_year", "年均费用 cost per year (万元)", None, [k.cost_per_year for k in all_kpis],
        [f"{k.cost_per_year:,.4f}" for k in all_kpis])
    for year in sorted({y for k in all_kpis for y in k.cost_by_year}):
        vals = [k.cost_by_year.get(year) for k in all_kpis]
        add("cost", "当年费用 cost in year (万元)", year, vals,
            ["—" if v is None else f"{v:,.4f}" for v in vals])
    add("posts_filled", "新增政法专编 posts filled", None, [k.posts_filled for k in all_kpis],
        [str(k.posts_filled) for k in all_kpis])
    for role in sorted({r for k in all_kpis for r in k.hires}):
        vals = [k.hires.get(role, 0) for k in all_kpis]
        add(f"hires.{role}", f"招录/聘用 {names.role(role)}" if names else f"招录/聘用 hires {role}", None, vals,
            [str(v) for v in vals])
    return rows


def _rate_text(r: TierRate | None, with_target: bool) -> str:
    """`92% (11/12)`, with ✗ when below the target (and the target itself when plans differ)."""
    if r is None or r.rate is None:
        return "—"
    text = f"{r.rate:.0%} ({r.attained}/{r.offices})"
    if r.target is not None:
        text += f" 目标{r.target:.0%}" if with_target else ""
        text += "" if r.rate >= r.target - 1e-9 else " ✗"
    return text
