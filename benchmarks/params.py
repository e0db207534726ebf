"""CP-SAT parameters on small components: every component of a scenario solved in turn, one worker,
as `plan solve` solves it (`solve._solve_part`), with extra solver parameters set on top.

    python benchmarks/params.py SCENARIO [NAME=VALUE ...]      # e.g. cut_level=0
    python benchmarks/params.py benchmarks/instances/n1300_y3_s1_t1.2.yaml cut_level=0 --first 25

Prints the total wall and CPU time, the slowest component's time and the summed levels, so two runs with different
parameters can be compared for speed and checked for the same optima (docs/solver.md, Parameters).
Instances: `python benchmarks/run.py` makes benchmarks/instances/n<N>_y<Y>_s<seed>_t<tightness>.yaml.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from ortools.sat.python import cp_model

    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver import cpsat, solve
    from planner.solver.components import components, split_requirements
    from planner.solver.params import SolveParams

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    ap.add_argument("params", nargs="*", help="CP-SAT parameters NAME=VALUE (Python literals)")
    ap.add_argument("--first", type=int, help="only the first N components")
    args = ap.parse_args()
    extra = {k: ast.literal_eval(v) for k, v in (p.split("=", 1) for p in args.params)}
    class WithExtra(cp_model.CpSolver):  # the parameters set last, just before each search
        def solve(self, model, callback=None):  # type: ignore[no-untyped-def]
            for name, value in extra.items():
                setattr(self.parameters, name, value)
            return super().solve(model, callback)

        Solve = solve

    cpsat.cp_model.CpSolver = WithExtra  # type: ignore[misc]
    req = derive(load_scenario(args.scenario))
    subs = split_requirements(req, components(req))[: args.first]
    started, cpu, slowest, levels = time.monotonic(), time.process_time(), 0.0, None
    for sub in subs:
        t = time.monotonic()
        out = solve._solve_part(sub, SolveParams(time_limit=None, workers=1), t, "")
        slowest = max(slowest, time.monotonic() - t)
        values = [s.value or 0 for s in out.stages]
        levels = values if levels is None else [a + b for a, b in zip(levels, values)]
        if out.status != "optimal":
            print(f"component of {len(sub.offices)} offices: {out.status}")
    print(f"{args.scenario.name} {' '.join(args.params) or '(defaults)'}: {len(subs)} components, "
          f"{time.monotonic() - started:.2f} s ({time.process_time() - cpu:.2f} s CPU), "
          f"slowest {slowest:.2f} s, levels {levels}")


if __name__ == "__main__":
    main()
