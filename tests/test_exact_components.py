"""Components, the process pool and the engine each component goes to, on hand-worked scenarios
(issue 13's mutation run): a pool worker's result is the solve in turn's, each queued component
gets its time share, a stop keeps what finished, and levels sum over components. The pool's worker
function and its hand-out run here in-process, so their code is checked where a child process
would hide it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from handplan import load
from test_exact_plans import HARD, levels
from test_rules import office, scenario

import planner.solver.solve as solve_module
from planner.rules.requirements import Requirements, derive
from planner.solver.components import components, split_requirements
from planner.solver.params import Progress, SolveControl, SolveOutcome, SolveParams, StageReport
from planner.solver.solve import PARALLEL_MIN_COMPONENTS, _solve_chunk, _sum_stages, solve
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



# test_exact_plans' 16 one-office counties (≥ PARALLEL_MIN_COMPONENTS: the pool), 8 of which can pay
# their mediator; soft 100 % targets.
SIXTEEN = scenario(targets_mode="soft", targets={2022: {"all": 1.0}},
                   budget={f"县{i}": {2022: 8 if i < 8 else 7} for i in range(PARALLEL_MIN_COMPONENTS)},
                   offices=[office(id=f"O{i}", county=f"县{i}", staff={"posts": 2, "mediators": 1})
                            for i in range(PARALLEL_MIN_COMPONENTS)])


def linked(n: int, counties: tuple[str, ...] = ("甲县", "乙县")) -> dict:
    """n offices, each a mediator short (7.7 万元), in `counties` of 丁市 sharing its fund of 240
    (31 mediators: 31 × 7.7 = 238.7), and C in 丙县 (戊市) with its own 8: 32 office-years at
    32 × 77,000 yuan in all."""
    return scenario(targets={2022: {"all": 0.0}}, budget={"丁市": {2022: 240}, "丙县": {2022: 8}},
                    offices=[office(id=f"O{i}", county=counties[i % len(counties)], city="丁市",
                                    staff={"posts": 2, "mediators": 1}) for i in range(n)]
                    + [office(id="C", county="丙县", city="戊市", staff={"posts": 2, "mediators": 1})])


BY_LEVEL = {f"{k}/2 {level}" for k in (1, 2) for level in ("attained_office_years", "total_cost")}


@pytest.mark.parametrize("n, counties, kw, coupled_by_level, stages, highs", [
    # Up to 40 offices: CP-SAT by level, one worker, whatever the engine.
    (40, ("甲县", "乙县"), {}, None, BY_LEVEL, False),
    (40, ("甲县", "乙县"), {"engine": "cpsat"}, None, BY_LEVEL, False),
    # A shared fund of 41 offices (two counties), up to COUPLED_BY_LEVEL: CP-SAT by level too.
    (41, ("甲县", "乙县"), {}, None, BY_LEVEL, False),
    (41, ("甲县", "乙县"), {}, 41, BY_LEVEL, False),
    # Above COUPLED_BY_LEVEL (lowered to 40 here): HiGHS (no CP-SAT progress for it) under
    # --engine auto; CP-SAT by level with --engine cpsat or --deterministic (HiGHS has no
    # deterministic time limit).
    (41, ("甲县", "乙县"), {}, 40, {"2/2 attained_office_years", "2/2 total_cost"}, True),
    (41, ("甲县", "乙县"), {"engine": "cpsat"}, 40, BY_LEVEL, False),
    (41, ("甲县", "乙县"), {"deterministic": True}, 40, BY_LEVEL, False),
    # 41 offices of one county are not a shared fund: CP-SAT by level.
    (41, ("甲县",), {}, 40, BY_LEVEL, False),
    # Forced: HiGHS for every component (the small one too); two coupled components go to the
    # process pool, one process each.
    (40, ("甲县", "乙县"), {"path": "mip"}, None, {"components 1/2", "components 2/2"}, True),
], ids=["40-auto", "40-cpsat", "41-auto", "41-at-limit", "41-over-limit", "41-over-limit-cpsat",
        "41-over-limit-deterministic", "41-one-county", "40-mip"])
def test_each_component_goes_to_its_engine(n: int, counties: tuple[str, ...], kw: dict, coupled_by_level: int | None,
                                           stages: set[str], highs: bool, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import ortools

    if coupled_by_level is not None:
        monkeypatch.setattr(solve_module, "COUPLED_BY_LEVEL", coupled_by_level)
    req = derive(load(linked(n, counties), tmp_path))
    seen: list[Progress] = []
    outcome = solve(req, SolveParams(workers=1, progress=seen.append, **kw))
    assert levels(outcome) == [("attained_office_years", "optimal", 32, 32.0),
                               ("total_cost", "optimal", 32 * 77_000, 32 * 77_000.0)]
    assert {p.stage for p in seen} == stages
    # The plan names HiGHS when any component went to it.
    assert ("HiGHS" in outcome.solver_version) == highs and outcome.solver_version.startswith(ortools.__version__)


# Calls: (offices, workers, small, presolve); presolve None is the staged defaults' (on).
@pytest.mark.parametrize("n, counties, workers, kw, coupled_by_level, calls", [
    # Up to 40 offices: by level, one worker, the small components' settings, whatever --workers says.
    (40, ("甲县", "乙县"), 8, {}, None, [(40, 1, True, False), (1, 1, True, False)]),
    # 41 offices of one county: the staged defaults with the caller's workers.
    (41, ("甲县",), 8, {}, None, [(41, 8, False, None), (1, 1, True, False)]),
    # A shared fund of 41 offices: by level, one worker, as a small component; also at the limit;
    # with presolve above PRESOLVE_FROM (lowered to 40 here), not at it.
    (41, ("甲县", "乙县"), 8, {}, None, [(41, 1, True, False), (1, 1, True, False)]),
    (41, ("甲县", "乙县"), 8, {}, 41, [(41, 1, True, False), (1, 1, True, False)]),
    (41, ("甲县", "乙县"), 8, {"presolve_from": 40}, None, [(41, 1, True, True), (1, 1, True, False)]),
    (41, ("甲县", "乙县"), 8, {"presolve_from": 41}, None, [(41, 1, True, False), (1, 1, True, False)]),
    # Above the limit with --engine cpsat: the staged defaults with the caller's workers.
    (41, ("甲县", "乙县"), 8, {"engine": "cpsat"}, 40, [(41, 8, False, None), (1, 1, True, False)]),
], ids=["40", "41-one-county", "41-shared-fund", "41-shared-fund-at-limit", "41-shared-fund-presolved",
        "41-shared-fund-at-presolve-limit", "41-shared-fund-over-limit-cpsat"])
def test_each_component_is_searched_with_its_settings(n: int, counties: tuple[str, ...], workers: int, kw: dict,
                                                      coupled_by_level: int | None, calls: list, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if coupled_by_level is not None:
        monkeypatch.setattr(solve_module, "COUPLED_BY_LEVEL", coupled_by_level)
    kw = dict(kw)
    if "presolve_from" in kw:
        monkeypatch.setattr(solve_module, "PRESOLVE_FROM", kw.pop("presolve_from"))
    seen: list[tuple[int, int, bool, bool | None]] = []
    real = solve_module._solve_staged

    def spy(sub: Requirements, params: SolveParams, started: float, w: int, label: str = "",
            small: bool = False, presolve: bool | None = None) -> SolveOutcome:
        seen.append((len(sub.offices), w, small, presolve))
        return real(sub, params, started, w, label, small=small, presolve=presolve)

    monkeypatch.setattr(solve_module, "_solve_staged", spy)
    outcome = solve(derive(load(linked(n, counties), tmp_path)), SolveParams(workers=workers, **kw))
    assert sorted(seen, reverse=True) == calls and outcome.status == SolveStatus.OPTIMAL


def test_a_coupled_component_gets_the_time_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 41 offices across two counties, above COUPLED_BY_LEVEL (lowered to 40), go to HiGHS with
    # what is left of the time limit; HiGHS finding nothing (None here), CP-SAT solves them: the
    # same optimum.
    monkeypatch.setattr(solve_module, "COUPLED_BY_LEVEL", 40)
    got: list[float | None] = []

    def no_plan(sub: Requirements, params: SolveParams, remaining: float | None, by_county: object) -> None:
        got.append(remaining)

    monkeypatch.setattr(solve_module, "solve_coupled", no_plan)
    outcome = solve(derive(load(linked(41), tmp_path)), SolveParams(workers=1, time_limit=30))
    assert len(got) == 1 and got[0] is not None and 25 < got[0] <= 30
    assert levels(outcome) == [("attained_office_years", "optimal", 32, 32.0),
                               ("total_cost", "optimal", 32 * 77_000, 32 * 77_000.0)]


def test_a_dask_cluster_gets_every_component_and_the_time_left(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # `--dask ADDRESS`: every component goes to the cluster with what is left of the time limit
    # (the cluster's own test is tests/test_solve_dask.py); here the cluster does nothing.
    got: list[tuple[str, int, float | None]] = []

    def cluster(address: str, subs: list[Requirements], params: SolveParams,
                remaining: float | None) -> list[SolveOutcome]:
        got.append((address, len(subs), remaining))
        return [solve_module._do_nothing(s) for s in subs]

    monkeypatch.setattr(solve_module, "solve_on_dask", cluster)
    outcome = solve(derive(load(SIXTEEN, tmp_path)), SolveParams(workers=1, time_limit=30, dask_address="tcp://h:1"))
    assert len(got) == 1 and got[0][:2] == ("tcp://h:1", PARALLEL_MIN_COMPONENTS)
    assert got[0][2] is not None and 25 < got[0][2] <= 30 and outcome.status == SolveStatus.FEASIBLE


def test_a_stop_while_the_pool_solves_keeps_what_finished(tmp_path: Path) -> None:
    # SIXTEEN in the pool. Stopped when the first task ends, the pool is not waited for: what
    # finished keeps its plan, the rest do nothing (soft targets). The whole is feasible and never
    # claims a proof.
    n = PARALLEL_MIN_COMPONENTS
    req = derive(load(SIXTEEN, tmp_path))
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


def test_the_pool_hands_each_component_once_with_its_time_share(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # The pool with threads in place of processes (so its tasks run here, where they are checked):
    # every component goes to exactly one task, in order; each task carries the deadline (now + the
    # time limit) and how many components are queued per process from it on (the fair share
    # `_solve_chunk` divides); no progress callback or stop switch crosses into a worker; the
    # results are the solve in turn's.
    import concurrent.futures as cf

    from planner.solver.pool import ignore_sigint

    tasks: list[tuple[list[str], float | None, float, SolveParams]] = []
    procs: list[tuple[int, str, object]] = []

    class InThreads(cf.ThreadPoolExecutor):
        def __init__(self, n: int, mp_context: Any = None, initializer: object = None) -> None:
            procs.append((n, mp_context.get_start_method(), initializer))
            super().__init__(1)

        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            subs, params, deadline, left = args
            tasks.append(([o.id for s in subs for o in s.offices], deadline, left, params))
            return super().submit(fn, *args, **kwargs)

    n = PARALLEL_MIN_COMPONENTS
    req = derive(load(SIXTEEN, tmp_path))
    in_turn = solve(req, SolveParams(workers=1, time_limit=60, parallel_components=False))
    monkeypatch.setattr(cf, "ProcessPoolExecutor", InThreads)
    monkeypatch.setattr(solve_module.os, "cpu_count", lambda: 2)  # a pool on any machine: 2 processes
    seen: list[Progress] = []
    before = time.time()
    pooled = solve(req, SolveParams(workers=3, time_limit=60, progress=seen.append, control=SolveControl()))
    assert (levels(pooled), pooled.solution) == (levels(in_turn), in_turn.solution)
    assert [i for ids, *_ in tasks for i in ids] == [f"O{i}" for i in range(n)]
    # Two processes, from a fork server (no inherited threads or state), ignoring Ctrl-C (the
    # parent decides what an interrupt means).
    assert procs == [(2, "forkserver", ignore_sigint)]
    done = 0
    for ids, deadline, left, params in tasks:
        assert deadline is not None and before + 59 < deadline <= time.time() + 60
        assert left == (n - done) / 2
        assert (params.progress, params.control, params.workers) == (None, None, 3)
        done += len(ids)
    assert seen[-1].stage == f"components {n}/{n}" and all(0 < p.elapsed <= pooled.seconds for p in seen)
    # Without a time limit the tasks carry no deadline.
    tasks.clear()
    solve(req, SolveParams(workers=1, time_limit=None))
    assert tasks and {d for _, d, _, _ in tasks} == {None}


def test_pool_workers_start_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Workers come from a fork server: they inherit none of this process's state (its threads, a
    # progress ticker, anything changed at run time). Here the parent's own `_solve_part` is
    # broken; the workers, which import the solver afresh, solve every component all the same.
    req = derive(load(SIXTEEN, tmp_path))
    in_turn = solve(req, SolveParams(workers=1, time_limit=60, parallel_components=False))

    def broken(*args: object) -> SolveOutcome:
        raise RuntimeError("the parent's state reached a worker")

    monkeypatch.setattr(solve_module, "_solve_part", broken)
    pooled = solve(req, SolveParams(workers=1, time_limit=60))
    assert (levels(pooled), pooled.solution) == (levels(in_turn), in_turn.solution)


@pytest.mark.parametrize("soft", [False, True])
def test_each_level_but_the_last_gets_half_the_time_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         soft: bool) -> None:
    # Under a time limit the cost level is always searched: a plan whose cost level never ran may
    # spend money that attains nothing. 41 offices in two counties: by level, one worker.
    given: list[float | None] = []
    real = solve_module.run_search

    def record(m: Any, params: SolveParams, name: str, remaining: float | None, *args: Any,
               **kw: Any) -> Any:
        given.append(remaining)
        return real(m, params, name, remaining, *args, **kw)

    monkeypatch.setattr(solve_module, "run_search", record)
    scenario = linked(41)
    if soft:
        scenario["targets_mode"] = "soft"
    solve(derive(load(scenario, tmp_path)), SolveParams(workers=1, time_limit=100))
    # Each level but the last is given half of what is left then, the last all of it; the levels
    # before took well under 1 s. Two components (the fund and C alone), each in turn.
    expected = ([50, 50, 100] if soft else [50, 100]) * 2
    assert [round(g or 0) for g in given] == expected
    solve(derive(load(scenario, tmp_path)), SolveParams(workers=1, time_limit=None))
    assert given[len(expected):] == [None] * len(expected)


def test_highs_searches_every_level_and_bounds_those_it_does_not_prove(tmp_path: Path) -> None:
    # HiGHS stopped after its first plan on each level (as a time limit would stop it): every level
    # is still searched, its value fixed at the plan found, with HiGHS's bound. Before, the levels
    # after the first unproven one were never searched.
    pytest.importorskip("highspy", reason="in the `test` extra: pip install -e '.[test]'")
    from planner.analysis.generate import Scopes, generate, write_scenario
    from planner.io.loading import load_scenario
    from planner.solver import mip

    path = tmp_path / "fund30.yaml"
    write_scenario(generate(30, seed=2, tightness=1.2, soft=True, scopes=Scopes(budget="all")), path)
    req = derive(load_scenario(path))
    h = mip._quiet_highs()
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_max_improving_sols", 1)
    _, levels_ = mip._build(h, req, False)
    values, proven, bounds, last = mip._solve_levels(h, levels_, None, None, time.monotonic())
    assert [sense for sense, _ in levels_] == ["min", "max", "min"] and last is not None
    assert proven == [False, False, False]
    (short, short_bound), (attained, attained_bound), (cost, cost_bound) = zip(values, bounds)
    assert short_bound is not None and short_bound < short
    assert attained_bound is not None and attained_bound > attained
    assert cost_bound is not None and 0 < cost_bound < cost


def test_a_level_with_no_plan_in_its_half_goes_on_with_all_the_time_left(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Hard targets: no plan at all after the first level's half (UNKNOWN here, as a search that
    # found nothing in time reports) would be exit 4; the level is searched again with all the time left.
    from ortools.sat.python import cp_model

    given: list[tuple[str, float | None]] = []
    real = solve_module.run_search

    def first_finds_nothing(m: Any, params: SolveParams, name: str, remaining: float | None, *args: Any,
                            **kw: Any) -> Any:
        given.append((name, remaining))
        if len(given) == 1:
            return cp_model.CpSolver(), cp_model.UNKNOWN
        return real(m, params, name, remaining, *args, **kw)

    monkeypatch.setattr(solve_module, "run_search", first_finds_nothing)
    outcome = solve(derive(load(HARD, tmp_path)), SolveParams(workers=1, time_limit=100))
    assert [(name, round(t or 0)) for name, t in given][:3] == [
        ("1/2 attained_office_years", 50), ("1/2 attained_office_years", 100), ("1/2 total_cost", 100)]
    assert outcome.status == SolveStatus.OPTIMAL


def _outcome(status: str, *values: int | None) -> SolveOutcome:
    names = ["shortfall", "attained_office_years", "total_cost"]
    return SolveOutcome(status, None, tuple(StageReport(n, status, v, None, 0.0) for n, v in zip(names, values)),
                        0.0, 1, 0)


def test_unproven_components_are_solved_again_with_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    # The pool's second pass: only `feasible` components go again; a proven outcome, or a
    # lexicographically better one, replaces the first; a worse one does not. A level not reached
    # counts as worst.
    first = {0: _outcome("optimal", 1, 10, 100),
             1: _outcome("feasible", 3, 10, 100),  # again: proven → replaced
             2: _outcome("feasible", 2, 10, 100),  # again: shortfall 3, worse → kept
             3: _outcome("feasible", 2, 10),  # the cost level not reached → 2, 10, 500 is better
             4: _outcome("feasible", 2, 10, 100)}  # again: more attained → replaced
    again = {1: _outcome("optimal", 2, 10, 90), 2: _outcome("feasible", 3, 12, 50),
             3: _outcome("feasible", 2, 10, 500), 4: _outcome("feasible", 2, 11, 900)}
    asked: list[list[int]] = []

    def pool(parts: list[Requirements], keys: list[int], params: SolveParams, started: float) -> dict[int, SolveOutcome]:
        asked.append(keys)
        return {k: again[k] for k in keys}

    monkeypatch.setattr(solve_module, "_solve_small_in_pool", pool)
    subs: list[Requirements] = [None] * 5  # type: ignore[list-item]
    done = dict(first)
    solve_module._solve_again_with_time_left(subs, done, SolveParams(time_limit=100), time.monotonic())
    assert asked == [[1, 2, 3, 4]]
    assert done == {0: first[0], 1: again[1], 2: first[2], 3: again[3], 4: again[4]}
    # No second pass without a limit's time left, or once stopped.
    for params, started in [(SolveParams(time_limit=100), time.monotonic() - 99.5),
                            (SolveParams(time_limit=100, control=SolveControl()), time.monotonic())]:
        if params.control is not None:
            params.control.stop()
        done = dict(first)
        solve_module._solve_again_with_time_left(subs, done, params, started)
        assert done == first and len(asked) == 1


def test_a_component_is_not_solved_again_with_no_more_time_than_it_took(monkeypatch: pytest.MonkeyPatch) -> None:
    # Four unproven components, 100 s left on two cores: 50 s each in the second pass. One that
    # took 60 s the first time would get no further; its time goes to the others.
    from dataclasses import replace

    first = {k: replace(_outcome("feasible", 2, 10, 100), seconds=s) for k, s in enumerate([10.0, 60.0, 49.0, 50.0])}
    asked: list[list[int]] = []

    def pool(parts: list[Requirements], keys: list[int], params: SolveParams, started: float) -> dict[int, SolveOutcome]:
        asked.append(keys)
        return {k: _outcome("optimal", 1, 10, 100) for k in keys}

    monkeypatch.setattr(solve_module, "_solve_small_in_pool", pool)
    monkeypatch.setattr(solve_module.os, "cpu_count", lambda: 2)
    done = dict(first)
    solve_module._solve_again_with_time_left([None] * 4, done, SolveParams(time_limit=100),  # type: ignore[list-item]
                                             time.monotonic())
    assert asked == [[0, 2]]
    assert done[1] is first[1] and done[3] is first[3] and done[0].status == "optimal"


@pytest.mark.parametrize("left, queued, seconds, cap", [
    (100.0, 4, [], 100.0),  # nothing solved yet: twice the fair share, 100 / (4 / 2 processes)
    (100.0, 8, [], 50.0),
    (100.0, 4, [10.0, 20.0], 85.0),  # 15 s on average: 100 less 15 for the one after it here
    (100.0, 4, [60.0], 50.0),  # slower than fair on average: the fair share still
    (100.0, 9, [5.0], 82.5),  # 4.5 a process: 100 − 3.5 × 5
    (100.0, 1, [5.0], 100.0),  # the last: all that is left
])
def test_a_fund_gets_its_fair_share_and_what_faster_ones_leave(left: float, queued: int, seconds: list[float],
                                                               cap: float) -> None:
    assert solve_module.fund_cap(left, queued, 2, seconds) == pytest.approx(cap)


def three_funds() -> dict:
    """Three city funds of 41 offices over two counties each, each a component of its own."""
    offices = [office(id=f"F{f}-{i}", county=f"{f}{'甲乙'[i % 2]}县", city=f"{f}市", staff={"posts": 2, "mediators": 1})
               for f in "丙丁戊" for i in range(41)]
    return scenario(targets={2022: {"all": 0.0}}, budget={f"{f}市": {2022: 240} for f in "丙丁戊"}, offices=offices)


def test_the_pool_hands_out_funds_one_at_a_time_as_processes_free_up(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Threads in place of processes, as above: under a time limit each fund is a task handed out
    # when a process is free (two at first), with its own deadline (fund_cap, within the limit)
    # and nothing else queued; each fund once, in order; the results are the solve in turn's.
    import concurrent.futures as cf

    tasks: list[tuple[list[str], float | None, float, int]] = []

    class InThreads(cf.ThreadPoolExecutor):
        def __init__(self, n: int, mp_context: Any = None, initializer: object = None) -> None:
            super().__init__(1)

        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            subs, params, deadline, queued = args
            tasks.append(([o.id for s in subs for o in s.offices], deadline, queued, len(finished)))
            fut = super().submit(fn, *args, **kwargs)
            fut.add_done_callback(lambda f: finished.append(f))
            return fut

    finished: list[object] = []
    req = derive(load(three_funds(), tmp_path))
    assert sorted(len(idx) for idx in components(req)) == [41, 41, 41]
    in_turn = solve(req, SolveParams(workers=1, time_limit=60, parallel_components=False))
    monkeypatch.setattr(cf, "ProcessPoolExecutor", InThreads)
    monkeypatch.setattr(solve_module.os, "cpu_count", lambda: 2)
    before = time.time()
    pooled = solve(req, SolveParams(workers=1, time_limit=60))
    assert (levels(pooled), pooled.solution) == (levels(in_turn), in_turn.solution)
    assert [ids[0] for ids, *_ in tasks] == ["F丙-0", "F丁-0", "F戊-0"] and all(len(ids) == 41 for ids, *_ in tasks)
    assert [q for _, _, q, _ in tasks] == [1.0] * 3
    # Two handed out at once, the third once one of them had finished.
    assert [seen for *_, seen in tasks] == [0, 0, 1]
    # Twice the fair share of 3 funds on 2 processes (2 × 60 / 1.5 = 80 s), within the limit; then the time left.
    assert all(d is not None and before + 59 < d <= before + 61 for _, d, _, _ in tasks)
