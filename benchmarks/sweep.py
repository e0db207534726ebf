"""Benchmark `plan sweep`: wall time, CPU time and per-core utilisation, parallel vs sequential.

    pip install -e '.[bench]'
    python benchmarks/sweep.py                       # both sweeps, 3 runs each (median shown)
    python benchmarks/sweep.py --repeat 1 --only 2022
    python benchmarks/sweep.py --dask tcp://127.0.0.1:8786 --dask-pid "$(cat worker.pid)"

What is measured (docs/benchmarks.md, section "Sweeps"):

* `2022`: `plan sweep scenarios/2022.yaml --budget-scale 0.6:1.4:0.1 --no-chart --json` (the
  issue's acceptance sweep, default time limit and workers), the same writing the chart, and the
  same 9 variants solved one after another in one process.
* `g300`: a heavier sweep where one variant takes seconds: `plan generate --offices 300 --seed 1
  --tightness 1.2 --soft` (3 years), swept with `--budget-scale 0.8:1.2:0.1`, in parallel (the
  default: one process per core) and sequentially in one process with 1 and with 2 CP-SAT workers.

`plan sweep` has no switch for "one process": `--workers` sets CP-SAT workers per variant, never the
number of processes. The sequential runs therefore call `planner.analysis.sweep._run_local(..., processes=1)`
in a child Python (this script with `--sequential`), which is exactly what `plan sweep` does on one
core, so both sides pay the same start-up and the same per-variant work.

Each command runs as a subprocess. While it runs, `psutil.cpu_percent(percpu=True, interval=0.1)`
samples every core (system-wide: anything else running on the machine counts too) and the CPU time
(user + system) of every process of the command's tree (the CLI, the forkserver, its pool workers;
with --dask also the trees of the given Dask worker PIDs) is read at every sample and summed per
process at its last reading (a process that exits loses at most its last 0.1 s). `getrusage` of
the reaped children is printed alongside as a cross-check (it misses the pool workers, which the
forkserver, not the CLI, reaps). Because `cpu_percent` counts every program on the machine, the
sweep's own per-core load is also measured: every 0.1 s each thread of the tree is read from
/proc/PID/task/TID/stat (CPU ticks, the core it last ran on) and its new CPU time is put on that
core. Before each run the script waits (--quiet-wait) until no core is over 10 % busy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------- one command, measured


def _tree_times(roots: list[Any], seen: dict[tuple[int, float], float]) -> None:
    """Record the CPU seconds (user + system, own only) of every process under `roots`."""
    import psutil

    for root in roots:
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        for p in procs:
            try:
                with p.oneshot():
                    t = p.cpu_times()
                    seen[(p.pid, p.create_time())] = t.user + t.system
            except psutil.Error:
                pass  # exited between listing and reading: keeps its last reading


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _thread_cores(roots: list[Any]) -> dict[tuple[int, int], tuple[float, int]]:
    """Per thread of the trees under `roots`: (CPU seconds so far, the core it last ran on).

    Linux only (/proc/PID/task/TID/stat); empty elsewhere. A CP-SAT search runs its workers as
    threads of one process, so threads, not processes, say which cores the sweep kept busy."""
    import psutil

    out: dict[tuple[int, int], tuple[float, int]] = {}
    for root in roots:
        try:
            pids = [root.pid, *(c.pid for c in root.children(recursive=True))]
        except psutil.Error:
            continue
        for pid in pids:
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tasks:
                try:
                    stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
                except OSError:
                    continue
                f = stat[stat.rindex(")") + 2:].split()  # fields from 3 (state) on
                out[(pid, int(tid))] = ((int(f[11]) + int(f[12])) / TICK, int(f[36]))
    return out


def wait_quiet(max_wait: float, threshold: float = 10.0) -> list[float]:
    """Wait (up to `max_wait` s) until the machine is idle: every core under `threshold` % over 1 s.
    Returns the last per-core reading: what other programs used just before the run."""
    import psutil

    deadline = time.monotonic() + max_wait
    while True:
        busy = psutil.cpu_percent(percpu=True, interval=1.0)
        if max(busy) < threshold or time.monotonic() >= deadline:
            return busy


def measure(cmd: list[str], extra_pids: list[int] | None = None) -> dict[str, Any]:
    """Run `cmd`, sampling per-core utilisation and the process tree's CPU time every 0.1 s."""
    import psutil

    extra = []
    for pid in extra_pids or []:
        try:
            extra.append(psutil.Process(pid))
        except psutil.Error:
            raise SystemExit(f"no process {pid} (--dask-pid)") from None
    seen: dict[tuple[int, float], float] = {}
    _tree_times(extra, seen)
    extra_before = dict(seen)  # Dask workers existed before: count only what they spend now
    seen.clear()
    threads = _thread_cores(extra)
    cores = os.cpu_count() or 1
    own = [0.0] * cores  # CPU seconds the command's threads spent on each core
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    psutil.cpu_percent(percpu=True, interval=None)  # start the per-core counters
    samples: list[list[float]] = []

    def attribute(roots: list[Any]) -> None:
        nonlocal threads
        now = _thread_cores(roots)
        for key, (sec, core) in now.items():
            before = threads.get(key, (0.0, core))[0]
            if 0 <= core < cores:
                own[core] += max(0.0, sec - before)
        threads = {**threads, **now}

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errf:
        t0 = time.monotonic()
        proc = psutil.Popen(cmd, stdout=out, stderr=errf, cwd=ROOT)
        while proc.poll() is None:
            _tree_times([proc, *extra], seen)
            attribute([proc, *extra])
            samples.append(psutil.cpu_percent(percpu=True, interval=0.1))
        wall = time.monotonic() - t0
        samples.append(psutil.cpu_percent(percpu=True, interval=None))  # the last partial interval
        _tree_times(extra, seen)
        attribute(extra)
        out.seek(0)
        errf.seek(0)
        stdout, stderr = out.read().decode(), errf.read().decode()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr}")
    cpu = sum(v - extra_before.get(k, 0.0) for k, v in seen.items())
    per_core = [round(statistics.fmean(s[c] for s in samples), 1) for c in range(cores)]
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cpu_s_rusage": round(ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime, 2),
        "per_core_pct": per_core,  # system-wide (psutil.cpu_percent), mean over the run
        "own_per_core_pct": [round(100 * x / wall, 1) for x in own],  # the command's threads only
        "tree_util_pct": round(100 * cpu / (wall * cores), 1),  # the command's share of all cores
        # What other programs took meanwhile, in % of one core, summed over the cores.
        "others_pct": round(max(0.0, sum(per_core) - sum(100 * x / wall for x in own)), 1),
        "processes": len(seen),
        "stdout": stdout,
        "stderr": stderr,
    }


def points_of(stdout: str) -> list[dict[str, Any]] | None:
    try:
        return json.loads(stdout)["points"]
    except (ValueError, KeyError):
        return None


def frontier(points: list[dict[str, Any]] | None) -> list[tuple[Any, ...]] | None:
    """What must not depend on how the variants ran: scales, status, the three objective levels."""
    if points is None:
        return None
    return [(p["budget_scale"], p["quota_scale"], p["status"],
             None if p["objective"] is None else tuple(p["objective"].values())) for p in points]


# ---------------------------------------------------------------- sequential (child mode)


def sequential(scenario: str, budget_scales: str, cp_workers: int) -> None:
    """The sweep in this one process, variant after variant (what `plan sweep` does on one core)."""
    from planner.analysis.sweep import VariantParams, _run_local, grid, parse_scales, sweep_report

    points = grid(parse_scales(budget_scales), parse_scales("1"))
    results = _run_local(str(Path(scenario).resolve()), points, VariantParams(workers=cp_workers),
                         processes=1, on_done=None)
    print(json.dumps(sweep_report(results), ensure_ascii=False))


# ---------------------------------------------------------------- the benchmark


def machine() -> dict[str, Any]:
    import psutil

    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = [ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")]
    return {"cpu": models[0] if models else platform.processor(), "nproc": os.cpu_count(),
            "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "psutil": psutil.__version__}


def plan_cmd() -> list[str]:
    """The `plan` script of this Python (the one `pip install -e .` put next to it), else PATH's."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    exe = shutil.which("plan", path=search)
    if exe is None:
        raise SystemExit("`plan` is not on PATH: pip install -e '.[bench]'")
    return [exe]


SEQ1 = "sequential, 1 process × 1 worker"
SWEEPS = {"2022": ("scenarios/2022.yaml", "0.6:1.4:0.1"), "g300": (None, "0.8:1.2:0.1")}


def cases(args: argparse.Namespace, g300: Path) -> list[dict[str, Any]]:
    """The commands to measure: `shown` is what a reader types, `cmd` what is run."""
    plan = plan_cmd()
    me = [sys.executable, str(Path(__file__).resolve()), "--sequential"]
    out: list[dict[str, Any]] = []
    for name, (scenario, b) in SWEEPS.items():
        if args.only not in (None, name):
            continue
        s = scenario or str(g300)
        sweep = ["sweep", s, "--budget-scale", b]

        def case(mode: str, cmd: list[str], shown: str, dask: bool = False,
                 name: str = name) -> dict[str, Any]:
            return {"sweep": name, "mode": mode, "cmd": cmd, "shown": shown, "dask": dask}

        out.append(case("parallel (default)", [*plan, *sweep, "--no-chart", "--json"],
                        f"plan sweep {s} --budget-scale {b} --no-chart --json"))
        if name == "2022":  # the acceptance command writes the chart
            chart = str(Path(args.workdir) / "2022-sweep")
            out.append(case("parallel, with chart", [*plan, *sweep, "--chart", chart],
                            f"plan sweep {s} --budget-scale {b} --chart {chart}"))
        out.append(case(SEQ1, [*me, s, b, "1"], f"python benchmarks/sweep.py --sequential {s} {b} 1"))
        if name == "g300":  # one process, both cores for CP-SAT: the other way to use them
            out.append(case("sequential, 1 process × 2 workers", [*me, s, b, "2"],
                            f"python benchmarks/sweep.py --sequential {s} {b} 2"))
        if args.dask:
            out.append(case(f"Dask ({args.dask})",
                            [*plan, *sweep, "--no-chart", "--json", "--dask", args.dask],
                            f"plan sweep {s} --budget-scale {b} --no-chart --json --dask {args.dask}", True))
    return out


def measure_case(case: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """`--repeat` runs; a run disturbed by another program is done again (twice at most)."""
    runs = []
    for _ in range(args.repeat):
        for _attempt in range(3):
            background = wait_quiet(args.quiet_wait)
            r = measure(case["cmd"], args.dask_pid if case["dask"] else None)
            r["background_pct"] = background
            if r["others_pct"] <= args.max_others:
                break
            print(f"  (other programs took {r['others_pct']} % of a core during the run: again)",
                  file=sys.stderr, flush=True)
        runs.append(r)
    med = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]  # the run of median wall time
    pts = points_of(med["stdout"])
    row = {k: v for k, v in case.items() if k != "cmd"}
    row.update({k: v for k, v in med.items() if k not in ("stdout", "stderr")})
    row.update(walls=[r["wall_s"] for r in runs], points=None if pts is None else len(pts),
               frontier=frontier(pts), variant_s=None if pts is None else [p["seconds"] for p in pts])
    return row


def run(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    g300 = work / "g300.yaml"
    if args.only in (None, "g300") and not g300.exists():
        subprocess.run([*plan_cmd(), "generate", "--offices", "300", "--seed", "1", "--tightness", "1.2",
                        "--soft", "-o", str(g300)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    rows = []
    for case in cases(args, g300):
        row = measure_case(case, args)
        rows.append(row)
        print(f"{row['sweep']:5} {row['mode']:34} wall {row['wall_s']:6.2f} s {row['walls']}  "
              f"CPU {row['cpu_s']:6.2f} s (rusage {row['cpu_s_rusage']:.2f})  "
              f"per core {row['per_core_pct']} %, own {row['own_per_core_pct']} %  "
              f"others {row['others_pct']} %  points {row['points']}", file=sys.stderr, flush=True)
    for sweep in dict.fromkeys(r["sweep"] for r in rows):
        group = [r for r in rows if r["sweep"] == sweep]
        base = next(r for r in group if r["mode"] == SEQ1)
        fronts = {json.dumps(r["frontier"]) for r in group if r["frontier"] is not None}
        for r in group:
            r["speedup_vs_seq1"] = round(base["wall_s"] / r["wall_s"], 2)
            r["same_frontier"] = len(fronts) == 1
    return {"machine": machine(), "repeat": args.repeat, "rows": rows}


def table(result: dict[str, Any]) -> str:
    """The markdown table of docs/benchmarks.md, "Sweeps"."""
    m = result["machine"]

    def pct(values: list[float]) -> str:
        return " / ".join(f"{v:.0f}" for v in values)

    lines = [f"Machine: {m['cpu']}, nproc {m['nproc']}, {m['ram_gb']} GB RAM, Python {m['python']}; "
             + f"median of {result['repeat']} run(s)", "",
             "| sweep | how | wall s (each run) | CPU s | per-core utilisation %, whole machine "
             + "| per core, the sweep's own threads % | points | speed-up vs sequential 1×1 |",
             "|---|---|---|---|---|---|---|---|"]
    for r in result["rows"]:
        walls = ", ".join(f"{w:.2f}" for w in r["walls"])
        lines.append(f"| {r['sweep']} | {r['mode']} | {r['wall_s']:.2f} ({walls}) | {r['cpu_s']:.2f} "
                     f"| {pct(r['per_core_pct'])} | {pct(r['own_per_core_pct'])} "
                     f"| {'—' if r['points'] is None else r['points']} | {r['speedup_vs_seq1']:.2f}× |")
    lines.append("")
    for sweep in dict.fromkeys(r["sweep"] for r in result["rows"]):
        same = next(r for r in result["rows"] if r["sweep"] == sweep)["same_frontier"]
        lines.append(f"{sweep}: same frontier in every mode: {'yes' if same else 'NO'}")
    lines += ["", "Commands:"] + [f"    {r['shown']}" for r in result["rows"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any] | None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs per command (the run of median wall time is reported)")
    ap.add_argument("--only", choices=tuple(SWEEPS), help="one of the two sweeps")
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "plan-sweep-bench"),
                    help="the generated scenario and the chart go here (not the repository)")
    ap.add_argument("--dask", metavar="tcp://HOST:PORT", help="also run each sweep on this Dask scheduler")
    ap.add_argument("--dask-pid", type=int, action="append", default=[],
                    help="PID of a local `dask worker` whose CPU time counts in the Dask rows (repeatable)")
    ap.add_argument("--quiet-wait", type=float, default=120.0,
                    help="before each run, wait up to this many seconds for every core to be under 10%% busy")
    ap.add_argument("--max-others", type=float, default=15.0,
                    help="redo a run (twice at most) when other programs took more than this %% of a core")
    ap.add_argument("--json-out", type=Path, help="also write the results as JSON here")
    ap.add_argument("--sequential", nargs=3, metavar=("SCENARIO", "SCALES", "WORKERS"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.sequential:
        scenario, scales, workers = args.sequential
        sequential(scenario, scales, int(workers))
        return None
    result = run(args)
    print(table(result))
    if args.json_out:
        args.json_out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
