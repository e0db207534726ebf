"""The same problem as a direct MIP, solved by HiGHS (`highspy`, the optional `bench` extra).

Mirrors planner/model/constraints.py term by term (hires per office × year × role, lease and build
m² per year, a binary per housing option × year and room × year, an attainment binary per office ×
year; `supply ≥ gap · att`; budgets with recurring costs; quotas; hard or soft targets) but without
the CP-SAT side's decomposition and redundant pattern bounds: this is the formulation a modeller
would write first. Levels are solved in stages, each optimum fixed before the next. Gaps are set so
that "optimal" means proven: every objective is an integer (yuan, counts), so an absolute gap
below 1 closes it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy

from planner.requirements import Requirements


@dataclass(frozen=True)
class PeerResult:
    status: str  # optimal | feasible | infeasible | time_limit
    levels: tuple[int | None, ...]  # (shortfall?, attained, total cost yuan) as solved
    seconds: float
    build_seconds: float


def solve_mip(req: Requirements, time_limit: float = 600.0, threads: int = 2) -> PeerResult:
    t0 = time.monotonic()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", threads)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.5)
    INT, T = highspy.HighsVarType.kInteger, len(req.years)

    def var(ub: float) -> highspy.highs_var:
        return h.addVariable(lb=0, ub=ub, type=INT)

    att_all, cost_terms = [], {}
    hires_by: dict[tuple[int, int, int], list] = {}  # (role, office, year) → hire variables
    for k, o in enumerate(req.offices):
        att = [var(1 if o.conditions_ok else 0) for _ in range(T)]
        att_all.append((o, att))
        deficit = [max(max(0, o.needs[t].staff[r] - o.staff0[r]) for t in range(T)) for r in range(len(req.roles))]
        extra = max(max(0, o.needs[t].total_staff - sum(max(s, n) for s, n in zip(o.staff0, o.needs[t].staff)))
                    for t in range(T))
        hires = {r: [var(d + extra) for _ in range(T)] for r, d in enumerate(deficit)
                 if req.hire_price[r] is not None and d + extra > 0}
        gap = max(max(0, n.floor_area_m2 - o.area0) for n in o.needs)
        lease = [var(gap) for _ in range(T)] if gap and req.lease_per_m2 is not None else []
        build = [var(gap if t + req.build_lead_years < T else 0) for t in range(T)] \
            if gap and req.build_per_m2 is not None else []
        options = {}
        if gap:
            for i, opt in enumerate(o.housing_options):
                xs = [var(1 if req.years[t] >= opt.first_year and t + opt.lead_years < T else 0) for t in range(T)]
                h.addConstr(sum(xs) <= 1)
                options[i] = xs
        needed = {f for item in o.rooms for alt in item for f in alt} - o.facilities0
        rooms = {f: [var(1) for _ in range(T)] for f in sorted(needed & set(req.facility_price))}
        for xs in rooms.values():
            h.addConstr(sum(xs) <= 1)
        for t in range(T):
            for r, n in enumerate(o.needs[t].staff):
                g = n - o.staff0[r]
                if g > 0:
                    h.addConstr((sum(hires[r][: t + 1]) if r in hires else 0) - g * att[t] >= 0)
            g = o.needs[t].total_staff - sum(o.staff0)
            if g > 0:
                h.addConstr(sum(x for xs in hires.values() for x in xs[: t + 1]) - g * att[t] >= 0)
            g = o.needs[t].floor_area_m2 - o.area0
            if g > 0:
                supply = sum(lease[: t + 1]) + sum(build[: max(0, t - req.build_lead_years + 1)]) + sum(
                    o.housing_options[i].area_m2 * xs[s] for i, xs in options.items() for s in range(T)
                    if s + o.housing_options[i].lead_years <= t)
                h.addConstr(supply - g * att[t] >= 0)
            for j, item in enumerate(o.rooms):
                if any(set(alt) <= o.facilities0 for alt in item):
                    continue
                alts = [alt for alt in item if all(f in o.facilities0 or f in rooms for f in alt)]
                picks = []
                for alt in alts:
                    z = var(1)
                    for f in alt:
                        if f not in o.facilities0:
                            h.addConstr(sum(rooms[f][: t + 1]) - z >= 0)
                    picks.append(z)
                h.addConstr(sum(picks) - att[t] >= 0)
            cost = 0
            for r, xs in hires.items():
                p = req.hire_price[r]
                cost += p.one_time * xs[t] + p.annual * sum(xs[: t + 1])
                hires_by.setdefault((r, k, t), []).append(xs[t])
            if lease:
                cost += req.lease_per_m2 * sum(lease[: t + 1])
            if build:
                cost += req.build_per_m2 * build[t]
            for i, xs in options.items():
                opt = o.housing_options[i]
                cost += opt.one_time * xs[t] + opt.annual * sum(xs[: t + 1])
            for f, xs in rooms.items():
                p = req.facility_price[f]
                cost += p.one_time * xs[t] + p.annual * sum(xs[: t + 1])
            cost_terms[(k, t)] = cost
    members = req.scope_members()  # which offices each budget / quota scope holds
    for b in req.budgets:
        t = req.years.index(b.year)
        terms = [cost_terms[(k, t)] for k in members.get(b.scope, ())]
        h.addConstr(sum(terms) <= b.amount_yuan)
    for q in req.quotas:
        t, r = req.years.index(q.year), req.roles.index(q.role)
        terms = [x for k in members.get(q.scope, ()) for x in hires_by.get((r, k, t), [])]
        if terms:
            h.addConstr(sum(terms) <= q.amount)
    att_of = {o.id: att for o, att in att_all}
    shorts = []
    for cell in req.targets:
        t = req.years.index(cell.year)
        attained = sum(att_of[i][t] for i in cell.office_ids)
        if req.soft_targets:
            s = var(cell.required)
            h.addConstr(attained + s >= cell.required)
            shorts.append(s)
        else:
            h.addConstr(attained >= cell.required)
    levels = ([("min", sum(shorts))] if req.soft_targets else []) + [
        ("max", sum(o.weight * a for o, att in att_all for a in att)), ("min", sum(cost_terms.values()))]
    build_seconds = time.monotonic() - t0
    values: list[int | None] = []
    status = "optimal"
    for sense, expr in levels:
        left = time_limit - (time.monotonic() - t0)
        if left <= 0:
            status = "time_limit"
            break
        h.setOptionValue("time_limit", left)
        h.minimize(expr) if sense == "min" else h.maximize(expr)
        ms = h.getModelStatus()
        if ms == highspy.HighsModelStatus.kInfeasible:
            return PeerResult("infeasible", tuple(values), time.monotonic() - t0, build_seconds)
        if ms != highspy.HighsModelStatus.kOptimal:
            status = "feasible" if h.getInfo().primal_solution_status == 2 else "time_limit"
            if status == "time_limit":
                break
        value = int(round(h.getInfo().objective_function_value))
        values.append(value)
        h.addConstr(expr <= value) if sense == "min" else h.addConstr(expr >= value)
        if status != "optimal":
            break
    return PeerResult(status, tuple(values), time.monotonic() - t0, build_seconds)
