"""Exact optima and solver figures on hand-worked scenarios (issue 13's mutation run: each test
here kills mutants of the model and the solve that the oracle's drawn examples rarely reach).

Every figure is worked out by hand in the comments, from docs/reference.md §4–§7.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from handplan import load
from ortools.sat.python import cp_model
from test_rules import ROOMS, office, scenario

import planner.solver.conflict
from planner.rules.requirements import derive
from planner.solver.components import components, split_requirements
from planner.solver.conflict import find_conflict
from planner.solver.model.bounds import _area_bound, _hire_bound, _room_bound, pattern_lower_bound
from planner.solver.params import Progress, SolveControl, SolveOutcome, SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import PARALLEL_MIN_COMPONENTS, solve
from planner.solver.status import SolveStatus, map_status


def test_offices_are_split_only_where_nothing_links_them(tmp_path: Path) -> None:
    # A1, A2 in 甲县 share 甲县's budget; B1 in 乙县 has its own budget and target cells. A
    # scenario-wide quota of mediators links all three.
    apart = scenario(targets={2022: {"all": 0.5}}, budget={"甲县": {2022: 10}, "乙县": {2022: 20}},
                     offices=[office(id="A1"), office(id="A2"), office(id="B1", county="乙县")])
    req = derive(load(apart, tmp_path))
    assert components(req) == [[0, 1], [2]]
    subs = split_requirements(req, components(req))
    assert [[o.id for o in s.offices] for s in subs] == [["A1", "A2"], ["B1"]]
    assert [[(b.scope, b.amount_yuan) for b in s.budgets] for s in subs] == [[("甲县", 100_000)], [("乙县", 200_000)]]
    assert [[(c.scope, c.required) for c in s.targets] for s in subs] == [[("甲县", 1)], [("乙县", 1)]]
    linked = derive(load({**apart, "quotas": {"mediators": {2022: 1}}}, tmp_path))
    assert components(linked) == [[0, 1, 2]]
    (whole,) = split_requirements(linked, components(linked))
    assert [(q.scope, q.amount) for q in whole.quotas] == [("all", 1)]
    assert len(whole.budgets) == 2 and len(whole.targets) == 2
    # A province's fund links its counties the same way.
    fund = {**apart, "budget": {**apart["budget"], "江苏省": {2022: 30}},
            "offices": [{**o, "province": "江苏省"} for o in apart["offices"]]}
    req = derive(load(fund, tmp_path))
    assert components(req) == [[0, 1, 2]] and req.scope_members()["江苏省"] == (0, 1, 2)


# ------------------------------------------------------------------ the redundant pattern cost bounds

# Four years, 2022–2025; a small township office (jiangsu-2021) with 150 of 200 m², lacking
# governance_room + publicity_room (or rule_of_law_room) and five_stations, whose correction
# subjects grow 10, 20, 40, 40: correction_sw ≥ 1, 2, 3, 3 (1 per 15), none now.
# Prices in yuan: correction_sw 3,000 once + 80,000 a year; lease 1,000 per m² a year; build 3,000
# per m², counting a year later; annex 30 m², 20,000 once + 5,000 a year, from 2023, counting a
# year after it is taken; big 60 m², 180,000 once.
BOUNDS = scenario(
    horizon={"start": 2022, "end": 2025}, targets={2025: {"all": 0.0}}, budget={y: 1000 for y in range(2022, 2026)},
    costs={"roles": {"posts": {"annual": 0}, "mediators": {"one_time": 0.5, "annual": 7.2},
                     "correction_sw": {"one_time": 0.3, "annual": 8.0}},
           "facilities": {"governance_room": {"one_time": 1.0}, "publicity_room": {"one_time": 1.0, "annual": 0.1},
                          "rule_of_law_room": {"one_time": 3.0}, "five_stations": {"one_time": 0.5, "annual": 0.2}},
           "housing": {"lease": {"annual_per_m2": 0.1}, "build": {"one_time_per_m2": 0.3, "lead_years": 1}}},
    offices=[office(floor_area_m2=150, facilities=["public_legal_service_center", "mediation_committee",
                                                   "enforcement_management_room"],
                    caseload={"correction_subjects": {2022: 10, 2023: 20, 2024: 40, 2025: 40}},
                    housing_options=[
                        {"id": "annex", "area_m2": 30, "one_time": 2.0, "annual": 0.5, "from_year": 2023,
                         "lead_years": 1},
                        {"id": "big", "area_m2": 60, "one_time": 18.0}]),
             # Needs 2 resettlement workers (60 released, 1 per 50), a role with no price.
             office(id="B", caseload={"released_persons": 60}),
             # Lacks enforcement_management_room, which has no price.
             office(id="C", facilities=["public_legal_service_center", "mediation_committee", "rule_of_law_room",
                                        "five_stations"])])


def test_pattern_bounds_are_the_hand_worked_cheapest_costs(tmp_path: Path) -> None:
    req = derive(load(BOUNDS, tmp_path))
    a = req.offices[0]
    # Hires, just in time: one worker per year of growth, each paying its one-time cost and the
    # annual cost for the years left (T − t): 1 × (3,000 + 80,000 × 4) in 2022, 1 × (3,000 +
    # 80,000 × 3) in 2023, 1 × (3,000 + 80,000 × 2) in 2024 = 323,000 + 243,000 + 163,000.
    assert _hire_bound(a, req, (0, 1, 2, 3), 4) == 729_000
    # Attaining only in 2023 and 2025: 2 in 2023 (2 × 243,000), 1 more in 2025 (3,000 + 80,000).
    assert _hire_bound(a, req, (1, 3), 4) == 569_000
    assert _hire_bound(a, req, (2,), 4) == 3 * 163_000
    # The 50 m² gap by the end of year t: leasing costs 1,000 × (4 − t) per m²; a build counts only
    # from 2023; the annex only from 2024 (taken 2023, as late as it can), then paying 5,000 a
    # year for 4 − (t − 1) years; big costs 180,000.
    #   t=0: lease 50 × 4,000 = 200,000 or big 180,000;  t=1: lease or build 50 × 3,000 = 150,000;
    #   t=2: annex 20,000 + 3 × 5,000 + 20 m² leased × 2,000 = 75,000 (lease alone 100,000);
    #   t=3: annex 20,000 + 2 × 5,000 + 20 × 1,000 = 50,000 = lease alone 50 × 1,000.
    assert [_area_bound(a, req, t, 4) for t in range(4)] == [180_000, 150_000, 75_000, 50_000]
    # Rooms by the end of year t: governance 10,000 + publicity 10,000 + 1,000 × (4 − t) + five
    # stations 5,000 + 2,000 × (4 − t), cheaper than rule_of_law_room 30,000 + five stations.
    assert [_room_bound(a, req, t, 4) for t in range(4)] == [37_000, 34_000, 31_000, 28_000]
    assert pattern_lower_bound(a, req, (0, 1, 2, 3)) == 729_000 + 180_000 + 37_000
    assert pattern_lower_bound(a, req, (1, 3)) == 569_000 + 150_000 + 34_000
    assert pattern_lower_bound(a, req, (3,)) == 3 * 83_000 + 50_000 + 28_000
    # No price, no plan: the pattern is impossible (None), and an office with nothing to add costs 0.
    assert pattern_lower_bound(req.offices[1], req, (0,)) is None
    assert pattern_lower_bound(req.offices[2], req, (0,)) is None
    assert (_area_bound(req.offices[1], req, 0, 4), _room_bound(req.offices[1], req, 0, 4)) == (0, 0)


def test_without_lease_or_build_only_options_close_the_area_gap(tmp_path: Path) -> None:
    no_rate = {**BOUNDS, "costs": {**BOUNDS["costs"], "housing": {}}}
    req = derive(load(no_rate, tmp_path))
    a = req.offices[0]
    # 50 m²: the annex (30) is not enough, big (60) is: 180,000 from 2022; the annex and big
    # together cost more. Short of 25 m² only, the annex alone does it from 2024 (20,000 + 3 ×
    # 5,000 at t=2) and nothing does it in 2022–2023 other than big.
    assert [_area_bound(a, req, t, 4) for t in range(4)] == [180_000] * 4
    only_annex = {**no_rate, "offices": [{**no_rate["offices"][0], "floor_area_m2": 175,
                                          "housing_options": no_rate["offices"][0]["housing_options"][:1]}]}
    req = derive(load(only_annex, tmp_path))
    assert [_area_bound(req.offices[0], req, t, 4) for t in range(4)] == [None, None, 35_000, 30_000]


# ------------------------------------------------------------------ what the solve reports

# Soft targets, 100 % per county: A1 (甲县) and B1 (乙县) each lack one mediator (7.7 in 2022);
# 甲县's budget pays for one, 乙县's for none. Optimum: A1 hired; shortfall 1 (B1), 1 office-year.
SOFT = scenario(targets_mode="soft", targets={2022: {"all": 1.0}}, budget={"甲县": {2022: 8}, "乙县": {2022: 7}},
                offices=[office(id="A1", staff={"posts": 2, "mediators": 1}),
                         office(id="B1", county="乙县", staff={"posts": 2, "mediators": 1})])


def levels(outcome: SolveOutcome) -> list[tuple[str, str, int | None, float | None]]:
    return [(s.name, s.status, s.value, s.bound) for s in outcome.stages]


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_each_level_is_reported_with_its_proof(path: str, tmp_path: Path) -> None:
    req = derive(load(SOFT, tmp_path))
    outcome = solve(req, SolveParams(workers=1, seed=3, time_limit=30, path=path))  # type: ignore[arg-type]
    assert (outcome.status, outcome.workers, outcome.seed) == (SolveStatus.OPTIMAL, 1, 3)
    # Two components (甲县, 乙县), each's levels added: shortfall 0 + 1, office-years 1 + 0, 77,000 + 0 yuan.
    assert levels(outcome) == [("shortfall", "optimal", 1, 1.0), ("attained_office_years", "optimal", 1, 1.0),
                               ("total_cost", "optimal", 77_000, 77_000.0)]
    assert [(d.hires, d.att) for d in outcome.solution.offices] == [({(1, 0): 1}, (True,)), ({}, (False,))]
    assert outcome.seconds >= sum(s.seconds for s in outcome.stages) > 0
    if path == "combined":  # one search proves every level: its time is reported on the first
        assert [s.seconds > 0 for s in outcome.stages] == [True, False, False]


def test_out_of_time_soft_targets_do_nothing(tmp_path: Path) -> None:
    req = derive(load(SOFT, tmp_path))
    stopped = SolveControl()
    stopped.stop()
    for params in (SolveParams(workers=1, time_limit=0), SolveParams(workers=1, control=stopped)):
        outcome = solve(req, params)
        # Doing nothing: both offices short, nothing attained, nothing spent; nothing proven.
        assert outcome.status == SolveStatus.FEASIBLE
        assert levels(outcome) == [("shortfall", "feasible", 2, None), ("attained_office_years", "feasible", 0, None),
                                   ("total_cost", "feasible", 0, None)]
        assert [s.seconds for s in outcome.stages] == [0.0, 0.0, 0.0]  # no search ran
        assert [(d.hires, d.lease, d.build, d.options, d.rooms, d.att) for d in outcome.solution.offices] == [
            ({}, {}, {}, {}, {}, (False,))] * 2


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_the_conflict_names_only_the_target_that_cannot_be_met(path: str, tmp_path: Path) -> None:
    # Hard targets in 2022 and 2023, one budget for both counties: 8 a year pays one mediator's
    # 7.7 in 2022 (7.2 in 2023), not two. 乙县's 2023 target alone can be met (hired in 2023), and
    # so can 甲县's pair; the two counties' 2022 targets together cannot: the conflict is those two.
    hard = {**SOFT, "targets_mode": "hard", "horizon": {"start": 2022, "end": 2023},
            "budget": {2022: 8, 2023: 8}, "targets": {2022: {"all": 1.0}, 2023: {"all": 0.0}}}
    req = derive(load(hard, tmp_path))
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    assert (outcome.status, outcome.solution) == (SolveStatus.INFEASIBLE, None)
    assert [(c.year, c.tier, c.scope, c.required) for c in outcome.conflict] == [
        (2022, "all", "乙县", 1), (2022, "all", "甲县", 1)]


# ------------------------------------------------------------------ gaps of one, and gaps no money closes

# M, medium (jiangsu-2021: 6 staff, posts ≥ 3, mediators ≥ 2, 300 m²), has 3 + 2 staff and 299 m²:
# one person and 1 m² short. U lacks a post, which has no price; R lacks enforcement_management_room,
# which has no price: neither can attain. A mediator costs 7.7 (0.5 + 7.2), a m² leased 0.024.
SHORT_BY_ONE = scenario(
    targets={2022: {"all": 0.0}}, budget={2022: 100},
    costs={"roles": {"mediators": {"one_time": 0.5, "annual": 7.2}}, "housing": {"lease": {"annual_per_m2": 0.024}}},
    offices=[office(id="M", tier="medium", staff={"posts": 3, "mediators": 2}, floor_area_m2=299),
             office(id="U", staff={"posts": 1, "mediators": 2}),
             office(id="R", facilities=["public_legal_service_center", "mediation_committee", "governance_room",
                                        "publicity_room", "five_stations"])])


@pytest.mark.parametrize("bounds", [True, False])
def test_a_gap_of_one_is_closed_and_a_gap_no_price_closes_is_not(bounds: bool, tmp_path: Path) -> None:
    loaded = load(SHORT_BY_ONE, tmp_path)
    req = derive(loaded)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path="combined", pattern_bounds=bounds))
    plan = make_plan(loaded, req, outcome)  # raises when the model's claims differ from the actions
    assert [(a.office, a.type, a.role, a.area_m2) for a in plan.actions] == [
        ("M", "hire", "mediators", None), ("M", "lease", None, 1)]
    assert (plan.objective.attained_office_years, plan.objective.total_cost) == (1, 7.724)
    assert [d.att for d in outcome.solution.offices] == [(True,), (False,), (False,)]


def test_five_options_fall_back_to_a_bound_of_zero(tmp_path: Path) -> None:
    # Only four options are combined (the enumeration stays small); with five, 0 stays a valid
    # bound for the options part: five free 1 m² options close a 5 m² gap for nothing.
    five = [{"id": f"h{i}", "area_m2": 1, "one_time": 0} for i in range(5)]
    sc = {**BOUNDS, "costs": {**BOUNDS["costs"], "housing": {}},
          "offices": [{**BOUNDS["offices"][0], "floor_area_m2": 195, "housing_options": five}]}
    req = derive(load(sc, tmp_path))
    assert [_area_bound(req.offices[0], req, t, 4) for t in range(4)] == [0, 0, 0, 0]
    sc["costs"]["housing"] = {"lease": {"annual_per_m2": 0}}  # a free lease: 0 per m²
    req = derive(load(sc, tmp_path))
    assert _area_bound(req.offices[0], req, 0, 4) == 0
    # Four options are combined: all four (1,000 yuan each) close a 4 m² gap, for 4,000.
    four = [{"id": f"h{i}", "area_m2": 1, "one_time": 0.1} for i in range(4)]
    sc = {**sc, "costs": {**sc["costs"], "housing": {}},
          "offices": [{**sc["offices"][0], "floor_area_m2": 196, "housing_options": four}]}
    req = derive(load(sc, tmp_path))
    assert _area_bound(req.offices[0], req, 0, 4) == 4_000
    # One m² short, leasing at 1,000 a year from 2022: 4,000 over the four years.
    one = {**BOUNDS, "offices": [{**BOUNDS["offices"][0], "floor_area_m2": 199, "housing_options": []}]}
    req = derive(load(one, tmp_path))
    assert _area_bound(req.offices[0], req, 0, 4) == 4_000


@pytest.mark.parametrize("bounds", [True, False])
def test_a_room_alternative_half_present_is_completed(bounds: bool, tmp_path: Path) -> None:
    # A small office has governance_room but not publicity_room: the any_of item is met by adding
    # publicity_room (1.0), not rule_of_law_room (4.0).
    sc = scenario(costs={"roles": {}, "facilities": {"publicity_room": {"one_time": 1.0},
                                                      "rule_of_law_room": {"one_time": 4.0}}},
                  offices=[office(facilities=["public_legal_service_center", "mediation_committee", "governance_room",
                                              "enforcement_management_room", "five_stations"])])
    loaded = load(sc, tmp_path)
    req = derive(loaded)
    plan = make_plan(loaded, req, solve(req, SolveParams(workers=1, time_limit=30, path="combined",
                                                         pattern_bounds=bounds)))
    assert [(a.type, a.facility) for a in plan.actions] == [("facility", "publicity_room")]
    assert (plan.objective.attained_office_years, plan.objective.total_cost) == (1, 1.0)


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_a_housing_option_counts_once(path: str, tmp_path: Path) -> None:
    # 150 of 200 m²; only 2023 matters (hard target; small offices weigh 0). The annex (30 m²,
    # 1.0 once, from 2022) cannot be taken twice for 60 m²: annex + 20 m² leased in 2023 at 1.0
    # per m² = 21.0, cheaper than 50 m² leased (50.0).
    sc = scenario(horizon={"start": 2022, "end": 2023}, targets={2023: {"all": 1.0}}, weights={"small": 0},
                  budget={2022: 100, 2023: 100},
                  costs={"roles": {}, "housing": {"lease": {"annual_per_m2": 1.0}}},
                  offices=[office(floor_area_m2=150,
                                  housing_options=[{"id": "annex", "area_m2": 30, "one_time": 1.0}])])
    loaded = load(sc, tmp_path)
    req = derive(loaded)
    plan = make_plan(loaded, req, solve(req, SolveParams(workers=1, time_limit=30, path=path)))  # type: ignore[arg-type]
    assert sorted((a.type, a.area_m2) for a in plan.actions) == [("housing", 30), ("lease", 20)]
    assert plan.objective.total_cost == 21.0


# ------------------------------------------------------------------ statuses, progress, the component pool


def test_every_cp_sat_status_is_mapped_and_an_invalid_model_says_why() -> None:
    m = cp_model.CpModel()
    assert [map_status(c, m) for c in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE,
                                       cp_model.UNKNOWN)] == ["optimal", "feasible", "infeasible", "unknown"]
    m.new_int_var(5, 0, "x")  # an empty domain
    with pytest.raises(RuntimeError, match=r"^CP-SAT rejected the model: .*domain"):
        map_status(cp_model.MODEL_INVALID, m)
    with pytest.raises(RuntimeError, match=r"^unknown CP-SAT status 99$"):
        map_status(99, m)


def test_progress_names_each_level_and_ends_at_its_value(tmp_path: Path) -> None:
    req = derive(load(SOFT, tmp_path))
    seen: list[Progress] = []
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path="staged", progress=seen.append))
    last = {p.stage: p for p in seen}
    # Two components (甲县 first); each level's last report is its value in that component, as a
    # positive figure for the maximised level too.
    assert [(s, last[s].best) for s in ("1/2 shortfall", "1/2 attained_office_years", "1/2 total_cost",
                                        "2/2 shortfall", "2/2 attained_office_years")] == [
        ("1/2 shortfall", 0), ("1/2 attained_office_years", 1), ("1/2 total_cost", 77_000),
        ("2/2 shortfall", 1), ("2/2 attained_office_years", 0)]
    assert all(p.elapsed <= outcome.seconds for p in seen)
    combined: list[Progress] = []
    solve(req, SolveParams(workers=1, time_limit=30, path="combined", progress=combined.append))
    assert {p.stage for p in combined} <= {"1/2 all levels", "2/2 all levels"} and combined


def test_many_small_components_are_solved_in_a_pool_with_the_same_result(tmp_path: Path) -> None:
    # 16 counties (≥ PARALLEL_MIN_COMPONENTS), one office each lacking a mediator (7.7), each with
    # its own budget: counties 0–7 can pay (8), counties 8–15 cannot (7); soft 100 % targets.
    n = PARALLEL_MIN_COMPONENTS
    sc = scenario(targets_mode="soft", targets={2022: {"all": 1.0}},
                  budget={f"县{i}": {2022: 8 if i < 8 else 7} for i in range(n)},
                  offices=[office(id=f"O{i}", county=f"县{i}", staff={"posts": 2, "mediators": 1}) for i in range(n)])
    req = derive(load(sc, tmp_path))
    seen: list[Progress] = []
    pooled = solve(req, SolveParams(workers=1, time_limit=60, progress=seen.append))
    in_turn = solve(req, SolveParams(workers=1, time_limit=60, parallel_components=False))
    assert levels(pooled) == levels(in_turn) == [
        ("shortfall", "optimal", 8, 8.0), ("attained_office_years", "optimal", 8, 8.0),
        ("total_cost", "optimal", 8 * 77_000, 8 * 77_000.0)]
    assert pooled.solution == in_turn.solution
    assert [d.att for d in pooled.solution.offices] == [(True,)] * 8 + [(False,)] * 8
    assert seen and seen[-1].stage == f"components {n}/{n}"


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_a_lift_that_takes_the_whole_budget_is_taken(path: str, tmp_path: Path) -> None:
    # The budget is exactly one mediator's 7.7: one attained office-year outweighs any cost, even
    # the whole budget (the combined solve weighs a year at the budget + 1 yuan).
    sc = scenario(targets={2022: {"all": 0.0}}, budget={2022: 7.7},
                  offices=[office(staff={"posts": 2, "mediators": 1})])
    loaded = load(sc, tmp_path)
    req = derive(loaded)
    plan = make_plan(loaded, req, solve(req, SolveParams(workers=1, time_limit=30, path=path)))  # type: ignore[arg-type]
    assert (plan.objective.attained_office_years, plan.objective.total_cost) == (1, 7.7)


def test_the_deletion_filter_keeps_only_cells_that_matter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As in the conflict test above, but CP-SAT's core is taken to be every cell: the filter alone
    # must drop the 2023 cells (0 %, always met) and keep the two 2022 cells.
    hard = {**SOFT, "targets_mode": "hard", "horizon": {"start": 2022, "end": 2023},
            "budget": {2022: 8, 2023: 8}, "targets": {2022: {"all": 1.0}, 2023: {"all": 0.0}}}
    req = derive(load(hard, tmp_path))
    monkeypatch.setattr(planner.solver.conflict, "_core", lambda built, idx, params: idx)
    assert [(c.year, c.scope) for c in find_conflict(req, SolveParams(workers=1))] == [(2022, "乙县"), (2022, "甲县")]


def test_the_deletion_filter_starts_from_cp_sats_core(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same four cells: the filter checks one subset per cell of CP-SAT's core, which leaves
    # out at least the 2023 cells (always met): fewer checks than cells, none of all but one cell.
    req = derive(load({**SOFT, "targets_mode": "hard", "horizon": {"start": 2022, "end": 2023},
                       "budget": {2022: 8, 2023: 8}, "targets": {2022: {"all": 1.0}, 2023: {"all": 0.0}}}, tmp_path))
    checked: list[list[int]] = []
    real = planner.solver.conflict._infeasible_with
    monkeypatch.setattr(planner.solver.conflict, "_infeasible_with",
                        lambda r, idx, p: checked.append(idx) or real(r, idx, p))
    assert [(c.year, c.scope) for c in find_conflict(req, SolveParams(workers=1))] == [(2022, "乙县"), (2022, "甲县")]
    assert 1 <= len(checked) < len(req.targets) == 4 and all(len(idx) < 3 for idx in checked)


# Hard 100 % targets per county; each county's budget (8) lifts its one office (7.7).
HARD = {**SOFT, "targets_mode": "hard", "budget": {"甲县": {2022: 8}, "乙县": {2022: 8}}}


def test_a_stop_before_the_search_keeps_the_first_level_found(tmp_path: Path) -> None:
    # Stopped before it starts, a hard-target solve still searches (0.5 s) for a first plan: the
    # staged path proves level 2 (both offices attain) and stops there, unproven: feasible. (A
    # process starved of the CPU for those 0.5 s finds no plan at all: never `optimal`.)
    req = derive(load(HARD, tmp_path))
    stopped = SolveControl()
    stopped.stop()
    outcome = solve(req, SolveParams(workers=1, path="staged", control=stopped))
    if outcome.status == SolveStatus.NO_PLAN:
        assert (outcome.solution, len(outcome.stages) <= 1) == (None, True)
        return
    assert outcome.status == SolveStatus.FEASIBLE
    assert levels(outcome) == [("attained_office_years", "optimal", 2, 2.0)]
    assert [d.att for d in outcome.solution.offices] == [(True,), (True,)]


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_hard_targets_report_no_shortfall_level(path: str, tmp_path: Path) -> None:
    outcome = solve(derive(load(HARD, tmp_path)), SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    assert levels(outcome) == [("attained_office_years", "optimal", 2, 2.0),
                               ("total_cost", "optimal", 154_000, 154_000.0)]


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_one_unit_of_shortfall_outweighs_every_attained_year(path: str, tmp_path: Path) -> None:
    # 2022's budget (8; none in 2023) pays for one of: X's build (50 m² × 0.1 = 5.0, counts from
    # 2023: X attains 2023, the only target cell (medium, 甲县) is met), or Y's five_stations (6.0:
    # Y attains 2022 and 2023, weighted 2 each: 4 office-years, but the target is missed). The
    # shortfall decides: X is built.
    sc = scenario(horizon={"start": 2022, "end": 2023}, targets_mode="soft", targets={2023: {"medium": 1.0}},
                  weights={"medium": 1, "small": 2}, budget={2022: 8, 2023: 0},
                  costs={"roles": {}, "facilities": {"five_stations": {"one_time": 6.0}},
                         "housing": {"build": {"one_time_per_m2": 0.1, "lead_years": 1}}},
                  offices=[office(id="X", tier="medium", staff={"posts": 3, "mediators": 3}, floor_area_m2=250),
                           office(id="Y", county="乙县", facilities=ROOMS[:-1])])
    loaded = load(sc, tmp_path)
    req = derive(loaded)
    plan = make_plan(loaded, req, solve(req, SolveParams(workers=1, time_limit=30, path=path)))  # type: ignore[arg-type]
    assert [(a.office, a.type, a.area_m2) for a in plan.actions] == [("X", "build", 50)]
    o = plan.objective
    assert (o.shortfall, o.attained_office_years, o.total_cost) == (0, 1, 5.0)


def test_no_time_at_all_gives_no_plan_for_hard_targets(tmp_path: Path) -> None:
    req = derive(load(HARD, tmp_path))
    outcome = solve(req, SolveParams(workers=1, path="staged", time_limit=0))
    assert (outcome.status, outcome.solution, outcome.stages) == (SolveStatus.NO_PLAN, None, ())
