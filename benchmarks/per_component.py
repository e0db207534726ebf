"""Each component's outcome under a time limit, as `plan solve` gets it (process pool included).

    python benchmarks/per_component.py benchmarks/instances/province31_n40000_y3_s1_t1.2.yaml --time-limit 180

Prints, per component, its offices, status and each level's value, bound and seconds: what the
summed levels of plan.json hide (a component left at the do-nothing plan, a level never searched).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver import solve
    from planner.solver.params import SolveParams

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--time-limit", type=float, default=180.0)
    args = ap.parse_args()
    req = derive(load_scenario(args.scenario))
    parts = solve.components(req)
    started = time.monotonic()
    outcomes = solve._solve_parts(req, parts, SolveParams(time_limit=args.time_limit), started)
    print(f"{len(parts)} components, solve {time.monotonic() - started:.1f} s")
    for idx, outcome in zip(parts, outcomes):
        levels = ", ".join(f"{s.name} {s.value} (bound {s.bound}, {s.status}, {s.seconds:.1f} s)"
                           for s in outcome.stages)
        print(f"{len(idx)} offices: {outcome.status}: {levels}")


if __name__ == "__main__":  # the process pool's workers import this file
    main()
