"""Reproducible by default (issue 12 §4): the same inputs, seed and workers give the same plan.json
(timing aside) for a coupled shared-fund scenario, on either engine, with several workers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_repro_faults import plan_without_timing, run_plan

from planner.generate import generate, write_scenario

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from shared_fund import pooled_budget  # noqa: E402


def shared_scenario(tmp_path: Path, offices: int, tightness: float) -> Path:
    path = tmp_path / f"shared{offices}.yaml"
    write_scenario(pooled_budget(generate(offices, seed=2, tightness=tightness, soft=True)), path)
    return path


@pytest.mark.parametrize(("offices", "engine"), [(300, "auto"), (60, "cpsat")])
def test_two_runs_of_a_shared_fund_give_the_same_plan(tmp_path: Path, offices: int, engine: str) -> None:
    scenario = shared_scenario(tmp_path, offices, 3.0)
    for out in ("a", "b"):
        result = run_plan("solve", str(scenario), "-o", str(tmp_path / out), "--workers", "8", "--seed", "5",
                          "--engine", engine, "--time-limit", "600", "--quiet", timeout=900)
        assert result.returncode == 0, result.stderr
    a, b = (plan_without_timing(tmp_path / out / "plan.json") for out in ("a", "b"))
    assert a["status"] == "optimal"
    assert len(a["actions"]) > 100 if offices == 300 else len(a["actions"]) > 20
    assert a == b
