"""Actions → costs per year and office states per year, in plain Python (docs/reference.md §5).

Used to state a plan's figures and, independently of the CP-SAT model, to check them
(`verify.py`). Money in whole yuan.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.attainment import OfficeState, initial_state
from planner.loading import LoadedScenario
from planner.plan import Action
from planner.scenario import Office, to_yuan
from planner.scopes import scopes_of
from planner.targets import TargetCell, target_cells


class ActionError(ValueError):
    """An action the scenario does not allow (unknown office, unpriced role, ...)."""


@dataclass(frozen=True)
class Priced:
    one_time: int  # yuan, in the action's year
    annual: int  # yuan, in the action's year and every later horizon year
    effective: int  # first year-end at which it counts


def price(loaded: LoadedScenario, office: Office, a: Action) -> Priced:
    """Cost and effective year of one action; raises ActionError when it is not allowed."""
    costs = loaded.scenario.costs
    if a.type == "hire":
        if a.role not in loaded.standard.roles:
            raise ActionError(f"unknown role {a.role!r}")
        if a.role not in costs.roles:
            raise ActionError(f"role {a.role} cannot be hired (no price in costs.roles)")
        if a.count is None or a.count < 1:
            raise ActionError("a hire needs count ≥ 1")
        p = costs.roles[a.role]
        return Priced(a.count * to_yuan(p.one_time), a.count * to_yuan(p.annual), a.year)
    if a.type in ("lease", "build"):
        if a.area_m2 is None or a.area_m2 < 1:
            raise ActionError(f"a {a.type} needs area_m2 ≥ 1")
        if a.type == "lease":
            if costs.housing.lease is None:
                raise ActionError("the scenario prices no lease (costs.housing.lease)")
            return Priced(0, a.area_m2 * to_yuan(costs.housing.lease.annual_per_m2), a.year)
        if costs.housing.build is None:
            raise ActionError("the scenario prices no build (costs.housing.build)")
        b = costs.housing.build
        return Priced(a.area_m2 * to_yuan(b.one_time_per_m2), 0, a.year + b.lead_years)
    if a.type == "housing":
        opt = next((h for h in office.housing_options if h.id == a.option), None)
        if opt is None:
            raise ActionError(f"office {office.id} has no housing option {a.option!r}")
        if opt.from_year is not None and a.year < opt.from_year:
            raise ActionError(f"housing option {opt.id} is taken in {a.year}, before its from_year {opt.from_year}")
        return Priced(to_yuan(opt.one_time), to_yuan(opt.annual), a.year + opt.lead_years)
    if a.type == "facility":
        if a.facility not in loaded.standard.facilities:
            raise ActionError(f"unknown facility {a.facility!r}")
        if a.facility in office.facilities:
            raise ActionError(f"office {office.id} already has {a.facility}")
        if a.facility not in costs.facilities:
            raise ActionError(f"facility {a.facility} cannot be set up (no price in costs.facilities)")
        fc = costs.facilities[a.facility]
        return Priced(to_yuan(fc.one_time), to_yuan(fc.annual), a.year)
    raise ActionError(f"unknown action type {a.type!r}")


def cost_in_year(p: Priced, action_year: int, year: int) -> int:
    """docs/reference.md §5: one-time + annual in the action's year, annual in each later year, 0 before."""
    if year < action_year:
        return 0
    return p.one_time + p.annual if year == action_year else p.annual


def apply(state: OfficeState, office: Office, a: Action) -> None:
    """Add what an effective action brings to a state."""
    if a.type == "hire" and a.role and a.count:
        state.staff[a.role] = state.staff.get(a.role, 0) + a.count
    elif a.type in ("lease", "build") and a.area_m2:
        state.floor_area_m2 += a.area_m2
    elif a.type == "housing":
        opt = next(h for h in office.housing_options if h.id == a.option)
        state.floor_area_m2 += opt.area_m2
    elif a.type == "facility" and a.facility:
        state.facilities.add(a.facility)


def states_by_year(loaded: LoadedScenario, office: Office,
                   actions: list[tuple[Action, Priced]]) -> dict[int, OfficeState]:
    """The office's state at the end of each horizon year (no attrition, docs/reference.md §4)."""
    out = {}
    for y in loaded.years:
        s = initial_state(office)
        for a, p in actions:
            if p.effective <= y:
                apply(s, office, a)
        out[y] = s
    return out


@dataclass
class Figures:
    """Everything a plan claims, recomputed from its actions and the scenario alone."""

    priced: list[tuple[Action, Priced]]
    attained: dict[str, dict[int, bool]]  # office → year → attained
    gaps: dict[str, dict[int, list[str]]]  # office → year → unmet requirements
    cost_by_office_year: dict[tuple[str, int], int]  # yuan
    spent: dict[tuple[str, int], int]  # (scope, year) of each budget entry → yuan
    hired: dict[tuple[str, str, int], int]  # (role, scope, year) of each quota entry → count
    cells: list[tuple[TargetCell, int]]  # (cell, offices attained)
    shortfall: int
    attained_office_years: int  # weighted
    total_cost: int  # yuan


def compute_figures(loaded: LoadedScenario, tiers: dict[str, str], actions: list[Action]) -> Figures:
    """Recompute states, attainment, costs, spending, quota use and objective (docs/reference.md §4–§7).

    Raises ActionError for an action the scenario does not allow; `verify` reports those.
    """
    offices = {o.id: o for o in loaded.offices}
    priced: list[tuple[Action, Priced]] = []
    mine: dict[str, list[tuple[Action, Priced]]] = {}
    for a in actions:
        if a.office not in offices:
            raise ActionError(f"unknown office {a.office!r}")
        pair = (a, price(loaded, offices[a.office], a))
        priced.append(pair)
        mine.setdefault(a.office, []).append(pair)
    attained: dict[str, dict[int, bool]] = {}
    gaps: dict[str, dict[int, list[str]]] = {}
    cost: dict[tuple[str, int], int] = {}
    for o in loaded.offices:
        gaps[o.id] = office_gaps(loaded, tiers[o.id], o, mine.get(o.id, []))
        attained[o.id] = {y: not g for y, g in gaps[o.id].items()}
        for y in loaded.years:
            cost[(o.id, y)] = sum(cost_in_year(p, a.year, y) for a, p in mine.get(o.id, []))
    holding = {o.id: scopes_of(o) for o in loaded.offices}
    by_scope: dict[tuple[str, int], int] = {}
    for (oid, y), c in cost.items():  # each office-year counts for every scope that holds it
        for scope in holding[oid]:
            by_scope[(scope, y)] = by_scope.get((scope, y), 0) + c
    spent = {(b.scope, b.year): by_scope.get((b.scope, b.year), 0) for b in loaded.budgets}
    hires_by: dict[tuple[str, str, int], int] = {}
    for a, _ in priced:
        if a.type == "hire" and a.role:
            for scope in holding[a.office]:
                key = (a.role, scope, a.year)
                hires_by[key] = hires_by.get(key, 0) + (a.count or 0)
    hired = {(q.role, q.scope, q.year): hires_by.get((q.role, q.scope, q.year), 0) for q in loaded.quotas}
    cells = []
    for cell in target_cells(loaded.targets, loaded.target_scope, loaded.offices,
                             [tiers[o.id] for o in loaded.offices]):
        cells.append((cell, sum(attained[i][cell.year] for i in cell.office_ids)))
    shortfall = sum(max(0, cell.required - n) for cell, n in cells)
    weighted = sum(loaded.weights[tiers[oid]] * sum(by_year.values()) for oid, by_year in attained.items())
    return Figures(priced, attained, gaps, cost, spent, hired, cells, shortfall, weighted, sum(cost.values()))


def office_gaps(loaded: LoadedScenario, tier: str, office: Office,
                actions: list[tuple[Action, Priced]]) -> dict[int, list[str]]:
    """Year → unmet requirements of one office under its actions ([] = attained)."""
    from planner.attainment import unmet

    states = states_by_year(loaded, office, actions)
    return {y: unmet(loaded.standard, tier, office, y, s) for y, s in states.items()}
