"""CP-SAT parameters on small components: every component of a scenario solved in turn, one worker,
as `plan solve` solves it (`solve._solve_part`), with extra solver parameters set on top.

    python benchmarks/params.py SCENARIO [NAME=VALUE ...]      # e.g. cut_level=0
    python benchmarks/params.py benchmarks/instances/n1300_y3_s1_t1.2.yaml cut_level=0 --first 25
    python benchmarks/params.py benchmarks/instances/n1300_y3_s1_t1.2.yaml --path combined
    python benchmarks/params.py benchmarks/instances/all_n600_y3_s1_t1.2.yaml --coupled-by-level 600
    python benchmarks/params.py benchmarks/instances/all_n600_y3_s1_t1.2.yaml --highs --threads 2

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


def _value(text: str) -> object:
    """A Python literal, or an enum value's name (e.g. LP_SEARCH for search_branching)."""
    from ortools.sat.python.cp_model_helper import SatParameters

    return getattr(SatParameters, text) if text.isupper() else ast.literal_eval(text)


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
    ap.add_argument("--pattern-bounds", choices=["auto", "on", "off"], default="auto",
                    help="the redundant pattern cost bounds (SolveParams.pattern_bounds; auto: off here)")
    ap.add_argument("--path", choices=["auto", "combined", "staged"], default="auto",
                    help="SolveParams.path: auto (a small component's search per level), the one weighted "
                         "search, or the staged defaults of larger components")
    ap.add_argument("--coupled-by-level", type=int, metavar="N",
                    help="solve shared funds of up to N offices by level (solve.COUPLED_BY_LEVEL)")
    ap.add_argument("--highs", action="store_true", help="each component by HiGHS's direct MIP instead")
    ap.add_argument("--threads", type=int, default=1, help="HiGHS threads (--highs)")
    ap.add_argument("--time-limit", type=float, help="seconds per component")
    args = ap.parse_intermixed_args()
    if args.coupled_by_level is not None:
        solve.COUPLED_BY_LEVEL = args.coupled_by_level
    extra = {k: _value(v) for k, v in (p.split("=", 1) for p in args.params)}
    class WithExtra(cp_model.CpSolver):  # the parameters set last, just before each search
        def solve(self, model, callback=None):  # type: ignore[no-untyped-def]
            for name, value in extra.items():
                setattr(self.parameters, name, value)
            return super().solve(model, callback)

        Solve = solve

    cpsat.cp_model.CpSolver = WithExtra  # type: ignore[misc]
    bounds = {"auto": None, "on": True, "off": False}[args.pattern_bounds]
    req = derive(load_scenario(args.scenario))
    subs = split_requirements(req, components(req))[: args.first]
    started, cpu, slowest, levels = time.monotonic(), time.process_time(), 0.0, None
    for sub in subs:
        t = time.monotonic()
        if args.highs:
            from planner.solver.mip import solve_mip

            mip = solve_mip(sub, args.time_limit, threads=args.threads)
            status, values = mip.status, list(mip.levels)
        else:
            out = solve._solve_part(sub, SolveParams(time_limit=args.time_limit, workers=1, pattern_bounds=bounds,
                                                     path=args.path), t, "")
            status, values = out.status, [s.value or 0 for s in out.stages]
        slowest = max(slowest, time.monotonic() - t)
        levels = values if levels is None else [a + b for a, b in zip(levels, values)]
        if status != "optimal" or len(subs) == 1:
            print(f"component of {len(sub.offices)} offices: {status} in {time.monotonic() - t:.2f} s, {values}")
    label = ' '.join(args.params + ([f'--pattern-bounds {args.pattern_bounds}'] if bounds is not None else [])
                     + ([f'--path {args.path}'] if args.path != "auto" else [])
                     + ([f'--highs --threads {args.threads}'] if args.highs else [])
                     + ([f'--coupled-by-level {args.coupled_by_level}'] if args.coupled_by_level else []))
    print(f"{args.scenario.name} {label or '(defaults)'}: {len(subs)} components, "
          f"{time.monotonic() - started:.2f} s ({time.process_time() - cpu:.2f} s CPU), "
          f"slowest {slowest:.2f} s, levels {levels}")


if __name__ == "__main__":
    main()
