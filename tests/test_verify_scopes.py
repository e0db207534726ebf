"""Verify catches a broken limit in each scope (issue 13 §3), and its recount is independent of
the plan writer: a bug planted in either one is caught by the other. Below them, every violation
verify names, each exactly (issue 13's mutation run).

Three small township offices, each one mediator short (1 of 2): A1 and A2 in 甲县, B1 in 乙县.
A mediator costs 0.5 once + 7.2 a year, so 7.7 in the year hired. Each plan below hires one
mediator in some offices; the plan writer states its claims honestly, so the only violation
verify may report is the broken limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from handplan import load, writer_plan
from test_exact_plans import SHORT_BY_ONE
from test_rules import office, scenario

import planner.rules.evaluate
import planner.rules.recount
from planner.plan import Action, PlanResult, StageInfo
from planner.rules.evaluate import ActionError, compute_figures
from planner.rules.verify import Violation, verify_plan


def three_offices(**changes: object) -> dict:
    base = scenario(
        targets={2022: {"all": 0.0}}, budget={2022: 1000},
        offices=[office(id=i, county=c, staff={"posts": 2, "mediators": 1})
                 for i, c in [("A1", "甲县"), ("A2", "甲县"), ("B1", "乙县")]])
    base.update(changes)
    return base


def four_in_cities(**changes: object) -> dict:
    """A1, A2 (甲县) and B1 (乙县) in 泰州市; C1 (丙县) in 扬州市."""
    base = three_offices(**changes)
    base["offices"] = [office(id=i, county=c, city=city, staff={"posts": 2, "mediators": 1})
                       for i, c, city in [("A1", "甲县", "泰州市"), ("A2", "甲县", "泰州市"),
                                          ("B1", "乙县", "泰州市"), ("C1", "丙县", "扬州市")]]
    return base


def hire(office_id: str, year: int = 2022) -> dict:
    return {"office": office_id, "year": year, "type": "hire", "role": "mediators", "count": 1}


EVERYONE = [hire("A1"), hire("A2"), hire("B1")]
NOT_A2 = [hire("A1"), hire("B1")]
ALL_FOUR = [*EVERYONE, hire("C1")]
# case: (scenario, broken plan's actions, the one violation, actions of a plan that keeps the limit)
CASES = {
    # 甲县 spends 2 × 7.7 = 15.4; 乙县's 7.7 must not count against 甲县's budget.
    "county budget": (three_offices(budget={2022: 1000, "甲县": {2022: 10}}), EVERYONE,
                      "budget 甲县 2022: spends 15.4 万元, over the budget of 10.0", NOT_A2),
    # The whole scenario spends 3 × 7.7 = 23.1.
    "scenario budget": (three_offices(budget={2022: 20}), EVERYONE,
                        "budget all 2022: spends 23.1 万元, over the budget of 20.0", NOT_A2),
    # 泰州市's fund pays for A1, A2 and B1 (23.1), not for C1 in 扬州市.
    "city budget": (four_in_cities(budget={2022: 1000, "泰州市": {2022: 20}}), ALL_FOUR,
                    "budget 泰州市 2022: spends 23.1 万元, over the budget of 20.0", [*NOT_A2, hire("C1")]),
    # 甲县 hires 2 (乙县's hire is not 甲县's).
    "county quota": (three_offices(quotas={"mediators": {"甲县": {2022: 1}}}), EVERYONE,
                     "quota mediators 甲县 2022: hires 2, over the quota of 1", NOT_A2),
    "scenario quota": (three_offices(quotas={"mediators": {2022: 2}}), EVERYONE,
                       "quota mediators all 2022: hires 3, over the quota of 2", NOT_A2),
    "city quota": (four_in_cities(quotas={"mediators": {"泰州市": {2022: 2}}}), ALL_FOUR,
                   "quota mediators 泰州市 2022: hires 3, over the quota of 2", [*NOT_A2, hire("C1")]),
    # Per county, every office must attain: 甲县 does (A1, A2 hired), 乙县 does not.
    "county target": (three_offices(targets={2022: {"all": 1.0}}), [hire("A1"), hire("A2")],
                      "target 2022 all 乙县: 0 of 1 attain, the target needs 1", EVERYONE),
    # Per city: 泰州市 attains (A1, A2, B1), 扬州市 does not.
    "city target": (four_in_cities(targets={2022: {"all": 1.0}}, target_scope="city"), EVERYONE,
                    "target 2022 all 扬州市: 0 of 1 attain, the target needs 1", ALL_FOUR),
    # City-wide with no office in a city: the whole scenario, 2 of 3 attain.
    "scenario-wide target": (three_offices(targets={2022: {"all": 1.0}}, target_scope="city"),
                             [hire("A1"), hire("A2")], "target 2022 all all: 2 of 3 attain, the target needs 3",
                             EVERYONE),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_broken_limit_is_the_one_violation(case: str, tmp_path: Path) -> None:
    sc, actions, expected, kept = CASES[case]
    loaded = load(sc, tmp_path)
    assert [str(v) for v in verify_plan(loaded, writer_plan(loaded, actions))] == [expected]
    assert verify_plan(loaded, writer_plan(loaded, kept)) == []


TWO_YEARS = three_offices(horizon={"start": 2022, "end": 2023}, budget={2022: 1000, 2023: 1000})


def test_a_bug_in_the_plan_writer_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load(TWO_YEARS, tmp_path)
    # The writer forgets the annual cost of later years: claims 7.7 in 2022 and 0 in 2023.
    monkeypatch.setattr(planner.rules.evaluate, "cost_in_year",
                        lambda p, action_year, year: p.one_time + p.annual if year == action_year else 0)
    plan = writer_plan(loaded, [hire("A1")])
    assert [str(v) for v in verify_plan(loaded, plan)] == [
        "spending all 2023: states spent 0.0 of 1000.0; the actions spend 7.2 of 1000.0",
        "objective.total_cost: states 7.7 万元, the actions cost 14.9"]


def test_a_bug_in_the_recount_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load(TWO_YEARS, tmp_path)
    plan = writer_plan(loaded, [hire("A1", 2023)])
    assert verify_plan(loaded, plan) == []
    # The recount counts every action from the start of the horizon: A1 would attain in 2022.
    monkeypatch.setattr(planner.rules.recount, "_counts_by", lambda loaded, a, year: True)
    assert [str(v) for v in verify_plan(loaded, plan)][0] == (
        "office A1 2022: claims attained=False, but the actions give True (it meets every requirement)")
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


def test_a_room_or_option_taken_twice_is_named_and_costs_twice(tmp_path: Path) -> None:
    loaded = load(TWO, tmp_path)
    plan = writer_plan(loaded, GOOD)
    twice = plan.model_copy(update={"actions": [*plan.actions, plan.actions[1], plan.actions[2]]})
    # The second set-up and the second annex count in the recount: 1.0 more in 2022 (9.7), 2.5
    # more in 2023 (12.2), 3.5 more in all (21.9).
    assert [str(v) for v in verify_plan(loaded, twice)] == [
        "office A: housing option annex taken 2 times (at most once)",
        "office A: room rule_of_law_room set up 2 times (at most once)",
        "spending all 2022: states spent 8.7 of 100.0; the actions spend 9.7 of 100.0",
        "spending all 2023: states spent 9.7 of 100.0; the actions spend 12.2 of 100.0",
        "objective.total_cost: states 18.4 万元, the actions cost 21.9"]


def test_every_false_claim_is_named(tmp_path: Path) -> None:
    loaded = load(TWO, tmp_path)
    plan = writer_plan(loaded, GOOD)
    a, _ = plan.offices
    wrong_a = a.model_copy(update={"name": "乙镇", "county": "乙县", "kind": "subdistrict", "tier": "large",
                                   "attained": {"2022": False}})
    cells = {r.scope: r for r in plan.attainment}
    stages = [StageInfo(level="bogus", status="optimal", seconds=0),
              StageInfo(level="total_cost", status="optimal", seconds=0),  # no value: nothing to check
              StageInfo(level="shortfall", status="optimal", value=0, seconds=0),
              StageInfo(level="attained_office_years", status="optimal", value=4, seconds=0),
              StageInfo(level="attained_office_years", status="feasible", value=5, seconds=0),
              StageInfo(level="total_cost", status="optimal", value=18.5, seconds=0)]
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
        "solver.stages[4] (attained_office_years): the plan states status optimal, this level is feasible",
        "solver.stages[4] (attained_office_years): states the value 5, the actions give 4",
        "solver.stages[5] (total_cost): states the value 18.5, the actions give 18.4"]
    # A missing record does not stop the check of the offices after it.
    b_wrong = plan.offices[1].model_copy(update={"tier": "large"})
    assert [str(v) for v in verify_plan(loaded, plan.model_copy(update={"offices": [b_wrong]}))] == [
        "office A: missing from the plan's offices", "office B: tier stated large, classification gives small"]


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



def test_the_writers_figures_and_refusals(tmp_path: Path) -> None:
    quotas = {"mediators": {2022: 2, "甲县": {2022: 1}, "乙县": {2023: 1}}}
    loaded = load({**TWO, "quotas": quotas}, tmp_path)
    tiers = {o.id: "small" for o in loaded.offices}
    f = compute_figures(loaded, tiers, [Action(**a) for a in GOOD])  # type: ignore[arg-type]
    assert f.hired == {("mediators", "all", 2022): 1, ("mediators", "甲县", 2022): 1, ("mediators", "乙县", 2023): 0}
    assert f.spent == {("all", 2022): 87_000, ("all", 2023): 97_000}
    assert f.cost_by_office_year == {("A", 2022): 87_000, ("A", 2023): 97_000, ("B", 2022): 0, ("B", 2023): 0}
    with pytest.raises(ActionError, match="^unknown office 'Z'$"):
        compute_figures(loaded, tiers, [Action(office="Z", year=2022, type="hire", role="mediators", count=1)])
    # No build price in SHORT_BY_ONE; a lease needs at least 1 m² (and 1 m² is allowed).
    loaded = load(SHORT_BY_ONE, tmp_path)
    plan = writer_plan(loaded, [{"office": "M", "year": 2022, "type": "lease", "area_m2": 1}])
    bad = [Action(office="M", year=2022, type="build", area_m2=5),
           Action(office="M", year=2022, type="lease", area_m2=0)]
    assert [str(v) for v in verify_plan(loaded, plan.model_copy(update={"actions": [*plan.actions, *bad]}))] == [
        "actions[1] (M 2022 build): the scenario prices no build (costs.housing.build)",
        "actions[2] (M 2022 lease): a lease needs area_m2 ≥ 1"]


def test_a_hire_too_small_is_stated_not_attained(tmp_path: Path) -> None:
    # 31 correction subjects need 3 workers (1 per 15); the office has none and hires 2: not
    # attained, and the plan writer says so (verify agrees: no violation).
    loaded = load(scenario(offices=[office(caseload={"correction_subjects": 31})]), tmp_path)
    plan = writer_plan(loaded, [{"office": "A", "year": 2022, "type": "hire", "role": "correction_sw", "count": 2}])
    assert plan.offices[0].attained == {"2022": False}
    assert verify_plan(loaded, plan) == [
        Violation("target 2022 all 甲县", "0 of 1 attain, the target needs 1")]


def test_a_false_attainment_claim_says_what_the_office_lacks(tmp_path: Path) -> None:
    # A (small) has no correction worker for its 10 subjects (needs 1) and lacks the any_of room
    # pair; M (medium) has 3 + 2 of 6 staff and 299 of 300 m². The plan does nothing but claims both.
    sc = scenario(targets={2022: {"all": 0.0}}, offices=[
        office(caseload={"correction_subjects": 10}, facilities=[
            "public_legal_service_center", "mediation_committee", "governance_room", "enforcement_management_room",
            "five_stations"]),
        office(id="M", tier="medium", staff={"posts": 3, "mediators": 2}, floor_area_m2=299)])
    loaded = load(sc, tmp_path)
    plan = writer_plan(loaded, [])
    assert [o.attained for o in plan.offices] == [{"2022": False}] * 2 and verify_plan(loaded, plan) == []
    lie = plan.model_copy(update={"offices": [o.model_copy(update={"attained": {"2022": True}})
                                              for o in plan.offices]})
    assert [str(v) for v in verify_plan(loaded, lie)] == [
        "office A 2022: claims attained=True, but the actions give False "
        "(correction_sw 0 < 1; room governance_room+publicity_room | rule_of_law_room)",
        "office M 2022: claims attained=True, but the actions give False (total staff 5 < 6; floor area 299 < 300 m²)"]
