"""Reproducibility and faults: identical plans, atomic writes under SIGKILL, SIGTERM
keeps the best plan, inputs never modified."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from planner.analysis.generate import generate, write_scenario

ROOT = Path(__file__).resolve().parents[1]


def plan_without_timing(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["solver"].pop("seconds")
    for stage in data["solver"]["stages"]:
        stage.pop("seconds")
    return data


def run_plan(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_same_seed_and_workers_give_identical_plans_and_inputs_stay_untouched(tmp_path: Path) -> None:
    scenario = ROOT / "scenarios" / "2022.yaml"
    before = hashlib.sha256(scenario.read_bytes()).hexdigest()
    for out in ("a", "b"):
        result = run_plan("solve", str(scenario), "-o", str(tmp_path / out), "--seed", "3", "--quiet")
        assert result.returncode == 0, result.stderr
    assert plan_without_timing(tmp_path / "a" / "plan.json") == plan_without_timing(tmp_path / "b" / "plan.json")
    assert (tmp_path / "a" / "plan.json").read_text(encoding="utf-8").count('"seconds"') >= 1
    assert hashlib.sha256(scenario.read_bytes()).hexdigest() == before


def test_deterministic_flag_under_a_time_limit(tmp_path: Path) -> None:
    scenario = ROOT / "scenarios" / "lianyungang-2019.yaml"
    for out in ("a", "b"):
        result = run_plan("solve", str(scenario), "-o", str(tmp_path / out), "--deterministic",
                          "--time-limit", "5", "--quiet")
        assert result.returncode == 0, result.stderr
    assert plan_without_timing(tmp_path / "a" / "plan.json") == plan_without_timing(tmp_path / "b" / "plan.json")


WRITER = """
import sys
from pathlib import Path
from planner.plan import write_atomic
target = Path(sys.argv[1])
n = 0
while True:
    n += 1
    write_atomic(target, (str(n % 10) * 2_000_000))
"""


def test_a_killed_writer_leaves_the_old_or_the_new_file_never_a_torn_one(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("0" * 2_000_000)
    for delay in (0.05, 0.13, 0.21, 0.37, 0.5):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], cwd=ROOT)
        time.sleep(delay + 0.4)  # past interpreter start-up, somewhere inside a write
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        content = target.read_text()
        assert len(content) == 2_000_000 and len(set(content)) == 1  # whole: one version, full length
    leftovers = [p for p in tmp_path.iterdir() if p.name != "plan.json"]
    assert len(leftovers) <= 5  # at most the one in-flight temp file per kill, never the target torn


def in_one_county(sc: dict) -> dict:
    """A generated scenario with every office moved into its first county, the counties' quotas
    summed per year: one component in one county (not a shared fund), so the staged CP-SAT path
    with several workers solves it when it has > 40 offices."""
    county = sc["offices"][0]["county"]
    for office in sc["offices"]:
        office["county"] = county
    for role, per_county in sc.get("quotas", {}).items():
        years = sorted({y for by_year in per_county.values() for y in by_year})
        sc["quotas"][role] = {county: {y: sum(c.get(y, 0) for c in per_county.values()) for y in years}}
    return sc


def city_wide(tmp_path: Path) -> Path:
    """One component of 300 offices, all in one county, one budget (soft targets): a staged search
    with several CP-SAT workers, which takes far longer than the few seconds a signal test waits.
    One county, because a shared fund of ≤ 400 offices is searched by one worker (solve.py,
    COUPLED_BY_LEVEL), which the tests' thread count would never see."""
    sc = generate(300, seed=1, tightness=1.2, soft=True)
    totals = {y: sum(per[y] for per in sc["budget"].values()) for y in sc["budget"][next(iter(sc["budget"]))]}
    sc.update(budget=totals, quotas={}, target_scope="city")
    in_one_county(sc)
    path = tmp_path / "city.yaml"
    write_scenario(sc, path)
    return path


def wait_until_solving(pid: int, threads: int, in_children: int = 0, timeout: float = 180) -> None:
    """Until a solver runs: CP-SAT's worker threads, or a second of search (HiGHS, which solves a
    component coupled across counties, runs in few threads), in the process or in `in_children` of
    its child processes. A fixed sleep is too short on a loaded machine, where importing the planner
    can take 30 s."""
    import pytest

    psutil = pytest.importorskip("psutil", reason="psutil is in the `test` extra: pip install -e '.[test]'")
    proc, end = psutil.Process(pid), time.monotonic() + timeout
    while time.monotonic() < end:
        procs = proc.children(recursive=True) if in_children else [proc]
        try:
            solving = sum(p.num_threads() >= threads or (in_children > 0 and p.cpu_times().user >= 1.0)
                          for p in procs)
        except psutil.NoSuchProcess:
            solving = 0
        if solving >= max(1, in_children):
            return
        time.sleep(0.2)
    raise AssertionError(f"no solver running after {timeout} s")


def test_sigterm_during_a_solve_writes_the_best_plan_so_far(tmp_path: Path) -> None:
    path = city_wide(tmp_path)
    # CP-SAT's staged search (the HiGHS path's stop: tests/test_repro_shared.py)
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "solve", str(path), "-o", str(tmp_path / "o"),
                             "--quiet", "--engine", "cpsat"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    wait_until_solving(proc.pid, threads=6)
    time.sleep(2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    plan = json.loads((tmp_path / "o" / "plan.json").read_text(encoding="utf-8"))
    assert plan["status"] in ("feasible", "optimal")  # optimal only if it finished before the signal
    check = run_plan("verify", str(path), str(tmp_path / "o" / "plan.json"))
    assert check.returncode == 0, check.stdout


def test_a_scenario_too_large_for_memory_is_refused_with_its_size(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    import planner.solver.limits as limits
    from cli.main import cli

    monkeypatch.setattr(limits, "available_bytes", lambda: 2**20)  # pretend only 1 MB is free (the estimate is ~5 MB)
    result = CliRunner().invoke(cli, ["solve", str(ROOT / "scenarios" / "2022.yaml"), "-o", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 1
    assert "too large for this machine: 88 offices × 2 years" in result.output and "GB is available" in result.output
    assert not (tmp_path / "plan.json").exists()
    result = CliRunner().invoke(cli, ["solve", str(ROOT / "scenarios" / "2022.yaml"), "-o", str(tmp_path), "--lang", "zh"])
    assert result.exit_code == 1 and "offices: 超出本机内存：88 个司法所 × 2 年" in result.output
