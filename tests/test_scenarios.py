"""Every scenario shipped in scenarios/ loads, solves and its plan passes verification (docs/reference.md §8),
and the generators rebuild the two main scenarios from scenarios/data/ alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from planner.io.loading import load_scenario
from planner.rules.requirements import derive
from planner.rules.verify import verify_plan
from planner.solver.params import SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import SolveStatus, solve

ROOT = Path(__file__).resolve().parents[1] / "scenarios"


def scenario_files() -> list[Path]:
    """Scenario files, not the custom standard files that sit beside them."""
    files = sorted(p for p in ROOT.rglob("*.yaml") if not p.name.endswith(".standard.yaml"))
    return [p for p in files if "horizon:" in p.read_text(encoding="utf-8")]


def test_the_main_scenarios_exist() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in scenario_files()}
    assert {"2022.yaml", "lianyungang-2019.yaml"} <= names


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_scenario_solves_and_verifies(path: Path) -> None:
    loaded = load_scenario(path)
    req = derive(loaded)
    outcome = solve(req, SolveParams(time_limit=60, workers=8))
    assert outcome.status == SolveStatus.OPTIMAL, (outcome.status, outcome.stages)
    plan = make_plan(loaded, req, outcome)
    assert verify_plan(loaded, plan) == []
    if not req.soft_targets:
        assert plan.objective.shortfall == 0
        assert all(a.met for a in plan.attainment)


@pytest.mark.parametrize("tool, shipped, offices", [("make_taizhou.py", "2022.yaml", 88),
                                                    ("make_lianyungang.py", "lianyungang-2019.yaml", 90)])
def test_generator_rebuilds_the_shipped_scenario_from_the_repository(tool: str, shipped: str, offices: int,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / shipped
    run = subprocess.run([sys.executable, str(ROOT / "tools" / tool), "-o", str(out)], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == (ROOT / shipped).read_text(encoding="utf-8")
    assert len(load_scenario(out).offices) == offices
