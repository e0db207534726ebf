"""Actions → costs per year and office states per year, in plain Python (docs/reference.md §5).

Used to state a plan's figures and, independently of the CP-SAT model, to check them
(`verify.py`). Money in whole yuan.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.io.loading import LoadedScenario
from planner.io.scenario import Office
from planner.plan import Action
from planner.rules.actions import ActionError, ActionType, Priced, area_added, price, spec
from planner.rules.attainment import OfficeState, initial_state, unmet
from planner.rules.scopes import scopes_of
from planner.rules.targets import TargetCell, target_cells


def cost_in_year(p: Priced, action_year: int, year: int) -> int:
    """docs/reference.md §5: one-time + annual in the action's year, annual in each later year, 0 before."""
    if year < action_year:
        return 0
    return p.one_time + p.annual if year == action_year else p.annual


def apply(state: OfficeState, office: Office, a: Action) -> None:
    """Add what an effective action brings to a state."""
    effect = spec(a).effect
    if effect == "staff" and a.role and a.count:
        state.staff[a.role] = state.staff.get(a.role, 0) + a.count
    elif effect == "area":
        state.floor_area_m2 += area_added(office, a)
    elif effect == "room" and a.facility:
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
        if a.type == ActionType.HIRE and a.role:
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
    states = states_by_year(loaded, office, actions)
    return {y: unmet(loaded.standard, tier, office, y, s) for y, s in states.items()}
