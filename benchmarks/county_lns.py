"""A probe, not part of the planner: large-neighbourhood search over counties for a shared fund's
cost level, then CP-SAT's search of that level hinted with the plan it found.

    python benchmarks/county_lns.py benchmarks/instances/all_n300_y3_s1_t1.2.yaml --group 2 --rounds 4

Levels 1–2 are solved with the small components' settings (one worker, no presolve, probing or
cuts; `plan solve` keeps presolve for funds). Then, from the level-2 plan, each round frees the
offices of GROUP consecutive counties at a time (shifted by half a group every other round), fixes
every other office at the incumbent (`fix_variables_to_their_hinted_value`) and re-minimises the
cost (2 s a neighbourhood). Finally the cost level is searched from the best plan found.
docs/solver.md quotes its output.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _decisions(v: Any) -> list[Any]:
    """An office's decision variables (not the model's auxiliary ones)."""
    out = list(v.att) + [x for xs in v.hires.values() for x in xs] + list(v.lease) + list(v.build)
    out += [x for xs in v.options.values() for x in xs] + [x for xs in v.rooms.values() for x in xs]
    return [x for x in out if not isinstance(x, int)]


def main() -> None:
    from cost_level import solver
    from ortools.sat.python import cp_model

    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver.model import build_model

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--group", type=int, default=2, help="counties freed together")
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()

    def search(m: cp_model.CpModel, **extra: object) -> tuple[cp_model.CpSolver, str]:
        s = solver(extra)
        return s, s.status_name(s.solve(m))

    req = derive(load_scenario(args.scenario))
    t0 = time.monotonic()
    built = build_model(req, False)
    m = built.model
    built.require_targets()
    for expr, sign in ([(built.shortfall, 1)] if req.soft_targets else []) + [(built.attained, -1)]:
        m.minimize(expr) if sign > 0 else m.maximize(expr)
        s, _ = search(m)
        value = round(s.objective_value)
        m.add(expr <= value) if sign > 0 else m.add(expr >= value)
        print(f"level {value} in {s.wall_time:.2f} s", flush=True)
    m.minimize(built.total_cost)
    incumbent = {x.index: s.value(x) for v in built.vars for x in _decisions(v)}
    cost = round(s.value(built.total_cost))
    print(f"the level-2 plan costs {cost:,}", flush=True)
    counties = sorted({o.county for o in req.offices})
    t1 = time.monotonic()
    for r in range(args.rounds):
        shift = 0 if r % 2 == 0 else max(1, args.group // 2)
        order = counties[shift:] + counties[:shift]
        for i in range(0, len(order), args.group):
            free = set(order[i:i + args.group])
            m.clear_hints()
            for v in built.vars:
                if v.office.county not in free:
                    for x in _decisions(v):
                        m.add_hint(x, incumbent[x.index])
            s, status = search(m, cp_model_presolve=True, fix_variables_to_their_hinted_value=True,
                               max_time_in_seconds=2.0)
            if status in ("OPTIMAL", "FEASIBLE") and s.objective_value < cost:
                cost = round(s.objective_value)
                incumbent = {x.index: s.value(x) for v in built.vars for x in _decisions(v)}
        print(f"round {r + 1}: {cost:,} after {time.monotonic() - t1:.2f} s", flush=True)
    m.clear_hints()
    for v in built.vars:
        for x in _decisions(v):
            m.add_hint(x, incumbent[x.index])
    s, status = search(m, max_time_in_seconds=120.0)
    print(f"cost level from that plan: {status} {round(s.objective_value):,} in {s.wall_time:.2f} s; "
          f"{time.monotonic() - t0:.2f} s in all")


if __name__ == "__main__":
    main()
