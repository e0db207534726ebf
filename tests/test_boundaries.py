"""Hand-worked cases at the boundaries of the rules (issue 13 §2), on hand-made plans: every
claim below is worked out by hand in the comments, and verify must accept exactly those claims.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from handplan import hand_plan, load
from test_rules import office, scenario

from planner.rules.requirements import derive
from planner.rules.verify import verify_plan
from planner.solver.params import SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import SolveStatus, solve

NO_TARGET = {2022: {"all": 0.0}}


def one_year_claims(attained: bool) -> dict:
    """Claims of a one-office, one-year plan with no actions and a 0 % target."""
    return {"attainment": [{"year": 2022, "scope": "甲县", "tier": "all", "offices": 1, "attained": int(attained),
                            "target": 0.0, "required": 0, "met": True}],
            "spending": [{"year": 2022, "scope": "all", "budget": 1000.0, "spent": 0.0}],
            "objective": {"shortfall": 0, "attained_office_years": int(attained), "total_cost": 0.0}}


@pytest.mark.parametrize("subjects, attained", [(31, False), (30, True)])
def test_correction_ratio_rounds_up(subjects: int, attained: bool, tmp_path: Path) -> None:
    # jiangsu-2021: correction_sw ≥ ceil(subjects / 15). 2 workers carry 30 subjects (30/15 = 2),
    # not 31 (ceil(31/15) = 3). Everything else of the small township office is met.
    loaded = load(scenario(targets=NO_TARGET, offices=[office(
        staff={"posts": 2, "mediators": 2, "correction_sw": 2},
        caseload={"correction_subjects": subjects})]), tmp_path)
    plan = hand_plan(loaded, [], {"A": {2022: attained}}, **one_year_claims(attained))
    assert verify_plan(loaded, plan) == []
    lie = hand_plan(loaded, [], {"A": {2022: not attained}}, **one_year_claims(attained))
    why = "correction_sw 2 < 3" if not attained else "it meets every requirement"
    assert [str(v) for v in verify_plan(loaded, lie)] == [
        f"office A 2022: claims attained={not attained}, but the actions give {attained} ({why})"]


@pytest.mark.parametrize("score, attained", [(80, True), (79.5, False)])
def test_score_exactly_at_the_threshold_attains(score: float, attained: bool, tmp_path: Path) -> None:
    # lianyungang-2019 small tier: posts 2, assistants 2, 200 m² (township), score ≥ 80.
    sc = scenario(standard="lianyungang-2019", targets=NO_TARGET, costs={}, offices=[{
        "id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "population": 20000, "tier": "small",
        "staff": {"posts": 2, "assistants": 2}, "floor_area_m2": 200, "attributes": {"score": score}}])
    loaded = load(sc, tmp_path)
    assert verify_plan(loaded, hand_plan(loaded, [], {"A": {2022: attained}}, **one_year_claims(attained))) == []
    lie = hand_plan(loaded, [], {"A": {2022: not attained}}, **one_year_claims(attained))
    assert len(verify_plan(loaded, lie)) == 1
    # The model's own reading of the condition (planner/rules/requirements.py) agrees: one assistant
    # short, priced 1.0, is hired exactly when the score meets the threshold.
    sc["offices"][0]["staff"]["assistants"] = 1
    sc["costs"] = {"roles": {"assistants": {"one_time": 1.0}}}
    loaded = load(sc, tmp_path)
    req = derive(loaded)
    o = make_plan(loaded, req, solve(req, SolveParams(workers=1))).objective
    assert (o.attained_office_years, o.total_cost) == ((1, 1.0) if attained else (0, 0.0))


# Five years, 2022–2026. The small township office lacks 50 m² (150 of 200) and has everything else.
# Build: 0.45 万元/m², counts 2 years after its year. Annex: 30 m², 2.0 once + 0.5 a year, from 2023,
# counts 1 year after it is taken. No lease.
FIVE = scenario(
    horizon={"start": 2022, "end": 2026}, targets={2024: {"all": 1.0}},
    budget={y: 100 for y in range(2022, 2027)},
    costs={"roles": {}, "housing": {"build": {"one_time_per_m2": 0.45, "lead_years": 2}}},
    offices=[office(floor_area_m2=150, housing_options=[
        {"id": "annex", "area_m2": 30, "one_time": 2.0, "annual": 0.5, "from_year": 2023, "lead_years": 1}])])
# By hand: the earliest the 50 m² can count is the end of 2024 (a build in 2022 + 2 years; the
# annex in 2023 + 1 year), so at most 3 attained years: 2024, 2025, 2026. The cheapest way:
#   build 50 m² in 2022: 22.5;  annex + build 20 m² in 2022: 9.0 + 2.0 + 0.5 × 4 years = 13.0.
# Spending per year: 2022 9.0 (build), 2023 2.5 (annex once + annual), 2024–2026 0.5 each.
FIVE_ACTIONS = [
    {"office": "A", "year": 2022, "type": "build", "area_m2": 20, "one_time": 9.0, "annual": 0.0},
    {"office": "A", "year": 2023, "type": "housing", "option": "annex", "area_m2": 30, "one_time": 2.0, "annual": 0.5}]
FIVE_ATTAINED = {"A": {2022: False, 2023: False, 2024: True, 2025: True, 2026: True}}
FIVE_SPENT = {2022: 9.0, 2023: 2.5, 2024: 0.5, 2025: 0.5, 2026: 0.5}


def five_claims(attained: dict[str, dict[int, bool]] = FIVE_ATTAINED) -> dict:
    return {"attainment": [{"year": 2024, "scope": "甲县", "tier": "all", "offices": 1, "attained": 1,
                            "target": 1.0, "required": 1, "met": True}],
            "spending": [{"year": y, "scope": "all", "budget": 100.0, "spent": s} for y, s in FIVE_SPENT.items()],
            "objective": {"shortfall": 0, "attained_office_years": 3, "total_cost": 13.0}}


def test_build_and_option_lead_times_and_from_year_over_five_years(tmp_path: Path) -> None:
    loaded = load(FIVE, tmp_path)
    assert verify_plan(loaded, hand_plan(loaded, FIVE_ACTIONS, FIVE_ATTAINED, **five_claims())) == []
    # A claim one year early (2023) is caught: the build counts from 2024, the annex likewise.
    early = {"A": {**FIVE_ATTAINED["A"], 2023: True}}
    assert [str(v) for v in verify_plan(loaded, hand_plan(loaded, FIVE_ACTIONS, early, **five_claims()))] == [
        "office A 2023: claims attained=True, but the actions give False (floor area 150 < 200 m²)"]
    # The annex in 2022 is before its from_year.
    taken_early = [FIVE_ACTIONS[0], {**FIVE_ACTIONS[1], "year": 2022}]
    assert "before its from_year 2023" in str(verify_plan(loaded, hand_plan(
        loaded, taken_early, FIVE_ATTAINED, **five_claims()))[0])


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_five_year_optimum_is_the_hand_worked_one(path: str, tmp_path: Path) -> None:
    # Five years: the pattern cost bounds are off (MAX_PATTERN_YEARS = 4), so only the main
    # encoding of lead times and from_year decides.
    loaded = load(FIVE, tmp_path)
    req = derive(loaded)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    assert outcome.status == SolveStatus.OPTIMAL
    plan = make_plan(loaded, req, outcome)
    assert (plan.objective.attained_office_years, plan.objective.total_cost) == (3, 13.0)
    assert [(a.year, a.type, a.area_m2) for a in plan.actions] == [(2022, "build", 20), (2023, "housing", 30)]
    assert {y: s.spent for s in plan.spending for y in [s.year]} == FIVE_SPENT


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_a_scenario_wide_quota_binds_offices_that_share_nothing_else(path: str, tmp_path: Path) -> None:
    # Two counties, each with its own budget and its own target cell, share only the quota of one
    # new mediator in 2022. Each office lacks one mediator (1 of 2): only one can attain, for
    # 0.5 + 7.2 = 7.7 万元; solving the counties apart would hire two and break the quota.
    sc = scenario(targets={2022: {"all": 0.0}}, budget={"甲县": {2022: 100}, "乙县": {2022: 100}},
                  quotas={"mediators": {2022: 1}},
                  offices=[office(id="A", staff={"posts": 2, "mediators": 1}),
                           office(id="B", county="乙县", staff={"posts": 2, "mediators": 1})])
    loaded = load(sc, tmp_path)
    req = derive(loaded)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    plan = make_plan(loaded, req, outcome)
    assert (plan.objective.attained_office_years, plan.objective.total_cost) == (1, 7.7)
    assert verify_plan(loaded, plan) == []
