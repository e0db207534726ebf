"""The per-county Dantzig–Wolfe bound of a shared fund's cost level, against its LP bound.

    python benchmarks/dw_bound.py benchmarks/instances/all_n300_y3_s1_t1.2.yaml [--cuts]

Levels 1–2 are solved as `plan solve` solves a fund (by level, one worker) and fixed. Then column
generation: a master LP (GLOP) picks a convex combination of county plans under the fund's
yearly budgets and the level-1/2 rows; each county's pricing is an exact CP-SAT solve over its own
offices (its quotas and targets, and the fund's budget alone, a valid relaxation), with the
master's duals scaled to integers. Prints each round's master value and Lagrangian bound.

`--cuts` then adds each county's Lagrangian optimality cut (its priced expression ≥ its exact
minimum, valid for every plan) to the full model and times CP-SAT's cost level with them.
Measured on the 300-office fund (docs/benchmarks.md): the bound closes only ~15 % of the LP gap,
so the decomposition was not built into the solver.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCALE = 1 << 12  # duals × SCALE, rounded: integer pricing objectives (any rounding keeps the bound valid)


def _search(m: Any, presolve: bool) -> Any:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers, p.linearization_level, p.cp_model_presolve = 1, 2, presolve
    p.cp_model_probing_level, p.cut_level = 0, 0
    code = solver.Solve(m)
    assert code == cp_model.OPTIMAL, code
    return solver


def main() -> None:  # noqa: C901 (one probe, read top to bottom)
    from ortools.linear_solver import pywraplp

    import planner.solver.model.build as build_module
    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver.components import components, split_requirements
    from planner.solver.cpsat import hint_next
    from planner.solver.model import build_model, constraints as c

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--cuts", action="store_true")
    ap.add_argument("--rounds", type=int, default=40)
    args = ap.parse_args()

    shorts_made: list[list[Any]] = []  # BuiltModel keeps only the shortfalls' sum: catch the cells'
    plain_targets = c.targets

    def targets(m: Any, vs: Any, req: Any) -> Any:
        lits, shorts = plain_targets(m, vs, req)
        shorts_made.append(shorts)
        return lits, shorts

    build_module.c.targets = targets  # type: ignore[attr-defined]
    req = derive(load_scenario(args.scenario))
    fund = max(split_requirements(req, components(req)), key=lambda r: len(r.offices))
    T, presolve, at = len(fund.years), len(fund.offices) > 200, fund.office_index()
    t0 = time.monotonic()
    built = build_model(fund, False)
    shorts, m = shorts_made[-1], built.model
    m.minimize(built.shortfall)
    s = _search(m, presolve)
    S = int(s.ObjectiveValue())
    m.add(built.shortfall <= S)
    hint_next(m, s)
    m.maximize(built.attained)
    s = _search(m, presolve)
    A = int(s.ObjectiveValue())
    m.add(built.attained >= A)
    hint_next(m, s)
    print(f"levels 1-2: shortfall {S}, attained {A}, {time.monotonic() - t0:.1f} s", flush=True)

    counties = sorted({o.county for o in fund.offices})
    members = {k: [i for i, o in enumerate(fund.offices) if o.county == k] for k in counties}
    cells: dict[str, list[int]] = {}
    for j, cell in enumerate(fund.targets):
        (k,) = {fund.offices[at[i]].county for i in cell.office_ids}  # county targets only
        cells.setdefault(k, []).append(j)

    def cost(vs: Any, t: int) -> Any:
        return sum(c.office_cost(v, fund, t) for v in vs)

    def attained(vs: Any) -> Any:
        return sum(v.office.weight * a for v in vs for a in v.att)

    def column(solver: Any, vs: Any, shs: Any) -> tuple[tuple[int, ...], int, int]:
        return (tuple(int(solver.Value(cost(vs, t))) for t in range(T)),
                int(sum(solver.Value(x) for x in shs)), int(solver.Value(attained(vs))))

    cols = {k: [column(s, [built.vars[i] for i in members[k]], [shorts[j] for j in cells.get(k, [])])]
            for k in counties}
    pricing = {}
    for k, sub in zip(counties, split_requirements(fund, [members[k] for k in counties])):
        sub = replace(sub, targets=tuple(x for x in sub.targets if fund.offices[at[x.office_ids[0]]].county == k))
        pb = build_model(sub, False)
        pb.require_targets()
        shs = shorts_made[-1]
        pricing[k] = (pb, [cost(pb.vars, t) for t in range(T)], sum(shs), attained(pb.vars), pb.vars, shs)
        cols[k].append(((0,) * T, sum(x.required for x in sub.targets), 0))  # doing nothing
    budgets = [b for b in fund.budgets if b.scope not in counties]

    def master() -> tuple[float, list[float], float, float, dict[str, float]]:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        th = {k: [lp.NumVar(0, 1, "") for _ in cols[k]] for k in counties}
        conv = {k: lp.Add(sum(th[k]) == 1) for k in counties}

        def total(f: Any) -> Any:
            return sum(x * f(col) for k in counties for x, col in zip(th[k], cols[k]))

        rows = [(fund.years.index(b.year), lp.Add(total(lambda col, b=b: col[0][fund.years.index(b.year)])
                                                  <= b.amount_yuan)) for b in budgets]
        short_row = lp.Add(total(lambda col: col[1]) <= S)
        att_row = lp.Add(total(lambda col: col[2]) >= A)
        lp.Minimize(total(lambda col: sum(col[0])))
        assert lp.Solve() == pywraplp.Solver.OPTIMAL
        lam = [0.0] * T
        for t, r in rows:
            lam[t] += max(0.0, -r.dual_value())
        return (lp.Objective().Value(), lam, max(0.0, -short_row.dual_value()), max(0.0, att_row.dual_value()),
                {k: conv[k].dual_value() for k in counties})

    t1 = time.monotonic()
    for n in range(args.rounds):
        value, lam, mu_s, mu_a, pi = master()
        cy, cs, ca = [round(SCALE * (1 + x)) for x in lam], round(SCALE * mu_s), round(SCALE * mu_a)
        total_min, added, minima = 0, 0, {}
        for k in counties:
            pb, costs, sh, att, vs, shs = pricing[k]
            pb.model.minimize(sum(w * e for w, e in zip(cy, costs)) + cs * sh - ca * att)
            ps = _search(pb.model, False)
            minima[k] = int(round(ps.ObjectiveValue()))
            total_min += minima[k]
            col = column(ps, vs, shs)
            reduced = sum(col[0]) + sum(x * y for x, y in zip(lam, col[0])) + mu_s * col[1] - mu_a * col[2] - pi[k]
            if reduced < -1e-6 * max(1.0, abs(pi[k])) and col not in cols[k]:
                cols[k].append(col)
                added += 1
        bound = (total_min - sum((cy[fund.years.index(b.year)] - SCALE) * b.amount_yuan for b in budgets)
                 - cs * S + ca * A) / SCALE
        print(f"round {n}: master {value:,.0f}, Lagrangian bound {bound:,.0f}, {added} columns added", flush=True)
        if not added:
            break
    print(f"column generation {time.monotonic() - t1:.1f} s", flush=True)
    if args.cuts:
        for k in counties:
            vs = [built.vars[i] for i in members[k]]
            shs = [shorts[j] for j in cells.get(k, [])]
            m.add(sum(w * cost(vs, t) for t, w in enumerate(cy)) + cs * sum(shs) - ca * attained(vs) >= minima[k])
    t2 = time.monotonic()
    m.minimize(built.total_cost)
    s = _search(m, presolve)
    cuts = " with the cuts" if args.cuts else ""
    print(f"cost level{cuts}: {s.ObjectiveValue():,.0f} in {time.monotonic() - t2:.1f} s")


if __name__ == "__main__":
    main()
