"""The county split (planner/solver/county_split.py): the first plan of a large shared fund whose
time is short. What users rely on: the plan is a plan of the fund (it verifies, its shares add up
to no more than the fund), it claims no optimum and no bound it has not got, it is never better
than the true optimum, and it is kept only when HiGHS found nothing better."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from planner.analysis.generate import Scopes, generate, write_scenario
from planner.io.loading import LoadedScenario, load_scenario
from planner.rules.requirements import Requirements, derive
from planner.rules.verify import verify_plan
from planner.solver import county_split, mip, shared_fund, solve as solve_module
from planner.solver.model import Solution
from planner.solver.params import SolveControl, SolveOutcome, SolveParams, StageReport
from planner.solver.result import make_plan
from planner.solver.solve import solve
from planner.solver.status import Level, SolveStatus

pytest.importorskip("highspy", reason="in the `test` extra: pip install -e '.[test]'")


def fund(tmp_path: Path, offices: int = 60, seed: int = 1, **scopes: Any) -> tuple[LoadedScenario, Requirements]:
    """A generated shared fund (one budget a year over every county unless `scopes` say otherwise),
    tight (1.2) and soft, as in the benchmarks."""
    path = tmp_path / f"fund{offices}_{seed}.yaml"
    write_scenario(generate(offices, seed=seed, tightness=1.2, soft=True,
                            scopes=Scopes(**{"budget": "all", **scopes})), path)
    loaded = load_scenario(path)
    return loaded, derive(loaded)


def by_county(county: Requirements, limit: float | None = None) -> SolveOutcome:
    return solve(county, SolveParams(workers=1, time_limit=limit))


def key(outcome: SolveOutcome) -> tuple[float, ...]:
    return shared_fund.lexicographic(outcome)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_split_plan_verifies_and_is_no_better_than_the_optimum(seed: int, tmp_path: Path) -> None:
    loaded, req = fund(tmp_path, seed=seed)
    assert county_split.applicable(req)
    lp = mip.lp_relaxation(req, 30)
    assert lp is not None
    outcome = county_split.split_plan(req, lp.spending, by_county)
    assert outcome is not None and outcome.status == SolveStatus.FEASIBLE
    assert [s.name for s in outcome.stages] == [Level.SHORTFALL, Level.ATTAINED, Level.TOTAL_COST]
    assert all(s.status == SolveStatus.FEASIBLE and s.bound is None for s in outcome.stages)
    plan = make_plan(loaded, req, outcome)  # raises when the levels claimed are not the plan's
    assert verify_plan(loaded, plan) == []
    best = solve(req, SolveParams(workers=1, time_limit=60))
    assert best.status == SolveStatus.OPTIMAL
    assert key(best) <= key(outcome)
    assert lp.shortfall_bound <= (best.stages[0].value or 0) <= (outcome.stages[0].value or 0)
    # not the empty plan: the split spends the fund where the LP does
    assert outcome.stages[1].value and outcome.stages[1].value > 0


def test_shares_of_a_wide_entry_add_up_to_no_more_than_it(tmp_path: Path) -> None:
    _, req = fund(tmp_path, offices=45)
    parts = county_split.county_parts(req)
    assert len(parts) == 3
    # an LP that spends a little more than each budget (its tolerance), spread evenly
    amounts = {b.year: b.amount_yuan for b in req.budgets}
    n = len(req.offices)
    spending = [[amounts[y] / n + 1.0 for y in req.years] for _ in req.offices]
    subs = county_split.county_requirements(req, parts, spending)
    for year, amount in amounts.items():
        shares = [next(b.amount_yuan for b in sub.budgets if b.year == year) for sub in subs]
        even = [int(sum(amount / n + 1.0 for _ in idx)) for idx in parts]
        assert sum(even) > amount
        assert sum(shares) == amount  # the excess taken back, no more, from one county
        assert sum(s != e for s, e in zip(shares, even)) == 1 and min(shares) >= 0
    for sub, idx in zip(subs, parts):
        assert [o.id for o in sub.offices] == [req.offices[i].id for i in idx]
        assert {o.county for o in sub.offices} == {req.offices[idx[0]].county}
        assert sub.quotas and all(q.scope == sub.offices[0].county for q in sub.quotas)
        assert sub.targets and all(c.office_ids[0] in {o.id for o in sub.offices} for c in sub.targets)


def test_a_countys_own_budget_is_not_cut(tmp_path: Path) -> None:
    _, req = fund(tmp_path, offices=45)
    county = req.offices[0].county
    own = replace(req.budgets[0], scope=county, amount_yuan=123)
    req = replace(req, budgets=req.budgets + (own,))
    parts = county_split.county_parts(req)
    spending = [[0.0] * len(req.years) for _ in req.offices]
    subs = county_split.county_requirements(req, parts, spending)
    first = next(sub for sub in subs if sub.offices[0].county == county)
    assert own in first.budgets
    assert all(b.amount_yuan == 0 for sub in subs for b in sub.budgets if b.scope != county)


@pytest.mark.parametrize(("why", "change"), [
    ("hard targets", lambda r: replace(r, soft_targets=False)),
    ("one county", lambda r: replace(r, offices=tuple(o for o in r.offices if o.county == r.offices[0].county))),
    ("a quota over two counties", lambda r: replace(r, quotas=(replace(r.quotas[0], scope="all"),) + r.quotas[1:])),
])
def test_not_applicable(why: str, change: Any, tmp_path: Path) -> None:
    _, req = fund(tmp_path, offices=45)
    assert county_split.applicable(req)
    assert not county_split.applicable(change(req)), why


def test_a_target_cell_over_counties_is_not_split(tmp_path: Path) -> None:
    _, req = fund(tmp_path, offices=45, target="city", cities=1)
    assert not county_split.applicable(req)


def outcome(*values: int | None) -> SolveOutcome:
    """An unproven outcome with these level values (shortfall, attained, cost, as far as given)."""
    names = [Level.SHORTFALL, Level.ATTAINED, Level.TOTAL_COST]
    reports = tuple(StageReport(n, SolveStatus.FEASIBLE, v, None, 0.0) for n, v in zip(names, values))
    return SolveOutcome(SolveStatus.FEASIBLE, None, reports, 1.0, 1, 0)


@pytest.mark.parametrize(("a", "b"), [
    (outcome(5, 10, 100), outcome(4, 1, 999)),      # level 1 first
    (outcome(4, 10, 100), outcome(4, 11, 999)),     # then more attained office-years
    (outcome(4, 10, 100), outcome(4, 10, 99)),      # then less cost
    (outcome(4, 10), outcome(4, 10, 10**9)),        # a level not reached counts worst
])
def test_the_pools_second_pass_compares_plans_level_by_level(a: SolveOutcome, b: SolveOutcome) -> None:
    """How the pool's second pass tells which of two plans of a fund to keep (a split's or HiGHS's)."""
    assert shared_fund.lexicographic(b) < shared_fund.lexicographic(a)
    assert not shared_fund.lexicographic(a) < shared_fund.lexicographic(a)


def fake_solve_mip(result: mip.MipResult, calls: list[float | None]) -> Any:
    def solve_mip(req: Requirements, time_limit: float | None = None, **kw: Any) -> mip.MipResult:
        calls.append(time_limit)
        return result
    return solve_mip


def test_a_short_time_gets_the_split_and_highs_is_not_started(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The split's plan, its own levels, the LP's bound on level 1 and no other; all the time it
    took (the LP's too); HiGHS never started (in the pool, its time was what the funds queued last
    needed)."""
    loaded, req = fund(tmp_path, seed=2)
    calls: list[float | None] = []
    monkeypatch.setattr(shared_fund.mip, "solve_mip",
                        fake_solve_mip(mip.MipResult("time_limit", (), (), (), None, 1.0, 0.1), calls))
    real_lp = mip.lp_relaxation

    def slow_lp(fund_req: Requirements, time_limit: float, threads: int = 1,
               control: Any = None) -> mip.LpRelaxation | None:
        time.sleep(0.3)  # the LP's time is the split's too
        return real_lp(fund_req, time_limit, threads, control)

    monkeypatch.setattr(shared_fund.mip, "lp_relaxation", slow_lp)
    short = 0.9 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    started = time.monotonic()
    outcome = shared_fund.solve_coupled(req, SolveParams(workers=1), short, by_county)
    wall = time.monotonic() - started
    assert outcome is not None and outcome.status == SolveStatus.FEASIBLE and outcome.solution is not None
    assert "LP split by county" in outcome.solver_version
    assert calls == []
    assert wall - 0.05 <= outcome.seconds <= wall
    assert [s.name for s in outcome.stages] == [Level.SHORTFALL, Level.ATTAINED, Level.TOTAL_COST]
    assert [s.value for s in outcome.stages] == list(county_split.levels(req, outcome.solution))
    assert [s.bound for s in outcome.stages] == [1.0, None, None]  # the LP's (seed 2: below)
    assert verify_plan(loaded, make_plan(loaded, req, outcome)) == []


def test_a_split_without_a_plan_leaves_highs_the_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, req = fund(tmp_path)
    calls: list[float | None] = []
    lp_calls: list[float] = []

    def no_lp(fund_req: Requirements, time_limit: float, threads: int = 1, control: Any = None) -> None:
        lp_calls.append(time_limit)  # e.g. the LP out of time

    monkeypatch.setattr(shared_fund.mip, "lp_relaxation", no_lp)
    monkeypatch.setattr(shared_fund.mip, "solve_mip",
                        fake_solve_mip(mip.MipResult("time_limit", (), (), (), None, 1.0, 0.1), calls))
    short = 0.9 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    assert shared_fund.solve_coupled(req, SolveParams(workers=1), short, by_county) is None  # CP-SAT's turn
    assert len(calls) == 1 and calls[0] is not None and short - 0.05 < calls[0] <= short
    assert len(lp_calls) == 1  # not tried again after HiGHS


def _stopping_highs(monkeypatch: pytest.MonkeyPatch, control: SolveControl) -> None:
    """A Ctrl-C (SolveControl.stop) that comes while HiGHS solves: stop() calls cancelSolve as a
    signal handler would, just before HiGHS starts, which HiGHS honours at its first check."""
    real = mip._quiet_highs

    def stopping() -> Any:
        h = real()
        minimize = h.minimize

        def stopped_minimize(*args: Any) -> Any:
            control.stop()
            return minimize(*args)
        h.minimize = stopped_minimize
        return h
    monkeypatch.setattr(mip, "_quiet_highs", stopping)


def test_a_stop_ends_the_split_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during the LP ends it (at 1,300 offices it takes 3–4 s); a stop before it starts
    skips it; without a stop the same LP is solved."""
    _, req = fund(tmp_path)
    assert mip.lp_relaxation(req, 30, control=SolveControl()) is not None
    stopped = SolveControl()
    stopped.stop()
    assert mip.lp_relaxation(req, 30, control=stopped) is None
    during = SolveControl()
    _stopping_highs(monkeypatch, during)
    assert mip.lp_relaxation(req, 30, control=during) is None
    assert during._solver is None  # no later stop() reaches a finished HiGHS


def test_a_fund_stopped_during_the_split_is_not_searched_again(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped during the split's LP: no HiGHS or CP-SAT search of the fund after it; the fund keeps
    the plan of a component not solved yet, doing nothing, and it verifies."""
    loaded, req = fund(tmp_path)
    control = SolveControl()
    _stopping_highs(monkeypatch, control)
    calls: list[float | None] = []
    monkeypatch.setattr(shared_fund.mip, "solve_mip",
                        fake_solve_mip(mip.MipResult("time_limit", (), (), (), None, 1.0, 0.1), calls))
    short = 0.9 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    assert shared_fund.solve_coupled(req, SolveParams(workers=1, control=control), short, by_county) is None
    assert calls == []
    # The whole chain: this 60-office fund goes the way of a > 400-office one.
    monkeypatch.setattr(solve_module, "COUPLED_BY_LEVEL", 40)
    control = SolveControl()
    _stopping_highs(monkeypatch, control)
    outcome = solve(req, SolveParams(workers=1, control=control, time_limit=short))
    assert calls == [] and outcome.status == SolveStatus.FEASIBLE and outcome.solution is not None
    assert county_split.levels(req, outcome.solution)[1:] == (0, 0)  # nothing attained, nothing spent
    assert verify_plan(loaded, make_plan(loaded, req, outcome)) == []


def test_highs_stopped_before_it_starts_gets_time_for_a_first_plan_only(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """As CP-SAT (cpsat.py): a stop that came before the search (stop() reached no HiGHS) leaves it
    half a second, not the whole time limit."""
    _, req = fund(tmp_path)
    limits: list[float] = []
    real = mip.set_options

    def recording(h: Any, **options: Any) -> None:
        if "time_limit" in options:
            limits.append(options["time_limit"])
        real(h, **options)

    monkeypatch.setattr(mip, "set_options", recording)
    control = SolveControl()
    control.stop()
    result = mip.solve_mip(req, time_limit=120, threads=1, control=control)
    assert result.solution is not None and limits and max(limits) <= 0.5
    limits.clear()
    assert mip.solve_mip(req, time_limit=120, threads=1, control=SolveControl()).status == SolveStatus.OPTIMAL
    assert limits[0] == pytest.approx(60, abs=1)  # not stopped: half the time for level 1


def test_highs_without_a_plan_hands_its_time_left_to_the_split(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Time enough for HiGHS, which stops at half of it with no plan for level 1: the split's plan,
    not CP-SAT's staged search of the whole fund, with the time HiGHS left."""
    loaded, req = fund(tmp_path)
    calls: list[float | None] = []
    lp_limits: list[float] = []
    real_lp = mip.lp_relaxation

    def recording_lp(fund_req: Requirements, time_limit: float, threads: int = 1,
                    control: Any = None) -> mip.LpRelaxation | None:
        lp_limits.append(time_limit)
        return real_lp(fund_req, time_limit, threads, control)

    def half_and_nothing(req: Requirements, time_limit: float | None = None, **kw: Any) -> mip.MipResult:
        calls.append(time_limit)
        time.sleep(0.2)
        return mip.MipResult("time_limit", (), (), (), None, 0.2, 0.1)

    monkeypatch.setattr(shared_fund.mip, "lp_relaxation", recording_lp)
    monkeypatch.setattr(shared_fund.mip, "solve_mip", half_and_nothing)
    enough = 2 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    started = time.monotonic()
    outcome = shared_fund.solve_coupled(req, SolveParams(workers=1), enough, by_county)
    wall = time.monotonic() - started
    assert len(calls) == 1 and calls[0] == pytest.approx(enough, abs=0.05)
    assert outcome is not None and "LP split by county" in outcome.solver_version
    assert lp_limits == [pytest.approx((enough - 0.2) / 2, abs=0.05)]
    assert wall - 0.05 <= outcome.seconds <= wall  # HiGHS's 0.2 s included
    assert verify_plan(loaded, make_plan(loaded, req, outcome)) == []
    # without a time limit HiGHS has all the time it needs: no plan then is no plan
    calls.clear()
    assert shared_fund.solve_coupled(req, SolveParams(workers=1), None, by_county) is None
    assert calls == [None] and len(lp_limits) == 1


def test_enough_time_goes_to_highs_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, req = fund(tmp_path)

    def no_split(*a: Any) -> None:
        raise AssertionError("the split ran with time enough for HiGHS")

    monkeypatch.setattr(shared_fund.county_split, "split_plan", no_split)
    remaining = 1.1 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    outcome = shared_fund.solve_coupled(req, SolveParams(workers=1), max(remaining, 30.0), by_county)
    assert outcome is not None and "coupled components" in outcome.solver_version


def test_plan_solve_takes_the_split_when_highs_has_nothing(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Through `solve`: a fund past COUPLED_BY_LEVEL, short of time, HiGHS with no plan."""
    import planner.solver.solve as solve_module

    loaded, req = fund(tmp_path)
    monkeypatch.setattr(solve_module, "COUPLED_BY_LEVEL", 40)
    monkeypatch.setattr(shared_fund, "SPLIT_FIRST_PER_OFFICE", 10.0)
    monkeypatch.setattr(shared_fund.mip, "solve_mip",
                        fake_solve_mip(mip.MipResult("time_limit", (), (), (), None, 1.0, 0.1), []))
    outcome = solve(req, SolveParams(workers=1, time_limit=60))
    assert outcome.status == SolveStatus.FEASIBLE and "LP split by county" in outcome.solver_version
    assert verify_plan(loaded, make_plan(loaded, req, outcome)) == []


def test_the_levels_recounted_from_a_plan_are_the_solvers(tmp_path: Path) -> None:
    """`levels` fills in what a county cut short did not report: on an optimum it gives the
    solver's own three values."""
    _, req = fund(tmp_path, offices=45, seed=2)
    best = solve(req, SolveParams(workers=1, time_limit=60))
    assert best.status == SolveStatus.OPTIMAL and best.solution is not None
    assert county_split.levels(req, best.solution) == tuple(s.value for s in best.stages)
    assert best.stages[2].value and best.stages[2].value > 0


def test_counties_past_the_deadline_do_nothing_and_the_plan_still_holds(tmp_path: Path) -> None:
    from planner.solver.solve import _county_solver

    loaded, req = fund(tmp_path)
    lp = mip.lp_relaxation(req, 30)
    assert lp is not None
    spending = lp.spending
    outcome = county_split.split_plan(req, spending, _county_solver(SolveParams(workers=1), ""),
                                      deadline=time.monotonic() - 1)
    assert outcome is not None
    assert [s.value for s in outcome.stages] == [sum(c.required for c in req.targets), 0, 0]
    assert verify_plan(loaded, make_plan(loaded, req, outcome)) == []


def test_the_lp_spends_every_binding_year_and_no_more(tmp_path: Path) -> None:
    """A tight fund (1.2): the relaxation's spending uses up 2022 and 2023 to the yuan (more money
    would attain a fraction more) and never goes over a year's budget or below zero."""
    _, req = fund(tmp_path)
    lp = mip.lp_relaxation(req, 30)
    assert lp is not None
    spending = lp.spending
    assert len(spending) == len(req.offices)
    budget = {b.year: b.amount_yuan for b in req.budgets}
    spent = [sum(row[t] for row in spending) for t in range(len(req.years))]
    assert all(s <= budget[y] + 1 for s, y in zip(spent, req.years))
    assert [round(s) for s in spent[:2]] == [budget[y] for y in req.years[:2]]
    assert spent[2] > 0 and min(min(row) for row in spending) > -1e-6


def test_a_split_of_two_counties(tmp_path: Path) -> None:
    """Two counties are enough to split; a quota or a target cell over both is not."""
    _, req = fund(tmp_path, offices=30)
    assert len(county_split.county_parts(req)) == 2 and county_split.applicable(req)
    assert not county_split.applicable(replace(req, quotas=(replace(req.quotas[0], scope="all"),) + req.quotas[1:]))
    subs = county_split.county_requirements(req, county_split.county_parts(req), [[0.0] * 3 for _ in req.offices])
    assert all(b.amount_yuan == 0 for sub in subs for b in sub.budgets)  # "all" spans both: cut
    _, cities = fund(tmp_path, offices=30, target="city", cities=1)
    assert not county_split.applicable(cities)


def test_an_excess_of_one_yuan_comes_off_the_largest_share(tmp_path: Path) -> None:
    """46 offices: the fourth county has one office. The LP's spending, rounded down, is one yuan
    over the budget: the largest share (not the last county's) gives it back."""
    _, req = fund(tmp_path, offices=46)
    parts = county_split.county_parts(req)
    assert [len(p) for p in parts] == [15, 15, 15, 1]
    amount = {b.year: b.amount_yuan for b in req.budgets}
    spending = [[0.0] * len(req.years) for _ in req.offices]
    for t, year in enumerate(req.years):
        spending[parts[0][0]][t] = amount[year] - 10.0
        spending[parts[1][0]][t] = 11.0
    subs = county_split.county_requirements(req, parts, spending)
    for year in req.years:
        shares = [next(b.amount_yuan for b in sub.budgets if b.year == year) for sub in subs]
        assert shares == [amount[year] - 11, 11, 0, 0]


def test_split_plan_gives_each_county_twice_its_fair_share_of_the_time_left(tmp_path: Path) -> None:
    _, req = fund(tmp_path)
    lp = mip.lp_relaxation(req, 30)
    assert lp is not None
    spending = lp.spending
    asked: list[tuple[float | None, float]] = []

    def recording(county: Requirements, limit: float | None) -> SolveOutcome:
        asked.append((limit, time.monotonic()))
        return replace(by_county(county), seconds=0.25)

    deadline = time.monotonic() + 8.0
    outcome = county_split.split_plan(req, spending, recording, deadline)
    assert outcome is not None and len(asked) == 4
    for k, (limit, at) in enumerate(asked):
        assert limit == pytest.approx(2 * (deadline - at) / (4 - k), abs=0.02)
    assert outcome.seconds == 1.0 and [s.seconds for s in outcome.stages] == [1.0, 0.0, 0.0]
    asked.clear()
    assert county_split.split_plan(req, spending, recording) is not None
    assert [limit for limit, _ in asked] == [None] * 4


def test_the_split_first_gets_the_time_and_reports_all_of_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The LP at most half the time, the counties a deadline, the outcome the whole time taken
    (the pool's second pass reads it), and the engine named."""
    import importlib.metadata

    import ortools

    _, req = fund(tmp_path)
    lp_limits: list[float] = []
    real_lp = mip.lp_relaxation

    def slow_lp(fund_req: Requirements, time_limit: float, threads: int = 1,
               control: Any = None) -> mip.LpRelaxation | None:
        lp_limits.append(time_limit)
        time.sleep(0.3)
        return real_lp(fund_req, time_limit, threads, control)

    county_limits: list[float | None] = []

    def recording(county: Requirements, limit: float | None) -> SolveOutcome:
        county_limits.append(limit)
        return by_county(county)

    monkeypatch.setattr(shared_fund.mip, "lp_relaxation", slow_lp)
    monkeypatch.setattr(shared_fund.mip, "solve_mip",
                        fake_solve_mip(mip.MipResult("time_limit", (), (), (), None, 1.0, 0.1), []))
    remaining = 0.9 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    started = time.monotonic()
    outcome = shared_fund.solve_coupled(req, SolveParams(workers=1), remaining, recording)
    wall = time.monotonic() - started
    assert outcome is not None
    assert lp_limits == [pytest.approx(remaining / 2, abs=0.01)]
    assert len(county_limits) == 4
    assert all(x is not None and 0 < x < 2 * (remaining - 0.3) / (4 - k) for k, x in enumerate(county_limits))
    assert wall - 0.05 <= outcome.seconds <= wall  # the LP's 0.3 s included
    assert outcome.solver_version == (f"{ortools.__version__}; HiGHS {importlib.metadata.version('highspy')} "
                                      "(LP split by county)")


def test_the_recounted_cost_of_a_build_and_a_housing_option(tmp_path: Path) -> None:
    """`levels` prices every decision the model can take, by the scenario's own prices: a build of
    m² m² in year 0 costs build_per_m2 · m², a housing option its one-time and annual costs."""
    _, req = fund(tmp_path)
    nothing = solve(replace(req, budgets=tuple(replace(b, amount_yuan=0) for b in req.budgets)),
                    SolveParams(workers=1)).solution
    assert nothing is not None and req.build_per_m2
    base = county_split.levels(req, nothing)[2]
    built = list(nothing.offices)
    built[0] = replace(built[0], build={0: 40})
    assert county_split.levels(req, Solution(tuple(built)))[2] - base == 40 * req.build_per_m2
    k, o = next((k, o) for k, o in enumerate(req.offices) if o.housing_options)
    h = o.housing_options[0]
    taken = list(nothing.offices)
    taken[k] = replace(taken[k], options={0: 0})
    T = len(req.years)
    assert county_split.levels(req, Solution(tuple(taken)))[2] - base == h.one_time + T * h.annual


@pytest.mark.parametrize(("offices", "seed", "bound"), [(60, 2, 1), (60, 1, 0)])
def test_the_lps_bound_on_level_1_is_reported_with_the_split(offices: int, seed: int, bound: int, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The relaxation's value V bounds every plan's shortfall from below (shortfall ≥ V / A): on
    these funds ⌈V / A⌉ is 1 and 0, at most the optimum (tests above), and the split's plan
    carries it when HiGHS has nothing."""
    _, req = fund(tmp_path, offices=offices, seed=seed)
    lp = mip.lp_relaxation(req, 30)
    assert lp is not None and lp.shortfall_bound == bound
    best = solve(req, SolveParams(workers=1, time_limit=60))
    assert best.stages[0].value is not None and bound <= best.stages[0].value
    monkeypatch.setattr(shared_fund.mip, "solve_mip",
                        fake_solve_mip(mip.MipResult("time_limit", (), (), (), None, 1.0, 0.1), []))
    short = 0.9 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    outcome = shared_fund.solve_coupled(req, SolveParams(workers=1), short, by_county)
    assert outcome is not None and [s.bound for s in outcome.stages] == [float(bound), None, None]


def test_no_split_after_highs_once_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C (or SIGTERM) while HiGHS searched: no LP and no counties to wait for after it."""
    from planner.solver.params import SolveControl

    _, req = fund(tmp_path)
    control = SolveControl()

    def stopped_search(req: Requirements, time_limit: float | None = None, **kw: Any) -> mip.MipResult:
        control.stop()
        return mip.MipResult("time_limit", (), (), (), None, 0.1, 0.1)

    def no_lp(*a: Any, **k: Any) -> None:
        raise AssertionError("the split ran after a stop")

    monkeypatch.setattr(shared_fund.mip, "solve_mip", stopped_search)
    monkeypatch.setattr(shared_fund.mip, "lp_relaxation", no_lp)
    enough = 2 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    assert shared_fund.solve_coupled(req, SolveParams(workers=1, control=control), enough, by_county) is None
