"""Reproducible by default (issue 12 §4): the same inputs, seed and workers give the same plan.json
(timing aside) for a coupled shared-fund scenario with several workers."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_repro_faults import in_one_county, plan_without_timing, run_plan

from planner.analysis.generate import Scopes, generate, write_scenario


def shared_scenario(tmp_path: Path, offices: int, tightness: float, one_county: bool = False) -> Path:
    """One budget a year for all offices; `one_county`: every office in one county (quotas summed),
    so not a shared fund but one component of `offices` in a county."""
    path = tmp_path / f"shared{offices}.yaml"
    scenario = generate(offices, seed=2, tightness=tightness, soft=True, scopes=Scopes(budget="all"))
    write_scenario(in_one_county(scenario) if one_county else scenario, path)
    return path


# Default settings (a coupled 300-office fund: CP-SAT by level, one worker), and CP-SAT with
# several workers on one 60-office county (the staged path), which is reproducible only with
# --deterministic (interleaved search; docs/solver.md).
@pytest.mark.parametrize(("offices", "one_county", "extra"),
                         [(300, False, []), (60, True, ["--engine", "cpsat", "--deterministic"])])
def test_two_runs_of_a_shared_fund_give_the_same_plan(tmp_path: Path, offices: int, one_county: bool,
                                                      extra: list[str]) -> None:
    scenario = shared_scenario(tmp_path, offices, 3.0, one_county)
    for out in ("a", "b"):
        result = run_plan("solve", str(scenario), "-o", str(tmp_path / out), "--workers", "8", "--seed", "5",
                          "--time-limit", "600", "--quiet", *extra, timeout=900)
        assert result.returncode == 0, result.stderr
    a, b = (plan_without_timing(tmp_path / out / "plan.json") for out in ("a", "b"))
    assert a["status"] == "optimal"
    assert len(a["actions"]) > 100 if offices == 300 else len(a["actions"]) > 20
    assert a == b


def test_a_time_limit_spent_before_the_first_level_still_gives_the_do_nothing_plan(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A coupled component whose time is gone before any level is solved (here: while HiGHS builds
    its model; COUPLED_BY_LEVEL lowered so that 60 offices go to HiGHS) gets the do-nothing plan
    with soft targets, as a small component does."""
    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver import shared_fund, solve as solve_module
    from planner.solver.params import SolveParams
    from planner.solver.solve import solve

    monkeypatch.setattr(solve_module, "COUPLED_BY_LEVEL", 40)
    # HiGHS's path alone (the county split's, with its time gone: tests/test_county_split.py)
    monkeypatch.setattr(shared_fund, "SPLIT_FIRST_PER_OFFICE", 0.0)

    req = derive(load_scenario(shared_scenario(tmp_path, 60, 1.2)))
    outcome = solve(req, SolveParams(time_limit=0.1))
    assert outcome.status == "feasible"
    assert outcome.solution is not None and len(outcome.solution.offices) == 60
    assert not any(any(d.att) for d in outcome.solution.offices)


def test_city_funds_solved_in_the_process_pool_equal_the_solve_in_turn(tmp_path: Path) -> None:
    """Two city funds (two coupled components of > 40 offices) go to the process pool, one
    process each (CP-SAT by level, one worker); the plan is the one solving them in turn gives,
    every level proven."""
    from dataclasses import replace

    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver.components import components
    from planner.solver.params import SolveParams
    from planner.solver.solve import SolveStatus, solve

    path = tmp_path / "cities.yaml"
    write_scenario(generate(110, seed=3, tightness=1.5, soft=True, scopes=Scopes(budget="city", cities=2)), path)
    req = derive(load_scenario(path))
    assert sorted(len(c) for c in components(req)) == [50, 60]  # both coupled, both > SMALL_COMPONENT
    seen: list[str] = []
    params = SolveParams(time_limit=300, progress=lambda p: seen.append(p.stage))
    pooled = solve(req, params)
    assert "components 2/2" in seen  # the pool's own progress: both went to it
    in_turn = solve(req, replace(params, parallel_components=False))
    assert pooled.status == in_turn.status == SolveStatus.OPTIMAL
    assert [s.value for s in pooled.stages] == [s.value for s in in_turn.stages]
    assert pooled.solution == in_turn.solution
    assert "HiGHS" not in pooled.solver_version  # ≤ COUPLED_BY_LEVEL offices: CP-SAT


def test_a_stop_ends_a_highs_search_at_once_with_a_plan(tmp_path: Path) -> None:
    """Ctrl-C / SIGTERM (SolveControl.stop) while HiGHS solves a shared fund (forced here with
    path="mip"; HiGHS needs ~40 s for this one): the search ends within seconds and the plan found
    so far, or the first plan CP-SAT finds, verifies."""
    import threading
    import time

    from planner.io.loading import load_scenario
    from planner.pipeline import plan_requirements
    from planner.rules.requirements import derive
    from planner.solver.params import SolveControl, SolveParams

    loaded = load_scenario(shared_scenario(tmp_path, 300, 1.2))
    req = derive(loaded)
    control = SolveControl()
    threading.Timer(1.5, control.stop).start()
    started = time.monotonic()
    run = plan_requirements(loaded, req, SolveParams(time_limit=300, path="mip", control=control))
    assert control.stopped and time.monotonic() - started < 15
    assert run.status == "feasible" and run.plan is not None and run.violations == ()
