"""The county split's plan of a shared fund, timed step by step (planner/solver/county_split.py).

    python benchmarks/county_split.py benchmarks/instances/all_n1300_y3_s1_t1.2.yaml
    python benchmarks/county_split.py benchmarks/instances/all_n1300_y3_s1_t1.2.yaml --shares alone

Takes the largest component, cuts its budgets into county shares and solves each county by
level, as `plan solve` does when a large fund's time is short. `--shares lp` (the default, what
the solver uses): each county's spending in the LP relaxation of levels 1–2. `--shares alone`:
the fund's budget in proportion to what each county spends with the whole fund to itself (the
split tried first, docs/solver.md, A first plan by county). Prints each step's seconds and the
plan's levels, to set beside the fund's optimum (`plan solve` with a long time limit).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from planner.rules.requirements import Requirements  # noqa: E402


def main() -> None:
    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver import county_split, mip
    from planner.solver.components import components, split_requirements
    from planner.solver.params import SolveOutcome, SolveParams
    from planner.solver.solve import solve

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--shares", choices=("lp", "alone"), default="lp")
    args = ap.parse_args()
    req = derive(load_scenario(args.scenario))
    fund = max(split_requirements(req, components(req)), key=lambda r: len(r.offices))
    assert county_split.applicable(fund), "not a fund the split takes (soft targets, quotas and cells by county)"

    def by_county(county: Requirements, limit: float | None) -> SolveOutcome:
        return solve(county, SolveParams(workers=1, time_limit=limit))

    t0 = time.monotonic()
    if args.shares == "lp":
        lp = mip.lp_relaxation(fund, 600.0)
        assert lp is not None
        spending = lp.spending
        print(f"the LP's bound on level 1: {lp.shortfall_bound}")
    else:
        spending = _alone(fund)
    t1 = time.monotonic()
    outcome = county_split.split_plan(fund, spending, by_county)
    t2 = time.monotonic()
    assert outcome is not None
    print(f"{len(fund.offices)} offices, {len(county_split.county_parts(fund))} counties, shares by {args.shares}: "
          f"shares {t1 - t0:.1f} s, counties {t2 - t1:.1f} s; levels {[s.value for s in outcome.stages]}")


def _alone(fund: Requirements) -> list[list[float]]:
    """Each office-year's spending in its county's optimum with the whole fund to itself (levels
    1–3 by CP-SAT), scaled so that each year's total is that year's fund."""
    from ortools.sat.python import cp_model

    from planner.solver import county_split
    from planner.solver.components import split_requirements
    from planner.solver.model import build_model, constraints as c

    T = len(fund.years)
    parts = county_split.county_parts(fund)
    spent = [[0.0] * T for _ in fund.offices]
    for idx, sub in zip(parts, split_requirements(fund, parts)):
        built = build_model(sub, False)
        m, solver = built.model, cp_model.CpSolver()
        solver.parameters.num_workers = 1
        for expr, sense in ((built.shortfall, 1), (built.attained, -1), (built.total_cost, 1)):
            m.minimize(expr) if sense > 0 else m.maximize(expr)
            assert solver.Solve(m) == cp_model.OPTIMAL
            value = int(solver.ObjectiveValue())
            m.add(expr <= value) if sense > 0 else m.add(expr >= value)
        for i, v in zip(idx, built.vars):
            spent[i] = [float(solver.Value(c.office_cost(v, sub, t))) for t in range(T)]
    counties = {o.county for o in fund.offices}
    wide = {b.year: b.amount_yuan for b in fund.budgets if b.scope not in counties}  # the fund's own entries
    for t, year in enumerate(fund.years):
        total = sum(row[t] for row in spent) or 1.0
        for row in spent:
            row[t] *= wide[year] / total
    return spent


if __name__ == "__main__":
    main()
