"""Holding a proven level from both sides, per component (tried for issue 12, not kept).

    python benchmarks/hold_levels.py benchmarks/instances/city80_n10000_y3_s1_t1.2.yaml
    python benchmarks/hold_levels.py benchmarks/instances/all_n120_y3_s3_t1.0.yaml --first 1

Before the next level, `plan solve` holds a level at its value from its own side (a minimised
level at most its value, a maximised one at least). A level proven optimal could be held from the
other side too (the shortfall at least its minimum, the attained office-years at most their
maximum): no plan beats a proven optimum, so the plans allowed are the same, and the search might
prune with it. This solves every component's levels one worker, by level, with the settings of a
small component or shared fund searched by level (planner/solver/cpsat.py, presolve above 200
offices as solve.PRESOLVE_FROM), once each way, alternating which goes first, and prints each
component's two times and the totals (docs/solver.md, Holding proven levels).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.rules.requirements import Requirements

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def levels_of(sub: Requirements, both: bool) -> tuple[list[int], float]:
    """(the levels' values, seconds) for one component, each proven level held as `both` says."""
    from cost_level import solver

    from planner.solver.cpsat import hint_next
    from planner.solver.model import build_model
    from planner.solver.solve import PRESOLVE_FROM

    started = time.monotonic()
    built = build_model(sub, False)
    m = built.model
    built.require_targets()
    levels = ([(built.shortfall, +1)] if sub.soft_targets else []) + [(built.attained, -1), (built.total_cost, +1)]
    values = []
    for expr, sign in levels:
        m.minimize(expr) if sign > 0 else m.maximize(expr)
        s = solver({"cp_model_presolve": len(sub.offices) > PRESOLVE_FROM})
        code = s.solve(m)
        assert s.status_name(code) == "OPTIMAL", s.status_name(code)
        values.append(round(s.objective_value))
        if sign > 0 or both:
            m.add(expr <= values[-1])
        if sign < 0 or both:
            m.add(expr >= values[-1])
        hint_next(m, s)
    return values, time.monotonic() - started


def main() -> None:
    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver.components import components, split_requirements

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--first", type=int, help="only the first N components")
    args = ap.parse_args()
    req = derive(load_scenario(args.scenario))
    subs = split_requirements(req, components(req))[: args.first]
    total = {False: 0.0, True: 0.0}
    faster = 0
    for i, sub in enumerate(subs):
        runs = {both: levels_of(sub, both) for both in ((False, True) if i % 2 == 0 else (True, False))}
        assert runs[False][0] == runs[True][0], "the same levels either way"
        for both, (_, seconds) in runs.items():
            total[both] += seconds
        faster += runs[True][1] < runs[False][1]
        print(f"component {i + 1} ({len(sub.offices)} offices): one side {runs[False][1]:.2f} s, "
              f"both {runs[True][1]:.2f} s, levels {runs[True][0]}", flush=True)
    print(f"{args.scenario.name}: {len(subs)} components, one side {total[False]:.1f} s, both sides "
          f"{total[True]:.1f} s; both faster in {faster} of {len(subs)}")


if __name__ == "__main__":
    main()
