"""Helpers of the `plan serve` tests: a real server started on loopback as `plan serve --port 0`,
scenarios made here (a tiny one, a long one), polling a run until it ends."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
FINAL = ("optimal", "feasible", "infeasible", "failed", "cancelled")


class Server:
    """`python -m cli.main serve --port 0 --data DIR` in a child process; `url` is what it printed."""

    def __init__(self, data: Path, *args: str) -> None:
        self.data, self.args = data, args
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> Server:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", "0", "--data",
                                      str(self.data), *self.args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, f"plan serve printed {line!r}"
        self.url = found.group(0)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def worker_pid(self, run_id: int) -> int | None:
        con = sqlite3.connect(self.data / "runs.sqlite3")
        try:
            row = con.execute("SELECT worker_pid FROM runs WHERE id = ?", (run_id,)).fetchone()
        finally:
            con.close()
        return None if row is None else row[0]


def wait_for(client: httpx.Client, run_id: int, statuses: tuple[str, ...] = FINAL,
             timeout: float = 180.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run = client.get(f"/api/runs/{run_id}").json()
        if run["status"] in statuses:
            return run
        assert time.monotonic() < deadline, f"run {run_id} still {run['status']} after {timeout} s"
        time.sleep(0.2)


def tiny_yaml(name: str = "滚动计划测试", office: str = "甲镇", budget: float | None = None) -> bytes:
    """tests/cases/outputs/rolling.yaml (three offices, two counties; solved in well under a second),
    renamed; `budget=0` gives 甲县 nothing, so its 2023 target (1 of 2 offices) is infeasible."""
    scenario = yaml.safe_load((ROOT / "tests" / "cases" / "outputs" / "rolling.yaml").read_text(encoding="utf-8"))
    scenario["name"] = name
    scenario["offices"][0]["name"] = office
    if budget is not None:
        scenario["budget"]["甲县"] = {y: budget for y in scenario["budget"]["甲县"]}
    return yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False).encode("utf-8")


def long_yaml() -> bytes:
    """100 offices of one county, one budget: a component of > 40 offices in one county, so a
    staged solve whose first level reports within seconds and whose whole search takes longer
    (7.7 s with one worker on a quiet 2-core machine). One county, because a shared fund of this
    size is now solved by level in 1.9 s (planner/solver/solve.py, COUPLED_BY_LEVEL)."""
    from test_repro_faults import in_one_county

    from planner.analysis.generate import Scopes, generate

    scenario = in_one_county(generate(100, 3, 3, 1.1, 2022, True, Scopes("all", "county", None, None)))
    return yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False).encode("utf-8")
