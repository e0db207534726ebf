"""One function per constraint family, each citing the section of docs/reference.md it enforces.

Every attainment constraint has the form `supply ≥ deficit · att[t]`: when the office is counted
as attained in year t, what its actions added by then must close the gap from its starting state.
"""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from planner.rules.requirements import Requirements
from planner.solver.model.bounds import pattern_lower_bound
from planner.solver.model.variables import Expr, OfficeVars


def conditions(m: cp_model.CpModel, v: OfficeVars, req: Requirements) -> None:
    """docs/reference.md §4.6 (rule 6): an office with a failed condition is attained in no year."""
    if not v.office.conditions_ok:
        for a in v.att:
            m.add(a == 0)


def _never(v: OfficeVars, t: int) -> bool:
    """The office cannot be attained in year t whatever the plan does (a failed condition)."""
    return not v.office.conditions_ok or isinstance(v.att[t], int)


def _fix_unattainable(m: cp_model.CpModel, v: OfficeVars, t: int) -> None:
    if not isinstance(v.att[t], int):
        m.add(v.att[t] == 0)


def staff_minimums(m: cp_model.CpModel, v: OfficeVars, req: Requirements) -> None:
    """docs/reference.md §4.1–4.2 (hard): each role's staff ≥ max(tier minimum, ceil(caseload / ratio))."""
    o = v.office
    for t, need in enumerate(o.needs):
        if _never(v, t):
            continue
        for r, n in enumerate(need.staff):
            gap = n - o.staff0[r]
            if gap <= 0:
                continue
            if r not in v.hires:
                _fix_unattainable(m, v, t)
            else:
                m.add(v.hired_by(r, t) >= gap * v.att[t])


def total_staff(m: cp_model.CpModel, v: OfficeVars, req: Requirements) -> None:
    """docs/reference.md §4.3 (hard): the sum of staff over all roles ≥ the tier's total minimum."""
    o = v.office
    for t, need in enumerate(o.needs):
        if _never(v, t):
            continue
        gap = need.total_staff - sum(o.staff0)
        if gap <= 0:
            continue
        if not v.hires:
            _fix_unattainable(m, v, t)
        else:
            m.add(sum(v.hired_by(r, t) for r in v.hires) >= gap * v.att[t])


def area_added_by(v: OfficeVars, req: Requirements, t: int) -> Expr:
    """Floor area the plan's lease, build and housing actions make count by the end of year t."""
    o = v.office
    leased = sum(v.lease[: t + 1])
    built = sum(v.build[: max(0, t - req.build_lead_years + 1)])
    housed = sum(o.housing_options[i].area_m2 * x
                 for i, xs in v.options.items()
                 for s, x in enumerate(xs) if s + o.housing_options[i].lead_years <= t)
    return leased + built + housed


def floor_area(m: cp_model.CpModel, v: OfficeVars, req: Requirements) -> None:
    """docs/reference.md §4.4 + §5 (hard): floor area incl. leases, builds after lead time, housing options."""
    o = v.office
    for t, need in enumerate(o.needs):
        if _never(v, t):
            continue
        gap = need.floor_area_m2 - o.area0
        if gap <= 0:
            continue
        m.add(area_added_by(v, req, t) >= gap * v.att[t])


def rooms(m: cp_model.CpModel, v: OfficeVars, req: Requirements, k: int) -> None:
    """docs/reference.md §4.5 (hard): every room item present; an `any_of` item needs one full alternative."""
    o = v.office
    for t in range(len(o.needs)):
        if _never(v, t):
            continue
        for j, item in enumerate(o.rooms):
            if any(set(alt) <= o.facilities0 for alt in item):
                continue
            feasible = [alt for alt in item if all(f in o.facilities0 or f in v.rooms for f in alt)]
            if not feasible:
                _fix_unattainable(m, v, t)
            elif len(feasible) == 1:
                for f in feasible[0]:
                    if f not in o.facilities0:
                        m.add(v.room_by(f, t) >= v.att[t])
            else:
                picks = []
                for a, alt in enumerate(feasible):
                    z = m.new_bool_var(f"alt_{k}_{j}_{a}_{t}")
                    for f in alt:
                        if f not in o.facilities0:
                            m.add(v.room_by(f, t) >= z)
                    picks.append(z)
                m.add(sum(picks) >= v.att[t])


def office_cost(v: OfficeVars, req: Requirements, t: int) -> Expr:
    """docs/reference.md §5: yuan falling in year t from this office's actions, incl. recurring costs."""
    if t not in v.costs:
        v.costs[t] = _office_cost(v, req, t)
    return v.costs[t]


def _office_cost(v: OfficeVars, req: Requirements, t: int) -> Expr:
    o = v.office
    cost: Expr = 0
    for r, xs in v.hires.items():
        price = req.hire_price[r]
        assert price is not None
        cost += price.one_time * xs[t] + price.annual * v.hired_by(r, t)
    if v.lease and req.lease_per_m2:
        cost += req.lease_per_m2 * sum(v.lease[: t + 1])
    if v.build and req.build_per_m2:
        cost += req.build_per_m2 * v.build[t]
    for i, xs in v.options.items():
        h = o.housing_options[i]
        cost += h.one_time * xs[t] + h.annual * sum(xs[: t + 1])
    for f, xs in v.rooms.items():
        p = req.facility_price[f]
        cost += p.one_time * xs[t] + p.annual * v.room_by(f, t)
    return cost


def _in_scope(vs: list[OfficeVars], req: Requirements) -> dict[str, list[OfficeVars]]:
    """Offices per budget/quota scope (`vs` in `req.offices` order): all, each county, city, province."""
    return {scope: [vs[i] for i in members] for scope, members in req.scope_members().items()}


def budgets(m: cp_model.CpModel, vs: list[OfficeVars], req: Requirements) -> None:
    """docs/reference.md §6 (hard): per budget entry (scope, year), the costs falling in that year ≤ amount."""
    scoped = _in_scope(vs, req)
    for b in req.budgets:
        t = req.years.index(b.year)
        m.add(sum(office_cost(v, req, t) for v in scoped.get(b.scope, [])) <= b.amount_yuan)


def quotas(m: cp_model.CpModel, vs: list[OfficeVars], req: Requirements) -> None:
    """docs/reference.md §6 (hard): per quota entry (role, scope, year), people hired of that role ≤ amount."""
    scoped = _in_scope(vs, req)
    for q in req.quotas:
        t, r = req.years.index(q.year), req.roles.index(q.role)
        m.add(sum(v.hires[r][t] for v in scoped.get(q.scope, []) if r in v.hires) <= q.amount)


def targets(m: cp_model.CpModel, vs: list[OfficeVars],
            req: Requirements) -> tuple[list[cp_model.IntVar], list[cp_model.IntVar]]:
    """docs/reference.md §6 (hard) or §7.1 (soft): attained offices per target cell ≥ required.

    Hard cells are enforced by a literal each, so an infeasible scenario can name the cells in
    conflict (assumptions). Soft cells get a shortfall variable instead. Returns (literals, shortfalls).
    """
    by_id = {v.office.id: v for v in vs}
    lits, shorts = [], []
    for c, cell in enumerate(req.targets):
        t = req.years.index(cell.year)
        attained = sum(by_id[i].att[t] for i in cell.office_ids)
        if req.soft_targets:
            s = m.new_int_var(0, cell.required, f"short_{c}")
            m.add(attained + s >= cell.required)
            shorts.append(s)
        else:
            lit = m.new_bool_var(f"target_{c}")
            m.add(attained >= cell.required).only_enforce_if(lit)
            lits.append(lit)
    return lits, shorts


MAX_PATTERN_YEARS = 4  # 2^T patterns per office; beyond this the bound is skipped


def pattern_cost_bounds(m: cp_model.CpModel, v: OfficeVars, req: Requirements, k: int) -> None:
    """Redundant (docs/reference.md §7.3): one pattern of attained years per office, and the office's total
    cost ≥ a valid lower bound for that pattern. Removes fractional-attainment LP solutions."""
    T = len(req.years)
    if T > MAX_PATTERN_YEARS or all(_never(v, t) for t in range(T)):
        return
    open_years = [t for t in range(T) if not _never(v, t)]
    picks: list[tuple[tuple[int, ...], cp_model.IntVar]] = []
    total: Expr | None = None
    for size in range(1, len(open_years) + 1):
        for years in itertools.combinations(open_years, size):
            bound = pattern_lower_bound(v.office, req, years)
            if bound is None:
                continue
            p = m.new_bool_var(f"pat_{k}_{'_'.join(map(str, years))}")
            picks.append((years, p))
            if bound > 0:
                if total is None:
                    total = sum(office_cost(v, req, t) for t in range(T))
                m.add(total >= bound).only_enforce_if(p)
    m.add(sum(p for _, p in picks) <= 1)
    for t in open_years:
        m.add(v.att[t] == sum(p for years, p in picks if t in years))
