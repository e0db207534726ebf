"""The HiGHS MIP peer (benchmarks/mip_peer.py) reaches CP-SAT's optimum on small instances,
so benchmark comparisons compare like with like."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from planner.analysis.generate import Scopes, generate, write_scenario
from planner.io.loading import load_scenario
from planner.rules.requirements import derive
from planner.solver.params import SolveParams
from planner.solver.solve import solve

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
    if case in ("gen30", "examples/housing_options.yaml"):  # the peer's variant with pattern rows too
        assert solve_mip(req, time_limit=60, patterns=True).levels == mip.levels


@pytest.mark.parametrize(("offices", "seed", "tightness"), [(20, 1, 1.2), (40, 3, 1.0), (60, 2, 2.0)])
def test_cp_sat_alone_agrees_with_the_peer_on_shared_funds(offices: int, seed: int, tightness: float,
                                                           tmp_path: Path) -> None:
    """CI subset of `benchmarks/shared_fund.py agree` (24 instances of 20–150 offices): one budget
    a year over every county, all three levels proven by both and equal."""
    from shared_fund import agree_one

    row = agree_one(offices, seed, tightness, time_limit=300, folder=tmp_path)
    assert (row["cpsat"], row["highs"]) == ("optimal", "optimal")
    assert row["cpsat_levels"] == row["highs_levels"]
