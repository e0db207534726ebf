"""`plan verify`'s own recount of a plan's figures, written from the contract (docs/reference.md
§4–§7) alone.

The plan writer states its figures with `planner.rules.evaluate` and `planner.rules.attainment`; this module
imports neither, so a mistake in one is caught by the other (no shared figure function
between the plan writer and the verifier). Which offices a scope holds comes from the one rule for
that, `Requirements.scope_members` and `planner.rules.scopes.target_scope_names`. Money is in whole yuan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from planner.io.loading import LoadedScenario
from planner.io.scenario import Office, to_yuan
from planner.io.standards import AnyOf
from planner.plan import Action
from planner.rules.actions import ActionType
from planner.rules.scopes import ALL, target_scope_names


@dataclass(frozen=True)
class Cell:
    """One target cell (§6): `required` of `office_ids` must attain in `year`."""

    year: int
    tier: str
    scope: str
    office_ids: tuple[str, ...]
    required: int


@dataclass
class Recount:
    attained: dict[str, dict[int, bool]]  # office → year → attained
    unmet: dict[str, dict[int, list[str]]]  # office → year → requirements it fails
    spent: dict[tuple[str, int], int]  # (scope, year) of each budget entry → yuan
    hired: dict[tuple[str, str, int], int]  # (role, scope, year) of each quota entry → people
    cells: list[tuple[Cell, int]]  # each target cell and how many of its offices attain
    shortfall: int
    attained_office_years: int  # weighted
    total_cost: int  # yuan


def recount(loaded: LoadedScenario, tiers: dict[str, str], actions: list[Action],
            members: dict[str, tuple[int, ...]]) -> Recount:
    """Every figure a plan states, from its actions (each already checked to be allowed).

    `members`: office indices (in `loaded.offices` order) per scope name, from `scope_members`."""
    offices = loaded.offices
    costs = [action_cost(loaded, a) for a in actions]
    paid: dict[tuple[str, int], int] = {}  # (office, year) → yuan falling in that year (§5)
    for a, (one_time, annual) in zip(actions, costs):
        for y in loaded.years:
            if y >= a.year:
                paid[(a.office, y)] = paid.get((a.office, y), 0) + annual + (one_time if y == a.year else 0)
    # Grouped once: a scan of every action per office-year or per quota was quadratic (a
    # 10,000-office plan took minutes to verify).
    by_office: dict[str, list[Action]] = {}
    hires: dict[tuple[str, str, int], int] = {}  # (role, office, year) → people hired
    for a in actions:
        by_office.setdefault(a.office, []).append(a)
        if a.type == ActionType.HIRE:
            key = (a.role or "", a.office, a.year)
            hires[key] = hires.get(key, 0) + (a.count or 0)
    unmet = {o.id: {y: _unmet(loaded, tiers[o.id], o, y, by_office.get(o.id, [])) for y in loaded.years}
             for o in offices}
    attained = {oid: {y: not g for y, g in by_year.items()} for oid, by_year in unmet.items()}

    def ids(scope: str) -> list[str]:
        return [offices[i].id for i in members.get(scope, ())]

    spent = {(b.scope, b.year): sum(paid.get((oid, b.year), 0) for oid in ids(b.scope)) for b in loaded.budgets}
    hired = {(q.role, q.scope, q.year): sum(hires.get((q.role, oid, q.year), 0) for oid in ids(q.scope))
             for q in loaded.quotas}
    cells = [(c, sum(attained[oid][c.year] for oid in c.office_ids)) for c in _cells(loaded, tiers, members)]
    weighted = sum(loaded.weights[tiers[oid]] * sum(by_year.values()) for oid, by_year in attained.items())
    return Recount(attained, unmet, spent, hired, cells,
                   sum(max(0, c.required - n) for c, n in cells), weighted, sum(paid.values()))


def action_cost(loaded: LoadedScenario, a: Action) -> tuple[int, int]:
    """§5: (cost in the action's year beyond the annual part, annual cost), count or area included."""
    costs = loaded.scenario.costs
    if a.type == ActionType.HIRE:
        p = costs.roles[a.role or ""]
        return (a.count or 0) * to_yuan(p.one_time), (a.count or 0) * to_yuan(p.annual)
    if a.type == ActionType.LEASE:
        assert costs.housing.lease is not None
        return 0, (a.area_m2 or 0) * to_yuan(costs.housing.lease.annual_per_m2)
    if a.type == ActionType.BUILD:
        assert costs.housing.build is not None
        return (a.area_m2 or 0) * to_yuan(costs.housing.build.one_time_per_m2), 0
    if a.type == ActionType.HOUSING:
        h = _option(loaded, a)
        return to_yuan(h.one_time), to_yuan(h.annual)
    room = costs.facilities[a.facility or ""]
    return to_yuan(room.one_time), to_yuan(room.annual)


_last_options: list[tuple[LoadedScenario, dict[tuple[str, str], Any]]] = []  # one scenario's index


def _option(loaded: LoadedScenario, a: Action) -> Any:
    """The housing option an action takes. Indexed once per scenario (the last one only): a scan
    of every office per call made verifying a large plan quadratic."""
    if not _last_options or _last_options[0][0] is not loaded:
        index = {(o.id, h.id): h for o in loaded.offices for h in o.housing_options}
        _last_options[:] = [(loaded, index)]
    return _last_options[0][1][(a.office, a.option or "")]


def _counts_by(loaded: LoadedScenario, a: Action, year: int) -> bool:
    """§5: whether the action has taken effect by the end of `year`."""
    if a.type == ActionType.BUILD:
        assert loaded.scenario.costs.housing.build is not None
        return a.year + loaded.scenario.costs.housing.build.lead_years <= year
    if a.type == ActionType.HOUSING:
        return a.year + _option(loaded, a).lead_years <= year
    return a.year <= year


def _unmet(loaded: LoadedScenario, tier: str, office: Office, year: int, actions: list[Action]) -> list[str]:
    """§4: the requirements the office fails at the end of `year` ([] = attained); `actions`: the
    plan's actions (those of other offices are ignored)."""
    mine = [a for a in actions if a.office == office.id and _counts_by(loaded, a, year)]
    staff = dict(office.staff)
    area = office.floor_area_m2
    rooms = set(office.facilities)
    for a in mine:
        if a.type == ActionType.HIRE:
            staff[a.role or ""] = staff.get(a.role or "", 0) + (a.count or 0)
        elif a.type in (ActionType.LEASE, ActionType.BUILD):
            area += a.area_m2 or 0
        elif a.type == ActionType.HOUSING:
            area += _option(loaded, a).area_m2
        else:
            rooms.add(a.facility or "")
    std = loaded.standard
    t = std.tiers[tier]  # type: ignore[index]
    out = []
    for role in std.roles:  # §4.1, §4.2
        need = t.min_staff.get(role, 0)
        ratio = std.caseload_ratios.get(role)
        if ratio is not None:
            need = max(need, math.ceil(office.caseload_in(ratio.field, year) / ratio.per_worker))
        if staff.get(role, 0) < need:
            out.append(f"{role} {staff.get(role, 0)} < {need}")
    total = sum(staff.get(role, 0) for role in std.roles)  # §4.3
    if total < t.min_total_staff:
        out.append(f"total staff {total} < {t.min_total_staff}")
    if area < t.min_floor_area_m2[office.kind]:  # §4.4
        out.append(f"floor area {area} < {t.min_floor_area_m2[office.kind]} m²")
    for item in t.facilities:  # §4.5
        groups = item.any_of if isinstance(item, AnyOf) else [[item]]
        if not any(set(g) <= rooms for g in groups):
            out.append("room " + " | ".join("+".join(g) for g in groups))
    for attr, threshold in t.conditions.items():  # §4.6: a missing attribute fails
        value = office.attributes.get(attr)
        if value is None or value < threshold:
            out.append(f"condition {attr} {value} < {threshold:g}")
    return out


def _cells(loaded: LoadedScenario, tiers: dict[str, str], members: dict[str, tuple[int, ...]]) -> list[Cell]:
    """§6: per year × tier (or all) × target scope holding n ≥ 1 such offices: ceil(p·n) must attain."""
    scopes = sorted(set(target_scope_names(loaded.offices, loaded.target_scope)))
    out = []
    for year, rates in sorted(loaded.targets.items()):
        for tier, rate in rates.items():
            for scope in scopes:
                ids = tuple(loaded.offices[i].id for i in members[scope]
                            if tier == ALL or tiers[loaded.offices[i].id] == tier)
                if ids:
                    out.append(Cell(year, tier, scope, ids, max(0, math.ceil(rate * len(ids) - 1e-9))))
    return out
