"""Re-check any plan (also a hand-edited one) against docs/reference.md §4–§6 from the scenario alone.

Imports nothing of the CP-SAT model, nor the plan writer's figures (`evaluate.compute_figures`):
its own recount (`planner/rules/recount.py`) rebuilds each office's state year by year from the plan's
actions and it compares every figure the plan claims.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from planner.analysis.churn import check_churn, counts
from planner.errors import ScenarioError, ScenarioIssue, format_path
from planner.i18n import tr
from planner.io.loading import LoadedScenario, load_scenario
from planner.io.scenario import to_wan, to_yuan
from planner.plan import Action, PlanResult, PlanTooLarge, read_plan_bytes
from planner.rules.actions import ActionError, ActionType, price
from planner.rules.classify import classify_all
from planner.rules.recount import Recount, action_cost, recount
from planner.rules.requirements import derive
from planner.solver.status import Level, SolveStatus


@dataclass(frozen=True)
class Violation:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def read_plan_for_verify(path: Path) -> tuple[PlanResult | None, list[Violation]]:
    """Parse a plan.json; structural problems (NaN included) are violations, not tracebacks.

    A file over MAX_PLAN_BYTES is invalid input (ScenarioError, exit 1), refused unread."""
    try:
        data = json.loads(read_plan_bytes(path).decode("utf-8"))
    except PlanTooLarge as exc:
        raise ScenarioError([ScenarioIssue(str(path), None, "", str(exc))]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [Violation(str(path), f"not a readable plan.json ({exc})")]
    try:
        return PlanResult.model_validate(data), []
    except ValidationError as exc:
        return None, [Violation(f"{path}: {format_path(tuple(e['loc']))}", e["msg"]) for e in exc.errors()]


def verify_plan(loaded: LoadedScenario, plan: PlanResult) -> list[Violation]:
    """Every violation of docs/reference.md §4–§6 and every false claim in the plan; [] = the plan holds."""
    tiers = {oid: c.tier for oid, c in classify_all(loaded.offices, loaded.standard).items()}
    v = _check_header(loaded, plan)
    good, bad = _check_actions(loaded, plan)
    v += bad + _once_only(good)
    f = recount(loaded, tiers, good, derive(loaded).scope_members())
    v += _check_offices(loaded, plan, tiers, f)
    v += _check_limits(loaded, plan, f)
    v += _check_targets(loaded, plan, f)
    v += _check_objective(plan, f)
    v += _check_stages(plan, f) + _check_churn(plan, loaded.years)
    return v


def _check_header(loaded: LoadedScenario, plan: PlanResult) -> list[Violation]:
    """The plan is this scenario's: its standard and its name (the title of every report and sheet)."""
    v: list[Violation] = []
    if plan.standard != loaded.standard_ref:
        v.append(Violation("standard", f"plan is for {plan.standard!r}, the scenario uses {loaded.standard_ref!r}"))
    if plan.scenario.name != loaded.scenario.name:
        v.append(Violation("scenario.name", f"stated {plan.scenario.name!r}, the scenario is named "
                           f"{loaded.scenario.name!r}"))
    return v


def _check_actions(loaded: LoadedScenario, plan: PlanResult) -> tuple[list[Action], list[Violation]]:
    """(the actions the scenario allows, what is wrong with each action): office, year, whether it
    is allowed, its stated costs (verify's own recount, not the plan writer's pricing), an option's area."""
    offices = {o.id: o for o in loaded.offices}
    good: list[Action] = []
    v: list[Violation] = []
    for i, a in enumerate(plan.actions):
        where = f"actions[{i}] ({a.office} {a.year} {a.type})"
        if a.office not in offices:
            v.append(Violation(where, f"unknown office {a.office!r}"))
            continue
        if a.year not in loaded.years:
            v.append(Violation(where, f"year {a.year} is outside the horizon"))
            continue
        try:
            price(loaded, offices[a.office], a)  # only whether the action is allowed
        except ActionError as exc:
            v.append(Violation(where, str(exc)))
            continue
        one_time, annual = action_cost(loaded, a)
        if to_yuan(a.one_time) != one_time or to_yuan(a.annual) != annual:
            v.append(Violation(where, f"costs stated as one_time {a.one_time} / annual {a.annual} 万元, "
                               f"the scenario's prices give {to_wan(one_time)} / {to_wan(annual)}"))
        if a.type == ActionType.HOUSING and a.area_m2 is not None:
            opt = next(h for h in offices[a.office].housing_options if h.id == a.option)
            if a.area_m2 != opt.area_m2:
                v.append(Violation(where, f"area_m2 {a.area_m2} but option {opt.id} has {opt.area_m2}"))
        good.append(a)
    return good, v


def _check_limits(loaded: LoadedScenario, plan: PlanResult, f: Recount) -> list[Violation]:
    """docs/reference.md §6: every budget and quota holds, and the stated spending is the actions'."""
    v: list[Violation] = []
    for b in loaded.budgets:
        spent = f.spent[(b.scope, b.year)]
        if spent > b.amount_yuan:
            v.append(Violation(f"budget {b.scope} {b.year}",
                               f"spends {to_wan(spent)} 万元, over the budget of {to_wan(b.amount_yuan)}"))
    claimed = {(s.scope, s.year): s for s in plan.spending}
    for b in loaded.budgets:
        s = claimed.get((b.scope, b.year))
        if s is None:
            v.append(Violation(f"spending {b.scope} {b.year}", "missing from the plan"))
        elif to_yuan(s.spent) != f.spent[(b.scope, b.year)] or to_yuan(s.budget) != b.amount_yuan:
            v.append(Violation(f"spending {b.scope} {b.year}",
                               f"states spent {s.spent} of {s.budget}; the actions spend "
                               f"{to_wan(f.spent[(b.scope, b.year)])} of {to_wan(b.amount_yuan)}"))
    for q in loaded.quotas:
        n = f.hired[(q.role, q.scope, q.year)]
        if n > q.amount:
            v.append(Violation(f"quota {q.role} {q.scope} {q.year}", f"hires {n}, over the quota of {q.amount}"))
    return v


def _check_churn(plan: PlanResult, years: list[int]) -> list[Violation]:
    """The churn section (docs/reference.md §9) agrees with the plan's own actions (planner/analysis/churn.py)."""
    return [] if plan.churn is None else [Violation(where, message)
                                          for where, message in check_churn(plan.churn, plan.actions, years)]


def _once_only(actions: list[Action]) -> list[Violation]:
    out = []
    for key, n in Counter((a.office, a.option) for a in actions if a.type == ActionType.HOUSING).items():
        if n > 1:
            out.append(Violation(f"office {key[0]}", f"housing option {key[1]} taken {n} times (at most once)"))
    for key, n in Counter((a.office, a.facility) for a in actions if a.type == ActionType.FACILITY).items():
        if n > 1:
            out.append(Violation(f"office {key[0]}", f"room {key[1]} set up {n} times (at most once)"))
    return out


def _check_offices(loaded: LoadedScenario, plan: PlanResult, tiers: dict[str, str], f: Recount) -> list[Violation]:
    out = []
    records = {r.id: r for r in plan.offices}
    for o in loaded.offices:
        r = records.get(o.id)
        if r is None:
            out.append(Violation(f"office {o.id}", "missing from the plan's offices"))
            continue
        for what, stated, given in (("name", r.name, o.name), ("county", r.county, o.county), ("kind", r.kind, o.kind)):
            if stated != given:
                out.append(Violation(f"office {o.id}", f"{what} stated {stated!r}, the scenario has {given!r}"))
        if r.tier != tiers[o.id]:
            out.append(Violation(f"office {o.id}", f"tier stated {r.tier}, classification gives {tiers[o.id]}"))
        for y in loaded.years:
            claim = r.attained.get(str(y))
            actual = f.attained[o.id][y]
            if claim is None:
                out.append(Violation(f"office {o.id} {y}", "attainment not stated"))
            elif claim != actual:
                why = "; ".join(f.unmet[o.id][y]) if not actual else "it meets every requirement"
                out.append(Violation(f"office {o.id} {y}",
                                     f"claims attained={claim}, but the actions give {actual} ({why})"))
    extra = set(records) - {o.id for o in loaded.offices}
    for oid in sorted(extra):
        out.append(Violation(f"office {oid}", "not in the scenario"))
    return out


def _check_targets(loaded: LoadedScenario, plan: PlanResult, f: Recount) -> list[Violation]:
    out = []
    claimed = {(a.year, a.scope, a.tier): a for a in plan.attainment}
    # A plan another tool wrote in the format of docs/reference.md §9 states no mode: the scenario's.
    mode = plan.targets_mode if "targets_mode" in plan.model_fields_set else loaded.scenario.targets_mode
    for cell, n in f.cells:
        where = f"target {cell.year} {cell.tier} {cell.scope}"
        if mode == "hard" and n < cell.required:
            out.append(Violation(where, f"{n} of {len(cell.office_ids)} attain, the target needs {cell.required}"))
        a = claimed.get((cell.year, cell.scope, cell.tier))
        if a is None:
            out.append(Violation(where, "missing from the plan's attainment"))
        elif (a.attained, a.required, a.offices, a.met) != (n, cell.required, len(cell.office_ids), n >= cell.required):
            out.append(Violation(where, f"states {a.attained} attained of {a.offices}, {a.required} required, "
                                 f"met={a.met}; the actions give {n} of {len(cell.office_ids)}, "
                                 f"{cell.required} required"))
    return out


def _check_objective(plan: PlanResult, f: Recount) -> list[Violation]:
    out = []
    o = plan.objective
    if o.shortfall != f.shortfall:
        out.append(Violation("objective.shortfall", f"states {o.shortfall}, the actions give {f.shortfall}"))
    if o.attained_office_years != f.attained_office_years:
        out.append(Violation("objective.attained_office_years",
                             f"states {o.attained_office_years}, the actions give {f.attained_office_years}"))
    if to_yuan(o.total_cost) != f.total_cost:
        out.append(Violation("objective.total_cost",
                             f"states {o.total_cost} 万元, the actions cost {to_wan(f.total_cost)}"))
    return out


def _check_stages(plan: PlanResult, f: Recount) -> list[Violation]:
    """The solver's stated level values hold for the actions (as `result._cross_check` demands of
    the model): the shortfall is no worse, attained office-years no fewer, the cost exactly it;
    an `optimal` plan has every level proven; a churn level (4) needs the churn section and is no
    better than it states."""
    out = []
    churn = None
    if plan.churn is not None:  # as its items give it (check_churn compares the stated counts)
        churn = counts(plan.churn.actions)["churn"]
    for i, s in enumerate(plan.solver.stages):
        where = f"solver.stages[{i}] ({s.level})"
        actual: dict[str, int] = {Level.SHORTFALL: f.shortfall, Level.ATTAINED: f.attained_office_years,
                  Level.TOTAL_COST: f.total_cost, **({Level.CHURN: churn} if churn is not None else {})}
        if s.level not in actual:
            out.append(Violation(where, "a churn level without the plan's churn section" if s.level == Level.CHURN
                                 else f"unknown level {s.level!r}"))
            continue
        if plan.status == SolveStatus.OPTIMAL and s.status != SolveStatus.OPTIMAL:
            out.append(Violation(where, f"the plan states status optimal, this level is {s.status}"))
        if s.value is None:
            continue
        holds: dict[str, bool] = {Level.SHORTFALL: f.shortfall <= s.value,
                                  Level.ATTAINED: f.attained_office_years >= s.value,
                                  Level.TOTAL_COST: to_yuan(s.value) == f.total_cost,
                                  Level.CHURN: churn is not None and churn <= s.value}
        if not holds[s.level]:
            shown = to_wan(f.total_cost) if s.level == Level.TOTAL_COST else actual[s.level]
            out.append(Violation(where, f"states the value {s.value:g}, the actions give {shown:g}"))
    return out


def _check_consistency(plan: PlanResult) -> list[Violation]:
    """What the outputs rely on when no scenario can be checked against (--force): every action's
    office is one of the plan's offices, each listed once."""
    out = []
    ids = Counter(o.id for o in plan.offices)
    out += [Violation(f"office {oid}", f"listed {n} times in the plan's offices") for oid, n in ids.items() if n > 1]
    for i, a in enumerate(plan.actions):
        if a.office not in ids:
            out.append(Violation(f"actions[{i}] ({a.office} {a.year} {a.type})", f"unknown office {a.office!r}"))
    return out


@dataclass(frozen=True)
class CheckedPlan:
    """A plan read and checked against a scenario; `verified` False only under --force."""

    plan: PlanResult
    loaded: LoadedScenario | None  # None: --force with the scenario not loadable
    verified: bool
    notes: tuple[str, ...] = ()


class PlanRefused(Exception):
    """A plan that fails verification (or is no plan.json at all): exit 5, each violation listed."""

    def __init__(self, file: str, violations: list[Violation]) -> None:
        self.file, self.violations = file, violations
        super().__init__("\n".join(str(v) for v in violations))


def check_plan_file(plan_file: Path, scenario: Path | None = None, *, force: bool = False,
                    loaded: LoadedScenario | None = None) -> CheckedPlan:
    """Read a plan and check it against its scenario: the one door of every command reading a plan.

    The scenario is `loaded`, else the file `scenario`, else the one the plan names. Refused
    (PlanRefused) when any rule or stated figure fails, and when the scenario's sha256 differs
    from the plan's, unless `force`; a scenario that cannot be loaded is a ScenarioError unless
    `force`. What `force` lets through is returned with verified=False."""
    plan, violations = read_plan_for_verify(plan_file)
    if plan is None:
        raise PlanRefused(str(plan_file), violations)
    if loaded is None:
        source = scenario or Path(plan.scenario.file)
        try:
            loaded = load_scenario(source)
        except ScenarioError as exc:
            if not force:
                raise ScenarioError(exc.issues + [ScenarioIssue(str(plan_file), None, "scenario", tr(
                    f"无法对照情景文件 {source} 核验本方案：请用 --scenario 指定情景文件，"
                    "或用 --force 不经核验使用（输出标注“未核验”）",
                    f"the plan cannot be checked without its scenario {source}: give --scenario PATH, "
                    "or --force to use it unverified (the output says so)"))]) from None
            problems = _check_consistency(plan)
            if problems:
                raise PlanRefused(str(plan_file), problems) from None
            note = tr(f"未能加载情景文件 {source}，方案未经核验（--force）",
                      f"scenario {source} not loaded; the plan is unverified (--force)")
            return CheckedPlan(plan, None, False, (note,))
    notes: list[str] = []
    same = plan.scenario.sha256 == loaded.sha256
    if not same:
        message = tr(f"方案求解自另一版本的情景文件（{plan.scenario.file}，sha256 {plan.scenario.sha256[:12]}…），"
                     f"与 {loaded.file}（{loaded.sha256[:12]}…）不同",
                     f"the plan was solved from another version of the scenario ({plan.scenario.file}, sha256 "
                     f"{plan.scenario.sha256[:12]}…), not {loaded.file} ({loaded.sha256[:12]}…)")
        if force:
            notes.append(message + tr("；按 --force 使用，输出标注“未核验”",
                                      "; used under --force, the output says unverified"))
        else:
            violations.append(Violation("scenario.sha256", message + tr("（确认无误可加 --force）",
                                                                        " (give --force to use it anyway)")))
    violations += verify_plan(loaded, plan)
    if violations:
        raise PlanRefused(str(plan_file), violations)
    return CheckedPlan(plan, loaded, same, tuple(notes))
