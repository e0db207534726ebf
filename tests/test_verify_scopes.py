"""Verify catches a broken limit in each scope (issue 13 §3), and its recount is independent of
the plan writer: a bug planted in either one is caught by the other.

Three small township offices, each one mediator short (1 of 2): A1 and A2 in 甲县, B1 in 乙县.
A mediator costs 0.5 once + 7.2 a year, so 7.7 in the year hired. Each plan below hires one
mediator in some offices; the plan writer states its claims honestly, so the only violation
verify may report is the broken limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from handplan import load, writer_plan
from test_rules import office, scenario

import planner.rules.evaluate
import planner.rules.recount
from planner.rules.verify import verify_plan


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
