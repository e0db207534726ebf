"""The HiGHS MIP peer (benchmarks/mip_peer.py) reaches CP-SAT's optimum on small instances,
so benchmark comparisons compare like with like."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from planner.generate import Scopes, generate, write_scenario
from planner.loading import load_scenario
from planner.requirements import derive
from planner.solve import SolveParams, solve

pytest.importorskip("highspy", reason="the MIP peer needs highspy, in the `test` extra: pip install -e '.[test]'")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from mip_peer import solve_mip  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("case", ["examples/housing_options.yaml", "examples/soft_targets.yaml",
                                  "examples/county_budgets.yaml", "gen30", "gen30soft", "gen45city"])
def test_mip_peer_equals_cp_sat(case: str, tmp_path: Path) -> None:
    if case.startswith("gen"):
        path = tmp_path / "g.yaml"
        if case == "gen45city":  # 3 counties, 2 of them sharing one city fund
            scenario = generate(45, seed=3, tightness=1.5, soft=True, scopes=Scopes(budget="city", cities=2))
        else:
            scenario = generate(30, seed=3, tightness=1.5, soft=case.endswith("soft"))
        write_scenario(scenario, path)
    else:
        path = ROOT / "scenarios" / case
    req = derive(load_scenario(path))
    cp = solve(req, SolveParams(workers=2, time_limit=60))
    mip = solve_mip(req, time_limit=60)
    if cp.status == "infeasible":
        assert mip.status == "infeasible"
        return
    assert cp.status == "optimal" and mip.status == "optimal"
    assert tuple(s.value for s in cp.stages) == mip.levels
