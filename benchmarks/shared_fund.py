"""Shared-fund benchmarks (issue 12): one budget a year over all offices, county quotas and targets.

Instances: `plan generate … --budget-scope all|city|province` (each fund the sum of the county
budgets it replaces), so only the yearly fund rows couple the counties.

    python benchmarks/shared_fund.py goals [--time-limit 300]   # the Goals table of docs/benchmarks.md
    python benchmarks/shared_fund.py agree                      # CP-SAT vs the HiGHS peer, 24 instances

`goals` runs each instance end to end (load, derive, solve, plan, verify) in a fresh subprocess
per solver — the planner (`--engine auto`, and `--engine cpsat`) and the HiGHS peer (plain and
with pattern rows) — and writes benchmarks/results/<date>-shared.json. `agree` solves 24
generated coupled instances of 20–150 offices with CP-SAT alone (`--engine cpsat`) and with the
peer and compares all three levels; it writes benchmarks/results/<date>-agree.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def shared_instance(n: int, seed: int = 1, years: int = 3, tightness: float = 1.2,
                    folder: Path = HERE / "instances", scope: str = "all", groups: int | None = None) -> Path:
    """A generated scenario with shared funds (`plan generate --budget-scope SCOPE`, with
    `--cities`/`--provinces` GROUPS), made once, then reused."""
    from planner.analysis.generate import Scopes, generate, write_scenario

    path = folder / f"{scope}{groups or ''}_n{n}_y{years}_s{seed}_t{tightness}.yaml"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        scopes = Scopes(budget=scope, cities=groups if scope == "city" else None,
                        provinces=groups if scope == "province" else None)
        write_scenario(generate(n, seed, years, tightness, soft=True, scopes=scopes), path)
    return path


# (name, instance maker, solvers): the rows of issue 12's Goals table.
def goal_rows() -> list[tuple[str, Callable[[], Path], tuple[str, ...]]]:
    from run import instance

    every = ("auto", "cpsat", "highs", "highs-patterns")
    return [("60 offices, one budget a year", lambda: shared_instance(60), every),
            ("300 offices, one budget a year", lambda: shared_instance(300), every),
            ("1,300 offices, one budget a year", lambda: shared_instance(1300), ("auto", "cpsat", "highs")),
            ("10,000 offices, 80 city funds", lambda: shared_instance(10000, scope="city", groups=80),
             ("auto", "cpsat")),
            ("40,000 offices, 31 province funds", lambda: shared_instance(40000, scope="province", groups=31),
             ("auto",)),
            ("1,300 offices, per county (issue 7)", lambda: instance(1300, 3, 1, 1.2), ("auto",)),
            ("10,000 offices, per county (issue 7)", lambda: instance(10000, 3, 1, 1.2), ("auto",))]


def goals(time_limit: float, only: str | None, out: Path | None = None, solvers: str | None = None) -> None:
    from run import machine, measure

    rows = []
    for name, make, row_solvers in goal_rows():
        if only and only not in name:
            continue
        path = make()
        load = os.getloadavg()[0]  # the machine is shared: say how loaded it was
        chosen = [s for s in row_solvers if solvers is None or s in solvers.split(",")]
        row = {"instance": name, "file": path.name, **{s: measure(s, path, time_limit) for s in chosen},
               "load_before": round(load, 1), "load_after": round(os.getloadavg()[0], 1)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    out = out or HERE / "results" / f"{datetime.date.today()}-shared.json"
    out.write_text(json.dumps({"machine": machine(), "time_limit": time_limit, "rows": rows}, indent=2),
                   encoding="utf-8")
    print(f"wrote {out}")


AGREE = [(n, seed, t) for n in (20, 40, 60, 90, 120, 150) for seed, t in ((1, 1.2), (2, 2.0), (3, 1.0), (4, 1.5))]


def agree_one(n: int, seed: int, tightness: float, time_limit: float,
              folder: Path = HERE / "instances") -> dict[str, Any]:
    """One coupled instance solved by CP-SAT alone and by the HiGHS peer; levels compared."""
    from mip_peer import solve_mip

    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver.params import SolveParams
    from planner.solver.solve import solve

    req = derive(load_scenario(shared_instance(n, seed, tightness=tightness, folder=folder)))
    t0 = time.monotonic()
    cp = solve(req, SolveParams(time_limit=time_limit, engine="cpsat"))
    t1 = time.monotonic()
    peer = solve_mip(req, time_limit=time_limit)
    t2 = time.monotonic()
    levels = tuple(s.value for s in cp.stages)
    both = cp.status == "optimal" and peer.status == "optimal"
    return {"offices": n, "seed": seed, "tightness": tightness, "cpsat": cp.status, "cpsat_levels": levels,
            "cpsat_s": round(t1 - t0, 2), "highs": peer.status, "highs_levels": peer.levels,
            "highs_s": round(t2 - t1, 2), "agree": levels == peer.levels if both else None}


def agree(time_limit: float, out: Path | None = None) -> None:
    rows = []
    for n, seed, tightness in AGREE:
        rows.append(agree_one(n, seed, tightness, time_limit))
        print(json.dumps(rows[-1]), flush=True)
    out = out or HERE / "results" / f"{datetime.date.today()}-agree.json"
    out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    bad = [r for r in rows if r["agree"] is False]
    print(f"wrote {out}: {sum(r['agree'] is True for r in rows)} agree, {len(bad)} disagree, "
          f"{sum(r['agree'] is None for r in rows)} not both proven")
    sys.exit(1 if bad else 0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["goals", "agree"])
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--only", help="goals: only the rows whose name holds this text")
    ap.add_argument("--out", type=Path, help="the results file (default results/<date>-shared.json or -agree.json)")
    ap.add_argument("--solvers", help="goals: only these solvers, e.g. auto,highs (default: the row's own)")
    args = ap.parse_args()
    if args.what == "goals":
        goals(args.time_limit, args.only, args.out, args.solvers)
    else:
        agree(args.time_limit, args.out)


if __name__ == "__main__":
    main()
