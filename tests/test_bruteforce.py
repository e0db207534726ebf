"""`solve` agrees with an independent brute force on all three objective levels.

Hypothesis draws tiny scenarios on a tiny custom standard (2 roles, a caseload ratio, 3 rooms incl.
an `any_of`, small floor-area gaps) with lease/build/housing options, per-county or scenario-wide
budgets, optional quotas, hard or soft targets and weights. Every plan must also pass verify.
"""

from __future__ import annotations


import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bruteforce import brute_force
from planner.classify import classify_all
from planner.loading import load_scenario
from planner.requirements import derive
from planner.result import make_plan
from planner.solve import SolveParams, SolveStatus, solve
from planner.verify import verify_plan

STANDARD = {
    "id": "tiny", "name": "tiny test standard",
    "roles": {"a": {"name_zh": "甲"}, "b": {"name_zh": "乙"}},
    "facilities": {"r1": {"name_zh": "室一"}, "r2": {"name_zh": "室二"}, "r3": {"name_zh": "室三"}},
    "caseload_fields": {"cs": {"name_zh": "对象"}},
    "attributes": {"score": {"name_zh": "考核分"}},
    "caseload_ratios": {"b": {"field": "cs", "per_worker": 10}},
    "classification": {"match": "all", "size": {"large": {"min_population": 100000, "min_area_km2_exclusive": 100},
                                                 "medium": {"min_population": 50000, "min_area_km2_exclusive": 20}}},
    "tiers": {
        "large": {"name_zh": "大型", "min_total_staff": 4, "min_staff": {"a": 2},
                  "min_floor_area_m2": {"township": 12, "subdistrict": 11},
                  "facilities": ["r1", {"any_of": [["r2"], ["r3"]]}], "conditions": {"score": 80}},
        "medium": {"name_zh": "中型", "min_total_staff": 3, "min_staff": {"a": 1},
                   "min_floor_area_m2": {"township": 11, "subdistrict": 10}, "facilities": ["r1"]},
        "small": {"name_zh": "小型", "min_total_staff": 2, "min_staff": {},
                  "min_floor_area_m2": {"township": 10, "subdistrict": 10}, "facilities": []},
    },
    "target_scope": "county",
    "default_targets": {},
}

money = st.sampled_from([0, 0.5, 1, 1.5, 2, 3, 4.25])


@st.composite
def scenarios(draw: st.DrawFn) -> dict:
    T = draw(st.integers(1, 2))
    years = [2024 + t for t in range(T)]
    n = draw(st.integers(2, 3))
    counties = ["甲县", "乙县"][: draw(st.integers(1, 2))]
    offices = []
    for i in range(n):
        tier = draw(st.sampled_from(["large", "medium", "small"]))
        o = {"id": f"O{i}", "name": f"所{i}", "county": counties[i % len(counties)],
             "kind": draw(st.sampled_from(["township", "subdistrict"])), "population": 1000, "tier": tier,
             "staff": {"a": draw(st.integers(0, 2)), "b": draw(st.integers(0, 2))},
             "floor_area_m2": draw(st.integers(8, 12)),
             "facilities": draw(st.lists(st.sampled_from(["r1", "r2", "r3"]), unique=True, max_size=2)),
             "caseload": {"cs": {y: draw(st.integers(0, 15)) for y in years}},  # 10 per worker
             "attributes": {"score": draw(st.sampled_from([75, 85, 85, 90]))}}
        if draw(st.booleans()):
            o["housing_options"] = [{"id": "h", "area_m2": draw(st.integers(1, 3)), "one_time": draw(money),
                                     "annual": draw(money), "lead_years": draw(st.integers(0, 1)),
                                     "from_year": draw(st.sampled_from(years))}]
        offices.append(o)
    housing = {}
    if draw(st.integers(0, 3)):
        housing["lease"] = {"annual_per_m2": draw(st.sampled_from([0.1, 0.25, 1.0]))}
    if draw(st.booleans()):
        housing["build"] = {"one_time_per_m2": draw(st.sampled_from([0.2, 0.5, 2.0])),
                            "lead_years": draw(st.integers(0, 1))}
    roles = {}
    for r in ("a", "b"):
        if draw(st.integers(0, 6)):
            roles[r] = {"one_time": draw(money), "annual": draw(money)}
    facilities = {f: {"one_time": draw(money), "annual": draw(money)}
                  for f in ("r1", "r2", "r3") if draw(st.integers(0, 5))}
    if draw(st.booleans()):
        budget = {y: draw(st.sampled_from([0, 3, 9, 15, 40, 90])) for y in years}
    else:
        budget = {c: {y: draw(st.sampled_from([0, 3, 9, 20, 50])) for y in years} for c in counties}
    sc = {"name": "brute", "standard": "tiny.standard.yaml", "horizon": {"start": years[0], "end": years[-1]},
          "targets": {y: {draw(st.sampled_from(["all", "large", "medium", "small"])): draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))}
                      for y in years},
          "target_scope": draw(st.sampled_from(["county", "city"])),
          "targets_mode": draw(st.sampled_from(["hard", "soft"])),
          "weights": {t: draw(st.sampled_from([1, 1, 2, 0])) for t in ("large", "medium", "small")},
          "budget": budget, "costs": {"roles": roles, "facilities": facilities, "housing": housing},
          "offices": offices}
    if draw(st.booleans()) and "a" in roles:
        sc["quotas"] = {"a": {c: {y: draw(st.integers(0, 2)) for y in years} for c in counties}}
    return sc


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sc=scenarios())
def test_solve_matches_brute_force(sc: dict, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("bf")
    (folder / "tiny.standard.yaml").write_text(yaml.safe_dump(STANDARD, allow_unicode=True), encoding="utf-8")
    path = folder / "s.yaml"
    path.write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    loaded = load_scenario(path)
    tiers = {oid: c.tier for oid, c in classify_all(loaded.offices, loaded.standard).items()}
    expected = brute_force(sc, STANDARD, tiers)
    req = derive(loaded)
    outcome = solve(req, SolveParams(workers=2, time_limit=60))
    if expected is None:
        assert outcome.status == SolveStatus.INFEASIBLE
        return
    assert outcome.status == SolveStatus.OPTIMAL
    plan = make_plan(loaded, req, outcome)
    assert verify_plan(loaded, plan) == []
    o = plan.objective
    assert (o.shortfall, o.attained_office_years, round(o.total_cost * 10_000)) == expected
