"""A shared fund's cost level (level 3) alone in CP-SAT, with extra solver parameters.

    python benchmarks/cost_level.py benchmarks/instances/all_n300_y3_s1_t1.2.yaml
    python benchmarks/cost_level.py benchmarks/instances/all_n300_y3_s1_t1.2.yaml cut_level=1
    python benchmarks/cost_level.py benchmarks/instances/all_n300_y3_s1_t1.2.yaml --levels-by highs
    python benchmarks/cost_level.py benchmarks/instances/all_n300_y3_s1_t1.2.yaml --again

Levels 1–2 are solved first, by CP-SAT (by level, one worker, the small components' settings;
`plan solve` adds presolve for a fund of 41–400 offices: pass cp_model_presolve=True) or by HiGHS
(`--levels-by highs`, the direct MIP of planner/solver/mip.py); the cost level is then searched
with those levels fixed and their plan as the hint, with the small components' settings (one
worker, no presolve, probing or cuts) and NAME=VALUE on top. Prints each level's time and the cost
level's status, value, bound and time (docs/solver.md, Why 400). `--again`: then search the cost
level once more, hinted with the plan just found, to time the proof alone when the search starts
from the optimum.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _highs_levels(req: Any) -> tuple[list[int], Any]:
    """Levels 1–2 by HiGHS (one thread): their values and the plan."""
    from planner.solver import mip

    h = mip._quiet_highs()
    mip._use_threads(h, 1)
    mip.set_options(h, **mip.EXACT)
    cols, levels = mip._build(h, req, False)
    values = []
    for sense, expr in levels[:-1]:
        t = time.monotonic()
        h.minimize(expr) if sense == "min" else h.maximize(expr)
        values.append(round(h.getInfo().objective_function_value))
        print(f"HiGHS level {len(values)}: {values[-1]} in {time.monotonic() - t:.2f} s", flush=True)
        mip._constr(h, expr <= values[-1]) if sense == "min" else mip._constr(h, expr >= values[-1])
    x = list(h.getSolution().col_value)
    return values, [mip._extract(c, x) for c in cols]


def _hint(m: Any, built: Any, plan: Any) -> None:
    """Every decision of `plan` (OfficeDecisions per office) as the model's hint."""
    for vs, d in zip(built.vars, plan):
        pairs = [(a, int(on)) for a, on in zip(vs.att, d.att)]
        pairs += [(x, d.hires.get((r, t), 0)) for r, xs in vs.hires.items() for t, x in enumerate(xs)]
        pairs += [(x, d.lease.get(t, 0)) for t, x in enumerate(vs.lease)]
        pairs += [(x, d.build.get(t, 0)) for t, x in enumerate(vs.build)]
        pairs += [(x, int(d.options.get(i) == t)) for i, xs in vs.options.items() for t, x in enumerate(xs)]
        pairs += [(x, int(d.rooms.get(f) == t)) for f, xs in vs.rooms.items() for t, x in enumerate(xs)]
        for var, value in pairs:
            if not isinstance(var, int):
                m.add_hint(var, value)


def solver(extra: dict[str, object]) -> Any:
    """A CP-SAT solver with the small components' settings (planner/solver/cpsat.py: one worker,
    linearization 2, no presolve, probing or cuts), then `extra` on top."""
    from ortools.sat.python import cp_model

    s = cp_model.CpSolver()
    p = s.parameters
    p.num_workers, p.linearization_level, p.cp_model_presolve = 1, 2, False
    p.cp_model_probing_level, p.cut_level = 0, 0
    for name, value in extra.items():
        setattr(p, name, value)
    return s


def main() -> None:
    from params import _value

    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver.cpsat import hint_next
    from planner.solver.model import build_model

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    ap.add_argument("params", nargs="*", help="CP-SAT parameters NAME=VALUE for the cost level")
    ap.add_argument("--levels-by", choices=["cpsat", "highs"], default="cpsat")
    ap.add_argument("--time-limit", type=float, default=120.0, help="seconds for the cost level")
    ap.add_argument("--again", action="store_true", help="then again from the plan found (the proof alone)")
    args = ap.parse_intermixed_args()

    req = derive(load_scenario(args.scenario))
    built = build_model(req, False)
    m = built.model
    built.require_targets()
    exprs = ([(built.shortfall, +1)] if req.soft_targets else []) + [(built.attained, -1)]
    if args.levels_by == "highs":
        values, plan = _highs_levels(req)
        for (expr, sign), value in zip(exprs, values):
            m.add(expr <= value) if sign > 0 else m.add(expr >= value)
        _hint(m, built, plan)
    else:
        for k, (expr, sign) in enumerate(exprs, 1):
            m.minimize(expr) if sign > 0 else m.maximize(expr)
            s = solver({})
            s.solve(m)
            value = round(s.objective_value)
            print(f"CP-SAT level {k}: {value} in {s.wall_time:.2f} s", flush=True)
            m.add(expr <= value) if sign > 0 else m.add(expr >= value)
            hint_next(m, s)
    m.minimize(built.total_cost)
    extra = {k: _value(v) for k, v in (p.split("=", 1) for p in args.params)}
    s = solver({**extra, "max_time_in_seconds": args.time_limit})
    code = s.solve(m)
    print(f"cost level {' '.join(args.params) or '(defaults)'}: {s.status_name(code)} {round(s.objective_value):,} "
          f"bound {round(s.best_objective_bound):,} in {s.wall_time:.2f} s")
    if args.again:
        hint_next(m, s)
        s = solver({**extra, "max_time_in_seconds": args.time_limit})
        code = s.solve(m)
        print(f"again from that plan: {s.status_name(code)} {round(s.objective_value):,} in {s.wall_time:.2f} s")


if __name__ == "__main__":
    main()
