"""Benchmarks: CP-SAT planner vs a direct HiGHS MIP on synthetic scenarios (docs/benchmarks.md).

    pip install -e '.[bench]'
    python benchmarks/run.py --sizes 100,300,1300,10000,40000 --years 3 --seed 1

Each (size, solver) runs in a fresh subprocess, so peak memory (ru_maxrss from wait4) is that
run's alone. Instances are generated once into benchmarks/instances/ (git-ignored). Results go to
benchmarks/results/<date>.json and a markdown table on stdout; `--chart` writes docs/benchmarks.png.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def instance(n: int, years: int, seed: int, tightness: float) -> Path:
    from planner.analysis.generate import generate, write_scenario

    path = HERE / "instances" / f"n{n}_y{years}_s{seed}_t{tightness}.yaml"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_scenario(generate(n, seed, years, tightness, soft=True), path)
    return path


def run_cpsat(path: Path, time_limit: float, engine: str = "auto") -> dict:
    """End to end as `plan solve` does it: load, derive, solve, plan, verify."""
    from planner.io.loading import load_scenario
    from planner.pipeline import plan_requirements, prepare
    from planner.solver.params import SolveParams
    from planner.solver.solve import solve

    solve_s = 0.0

    def timed(req, params):  # type: ignore[no-untyped-def]
        nonlocal solve_s
        started = time.monotonic()
        outcome = solve(req, params)
        solve_s = time.monotonic() - started
        return outcome

    t0 = time.monotonic()
    loaded = load_scenario(path)
    t1 = time.monotonic()
    req = prepare(loaded)
    t2 = time.monotonic()
    run = plan_requirements(loaded, req, SolveParams(time_limit=time_limit, engine=engine), solver=timed)
    t4 = time.monotonic()
    outcome = run.outcome
    return {"engine": engine, "status": outcome.status, "levels": [s.value for s in outcome.stages],
            "bounds": [s.bound for s in outcome.stages], "load_s": t1 - t0, "derive_s": t2 - t1,
            "solve_s": solve_s, "plan_verify_s": t4 - t2 - solve_s, "total_s": t4 - t0,
            "violations": len(run.violations)}


def run_highs(path: Path, time_limit: float, patterns: bool = False) -> dict:
    from mip_peer import solve_mip

    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive

    t0 = time.monotonic()
    req = derive(load_scenario(path))
    result = solve_mip(req, time_limit=time_limit, patterns=patterns)
    return {"status": result.status, "levels": list(result.levels), "build_s": result.build_seconds,
            "total_s": time.monotonic() - t0}


def run_one(solver: str, path: Path, time_limit: float) -> dict:
    """solver: auto | cpsat (the planner, `--engine`), highs | highs-patterns (the peer)."""
    if solver.startswith("highs"):
        return run_highs(path, time_limit, patterns=solver == "highs-patterns")
    return run_cpsat(path, time_limit, engine=solver)


def measure(solver: str, path: Path, time_limit: float) -> dict:
    cmd = [sys.executable, __file__, "--one", solver, str(path), "--time-limit", str(time_limit)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    result = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"status": f"crashed ({status})"}
    result["peak_mb"] = round(usage.ru_maxrss / 1024)
    return result


def machine() -> dict:
    mem = next((ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), "?") if Path("/proc/meminfo").exists() else "?"
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    import ortools

    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gb": round(int(mem) / 1024 / 1024, 1) if mem != "?" else mem,
            "python": platform.python_version(), "ortools": ortools.__version__}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,300,1300,10000,40000")
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tightness", type=float, default=1.2)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--highs-max", type=int, default=1300, help="largest size given to HiGHS")
    ap.add_argument("--one", nargs=2, metavar=("SOLVER", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        solver, path = args.one
        result = run_one(solver, Path(path), args.time_limit)
        print(json.dumps(result))
        return
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        path = instance(n, args.years, args.seed, args.tightness)
        row = {"offices": n, "years": args.years, "cpsat": measure("cpsat", path, args.time_limit)}
        if n <= args.highs_max:
            row["highs"] = measure("highs", path, args.time_limit)
        rows.append(row)
        print(json.dumps(row), flush=True)
    out = HERE / "results" / f"{datetime.date.today()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "args": vars(args), "rows": rows}, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
