"""Time limits, stops and the component pool's worker, on hand-worked scenarios (issue 13's
mutation run): what a user gets when the time runs out or Ctrl-C stops the search, and that a
pool worker's result is the solve in turn's. The pool's worker function runs here in-process, so
its code is checked where a child process would hide it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from handplan import load
from test_exact_plans import HARD, SOFT, levels
from test_rules import office, scenario

import planner.solver.solve as solve_module
from planner.rules.requirements import Requirements, derive
from planner.solver.components import components, split_requirements
from planner.solver.params import Progress, SolveControl, SolveOutcome, SolveParams, StageReport
from planner.solver.solve import _solve_chunk, _sum_stages, solve
from planner.solver.status import SolveStatus

# Four counties, one office each lacking a mediator (7.7 万元), each with its own budget: 县0 and
# 县1 can pay (8), 县2 and 县3 cannot (7); soft 100 % targets: four components.
FOUR = scenario(targets_mode="soft", targets={2022: {"all": 1.0}},
                budget={f"县{i}": {2022: 8 if i < 2 else 7} for i in range(4)},
                offices=[office(id=f"O{i}", county=f"县{i}", staff={"posts": 2, "mediators": 1}) for i in range(4)])


def four_parts(tmp_path: Path) -> list[Requirements]:
    req = derive(load(FOUR, tmp_path))
    return split_requirements(req, components(req))


def test_a_pool_chunk_solved_here_equals_each_component_in_turn(tmp_path: Path) -> None:
    parts = four_parts(tmp_path)
    chunk = _solve_chunk(parts, SolveParams(workers=4, time_limit=None), None, 4.0)
    for sub, outcome in zip(parts, chunk):
        alone = solve(sub, SolveParams(workers=1, time_limit=None))
        assert (outcome.status, levels(outcome), outcome.solution) == (alone.status, levels(alone), alone.solution)
        assert (outcome.workers, outcome.seed) == (1, 0)  # one worker per process
    # 县0 and 县1 lift their office (shortfall 0, 1 office-year, 77,000 yuan); 县2 and 县3 cannot.
    assert [levels(o) for o in chunk] == [
        [("shortfall", "optimal", 0, 0.0), ("attained_office_years", "optimal", 1, 1.0),
         ("total_cost", "optimal", 77_000, 77_000.0)]] * 2 + [
        [("shortfall", "optimal", 1, 1.0), ("attained_office_years", "optimal", 0, 0.0),
         ("total_cost", "optimal", 0, 0.0)]] * 2


def test_a_pool_chunk_past_its_deadline_does_nothing_for_soft_targets(tmp_path: Path) -> None:
    parts = four_parts(tmp_path)
    chunk = _solve_chunk(parts, SolveParams(workers=1), time.time() - 1, 4.0)
    assert [o.status for o in chunk] == [SolveStatus.FEASIBLE] * 4
    assert [levels(o) for o in chunk] == [[("shortfall", "feasible", 1, None), ("attained_office_years", "feasible",
                                                                                  0, None),
                                           ("total_cost", "feasible", 0, None)]] * 4
    assert [d.att for o in chunk for d in o.solution.offices] == [(False,)] * 4


def test_each_queued_component_gets_at_most_twice_its_fair_share(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # 100 s left, 4 components queued in this process: the first may take 2 × 100 / 4 = 50 s, the
    # second 2 × 100 / 3, the third 100 (2 × 100 / 2), the last all that is left (100, not 200);
    # each with one worker and the time counted from its own start.
    seen: list[tuple[float | None, int]] = []

    def record(sub: Requirements, params: SolveParams, started: float, label: str) -> SolveOutcome:
        assert label == "" and abs(started - time.monotonic()) < 1
        seen.append((params.time_limit, params.workers))
        return solve_module._do_nothing(sub)

    monkeypatch.setattr(solve_module, "_solve_part", record)
    parts = four_parts(tmp_path)
    _solve_chunk(parts, SolveParams(workers=8, time_limit=None), time.time() + 100, 4.0)
    assert [w for _, w in seen] == [1] * 4
    assert [round(t or 0) for t, _ in seen] == [50, 67, 100, 100]
    seen.clear()
    _solve_chunk(parts, SolveParams(workers=8), None, 4.0)  # no deadline: no limit
    assert seen == [(None, 1)] * 4
    seen.clear()
    # Queued counts below one are taken as one; a deadline all but reached still gives 0.05 s.
    _solve_chunk(parts[:1], SolveParams(), time.time() + 100, 0.5)
    _solve_chunk([derive(load(HARD, tmp_path))], SolveParams(), time.time() + 0.001, 1.0)
    assert [round(t or 0, 2) for t, _ in seen] == [100, 0.05]


def test_summed_levels_are_proven_only_when_every_component_is() -> None:
    proven = (StageReport("shortfall", "optimal", 1, 1.0, 0.5), StageReport("total_cost", "optimal", 77_000, 77_000.0,
                                                                             0.25))
    found = (StageReport("shortfall", "feasible", 2, None, 1.0), StageReport("total_cost", "optimal", 0, 0.0, 0.0))
    unknown = (StageReport("shortfall", "unknown", None, None, 2.0),)

    def outcome(stages: tuple[StageReport, ...]) -> SolveOutcome:
        return SolveOutcome("optimal", None, stages, 0.0, 1, 0)

    assert _sum_stages([outcome(proven), outcome(proven)]) == (
        StageReport("shortfall", "optimal", 2, 2.0, 1.0), StageReport("total_cost", "optimal", 154_000, 154_000.0, 0.5))
    assert _sum_stages([outcome(proven), outcome(found)]) == (
        StageReport("shortfall", "feasible", 3, None, 1.5), StageReport("total_cost", "optimal", 77_000, 77_000.0,
                                                                         0.25))
    # A level one component never reached: only the levels every component has; no value if any is unknown.
    assert _sum_stages([outcome(proven), outcome(unknown)]) == (StageReport("shortfall", "feasible", None, None, 2.5),)


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
def test_an_infeasible_outcome_reports_the_callers_workers_and_the_whole_time(path: str, tmp_path: Path) -> None:
    # 乙县 cannot pay its hard target (7 < 7.7): infeasible, its cell named; the outcome states the
    # caller's workers, seed, and at least the time of its searches.
    req = derive(load({**HARD, "budget": {"甲县": {2022: 8}, "乙县": {2022: 7}}}, tmp_path))
    outcome = solve(req, SolveParams(workers=3, seed=7, time_limit=30, path=path))  # type: ignore[arg-type]
    assert (outcome.status, outcome.solution, outcome.workers, outcome.seed) == (SolveStatus.INFEASIBLE, None, 3, 7)
    assert [(c.scope, c.required) for c in outcome.conflict] == [("乙县", 1)]
    assert outcome.seconds > 0 and outcome.seconds >= sum(s.seconds for s in outcome.stages)


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
    outcome = solve(req, SolveParams(workers=1, path=path, control=control,  # type: ignore[arg-type]
                                     progress=stop_at(stage, control, seen)))
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


def test_a_deterministic_limit_too_short_for_a_first_plan_gives_no_plan(tmp_path: Path) -> None:
    # 40 generated offices with hard targets and one budget for all (one component, solved in one
    # weighted search), and no time: the search still gets 0.01 s, deterministic here, in which
    # CP-SAT finds no plan meeting the hard targets: no plan, reproducibly, with nothing to report.
    from planner.analysis.generate import Scopes, generate

    req = derive(load(generate(40, seed=1, scopes=Scopes(budget="all")), tmp_path))
    assert len(components(req)) == 1 and not req.soft_targets
    for _ in range(2):
        outcome = solve(req, SolveParams(workers=1, seed=4, deterministic=True, time_limit=0))
        assert (outcome.status, outcome.solution, outcome.stages) == (SolveStatus.NO_PLAN, None, ())
        assert (outcome.workers, outcome.seed) == (1, 4)


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


def linked(n: int, counties: tuple[str, ...] = ("甲县", "乙县")) -> dict:
    """n offices, each a mediator short (7.7 万元), in `counties` of 丁市 sharing its fund of 240
    (31 mediators: 31 × 7.7 = 238.7), and C in 丙县 (戊市) with its own 8: 32 office-years at
    32 × 77,000 yuan in all."""
    return scenario(targets={2022: {"all": 0.0}}, budget={"丁市": {2022: 240}, "丙县": {2022: 8}},
                    offices=[office(id=f"O{i}", county=counties[i % len(counties)], city="丁市",
                                    staff={"posts": 2, "mediators": 1}) for i in range(n)]
                    + [office(id="C", county="丙县", city="戊市", staff={"posts": 2, "mediators": 1})])


BY_LEVEL = {"1/2 attained_office_years", "1/2 total_cost", "2/2 all levels"}


@pytest.mark.parametrize("n, counties, kw, stages, highs", [
    # Up to 40 offices: one weighted CP-SAT search per component, whatever the engine.
    (40, ("甲县", "乙县"), {}, {"1/2 all levels", "2/2 all levels"}, False),
    (40, ("甲县", "乙县"), {"engine": "cpsat"}, {"1/2 all levels", "2/2 all levels"}, False),
    # 41 offices across two counties: HiGHS (no CP-SAT progress for it) under --engine auto; CP-SAT
    # by level with --engine cpsat or --deterministic (HiGHS has no deterministic time limit).
    (41, ("甲县", "乙县"), {}, {"2/2 all levels"}, True),
    (41, ("甲县", "乙县"), {"engine": "cpsat"}, BY_LEVEL, False),
    (41, ("甲县", "乙县"), {"deterministic": True}, BY_LEVEL, False),
    # 41 offices of one county are not coupled across counties: CP-SAT by level.
    (41, ("甲县",), {}, BY_LEVEL, False),
    # Forced: HiGHS for every component (the small one too); two coupled components go to the
    # process pool, one process each.
    (40, ("甲县", "乙县"), {"path": "mip"}, {"components 1/2", "components 2/2"}, True),
], ids=["40-auto", "40-cpsat", "41-auto", "41-cpsat", "41-deterministic", "41-one-county", "40-mip"])
def test_each_component_goes_to_its_engine(n: int, counties: tuple[str, ...], kw: dict, stages: set[str],
                                           highs: bool, tmp_path: Path) -> None:
    import ortools

    req = derive(load(linked(n, counties), tmp_path))
    seen: list[Progress] = []
    outcome = solve(req, SolveParams(workers=1, progress=seen.append, **kw))
    assert levels(outcome) == [("attained_office_years", "optimal", 32, 32.0),
                               ("total_cost", "optimal", 32 * 77_000, 32 * 77_000.0)]
    assert {p.stage for p in seen} == stages
    # The plan names HiGHS when any component went to it.
    assert ("HiGHS" in outcome.solver_version) == highs and outcome.solver_version.startswith(ortools.__version__)


def test_a_stop_while_the_pool_solves_keeps_what_finished(tmp_path: Path) -> None:
    # test_exact_plans' 16 one-office counties (8 can pay their mediator): in the pool, in chunks
    # of 2. Stopped when the first chunk ends, the pool is not waited for: what finished keeps its
    # plan, the rest do nothing (soft targets). The whole is feasible and never claims a proof.
    from test_exact_plans import PARALLEL_MIN_COMPONENTS

    n = PARALLEL_MIN_COMPONENTS
    sc = scenario(targets_mode="soft", targets={2022: {"all": 1.0}},
                  budget={f"县{i}": {2022: 8 if i < 8 else 7} for i in range(n)},
                  offices=[office(id=f"O{i}", county=f"县{i}", staff={"posts": 2, "mediators": 1}) for i in range(n)])
    req = derive(load(sc, tmp_path))
    control, seen = SolveControl(), list[Progress]()

    def stop(p: Progress) -> None:
        seen.append(p)
        control.stop()

    outcome = solve(req, SolveParams(workers=1, time_limit=60, control=control, progress=stop))
    assert seen[0].stage.startswith("components ") and seen[0].stage.endswith(f"/{n}")
    assert outcome.status == SolveStatus.FEASIBLE and outcome.solution is not None
    attained = [d.att == (True,) for d in outcome.solution.offices]
    assert not any(attained[8:]) and 0 < sum(attained) < 8
    (short, years, cost) = outcome.stages
    assert (short.value, years.value, cost.value) == (n - sum(attained), sum(attained), 77_000 * sum(attained))
    assert {s.status for s in outcome.stages} == {"feasible"} and {s.bound for s in outcome.stages} == {None}
