"""`plan solve --dask ADDRESS` (issue 12 §5): components solved on a Dask cluster give the same
plan as the local solve; an unreachable scheduler is a clear error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_repro_faults import ROOT, plan_without_timing, run_plan
from test_repro_shared import shared_scenario

from planner.analysis.generate import generate, write_scenario

distributed = pytest.importorskip("distributed")


def test_dask_solve_equals_local_solve(tmp_path: Path) -> None:
    per_county = tmp_path / "county.yaml"  # 4 county components, and one coupled component
    write_scenario(generate(60, seed=4, tightness=1.2, soft=True), per_county)
    shared = shared_scenario(tmp_path, 60, 3.0)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        for scenario in (per_county, shared):
            for out, extra in (("local", []), ("dask", ["--dask", cluster.scheduler_address])):
                result = run_plan("solve", str(scenario), "-o", str(tmp_path / scenario.stem / out),
                                  "--quiet", *extra)
                assert result.returncode == 0, result.stderr
            local, remote = (plan_without_timing(tmp_path / scenario.stem / out / "plan.json")
                             for out in ("local", "dask"))
            assert local["status"] == "optimal"
            assert remote == local


def test_unreachable_scheduler_is_an_input_error(tmp_path: Path) -> None:
    scenario = tmp_path / "county.yaml"
    write_scenario(generate(20, seed=4, tightness=1.2, soft=True), scenario)
    result = subprocess.run([sys.executable, "-m", "cli.main", "solve", str(scenario), "-o", str(tmp_path / "x"),
                             "--dask", "tcp://127.0.0.1:9"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PLAN_LANG": "en"})
    assert result.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert not (tmp_path / "x" / "plan.json").exists()
