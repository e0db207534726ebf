"""Scopes above the county (docs/reference.md §1, §6, §8): a city fund and a county budget both
apply to an office; city quotas and targets; scope names validated; 地级市/省 table columns.

The hand-worked case (jiangsu-2021, small township offices, one year, soft targets):

* A1 (甲县) lacks a mediator: 0.5 + 7.2 = 7.7 万元.
* A2 (甲县) lacks a mediator and the 人民调解委员会 room (2.0): 9.7 万元.
* B1 (乙县) lacks a mediator and, with 1 released person, a resettlement worker (0.3 + 7.5): 15.5 万元.

All three are in 丙市; the target is every office of the city (required 3). The city fund of 23.2
cannot lift all three (32.9). Alone it lifts the cheapest two, A1 + A2 (17.4). With 甲县's own
budget of 10 as well, A1 + A2 (17.4 in 甲县) no longer fit, A2 + B1 (25.2) exceed the fund, and
the only way to lift two is A1 + B1 = 23.2: both limits bind.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from test_rules import office, run, scenario

from planner.errors import ScenarioError
from planner.i18n import set_lang
from planner.io.loading import load_scenario
from planner.rules.requirements import derive
from planner.rules.verify import verify_plan
from planner.solver.params import SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import solve

SHORT = {"posts": 2, "mediators": 1}


def _offices() -> list[dict]:
    return [office(id="A1", city="丙市", staff=SHORT),
            office(id="A2", city="丙市", gdp_rank=2, staff=SHORT,
                   facilities=[f for f in office()["facilities"] if f != "mediation_committee"]),
            office(id="B1", county="乙县", city="丙市", staff=SHORT, caseload={"released_persons": 1})]


def _hand_worked(budget: dict) -> dict:
    sc = scenario(targets_mode="soft", target_scope="city", budget=budget, offices=_offices())
    sc["costs"]["facilities"] = {"mediation_committee": {"one_time": 2.0}}
    return sc


def attained(plan) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(o.id for o in plan.offices if o.attained["2022"])


def test_a_city_fund_alone_lifts_the_two_cheapest_offices(tmp_path: Path) -> None:
    _, plan = run(_hand_worked({"丙市": {2022: 23.2}}), tmp_path)
    assert plan and attained(plan) == ["A1", "A2"]
    assert (plan.objective.shortfall, plan.objective.attained_office_years, plan.objective.total_cost) == (1, 2, 17.4)
    assert [(a.scope, a.offices, a.required) for a in plan.attainment] == [("丙市", 3, 3)]


def test_a_city_fund_and_a_county_budget_both_bind(tmp_path: Path) -> None:
    _, plan = run(_hand_worked({"丙市": {2022: 23.2}, "甲县": {2022: 10}}), tmp_path)
    assert plan and attained(plan) == ["A1", "B1"]
    assert (plan.objective.shortfall, plan.objective.attained_office_years, plan.objective.total_cost) == (1, 2, 23.2)
    assert [(s.scope, s.budget, s.spent) for s in plan.spending] == [("丙市", 23.2, 23.2), ("甲县", 10.0, 7.7)]
    # One yuan less in the city fund and only one office can be lifted.
    _, poorer = run(_hand_worked({"丙市": {2022: 23.1999}, "甲县": {2022: 10}}), tmp_path)
    assert poorer and poorer.objective.attained_office_years == 1


def _two_cities(**changes: object) -> dict:
    offices = [office(id="A1", city="丙市", province="甲省"), office(id="A2", city="丙市", province="甲省", gdp_rank=2),
               office(id="B1", county="乙县", city="丙市", province="甲省"),
               office(id="C1", county="丁县", city="戊市", province="甲省")]
    return scenario(**{"offices": offices, "budget": {"甲省": {2022: 100}}, **changes})


@pytest.mark.parametrize(("target_scope", "cells"), [
    ("county", [("丁县", 1), ("乙县", 1), ("甲县", 2)]),
    ("city", [("丙市", 3), ("戊市", 1)]),
    ("province", [("甲省", 4)]),
    ("all", [("all", 4)])])
def test_target_scope_makes_one_cell_per_county_city_or_province(
        target_scope: str, cells: list[tuple[str, int]], tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(_two_cities(target_scope=target_scope), allow_unicode=True), encoding="utf-8")
    req = derive(load_scenario(path))
    assert [(c.scope, len(c.office_ids)) for c in req.targets] == cells
    members = req.scope_members()
    assert {k: len(v) for k, v in members.items()} == {"all": 4, "甲县": 2, "乙县": 1, "丁县": 1, "丙市": 3,
                                                       "戊市": 1, "甲省": 4}


# ---------------------------------------------------------------- verify, per city limit

def _city_limits(**changes: object) -> dict:
    """A1, B1 of 丙市 each lack a post (free) and a mediator (7.7); C1 of 戊市 meets the standard."""
    lacking = {"posts": 1, "mediators": 1}
    offices = [office(id="A1", city="丙市", staff=lacking), office(id="B1", county="乙县", city="丙市", staff=lacking),
               office(id="C1", county="丁县", city="戊市")]
    base = {"target_scope": "city", "budget": {"丙市": {2022: 15.4}, "戊市": {2022: 1}},
            "quotas": {"posts": {"丙市": {2022: 2}}}, "offices": offices}
    return scenario(**{**base, **changes})


def _load(sc: dict, tmp_path: Path, name: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    return load_scenario(path)


def _plan_for(sc: dict, tmp_path: Path):  # type: ignore[no-untyped-def]
    loaded = _load(sc, tmp_path, "solved.yaml")
    req = derive(loaded)
    plan = make_plan(loaded, req, solve(req, SolveParams(workers=2, time_limit=30)))
    assert verify_plan(loaded, plan) == []
    return plan


def test_verify_catches_a_plan_over_the_city_budget_only(tmp_path: Path) -> None:
    plan = _plan_for(_city_limits(), tmp_path)
    strict = _load(_city_limits(budget={"丙市": {2022: 15.3999}, "戊市": {2022: 1}}), tmp_path, "strict.yaml")
    plan.spending[0].budget = 15.3999  # the plan states the strict budget: only the overspending is wrong
    assert [str(v) for v in verify_plan(strict, plan)] == [
        "budget 丙市 2022: spends 15.4 万元, over the budget of 15.3999"]


def test_verify_catches_a_plan_over_the_city_quota_only(tmp_path: Path) -> None:
    plan = _plan_for(_city_limits(), tmp_path)
    strict = _load(_city_limits(quotas={"posts": {"丙市": {2022: 1}}}), tmp_path, "strict.yaml")
    assert [str(v) for v in verify_plan(strict, plan)] == ["quota posts 丙市 2022: hires 2, over the quota of 1"]


def test_verify_catches_a_plan_missing_the_city_target_only(tmp_path: Path) -> None:
    # Weight 0: nothing but the target asks for attainment, so the plan lifts one of A1, B1.
    plan = _plan_for(_city_limits(targets={2022: {"all": 0.5}}, weights={"small": 0}), tmp_path)
    strict = _load(_city_limits(weights={"small": 0}), tmp_path, "strict.yaml")
    cell = next(a for a in plan.attainment if a.scope == "丙市")
    cell.target, cell.required, cell.met = 1.0, 2, False  # stated as the strict target asks
    for a in plan.attainment:
        a.target = 1.0
    plan.objective.shortfall = 1
    assert [str(v) for v in verify_plan(strict, plan)] == ["target 2022 all 丙市: 1 of 2 attain, the target needs 2"]


# ---------------------------------------------------------------- validation

@pytest.fixture()
def english():  # type: ignore[no-untyped-def]
    set_lang("en")
    yield
    set_lang(None)


def _errors(sc: dict, tmp_path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        _load(sc, tmp_path, "s.yaml")
    return [str(i) for i in exc.value.issues]


def _line(tmp_path: Path, text: str) -> int:
    """The line of `s.yaml` that first contains `text`."""
    lines = (tmp_path / "s.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_an_unknown_scope_name_is_refused_with_did_you_mean(tmp_path: Path, english: None) -> None:
    errors = _errors(_two_cities(budget={"丙": {2022: 100}, 2022: 5}), tmp_path)
    assert errors == [(f"{tmp_path / 's.yaml'}:{_line(tmp_path, '丙:')}: budget.丙: no office belongs to a county, "
                      "city or province named '丙' (did you mean '丙市'?)")]


def test_an_unknown_scope_name_in_chinese(tmp_path: Path) -> None:
    set_lang("zh")
    try:
        errors = _errors(_two_cities(quotas={"posts": {"戊": {2022: 1}}}), tmp_path)
    finally:
        set_lang(None)
    assert errors == [(f"{tmp_path / 's.yaml'}:{_line(tmp_path, '戊:')}: quotas.posts.戊: "
                      "没有司法所属于名为 '戊' 的县、市或省（是不是 '戊市'？）")]


def test_a_name_that_is_a_county_and_a_city_of_other_offices_is_ambiguous(tmp_path: Path, english: None) -> None:
    sc = _two_cities(budget={"戊市": {2022: 100}, 2022: 5})
    sc["offices"][0]["county"] = "戊市"  # a county 戊市 (A1) beside the city 戊市 (C1)
    errors = _errors(sc, tmp_path)
    assert errors == [(f"{tmp_path / 's.yaml'}:{_line(tmp_path, '戊市:')}: budget.戊市: '戊市' names a county and "
                      "a city holding different offices; rename one of them in the office data")]


def test_a_city_that_is_its_own_only_county_is_one_scope(tmp_path: Path) -> None:
    # 东莞市 has no counties: its towns give 东莞市 as county and city; the name is not ambiguous.
    sc = _two_cities(budget={"戊市": {2022: 100}, 2022: 5})
    sc["offices"][3]["county"] = "戊市"
    loaded = _load(sc, tmp_path, "s.yaml")
    assert [(b.scope, b.year) for b in loaded.budgets] == [("戊市", 2022), ("all", 2022)]
    assert derive(loaded).scope_members()["戊市"] == (3,)


def test_a_county_in_two_cities_is_refused(tmp_path: Path, english: None) -> None:
    sc = _two_cities()
    sc["offices"][3]["county"] = "甲县"  # 甲县 of 丙市 and 甲县 of 戊市
    assert _errors(sc, tmp_path) == [
        (f"{tmp_path / 's.yaml'}:{_city_line(tmp_path, 3)}: "
        "offices[3].city: 甲县 lies in 丙市 (offices[0]) and in 戊市; give different units different names, "
        "e.g. 戊市甲县")]


def _city_line(tmp_path: Path, index: int) -> int:
    lines = (tmp_path / "s.yaml").read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, 1) if line.strip().startswith("city:")][index]


def test_city_for_some_offices_only_is_refused(tmp_path: Path, english: None) -> None:
    sc = _two_cities(budget={2022: 100})
    del sc["offices"][2]["city"]
    errors = _errors(sc, tmp_path)
    assert len(errors) == 1
    assert errors[0].endswith("offices[2].city: office B1 has no city while others have one; "
                              "give it for every office or for none")


def test_a_city_fund_covers_its_counties_only(tmp_path: Path, english: None) -> None:
    errors = _errors(_two_cities(budget={"丙市": {2022: 100}}), tmp_path)
    assert errors == [(f"{tmp_path / 's.yaml'}:{_line(tmp_path, 'budget:')}: budget: no budget covers 丁县 in 2022: "
                      "give `2022: amount` (scenario-wide) or `丁县: {2022: amount}` (or its city's or province's)")]


def test_chinese_table_headers_give_city_and_province(tmp_path: Path) -> None:
    (tmp_path / "offices.csv").write_text(
        "编号,名称,县区,地级市,省,类型,常住人口,面积,staff.posts\n"
        "A1,甲镇,甲县,丙市,甲省,镇,20000,10,2\n"
        "B1,乙镇,乙县,丙市,甲省,镇,20000,10,2\n", encoding="utf-8")
    sc = copy.deepcopy(scenario(budget={"丙市": {2022: 10}}))
    sc["offices"] = "offices.csv"
    loaded = _load(sc, tmp_path, "s.yaml")
    assert [(o.county, o.city, o.province) for o in loaded.offices] == [("甲县", "丙市", "甲省"), ("乙县", "丙市", "甲省")]


def test_the_sweep_total_counts_a_city_fund_once_not_its_counties_too(tmp_path: Path) -> None:
    from planner.analysis.sweep import total_budget_yuan

    loaded = _load(_two_cities(budget={"丙市": {2022: 20}, "甲县": {2022: 8}, "丁县": {2022: 3}}), tmp_path, "s.yaml")
    assert total_budget_yuan(loaded.budgets, derive(loaded).scope_members()) == 230_000  # 20 + 3


def test_the_city_fund_example_has_one_fund_a_year_and_county_quotas_and_targets() -> None:
    loaded = load_scenario(Path(__file__).parents[1] / "scenarios" / "examples" / "city_fund.yaml")
    req = derive(loaded)
    assert [(b.scope, b.year) for b in loaded.budgets] == [("泰州市", 2022), ("泰州市", 2023)]
    assert {q.scope for q in loaded.quotas} == set(loaded.counties)
    assert {c.scope for c in req.targets} == set(loaded.counties)
    assert req.scope_members()["泰州市"] == tuple(range(12))


def test_offices_sharing_a_city_fund_form_one_component_and_the_limits_follow_them(tmp_path: Path) -> None:
    from planner.solver.components import components, split_requirements

    loaded = _load(_two_cities(budget={"丙市": {2022: 20}, "甲县": {2022: 8}, "戊市": {2022: 5}},
                               quotas={"posts": {"乙县": {2022: 1}}}), tmp_path, "s.yaml")
    req = derive(loaded)
    parts = components(req)
    assert [[req.offices[i].id for i in p] for p in parts] == [["A1", "A2", "B1"], ["C1"]]
    first, second = split_requirements(req, parts)
    assert [b.scope for b in first.budgets] == ["丙市", "甲县"] and [b.scope for b in second.budgets] == ["戊市"]
    assert [q.scope for q in first.quotas] == ["乙县"] and second.quotas == ()
