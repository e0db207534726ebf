"""The HiGHS engine (planner/solver/mip.py, planner/solver/shared_fund.py) beyond the plans the
brute-force oracle checks: what it says about a plan (proven or not, bounds, times), the options
that make its proofs exact, and a clean stdout (`plan solve --json` owns it).

A mutation run over these modules (docs/testing.md) found these unchecked: a plan called optimal
with a level unproven, HiGHS's default relative gap, the time limit or the stop switch not passed
on, HiGHS's log on stdout.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from handplan import load

from planner.io.loading import load_scenario
from planner.rules.requirements import Requirements, derive
from planner.rules.verify import verify_plan
from planner.solver import mip, shared_fund
from planner.solver.params import SolveControl, SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import solve
from planner.solver.status import Level, SolveStatus

highspy = pytest.importorskip("highspy", reason="in the `test` extra: pip install -e '.[test]'")
ROOT = Path(__file__).resolve().parents[1]
SOFT = ROOT / "scenarios" / "examples" / "soft_targets.yaml"  # soft targets: three levels
PLAN = object()  # a stand-in for the MIP's plan: solve_coupled passes it on untouched


def soft_req() -> Requirements:
    req = derive(load_scenario(SOFT))
    assert req.soft_targets and req.keep is None
    return req


def fake_mip(status: str, levels: tuple[int, ...], proven: tuple[bool, ...], bounds: tuple[float | None, ...],
             calls: list[dict[str, Any]], solution: object = PLAN):  # type: ignore[no-untyped-def]
    def solve_mip(req: Requirements, **kw: Any) -> mip.MipResult:
        calls.append(kw)
        return mip.MipResult(status, levels, proven, bounds, solution, 2.5, 0.5)  # type: ignore[arg-type]
    return solve_mip


def test_each_level_is_reported_as_highs_left_it(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(shared_fund.mip, "solve_mip",
                        fake_mip("feasible", (3, 40, 1_000), (True, False, False), (3.0, 42.0, None), calls))
    monkeypatch.setattr(shared_fund.os, "cpu_count", lambda: 2)
    control = SolveControl()
    outcome = shared_fund.solve_coupled(soft_req(), SolveParams(workers=8, control=control), 7.0)
    assert outcome is not None and outcome.solution is PLAN
    # the time left, the stop switch, and no more threads than cores
    assert calls == [{"time_limit": 7.0, "threads": 2, "control": control}]
    assert outcome.status == SolveStatus.FEASIBLE  # a level unproven: never "optimal"
    assert [(s.name, s.status, s.value, s.bound, s.seconds) for s in outcome.stages] == [
        (Level.SHORTFALL, SolveStatus.OPTIMAL, 3, 3.0, 2.5),
        (Level.ATTAINED, SolveStatus.FEASIBLE, 40, 42.0, 0.0),  # HiGHS's dual bound
        (Level.TOTAL_COST, SolveStatus.FEASIBLE, 1_000, None, 0.0)]  # not reached: no bound
    assert f"HiGHS {importlib.metadata.version('highspy')} (coupled components)" in outcome.solver_version


def test_optimal_when_highs_proved_every_level(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(shared_fund.mip, "solve_mip",
                        fake_mip("optimal", (3, 40, 1_000), (True, True, True), (3.0, 40.0, 1_000.0), calls))
    monkeypatch.setattr(shared_fund.os, "cpu_count", lambda: None)  # unknown: one thread
    outcome = shared_fund.solve_coupled(soft_req(), SolveParams(workers=8), None)
    assert outcome is not None and outcome.status == SolveStatus.OPTIMAL
    assert calls[0]["threads"] == 1 and calls[0]["time_limit"] is None
    monkeypatch.setattr(shared_fund.os, "cpu_count", lambda: 4)
    shared_fund.solve_coupled(soft_req(), SolveParams(workers=1), None)
    assert calls[1]["threads"] == 1  # no more threads than workers
    assert [s.status for s in outcome.stages] == [SolveStatus.OPTIMAL] * 3


def test_no_plan_from_highs_or_no_highs_leaves_the_fund_to_cp_sat(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shared_fund.mip, "solve_mip", fake_mip("time_limit", (), (), (), [], solution=None))
    assert shared_fund.solve_coupled(soft_req(), SolveParams(), 1.0) is None
    monkeypatch.setattr(shared_fund.mip, "available", lambda: False)
    assert shared_fund.solve_coupled(soft_req(), SolveParams(), 1.0) is None


# (values, proven, a plan found) from the levels → the MIP's status
STATUS_CASES = [
    ([3, 40, 1_000], [True, True, True], True, SolveStatus.OPTIMAL),
    ([3, 40, 1_000], [True, False, True], True, SolveStatus.FEASIBLE),  # a level in between unproven
    ([3, 40], [True, True], True, SolveStatus.FEASIBLE),  # the time ran out before the last level
    ([], [], False, "time_limit"),  # no plan at all
]


@pytest.mark.parametrize(("values", "proven", "found", "status"), STATUS_CASES)
def test_the_mip_is_optimal_only_with_every_level_proven(values: list[int], proven: list[bool], found: bool,
                                                         status: str, monkeypatch: pytest.MonkeyPatch) -> None:
    req, control, seen = soft_req(), SolveControl(), []

    def solve_levels(h: Any, levels: list[Any], time_limit: float | None, ctl: Any, t0: float) -> Any:
        seen.append((h, len(levels), time_limit, ctl, ctl._solver))
        x = list(h.getSolution().col_value) or [0.0] * h.getNumCol()
        return values, proven, [float(v) for v in values], (x if found else None)

    monkeypatch.setattr(mip, "_solve_levels", solve_levels)
    started = time.monotonic()
    result = mip.solve_mip(req, time_limit=9.0, threads=1, control=control)
    elapsed = time.monotonic() - started
    assert result.status == status and (result.solution is not None) == found
    h, n_levels, time_limit, ctl, cancel = seen[0]
    assert (n_levels, time_limit, ctl) == (3, 9.0, control)
    # during the search the stop switch cancels HiGHS; after it, nothing
    assert isinstance(cancel, mip._Cancel) and cancel.h is h and control._solver is None
    assert 0 <= result.build_seconds <= result.seconds <= elapsed


def test_highs_is_set_up_for_exact_proofs(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def solve_levels(h: Any, *args: Any) -> Any:
        seen.append(h)
        return [], [], [], None

    monkeypatch.setattr(mip, "_solve_levels", solve_levels)
    mip.solve_mip(soft_req(), time_limit=5.0, threads=1)
    h = seen[0]
    # no relative gap (HiGHS's default 1e-4 would end a search short of the optimum), an absolute
    # one below 1 on integer objectives, a fixed seed, quiet, and interruptible by cancelSolve
    assert {name: h.getOptionValue(name)[1] for name in ("mip_rel_gap", "mip_abs_gap", "random_seed", "threads",
                                                         "output_flag")} == {
        "mip_rel_gap": 0.0, "mip_abs_gap": 0.5, "random_seed": 0, "threads": 1, "output_flag": False}
    assert h.HandleUserInterrupt is True


def test_an_option_highs_does_not_take_is_an_error() -> None:
    h = mip._quiet_highs()
    with pytest.raises(ValueError, match="mip_rel_gapp"):
        mip.set_options(h, mip_rel_gapp=0.0)
    with pytest.raises(ValueError, match="threads"):
        mip.set_options(h, threads="two")


def test_a_row_of_numbers_only_is_checked_not_added() -> None:
    h = mip._quiet_highs()
    mip._constr(h, True)  # e.g. a budget over offices with nothing to buy: 0 <= amount
    assert h.getNumRow() == 0
    with pytest.raises(mip._Infeasible):
        mip._constr(h, False)  # e.g. a hard target no office can reach
    x = h.addVariable(lb=0, ub=1)
    mip._constr(h, x <= 1)
    assert h.getNumRow() == 1


def test_stdout_stays_clean(tmp_path: Path) -> None:
    # HiGHS prints a banner when the first instance is made, and its log unless told not to; both
    # would break `plan solve --json`. Afterwards stdout must be stdout again.
    code = ("import sys\n"
            "from planner.io.loading import load_scenario\n"
            "from planner.rules.requirements import derive\n"
            "from planner.solver import mip\n"
            f"r = mip.solve_mip(derive(load_scenario({str(SOFT)!r})), time_limit=30, threads=1)\n"
            "print('after', r.status)\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "after optimal\n"


class FakeHighs:
    """Stands in for highspy.Highs in `_solve_levels`: each level ends as `ends` says (proven or
    not, its value and dual bound), and every time limit it is given is kept."""

    def __init__(self, ends: list[tuple[bool, float, float]]) -> None:
        self.ends, self.limits, self.rows = list(ends), [], []  # type: ignore[var-annotated]

    def setOptionValue(self, name: str, value: Any) -> Any:  # noqa: N802 (highspy's names)
        assert name == "time_limit"
        self.limits.append(value)
        return highspy.HighsStatus.kOk

    def minimize(self, expr: Any) -> None:
        self.proven, self.value, self.bound = self.ends.pop(0)

    maximize = minimize

    def getModelStatus(self) -> Any:  # noqa: N802
        return highspy.HighsModelStatus.kOptimal if self.proven else highspy.HighsModelStatus.kTimeLimit

    def getInfo(self) -> Any:  # noqa: N802
        return type("Info", (), {"primal_solution_status": 2, "objective_function_value": self.value,
                                 "mip_dual_bound": self.bound})()

    def getSolution(self) -> Any:  # noqa: N802
        return type("Solution", (), {"col_value": [self.value]})()

    def addConstr(self, row: Any) -> None:  # noqa: N802
        self.rows.append(row)


class Expr:
    """A level's objective: holding it at its value adds a row, whatever the value."""

    def __le__(self, value: int) -> str:
        return f"<= {value}"

    def __ge__(self, value: int) -> str:
        return f">= {value}"


LEVELS = [("min", Expr()), ("max", Expr()), ("min", Expr())]
PROVEN = [(True, 3.0, 2.6), (True, 40.0, 40.4), (True, 1_000.0, 999.6)]  # bounds within HiGHS's 0.5 gap


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(mip.time, "monotonic", lambda: 100.0)
    return 100.0


def test_each_level_but_the_last_gets_half_the_time_left(frozen_clock: float) -> None:
    h = FakeHighs(PROVEN)
    values, proven, bounds, last = mip._solve_levels(h, LEVELS, 1.4, None, frozen_clock - 0.4)
    # 0.4 s gone before the first level, then the clock stands still: each level leaves its time on
    assert h.limits == pytest.approx([0.5, 0.5, 1.0])
    assert (values, proven, bounds, last) == ([3, 40, 1_000], [True] * 3, [3.0, 40.0, 1_000.0], [1_000.0])
    assert h.rows == ["<= 3", ">= 40", "<= 1000"]  # each level held at its value before the next
    h = FakeHighs(PROVEN)
    mip._solve_levels(h, LEVELS, None, None, frozen_clock)
    assert h.limits == [float("inf")] * 3


def test_no_time_left_searches_no_level(frozen_clock: float) -> None:
    assert mip._solve_levels(FakeHighs(PROVEN), LEVELS, 0.0, None, frozen_clock) == ([], [], [], None)


def test_an_unproven_level_reports_highs_bound_or_none(frozen_clock: float) -> None:
    h = FakeHighs([(True, 3.0, 3.0), (False, 38.0, 41.5), (False, 1_000.0, float("-inf"))])
    _, proven, bounds, _ = mip._solve_levels(h, LEVELS, None, None, frozen_clock)
    assert proven == [True, False, False] and bounds == [3.0, 41.5, None]


def test_a_stop_still_finds_a_first_plan_then_ends(frozen_clock: float) -> None:
    control = SolveControl()
    control.stop()  # stopped before the search began: a plan is still needed, and one level gives it
    values, _, _, last = mip._solve_levels(FakeHighs(PROVEN), LEVELS, None, control, frozen_clock)
    assert values == [3] and last == [3.0]


# One small township office of jiangsu-2021 (small tier: 2 posts, 2 mediators, 4 in all, 200 m²,
# five rooms, one of them 依法治理室 + 法治宣传室 or else 法治建设室), lacking one thing per case, in
# 2022 (a second year where a case says). No target binds: level 2 attains what money can.
FAMILY_ROOMS = ["public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
                "enforcement_management_room", "five_stations"]
FAMILY = {"name": "family", "standard": "jiangsu-2021", "horizon": {"start": 2022, "end": 2022},
          "targets": {2022: {"all": 0.0}}, "budget": {2022: 1000},
          "costs": {"roles": {"posts": {"annual": 0}, "mediators": {"one_time": 0.5, "annual": 7.2},
                              "legal_service_sw": {"one_time": 0.3, "annual": 6.0}},
                    "facilities": {"five_stations": {"one_time": 2.0}, "governance_room": {"one_time": 1.0},
                                   "publicity_room": {"one_time": 1.0}, "rule_of_law_room": {"one_time": 1.5}},
                    "housing": {"lease": {"annual_per_m2": 0.02}}},
          "offices": [{"id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "population": 20000,
                       "area_km2": 10, "gdp_rank": 1, "demand": "low", "staff": {"posts": 2, "mediators": 2},
                       "floor_area_m2": 200, "facilities": FAMILY_ROOMS}]}
WITHOUT = [r for r in FAMILY_ROOMS if r not in ("governance_room", "publicity_room")]

# case → (changes to the office, changes to the scenario, (attained office-years, cost 万元))
FAMILY_CASES = {
    # a mediator short (1 of 2): 0.5 + 7.2
    "staff minimum": ({"staff": {"posts": 3, "mediators": 1}}, {}, (1, 7.7)),
    # no price for mediators: the gap cannot close
    "staff minimum, no price": ({"staff": {"posts": 3, "mediators": 1}},
                                {"costs": {"roles": {"posts": {"annual": 0}}}}, (0, 0.0)),
    # medium (a subdistrict: 200 m² is enough): 3 posts + 2 mediators meet the roles, 5 of 6 in all;
    # no new post (quota 0), so the cheapest other role: 0.3 + 6.0
    "total staff": ({"tier": "medium", "kind": "subdistrict", "staff": {"posts": 3, "mediators": 2}},
                    {"quotas": {"posts": {2022: 0}}}, (1, 6.3)),
    # 150 m² of 200: 50 m² leased at 0.02
    "floor area": ({"floor_area_m2": 150}, {}, (1, 1.0)),
    # no 五站点服务区: 2.0
    "room": ({"facilities": [r for r in FAMILY_ROOMS if r != "five_stations"]}, {}, (1, 2.0)),
    # neither 依法治理室 nor 法治宣传室: one 法治建设室 (1.5) is cheaper than both (2.0)
    "alternative rooms": ({"facilities": WITHOUT}, {}, (1, 1.5)),
    # 依法治理室 present: 法治宣传室 alone (1.0) completes the first alternative
    "alternative half present": ({"facilities": [*WITHOUT, "governance_room"]}, {}, (1, 1.0)),
    # 199 m² of 200: one m² leased (0.02): a gap of 1 still needs closing
    "floor area, 1 m² short": ({"floor_area_m2": 199}, {}, (1, 0.02)),
    # 法治宣传室 has no price: only 法治建设室 can complete the item
    "alternative with no price": ({"facilities": WITHOUT}, {"costs": {**FAMILY["costs"], "facilities": {
        "five_stations": {"one_time": 2.0}, "governance_room": {"one_time": 1.0},
        "rule_of_law_room": {"one_time": 1.5}}}}, (1, 1.5)),
    # a mediator short, no money in 2022: hired in 2023, attained in 2023 only (not in 2022)
    "hire counts from its year": ({"staff": {"posts": 3, "mediators": 1}},
                                  {"horizon": {"start": 2022, "end": 2023}, "targets": {2023: {"all": 0.0}},
                                   "budget": {2022: 0, 2023: 1000}}, (1, 7.7)),
    # the same for the total alone (medium, roles met, 5 of 6): the 2023 hire counts from 2023
    "total staff counts from its year": ({"tier": "medium", "kind": "subdistrict",
                                          "staff": {"posts": 3, "mediators": 2}},
                                         {"quotas": {"posts": {2022: 0, 2023: 0}},
                                          "horizon": {"start": 2022, "end": 2023}, "targets": {2023: {"all": 0.0}},
                                          "budget": {2022: 0, 2023: 1000}}, (1, 6.3)),
}


@pytest.mark.parametrize("path", ["auto", "mip"])  # CP-SAT's model, HiGHS's
@pytest.mark.parametrize("case", list(FAMILY_CASES))
def test_each_rule_family_gives_the_hand_worked_optimum_in_both_models(case: str, path: str, tmp_path: Path) -> None:
    office, changes, expected = FAMILY_CASES[case]
    sc = {**FAMILY, **changes, "offices": [{**FAMILY["offices"][0], **office}]}  # type: ignore[dict-item]
    loaded = load(sc, tmp_path)
    req = derive(loaded)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    assert outcome.status == SolveStatus.OPTIMAL
    assert ("HiGHS" in outcome.solver_version) == (path == "mip")
    plan = make_plan(loaded, req, outcome)
    assert (plan.objective.attained_office_years, plan.objective.total_cost) == expected
    assert verify_plan(loaded, plan) == []
    if path == "mip":  # the benchmark peer's variant, with the redundant pattern rows, agrees
        assert mip.solve_mip(req, time_limit=30, threads=1, patterns=True).levels == tuple(
            s.value for s in outcome.stages)


def test_without_highspy_the_engine_is_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    assert mip.available()
    monkeypatch.setitem(sys.modules, "highspy", None)  # `import highspy` now raises ImportError
    assert not mip.available()


def test_making_a_highs_instance_gives_both_streams_back(capfd: pytest.CaptureFixture[str]) -> None:
    mip._quiet_highs()
    os.write(1, b"out\n")
    os.write(2, b"err\n")
    assert capfd.readouterr() == ("out\n", "err\n")


def test_an_infeasible_fund_found_by_highs_says_so_in_its_time(tmp_path: Path) -> None:
    # A hard target of 100 % and no money: the mediator cannot be hired.
    sc = {**FAMILY, "targets": {2022: {"all": 1.0}}, "budget": {2022: 0},
          "offices": [{**FAMILY["offices"][0], "staff": {"posts": 3, "mediators": 1}}]}  # type: ignore[dict-item]
    started = time.monotonic()
    result = mip.solve_mip(derive(load(sc, tmp_path)), time_limit=30, threads=1)
    assert result.status == SolveStatus.INFEASIBLE and result.solution is None
    assert 0 <= result.build_seconds <= result.seconds <= time.monotonic() - started
