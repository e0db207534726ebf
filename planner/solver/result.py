"""Solver outcome → `PlanResult` (docs/reference.md §9): actions with their costs, attainment recomputed from
those actions, spending per budget entry, and the objective levels."""

from __future__ import annotations

from planner.analysis.replan import Earlier, churn_section, protected
from planner.io.loading import LoadedScenario
from planner.io.scenario import Office, to_wan
from planner.plan import (
    Action,
    AttainmentRecord,
    Objective,
    OfficeRecord,
    PlanResult,
    ScenarioRef,
    SolverInfo,
    SpendingRecord,
    StageInfo,
)
from planner.rules.actions import ActionType, price
from planner.rules.evaluate import Figures, compute_figures, office_gaps
from planner.rules.requirements import Requirements
from planner.solver.model import Solution
from planner.solver.params import SolveOutcome
from planner.solver.status import Level


class ModelCheckerDisagreement(RuntimeError):
    """The CP-SAT model and the plain-Python attainment rule disagree: a bug in one of them."""


def solution_actions(req: Requirements, solution: Solution) -> list[Action]:
    """The solver's decisions as docs/reference.md §5 actions (costs filled in later), by office, year, type."""
    out: list[Action] = []
    for o, d in zip(req.offices, solution.offices):
        for t, year in enumerate(req.years):
            for r, role in enumerate(req.roles):
                if d.hires.get((r, t)):
                    out.append(Action(office=o.id, year=year, type=ActionType.HIRE, role=role, count=d.hires[(r, t)]))
            if d.lease.get(t):
                out.append(Action(office=o.id, year=year, type=ActionType.LEASE, area_m2=d.lease[t]))
            if d.build.get(t):
                out.append(Action(office=o.id, year=year, type=ActionType.BUILD, area_m2=d.build[t]))
            for i, ti in sorted(d.options.items()):
                if ti == t:
                    h = o.housing_options[i]
                    out.append(Action(office=o.id, year=year, type=ActionType.HOUSING, option=h.id, area_m2=h.area_m2))
            for f, tf in sorted(d.rooms.items()):
                if tf == t:
                    out.append(Action(office=o.id, year=year, type=ActionType.FACILITY, facility=f))
    return out


def prune_free_surplus(loaded: LoadedScenario, tiers: dict[str, str], actions: list[Action],
                       keep: set[tuple[tuple[str, str, str, int], int | None]] | None = None) -> list[Action]:
    """Drop zero-cost hires and rooms that change no attainment (e.g. surplus posts priced at 0).

    No level of cost or attainment sees them, but a planner would have to explain them. Checked
    office by office: a free action changes no cost, so only that office's attainment can change.
    An action exactly as the earlier plan to keep had it (`keep`: its slots and quantities, level 4)
    stays: it is explained there."""
    from planner.analysis.churn import item_of, quantity

    keep = keep or set()
    offices = {o.id: o for o in loaded.offices}
    by_office: dict[str, list[Action]] = {}
    for a in actions:
        by_office.setdefault(a.office, []).append(a)
    kept: list[Action] = []
    for oid, mine in by_office.items():
        office, tier = offices[oid], tiers[oid]

        def attained(acts: list[Action]) -> dict[int, bool]:
            pairs = [(a, price(loaded, office, a)) for a in acts]
            return {y: not g for y, g in office_gaps(loaded, tier, office, pairs).items()}

        free = [i for i, a in enumerate(mine) if _is_free(loaded, office, a)
                and ((a.office, a.type, item_of(a), a.year), quantity(a)) not in keep]
        if not free:  # most offices: nothing to try, so no attainment to recompute
            kept.extend(mine)
            continue
        target = attained(mine)
        for i in reversed(free):
            while True:  # a free hire of several may shed more than one person
                a = mine[i]
                fewer = a.model_copy(update={"count": (a.count or 0) - 1}) if (a.count or 0) > 1 else None
                trial = mine[:i] + ([fewer] if fewer else []) + mine[i + 1:]
                if attained(trial) != target:
                    break
                mine = trial
                if fewer is None:
                    break
        kept.extend(mine)
    return kept


def _is_free(loaded: LoadedScenario, office: Office, a: Action) -> bool:
    """A hire or room that costs nothing, once or yearly: a candidate for pruning."""
    if a.type not in (ActionType.HIRE, ActionType.FACILITY):
        return False
    p = price(loaded, office, a)
    return not (p.one_time or p.annual)


def priced_actions(f: Figures) -> list[Action]:
    return [a.model_copy(update={"one_time": to_wan(p.one_time), "annual": to_wan(p.annual)})
            for a, p in f.priced]


def make_plan(loaded: LoadedScenario, req: Requirements, outcome: SolveOutcome,
              earlier: Earlier | None = None) -> PlanResult:
    """The plan.json content for a solved outcome (status optimal or feasible); with the earlier
    plan that level 4 kept to, its `churn` section (docs/reference.md §9)."""
    assert outcome.solution is not None
    tiers = {o.id: o.tier for o in req.offices}
    actions = prune_free_surplus(loaded, tiers, solution_actions(req, outcome.solution), protected(earlier))
    f = compute_figures(loaded, tiers, actions)
    churn = None if earlier is None else churn_section(earlier, actions, list(req.years), loaded, req)
    _cross_check(outcome, f, churn.churn if churn is not None else None)
    return PlanResult(
        scenario=ScenarioRef(name=loaded.scenario.name, file=loaded.file, sha256=loaded.sha256),
        standard=loaded.standard_ref, status=outcome.status,  # type: ignore[arg-type]
        targets_mode="soft" if req.soft_targets else "hard",
        objective=Objective(shortfall=f.shortfall, attained_office_years=f.attained_office_years,
                            total_cost=to_wan(f.total_cost)),
        solver=SolverInfo(version=outcome.solver_version, seconds=round(outcome.seconds, 3),
                          workers=outcome.workers, seed=outcome.seed,
                          stages=[StageInfo(level=s.name, status=s.status, value=_level_value(s.name, s.value),
                                            bound=_level_value(s.name, s.bound), seconds=round(s.seconds, 3))
                                  for s in outcome.stages]),
        offices=[OfficeRecord(id=o.id, name=o.name, county=o.county, kind=o.kind, tier=o.tier,
                              tier_reason=o.tier_reason, tier_reason_zh=o.tier_reason_zh,
                              attained={str(y): f.attained[o.id][y] for y in req.years})
                 for o in req.offices],
        actions=priced_actions(f),
        attainment=attainment_records(f),
        spending=[SpendingRecord(year=b.year, scope=b.scope, budget=to_wan(b.amount_yuan),
                                 spent=to_wan(f.spent[(b.scope, b.year)])) for b in loaded.budgets],
        churn=churn)


def attainment_records(f: Figures) -> list[AttainmentRecord]:
    return [AttainmentRecord(year=c.year, scope=c.scope, tier=c.tier, offices=len(c.office_ids), attained=n,
                             target=c.rate, required=c.required, met=n >= c.required) for c, n in f.cells]


def _level_value(name: str, v: float | None) -> float | None:
    if v is None:
        return None
    return to_wan(int(round(v))) if name == Level.TOTAL_COST else v


def _cross_check(outcome: SolveOutcome, f: Figures, churn: int | None = None) -> None:
    """The model's level values must agree with what the actions produce, rule by rule (pruning a
    free surplus action can only lower the churn)."""
    for s in outcome.stages:
        if s.value is None:
            continue
        given = {Level.SHORTFALL: f.shortfall, Level.ATTAINED: f.attained_office_years,
                 Level.TOTAL_COST: f.total_cost, Level.CHURN: churn}[Level(s.name)]
        ok = {Level.SHORTFALL: f.shortfall <= s.value,
              Level.ATTAINED: f.attained_office_years >= s.value,
              Level.TOTAL_COST: f.total_cost == s.value,
              Level.CHURN: churn is not None and churn <= s.value}[Level(s.name)]
        if not ok:
            raise ModelCheckerDisagreement(f"{s.name}: the model claims {s.value}, the actions give {given}")
