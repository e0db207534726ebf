"""Exact optima and solver figures on hand-worked scenarios (issue 13's mutation run: each test
here kills mutants of the model and the solve that the oracle's drawn examples rarely reach).

Every figure is worked out by hand in the comments, from docs/reference.md §4–§7.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from handplan import load, writer_plan
from test_rules import office, scenario

from planner.model.bounds import _area_bound, _hire_bound, _room_bound, pattern_lower_bound
from planner.plan import Action, PlanResult, StageInfo
from planner.requirements import derive
from planner.result import make_plan
from planner.solve import SolveControl, SolveOutcome, SolveParams, SolveStatus, components, solve, split_requirements
from planner.verify import verify_plan


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


# ------------------------------------------------------------------ every violation verify names, exactly

# Two years; A (甲县) lacks one mediator (1 of 2), B (乙县) meets its standard. A mediator costs
# 0.5 once + 7.2 a year; rule_of_law_room 1.0 once; building 0.45 per m²; no lease; A's annex
# (30 m², 2.0 once + 0.5 a year) may be taken from 2023.
TWO = scenario(
    horizon={"start": 2022, "end": 2023}, budget={2022: 100, 2023: 100}, targets={2022: {"all": 0.0}},
    costs={"roles": {"mediators": {"one_time": 0.5, "annual": 7.2}},
           "facilities": {"rule_of_law_room": {"one_time": 1.0}},
           "housing": {"build": {"one_time_per_m2": 0.45, "lead_years": 1}}},
    offices=[office(staff={"posts": 2, "mediators": 1},
                    housing_options=[{"id": "annex", "area_m2": 30, "one_time": 2.0, "annual": 0.5,
                                      "from_year": 2023}]),
             office(id="B", name="乙镇", county="乙县")])
# A hires in 2022 (7.7, then 7.2), sets up rule_of_law_room in 2022 (1.0), takes the annex in
# 2023 (2.5): 8.7 in 2022, 9.7 in 2023, 18.4 in all; A and B attain both years: 4 office-years.
GOOD = [{"office": "A", "year": 2022, "type": "hire", "role": "mediators", "count": 1},
        {"office": "A", "year": 2022, "type": "facility", "facility": "rule_of_law_room"},
        {"office": "A", "year": 2023, "type": "housing", "option": "annex"}]


def test_every_action_the_scenario_does_not_allow_is_named(tmp_path: Path) -> None:
    loaded = load(TWO, tmp_path)
    plan = writer_plan(loaded, GOOD)
    assert (plan.objective.attained_office_years, plan.objective.total_cost) == (4, 18.4)
    assert [(s.year, s.spent) for s in plan.spending] == [(2022, 8.7), (2023, 9.7)]
    bad = [("Z", 2022, "hire", {"role": "mediators", "count": 1}),
           ("A", 2030, "hire", {"role": "mediators", "count": 1}),
           ("A", 2022, "hire", {"role": "judges", "count": 1}), ("A", 2022, "hire", {"role": "posts", "count": 1}),
           ("A", 2022, "hire", {"role": "mediators", "count": 0}), ("A", 2022, "lease", {"area_m2": 10}),
           ("A", 2022, "build", {"area_m2": 0}), ("A", 2022, "housing", {"option": "nope"}),
           ("A", 2022, "housing", {"option": "annex"}), ("A", 2022, "facility", {"facility": "gym"}),
           ("A", 2022, "facility", {"facility": "five_stations"}),
           ("A", 2022, "facility", {"facility": "correction_branch_center"})]
    # Two allowed actions with false figures: a cost stated low, the annex's area stated as 31 m².
    actions = [plan.actions[0].model_copy(update={"one_time": 0.4}), plan.actions[1],
               plan.actions[2].model_copy(update={"area_m2": 31})]
    actions += [Action(office=o, year=y, type=t, **fields) for o, y, t, fields in bad]  # type: ignore[arg-type]
    assert [str(v) for v in verify_plan(loaded, plan.model_copy(update={"actions": actions}))] == [
        "actions[0] (A 2022 hire): costs stated as one_time 0.4 / annual 7.2 万元, "
        "the scenario's prices give 0.5 / 7.2",
        "actions[2] (A 2023 housing): area_m2 31 but option annex has 30",
        "actions[3] (Z 2022 hire): unknown office 'Z'",
        "actions[4] (A 2030 hire): year 2030 is outside the horizon",
        "actions[5] (A 2022 hire): unknown role 'judges'",
        "actions[6] (A 2022 hire): role posts cannot be hired (no price in costs.roles)",
        "actions[7] (A 2022 hire): a hire needs count ≥ 1",
        "actions[8] (A 2022 lease): the scenario prices no lease (costs.housing.lease)",
        "actions[9] (A 2022 build): a build needs area_m2 ≥ 1",
        "actions[10] (A 2022 housing): office A has no housing option 'nope'",
        "actions[11] (A 2022 housing): housing option annex is taken in 2022, before its from_year 2023",
        "actions[12] (A 2022 facility): unknown facility 'gym'",
        "actions[13] (A 2022 facility): office A already has five_stations",
        "actions[14] (A 2022 facility): facility correction_branch_center cannot be set up "
        "(no price in costs.facilities)"]


def test_a_room_set_up_twice_is_named_and_costs_twice(tmp_path: Path) -> None:
    loaded = load(TWO, tmp_path)
    plan = writer_plan(loaded, GOOD)
    twice = plan.model_copy(update={"actions": [*plan.actions, plan.actions[1]]})
    # The second set-up counts in the recount: 1.0 more in 2022 (9.7) and in all (19.4).
    assert [str(v) for v in verify_plan(loaded, twice)] == [
        "office A: room rule_of_law_room set up 2 times (at most once)",
        "spending all 2022: states spent 8.7 of 100.0; the actions spend 9.7 of 100.0",
        "objective.total_cost: states 18.4 万元, the actions cost 19.4"]


def test_every_false_claim_is_named(tmp_path: Path) -> None:
    loaded = load(TWO, tmp_path)
    plan = writer_plan(loaded, GOOD)
    a, _ = plan.offices
    wrong_a = a.model_copy(update={"name": "乙镇", "county": "乙县", "kind": "subdistrict", "tier": "large",
                                   "attained": {"2022": False}})
    cells = {r.scope: r for r in plan.attainment}
    stages = [StageInfo(level="bogus", status="optimal", seconds=0),
              StageInfo(level="shortfall", status="optimal", value=0, seconds=0),
              StageInfo(level="attained_office_years", status="optimal", value=4, seconds=0),
              StageInfo(level="attained_office_years", status="feasible", value=5, seconds=0),
              StageInfo(level="total_cost", status="optimal", value=18.5, seconds=0),
              StageInfo(level="total_cost", status="optimal", seconds=0)]
    lies = plan.model_copy(update={
        "standard": "lianyungang-2019", "scenario": plan.scenario.model_copy(update={"name": "别的"}),
        "status": "optimal", "offices": [wrong_a, a.model_copy(update={"id": "Q"})],
        "spending": [plan.spending[0].model_copy(update={"budget": 99.0})],
        "attainment": [cells["甲县"].model_copy(update={"met": False})],
        "objective": plan.objective.model_copy(update={"shortfall": 1, "attained_office_years": 3}),
        "solver": plan.solver.model_copy(update={"stages": stages})})
    assert [str(v) for v in verify_plan(loaded, lies)] == [
        "standard: plan is for 'lianyungang-2019', the scenario uses 'jiangsu-2021'",
        "scenario.name: stated '别的', the scenario is named 'rule'",
        "office A: name stated '乙镇', the scenario has '甲镇'",
        "office A: county stated '乙县', the scenario has '甲县'",
        "office A: kind stated 'subdistrict', the scenario has 'township'",
        "office A: tier stated large, classification gives small",
        "office A 2022: claims attained=False, but the actions give True (it meets every requirement)",
        "office A 2023: attainment not stated",
        "office B: missing from the plan's offices",
        "office Q: not in the scenario",
        "spending all 2022: states spent 8.7 of 99.0; the actions spend 8.7 of 100.0",
        "spending all 2023: missing from the plan",
        # Cells in scope order: 乙 (U+4E59) before 甲 (U+7532).
        "target 2022 all 乙县: missing from the plan's attainment",
        "target 2022 all 甲县: states 1 attained of 1, 0 required, met=False; the actions give 1 of 1, 0 required",
        "objective.shortfall: states 1, the actions give 0",
        "objective.attained_office_years: states 3, the actions give 4",
        "solver.stages[0] (bogus): unknown level 'bogus'",
        "solver.stages[3] (attained_office_years): the plan states status optimal, this level is feasible",
        "solver.stages[3] (attained_office_years): states the value 5, the actions give 4",
        "solver.stages[4] (total_cost): states the value 18.5, the actions give 18.4"]


@pytest.mark.parametrize("scenario_mode, stated, broken", [
    ("hard", "hard", True), ("hard", "soft", False), ("hard", None, True), ("soft", None, False),
    ("soft", "hard", True)])
def test_a_missed_target_breaks_the_plan_only_in_hard_mode(scenario_mode: str, stated: str | None, broken: bool,
                                                           tmp_path: Path) -> None:
    # 100 % per county in 2022; without its hire A does not attain: 甲县 has 0 of the 1 it needs.
    loaded = load({**TWO, "targets": {2022: {"all": 1.0}}, "targets_mode": scenario_mode}, tmp_path)
    data = writer_plan(loaded, GOOD[1:]).model_dump()
    if stated is None:  # a plan another program wrote (docs/reference.md §9) states no mode
        del data["targets_mode"]
    else:
        data["targets_mode"] = stated
    found = [str(v) for v in verify_plan(loaded, PlanResult.model_validate(data))]
    assert found == (["target 2022 all 甲县: 0 of 1 attain, the target needs 1"] if broken else [])


# ------------------------------------------------------------------ what the solve reports

# Soft targets, 100 % per county: A1 (甲县) and B1 (乙县) each lack one mediator (7.7 in 2022);
# 甲县's budget pays for one, 乙县's for none. Optimum: A1 hired; shortfall 1 (B1), 1 office-year.
SOFT = scenario(targets_mode="soft", targets={2022: {"all": 1.0}}, budget={"甲县": {2022: 8}, "乙县": {2022: 7}},
                offices=[office(id="A1", staff={"posts": 2, "mediators": 1}),
                         office(id="B1", county="乙县", staff={"posts": 2, "mediators": 1})])


def levels(outcome: SolveOutcome) -> list[tuple[str, str, int | None, float | None]]:
    return [(s.name, s.status, s.value, s.bound) for s in outcome.stages]


@pytest.mark.parametrize("path", ["combined", "staged"])
def test_each_level_is_reported_with_its_proof(path: str, tmp_path: Path) -> None:
    req = derive(load(SOFT, tmp_path))
    outcome = solve(req, SolveParams(workers=1, seed=3, time_limit=30, path=path))  # type: ignore[arg-type]
    assert (outcome.status, outcome.workers, outcome.seed) == (SolveStatus.OPTIMAL, 1, 3)
    # Two components (甲县, 乙县), each's levels added: shortfall 0 + 1, office-years 1 + 0, 77,000 + 0 yuan.
    assert levels(outcome) == [("shortfall", "optimal", 1, 1.0), ("attained_office_years", "optimal", 1, 1.0),
                               ("total_cost", "optimal", 77_000, 77_000.0)]
    assert [(d.hires, d.att) for d in outcome.solution.offices] == [({(1, 0): 1}, (True,)), ({}, (False,))]
    assert outcome.seconds >= sum(s.seconds for s in outcome.stages) > 0


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
        assert [(d.hires, d.lease, d.build, d.options, d.rooms, d.att) for d in outcome.solution.offices] == [
            ({}, {}, {}, {}, {}, (False,))] * 2


@pytest.mark.parametrize("path", ["combined", "staged"])
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
