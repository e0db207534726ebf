"""Time limits and stops, on hand-worked scenarios (issue 13's mutation run): what a user gets when
the time runs out or Ctrl-C stops the search, and the CP-SAT set-up that makes a run reproducible
and interruptible.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from handplan import load
from test_exact_plans import HARD, SOFT, levels

import planner.solver.solve as solve_module
from planner.rules.requirements import derive
from planner.solver.components import components
from planner.solver.params import Progress, SolveControl, SolveParams
from planner.solver.solve import solve
from planner.solver.status import SolveStatus


# Four counties, one office each lacking a mediator (7.7 万元), each with its own budget: 县0 and
# 县1 can pay (8), 县2 and 县3 cannot (7); soft 100 % targets: four components.
def stop_at(stage: str, control: SolveControl, seen: list[Progress]):  # type: ignore[no-untyped-def]
    def progress(p: Progress) -> None:
        seen.append(p)
        if p.stage == stage:
            control.stop()
    return progress


def test_a_stop_during_a_level_ends_the_solve_with_the_plan_found(tmp_path: Path) -> None:
    # Hard targets, staged: stopped at level 2's first plan, level 3 never runs; the plan found
    # meets the hard targets (both offices attain) and the outcome is feasible, not optimal.
    req = derive(load(HARD, tmp_path))
    control, seen = SolveControl(), list[Progress]()
    outcome = solve(req, SolveParams(workers=1, path="staged", control=control,
                                     progress=stop_at("1/2 attained_office_years", control, seen)))
    assert control.stopped and outcome.status == SolveStatus.FEASIBLE
    assert [s.name for s in outcome.stages] == ["attained_office_years"]
    assert outcome.stages[0].value == 2 and [d.att for d in outcome.solution.offices] == [(True,), (True,)]
    # Stopped, the second component's hard targets still get a search for a first plan, and no more.
    assert {p.stage for p in seen} == {"1/2 attained_office_years", "2/2 attained_office_years"}


def test_a_time_limit_reached_during_a_level_ends_the_solve_there(tmp_path: Path) -> None:
    # One component (budget for all), staged, 1 s in all: level 2's first plan takes 1.2 s to
    # report (a slow progress callback), so the time is gone before level 3: feasible, two offices
    # attained, no cost level.
    sc = {**HARD, "budget": {2022: 16}}
    req = derive(load(sc, tmp_path))
    assert len(components(req)) == 1

    def slow(p: Progress) -> None:
        if p.stage == "1/1 attained_office_years":
            time.sleep(1.2)

    outcome = solve(req, SolveParams(workers=1, path="staged", time_limit=1.0, progress=slow))
    assert outcome.status == SolveStatus.FEASIBLE
    assert [(s.name, s.value) for s in outcome.stages] == [("attained_office_years", 2)]
    assert 1.0 < outcome.seconds < 5


@pytest.mark.parametrize("path", ["combined", "staged"])
def test_an_infeasible_outcome_reports_the_callers_workers_and_the_whole_time(
        path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 乙县 cannot pay its hard target (7 < 7.7): infeasible, its cell named; the outcome states the
    # caller's workers, seed, and the whole solve's time: its searches and the conflict search
    # (made to take 0.3 s here), not the component's search alone.
    real = solve_module.find_conflict

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(solve_module, "find_conflict", slow)
    req = derive(load({**HARD, "budget": {"甲县": {2022: 8}, "乙县": {2022: 7}}}, tmp_path))
    outcome = solve(req, SolveParams(workers=3, seed=7, time_limit=30, path=path))  # type: ignore[arg-type]
    assert (outcome.status, outcome.solution, outcome.workers, outcome.seed) == (SolveStatus.INFEASIBLE, None, 3, 7)
    assert [(c.scope, c.required) for c in outcome.conflict] == [("乙县", 1)]
    assert 0.3 <= outcome.seconds < 30 and outcome.seconds >= sum(s.seconds for s in outcome.stages)


def test_soft_targets_with_a_stop_before_the_first_component_do_nothing(tmp_path: Path) -> None:
    # SOFT has two components; stopped before either is searched, both do nothing: shortfall 2.
    req = derive(load(SOFT, tmp_path))
    control = SolveControl()
    control.stop()
    outcome = solve(req, SolveParams(workers=1, path="staged", control=control))
    assert levels(outcome) == [("shortfall", "feasible", 2, None), ("attained_office_years", "feasible", 0, None),
                               ("total_cost", "feasible", 0, None)]


@pytest.mark.parametrize("path, stage", [("staged", "1/1 total_cost"), ("combined", "1/1 all levels")],
                         ids=["staged", "combined"])
def test_a_stop_during_the_search_keeps_its_first_plan_unproven(path: str, stage: str, tmp_path: Path) -> None:
    # test_exact_churn's office (optimum: 2 office-years at 17.8 万元), stopped at the first plan of
    # the cost level (staged) or of the one weighted search (combined): the search ends there, its
    # levels unproven (no bound where nothing is proven), and the plan found verifies: its cost is
    # exactly the one stated.
    from test_exact_churn import CHURN

    from planner.rules.verify import verify_plan
    from planner.solver.result import make_plan

    loaded = load(CHURN, tmp_path)
    req = derive(loaded)
    control, seen = SolveControl(), list[Progress]()
    # With the pattern bounds the first plan of either search is not yet the optimum (without them
    # the one weighted search of this small case finds the optimum first, and proves it at once).
    outcome = solve(req, SolveParams(workers=1, path=path, control=control,  # type: ignore[arg-type]
                                     progress=stop_at(stage, control, seen), pattern_bounds=True))
    assert outcome.status == SolveStatus.FEASIBLE
    assert [p.stage for p in seen if p.stage == stage] == [stage]  # the search ended at its first plan
    plan = make_plan(loaded, req, outcome)
    assert verify_plan(loaded, plan) == []
    attained, cost = outcome.stages
    assert (cost.name, cost.status, cost.value) == ("total_cost", "feasible", round(plan.objective.total_cost * 10_000))
    assert cost.value is not None and cost.value >= 178_000
    if path == "staged":  # level 2 was proven before the stop; level 3's bound is CP-SAT's
        assert (attained.status, attained.value, attained.bound) == ("optimal", 2, 2.0)
        assert cost.bound is not None and cost.bound <= 178_000
    else:
        assert (attained.status, attained.bound, cost.bound) == ("feasible", None, None)
        # The model's attainment indicators are free below the proof: the plan attains as much or more.
        assert attained.value is not None and attained.value <= plan.objective.attained_office_years


def test_each_levels_last_progress_report_is_its_value_and_bound(tmp_path: Path) -> None:
    # What `plan solve`'s live line shows at the end of each level: the level's value and CP-SAT's
    # bound, as the outcome states them (proven: equal), after no more time than the solve took.
    from test_exact_churn import CHURN

    seen: list[Progress] = []
    outcome = solve(derive(load(CHURN, tmp_path)), SolveParams(workers=1, path="staged", progress=seen.append))
    last = {p.stage: p for p in seen}
    assert [(p.best, p.bound) for p in last.values()] == [(2.0, 2.0), (178_000.0, 178_000.0)]
    assert list(last) == ["1/1 attained_office_years", "1/1 total_cost"]
    assert [(s.value, s.bound) for s in outcome.stages] == [(2, 2.0), (178_000, 178_000.0)]
    assert all(0 < p.elapsed <= outcome.seconds for p in seen)


def test_the_search_is_seeded_limited_and_left_to_our_interrupts() -> None:
    # --seed, --workers and --deterministic reach CP-SAT: a deterministic run gets a deterministic
    # time limit and an interleaved search (what makes it reproducible when the limit bites), a
    # plain run a wall-clock limit; CP-SAT never takes SIGINT (Ctrl-C is SolveControl's). A limit
    # already spent still gives CP-SAT a positive one (0.01 s); no limit, none.
    from ortools.sat.python import cp_model

    from planner.solver.cpsat import _solver, run_search
    from planner.solver.status import check_solver

    unlimited = cp_model.CpSolver().parameters
    det = _solver(SolveParams(seed=5, deterministic=True), 12.5, 3).parameters
    assert (det.random_seed, det.num_workers, det.max_deterministic_time, det.interleave_search) == (5, 3, 12.5, True)
    assert (det.max_time_in_seconds, det.catch_sigint_signal) == (unlimited.max_time_in_seconds, False)
    plain = _solver(SolveParams(seed=2), 12.5, 0).parameters
    assert (plain.random_seed, plain.num_workers, plain.max_time_in_seconds, plain.interleave_search) == (2, 1, 12.5,
                                                                                                          False)
    assert (plain.max_deterministic_time, plain.catch_sigint_signal) == (unlimited.max_deterministic_time, False)
    assert _solver(SolveParams(), -3.0, 1).parameters.max_time_in_seconds == 0.01
    assert _solver(SolveParams(deterministic=True), -3.0, 1).parameters.max_deterministic_time == 0.01
    assert _solver(SolveParams(), None, 1).parameters.max_time_in_seconds == unlimited.max_time_in_seconds
    check = check_solver(7.0, 0).parameters
    assert (check.num_workers, check.max_time_in_seconds, check.catch_sigint_signal) == (1, 7.0, False)
    # Stopped before a search starts (stop_search would come too early): time for a first plan only.
    m = cp_model.CpModel()
    x = m.new_int_var(0, 3, "x")
    m.maximize(x)
    control = SolveControl()
    control.stop()
    for remaining, limit in ((None, 0.5), (60.0, 0.5), (0.2, 0.2)):
        solver, code = run_search(m, SolveParams(control=control), "x", remaining, time.monotonic(), 1)
        assert (solver.parameters.max_time_in_seconds, code, solver.Value(x)) == (limit, cp_model.OPTIMAL, 3)
        assert control._solver is None  # a later stop() reaches no finished search


def test_each_search_mode_sets_presolve_probing_and_cuts() -> None:
    # (presolve, light) → the parameters CP-SAT searched with: the staged defaults keep all three;
    # a small component has none; a shared fund searched by level keeps presolve only.
    from ortools.sat.python import cp_model

    from planner.solver.cpsat import run_search

    m = cp_model.CpModel()
    m.maximize(m.new_int_var(0, 3, "x"))
    defaults = cp_model.CpSolver().parameters
    for presolve, light, want in (
            (True, False, (True, defaults.cp_model_probing_level, defaults.cut_level)),
            (False, False, (False, 0, 0)),
            (False, True, (False, 0, 0)),
            (True, True, (True, 0, 0))):
        p = run_search(m, SolveParams(), "x", None, time.monotonic(), 1, presolve=presolve, light=light)[0].parameters
        assert (p.cp_model_presolve, p.cp_model_probing_level, p.cut_level) == want, (presolve, light)


@pytest.mark.parametrize("path", ["auto", "combined"])
def test_a_deterministic_limit_too_short_for_a_first_plan_gives_no_plan(path: str, tmp_path: Path) -> None:
    # 40 generated offices with hard targets and one budget for all (one component: by level, or
    # in one weighted search), and no time: by level, no search starts; the weighted search still
    # gets 0.01 s, deterministic here, in which CP-SAT finds no plan meeting the hard targets.
    # Either way: no plan, reproducibly, with nothing to report.
    from planner.analysis.generate import Scopes, generate

    req = derive(load(generate(40, seed=1, scopes=Scopes(budget="all")), tmp_path))
    assert len(components(req)) == 1 and not req.soft_targets
    for _ in range(2):
        # With the pattern bounds CP-SAT finds no plan in 0.01 deterministic seconds; without them it does.
        outcome = solve(req, SolveParams(workers=1, seed=4, deterministic=True, time_limit=0, pattern_bounds=True,
                                         path=path))  # type: ignore[arg-type]
        assert (outcome.status, outcome.solution, outcome.stages) == (SolveStatus.NO_PLAN, None, ())
        assert (outcome.workers, outcome.seed) == (1, 4)
    # Half a second (deterministic) is time enough for a plan: the search gets what is left.
    outcome = solve(req, SolveParams(workers=1, seed=4, deterministic=True, time_limit=0.5,
                                     path=path))  # type: ignore[arg-type]
    assert outcome.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and outcome.solution is not None


def test_no_plan_found_in_the_time_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same 40 offices, the time left taken to be 1 ms whenever the solve asks (deterministic:
    # CP-SAT's floor of 0.01 units, in which it finds no plan). Hard targets: no plan, the staged
    # solve's first level unknown. Soft targets: doing nothing, unproven, after no search at all.
    # The pattern bounds are pinned on: without them (the small combined solve's default) CP-SAT
    # finds this instance's first plan within the 0.01 units.
    from planner.analysis.generate import Scopes, generate

    monkeypatch.setattr(solve_module, "remaining_time", lambda params, started: 0.001)
    for soft in (False, True):
        req = derive(load(generate(40, seed=1, soft=soft, scopes=Scopes(budget="all")), tmp_path))
        for path in ("combined", "staged"):
            outcome = solve(req, SolveParams(workers=1, deterministic=True, path=path,  # type: ignore[arg-type]
                                             pattern_bounds=True))
            found = [(s.name, s.status, s.value, s.bound) for s in outcome.stages]
            if not soft:
                assert (outcome.status, outcome.solution) == (SolveStatus.NO_PLAN, None)
                assert found == ([] if path == "combined" else [("attained_office_years", "unknown", None, None)])
                continue
            assert outcome.status == SolveStatus.FEASIBLE and outcome.solution is not None
            assert found == [("shortfall", "feasible", sum(c.required for c in req.targets), None),
                             ("attained_office_years", "feasible", 0, None), ("total_cost", "feasible", 0, None)]
            assert [s.seconds for s in outcome.stages] == [0.0] * 3
            assert not any(any(d.att) for d in outcome.solution.offices)


def test_a_time_limit_spent_building_the_model_does_nothing_for_soft_targets(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # SOFT, staged, 0.3 s in all; building each model takes 0.5 s: the first component's time is
    # gone before its first level, the second's before it starts. Both do nothing.
    real = solve_module.build_model

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(solve_module, "build_model", slow)
    outcome = solve(derive(load(SOFT, tmp_path)), SolveParams(workers=1, path="staged", time_limit=0.3))
    assert (outcome.status, levels(outcome)) == (SolveStatus.FEASIBLE, [
        ("shortfall", "feasible", 2, None), ("attained_office_years", "feasible", 0, None),
        ("total_cost", "feasible", 0, None)])


def test_one_component_stopped_leaves_the_whole_unproven(tmp_path: Path) -> None:
    # SOFT's first component (甲县) is solved and proven; the stop comes at the second's first
    # shortfall plan, so the second stops after level 1: the whole is feasible, and only the level
    # both components reached is reported, unproven.
    req = derive(load(SOFT, tmp_path))
    control, seen = SolveControl(), list[Progress]()
    outcome = solve(req, SolveParams(workers=1, path="staged", control=control,
                                     progress=stop_at("2/2 shortfall", control, seen)))
    assert outcome.status == SolveStatus.FEASIBLE and outcome.solution is not None
    assert [(s.name, s.value) for s in outcome.stages] == [("shortfall", 1)]
    assert [d.att for d in outcome.solution.offices] == [(True,), (False,)]


@pytest.mark.parametrize("path", ["auto", "combined", "staged"])
def test_soft_targets_with_no_time_left_do_nothing_without_a_search(path: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # SOFT's two components, the time already gone when each one's turn comes: doing nothing, at
    # once, no CP-SAT search on any path. With half a second left each is searched: the optimum.
    def no_search(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a search with no time left")

    req = derive(load(SOFT, tmp_path))
    with monkeypatch.context() as patched:
        patched.setattr(solve_module, "remaining_time", lambda params, started: -1.0)
        patched.setattr(solve_module, "run_search", no_search)
        outcome = solve(req, SolveParams(workers=1, time_limit=10, path=path))  # type: ignore[arg-type]
    assert levels(outcome) == [("shortfall", "feasible", 2, None), ("attained_office_years", "feasible", 0, None),
                               ("total_cost", "feasible", 0, None)]
    monkeypatch.setattr(solve_module, "remaining_time", lambda params, started: 0.5)
    outcome = solve(req, SolveParams(workers=1, time_limit=10, path=path))  # type: ignore[arg-type]
    assert [(s.name, s.value) for s in outcome.stages] == [
        ("shortfall", 1), ("attained_office_years", 1), ("total_cost", 77_000)]


def test_a_stop_gives_hard_targets_half_a_second_for_a_first_plan(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # Stopped before the solve starts: each of HARD's two components is searched once more, with
    # 0.5 s (not the caller's 60), for a first plan meeting its hard targets.
    limits: list[float | None] = []
    real = solve_module._solve_staged

    def spy(sub, params, *args, **kwargs):  # type: ignore[no-untyped-def]
        limits.append(params.time_limit)
        return real(sub, params, *args, **kwargs)

    monkeypatch.setattr(solve_module, "_solve_staged", spy)
    control = SolveControl()
    control.stop()
    solve(derive(load(HARD, tmp_path)), SolveParams(workers=1, time_limit=60, control=control))
    assert limits == [0.5, 0.5]
