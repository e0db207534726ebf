"""Signals during `plan solve` (docs/robustness.md): within 2 s of SIGINT/SIGTERM the best verified
plan so far is written and the process exits; a second signal exits at once; during --explain a
signal writes the plan already solved, without explanations.

Each test runs the real command on the 300-office scenario of the report
(`plan generate --offices 300 --seed 1 --soft --tightness 0.8`) and signals it once it is solving
(its solver processes are running), so a slow start on a busy machine cannot be mistaken for a
slow stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

psutil = pytest.importorskip("psutil", reason="psutil (test extra) watches the solver processes")

ROOT = Path(__file__).resolve().parents[1]
PROMISE = 2.0  # seconds from the signal to the process's exit


def plan_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", *args]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("signals") / "g.yaml"
    subprocess.run(plan_cmd("generate", "--offices", "300", "--seed", "1", "--soft", "--tightness", "0.8",
                            "-o", str(path)), cwd=ROOT, check=True, capture_output=True)
    return path


def start_solve(scenario: Path, out: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PLAN_LANG": "en"}
    return subprocess.Popen(plan_cmd("solve", str(scenario), "-o", str(out), *args), cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_until_solving(proc: subprocess.Popen[str], timeout: float = 120) -> None:
    """Until the component pool's processes run (the search has started)."""
    end = time.monotonic() + timeout
    me = psutil.Process(proc.pid)
    while time.monotonic() < end:
        if any("forkserver" in " ".join(c.cmdline()) for c in me.children(recursive=True)):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the solve did not start")


def signal_and_time(proc: subprocess.Popen[str], *signals: signal.Signals) -> tuple[float, str]:
    for n, sig in enumerate(signals):
        if n:
            time.sleep(0.05)
        proc.send_signal(sig)
        if n == 0:
            sent = time.monotonic()
    _, err = proc.communicate(timeout=60)
    return time.monotonic() - sent, err


def children_left(pid: int) -> list[str]:
    return [" ".join(p.cmdline()) for p in psutil.process_iter() if str(pid) in str(p.cmdline())]


def verify(scenario: Path, plan: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(plan_cmd("verify", str(scenario), str(plan), "--lang", "en"), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_writes_the_best_verified_plan_and_exits_within_2_s(
        scenario: Path, tmp_path: Path, sig: signal.Signals) -> None:
    proc = start_solve(scenario, tmp_path, "--time-limit", "120", "--quiet")
    wait_until_solving(proc)
    time.sleep(1.0)
    seconds, err = signal_and_time(proc, sig)
    assert proc.returncode == 0, err
    assert seconds <= PROMISE, f"exited {seconds:.2f} s after the signal"
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert plan["status"] == "feasible"
    check = verify(scenario, tmp_path / "plan.json")
    assert check.returncode == 0, check.stdout


def test_a_second_signal_exits_at_once(scenario: Path, tmp_path: Path) -> None:
    proc = start_solve(scenario, tmp_path, "--time-limit", "120", "--quiet")
    wait_until_solving(proc)
    seconds, err = signal_and_time(proc, signal.SIGINT, signal.SIGINT)
    assert proc.returncode == 128 + signal.SIGINT, err
    assert "interrupted again: exiting at once, no plan written" in err
    # The pool's resource tracker still unlinks the semaphores left behind, without its English
    # "leaked semaphore objects" warning (cli/running.py: QUIET_TRACKER).
    assert "leaked semaphore" not in err and "Warning" not in err, err
    assert seconds <= 1.0
    time.sleep(0.5)  # the solver processes end with it
    assert not [p for p in psutil.process_iter(["cmdline"]) if str(scenario) in " ".join(p.info["cmdline"] or [])]


def test_a_signal_while_explaining_writes_the_solved_plan_without_explanations(
        scenario: Path, tmp_path: Path) -> None:
    proc = start_solve(scenario, tmp_path, "--time-limit", "4", "--explain")
    assert proc.stderr is not None
    for line in proc.stderr:  # the solve is done and verified when this is printed
        if line.startswith("explaining the plan"):
            break
    time.sleep(1.0)
    seconds, err = signal_and_time(proc, signal.SIGTERM)
    assert proc.returncode == 0, err
    assert seconds <= PROMISE, f"exited {seconds:.2f} s after the signal"
    assert "Aborted" not in err and "interrupted: the best plan found so far was written (verified), " \
        "without explanations" in err
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert "explanations" not in plan
    check = verify(scenario, tmp_path / "plan.json")
    assert check.returncode == 0, check.stdout


FORKER = """import os, time
while True:  # a fork server that never stops forking workers
    if os.fork() == 0:
        time.sleep(60)
        os._exit(0)
    time.sleep(0.002)
"""


def test_the_exit_ends_workers_forked_while_it_looks(tmp_path: Path) -> None:
    """A second Ctrl-C once left a pool worker searching on for minutes: it was forked after the
    one look for the solver processes. end_tree looks until it finds none new."""
    marker = f"forker-{tmp_path.name}"
    script = ("import os, subprocess, sys, time\n"
              "from planner.solver.pool import end_tree\n"
              f"subprocess.Popen([sys.executable, '-c', {FORKER!r}, {marker!r}])\n"
              "time.sleep(0.5)\n"
              "end_tree(os.getpid(), with_root=False)\n")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)
    time.sleep(0.5)
    left = [p for p in psutil.process_iter(["cmdline", "status"])
            if marker in (p.info["cmdline"] or []) and p.info["status"] != psutil.STATUS_ZOMBIE]
    for p in left:  # not to leave them behind when the test fails
        p.kill()
    assert not left, f"{len(left)} forked workers left running"
