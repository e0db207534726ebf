"""The county split (planner/solver/county_split.py): the first plan of a large shared fund whose
time is short. What users rely on: the plan is a plan of the fund (it verifies, its shares add up
to no more than the fund), it claims no optimum and no bound it has not got, it is never better
than the true optimum, and it is kept only when HiGHS found nothing better."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from planner.analysis.generate import Scopes, generate, write_scenario
from planner.io.loading import LoadedScenario, load_scenario
from planner.rules.requirements import Requirements, derive
from planner.rules.verify import verify_plan
from planner.solver import county_split, mip, shared_fund
from planner.solver.params import SolveOutcome, SolveParams, StageReport
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
    spending = mip.lp_spending(req, 30)
    assert spending is not None
    outcome = county_split.split_plan(req, spending, by_county)
    assert outcome is not None and outcome.status == SolveStatus.FEASIBLE
    assert [s.name for s in outcome.stages] == [Level.SHORTFALL, Level.ATTAINED, Level.TOTAL_COST]
    assert all(s.status == SolveStatus.FEASIBLE and s.bound is None for s in outcome.stages)
    plan = make_plan(loaded, req, outcome)  # raises when the levels claimed are not the plan's
    assert verify_plan(loaded, plan) == []
    best = solve(req, SolveParams(workers=1, time_limit=60))
    assert best.status == SolveStatus.OPTIMAL
    assert key(best) <= key(outcome)
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


def stages(*values: int | None, proven: bool = False) -> tuple[StageReport, ...]:
    names = [Level.SHORTFALL, Level.ATTAINED, Level.TOTAL_COST]
    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    return tuple(StageReport(n, status, v, None, 0.0) for n, v in zip(names, values))


def outcome(*values: int | None, proven: bool = False) -> SolveOutcome:
    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    return SolveOutcome(status, None, stages(*values, proven=proven), 1.0, 1, 0)


@pytest.mark.parametrize(("a", "b", "kept"), [
    (outcome(5, 10, 100), outcome(4, 1, 999), "b"),      # level 1 first
    (outcome(4, 10, 100), outcome(4, 11, 999), "b"),     # then more attained office-years
    (outcome(4, 10, 100), outcome(4, 10, 99), "b"),      # then less cost
    (outcome(4, 10, 100), outcome(4, 10, 100), "a"),     # a tie keeps the first
    (outcome(4, 10), outcome(4, 10, 10**9), "b"),        # a level not reached counts worst
    (outcome(9, 1, 1, proven=True), outcome(4, 10, 1), "a"),  # a proven plan always
    (outcome(4, 10, 100), None, "a"),
])
def test_the_better_plan_is_kept(a: SolveOutcome, b: SolveOutcome | None, kept: str) -> None:
    assert shared_fund.better(a, b) is (a if kept == "a" else b)


def fake_solve_mip(result: mip.MipResult, calls: list[float | None]) -> Any:
    def solve_mip(req: Requirements, time_limit: float | None = None, **kw: Any) -> mip.MipResult:
        calls.append(time_limit)
        return result
    return solve_mip


@pytest.mark.parametrize("highs", ["no plan", "a worse plan"])
def test_a_short_time_gets_the_split_first_and_keeps_it_over_a_worse_highs_plan(
        highs: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded, req = fund(tmp_path)
    worse = solve(replace(req, budgets=tuple(replace(b, amount_yuan=0) for b in req.budgets)),
                  SolveParams(workers=1)).solution  # nothing spent: a plan of the fund, all short
    result = (mip.MipResult("time_limit", (), (), (), None, 1.0, 0.1) if highs == "no plan" else
              mip.MipResult("feasible", (10**6,), (False,), (7.0,), worse, 1.0, 0.1))
    calls: list[float | None] = []
    monkeypatch.setattr(shared_fund.mip, "solve_mip", fake_solve_mip(result, calls))
    remaining = 0.9 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)  # short: the split first
    outcome = shared_fund.solve_coupled(req, SolveParams(workers=1), remaining, by_county)
    assert outcome is not None and outcome.status == SolveStatus.FEASIBLE
    assert "LP split by county" in outcome.solver_version
    assert len(calls) == 1 and calls[0] is not None and 0 < calls[0] < remaining  # HiGHS gets the rest
    # HiGHS's first-level bound holds for any plan: carried over; no other bound is claimed
    assert outcome.stages[0].bound == (7.0 if highs == "a worse plan" else None)
    assert all(s.bound is None for s in outcome.stages[1:])
    assert verify_plan(loaded, make_plan(loaded, req, outcome)) == []


def test_enough_time_goes_to_highs_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, req = fund(tmp_path)

    def no_split(*a: Any) -> None:
        raise AssertionError("the split ran with time enough for HiGHS")

    monkeypatch.setattr(shared_fund.county_split, "split_plan", no_split)
    remaining = 1.1 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    outcome = shared_fund.solve_coupled(req, SolveParams(workers=1), max(remaining, 30.0), by_county)
    assert outcome is not None and "coupled components" in outcome.solver_version


def test_a_highs_plan_as_good_as_the_split_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Short time, but HiGHS proves the fund in what is left: its optimum is kept."""
    loaded, req = fund(tmp_path)
    short = 0.9 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)  # 1.6 s
    outcome = shared_fund.solve_coupled(req, SolveParams(workers=1), short, by_county)
    assert outcome is not None
    best = solve(req, SolveParams(workers=1, time_limit=60))
    if outcome.status == SolveStatus.OPTIMAL:
        assert "coupled components" in outcome.solver_version and key(outcome) == key(best)
    assert key(best) <= key(outcome)
    assert verify_plan(loaded, make_plan(loaded, req, outcome)) == []


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


def test_highs_is_not_started_when_the_split_left_too_little(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The time goes back to the funds queued after this one."""
    _, req = fund(tmp_path)
    calls: list[float | None] = []
    monkeypatch.setattr(shared_fund.mip, "solve_mip",
                        fake_solve_mip(mip.MipResult("time_limit", (), (), (), None, 1.0, 0.1), calls))
    monkeypatch.setattr(shared_fund, "HIGHS_AFTER_SPLIT_PER_OFFICE", 1.0)  # 60 s for 60 offices
    short = 0.9 * shared_fund.SPLIT_FIRST_PER_OFFICE * len(req.offices)
    outcome = shared_fund.solve_coupled(req, SolveParams(workers=1), short, by_county)
    assert outcome is not None and "LP split by county" in outcome.solver_version
    assert calls == []


def test_the_levels_recounted_from_a_plan_are_the_solvers(tmp_path: Path) -> None:
    """`levels` fills in what a county cut short did not report: on an optimum it gives the
    solver's own three values."""
    _, req = fund(tmp_path, offices=45, seed=2)
    best = solve(req, SolveParams(workers=1, time_limit=60))
    assert best.status == SolveStatus.OPTIMAL and best.solution is not None
    assert county_split.levels(req, best.solution) == tuple(s.value for s in best.stages)
    assert best.stages[2].value and best.stages[2].value > 0


def test_counties_past_the_deadline_do_nothing_and_the_plan_still_holds(tmp_path: Path) -> None:
    import time

    from planner.solver.solve import _county_solver

    loaded, req = fund(tmp_path)
    spending = mip.lp_spending(req, 30)
    assert spending is not None
    outcome = county_split.split_plan(req, spending, _county_solver(SolveParams(workers=1), ""),
                                      deadline=time.monotonic() - 1)
    assert outcome is not None
    assert [s.value for s in outcome.stages] == [sum(c.required for c in req.targets), 0, 0]
    assert verify_plan(loaded, make_plan(loaded, req, outcome)) == []
