"""Each office's path on the two offices of test_compare, worked out by hand:
requirements and gaps at the start, the cheapest way to attain from each year, and what binds in
the years the plan leaves an office unattained (a budget, quotas together, no route)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_compare import TINY

from cli.main import cli
from planner.analysis.office_explain import explain_offices
from planner.io.loading import load_scenario
from planner.rules.requirements import derive
from planner.rules.verify import verify_plan
from planner.solver.params import SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import solve

# From test_compare: A (甲镇) needs +1 mediator (0.5 + 7.2/yr), +3 correction_sw (8.0/yr each),
# +2 resettlement_sw (7.5/yr each), +20 m² lease (0.48/yr), five_stations (2.0) and
# rule_of_law_room (3.0): 52.18 in its first year, 46.68 in each later year.
# B (乙街道) attains as it is in 2022; in 2023 its 16 subjects need a 2nd correction_sw (8.0).


def tiny(**changes: object) -> dict:
    data = yaml.safe_load(TINY.replace("BUDGET", "100").replace("QUOTAS", ""))
    data["targets_mode"] = "soft"
    data.update(changes)
    return data


def explained(tmp_path: Path, data: dict) -> dict:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_scenario(path)
    req = derive(loaded)
    outcome = solve(req, SolveParams(workers=2, time_limit=30))
    plan = make_plan(loaded, req, outcome)
    assert outcome.status == "optimal" and verify_plan(loaded, plan) == []
    return {e.office.id: e.to_dict() for e in explain_offices(loaded, req, plan)}


def test_cheapest_paths_and_a_budget_that_binds(tmp_path: Path) -> None:
    # Budget 60 (2022), 50 (2023). Best plan: A attains both years (52.18, then 46.68), B only
    # 2022: 46.68 + 8.0 = 54.68 > 50 in 2023. 3 office-years; B alone both years would be 2.
    got = explained(tmp_path, tiny(budget={2022: 60, 2023: 50}))
    a, b = got["A"], got["B"]
    assert a["attained"] == {"2022": True, "2023": True} and a["not_attained"] == []
    assert a["tier"] == "small" and a["tier_reason"].startswith("small:")
    assert [g["en"] for g in a["gaps_at_start"][0]["gaps"]] == [
        "mediators 1 < 2", "correction_sw 0 < 3", "resettlement_sw 0 < 2", "total staff 3 < 4",
        "floor area 180 < 200 m²", "room: one of governance_room+publicity_room | rule_of_law_room",
        "room five_stations"]
    assert a["requirements"][0]["staff"] == {"posts": 2, "mediators": 2, "correction_sw": 3, "resettlement_sw": 2}
    from_2022, from_2023 = a["cheapest"]
    assert (from_2022["total_cost"], from_2022["cost_by_year"]) == (98.86, {"2022": 52.18, "2023": 46.68})
    # From 2023 everything is done in 2023 (the rooms too: the same price, later money).
    assert (from_2023["total_cost"], from_2023["cost_by_year"]) == (52.18, {"2022": 0.0, "2023": 52.18})
    assert sorted((x["year"], x["type"], x.get("role") or x.get("facility") or "", x.get("count") or x.get("area_m2"))
                  for x in from_2023["actions"]) == [
        (2023, "facility", "five_stations", None), (2023, "facility", "rule_of_law_room", None),
        (2023, "hire", "correction_sw", 3), (2023, "hire", "mediators", 1), (2023, "hire", "resettlement_sw", 2),
        (2023, "lease", "", 20)]
    assert [(c["total_cost"], c["cost_by_year"]) for c in b["cheapest"]] == [
        (8.0, {"2022": 0.0, "2023": 8.0}), (8.0, {"2022": 0.0, "2023": 8.0})]
    assert b["gaps_at_start"] == [{"year": 2022, "gaps": []},
                                  {"year": 2023, "gaps": [{"en": "correction_sw 1 < 2", "zh": "专职社区矫正社会工作者（警辅） 1 人，需 2 人"}]}]
    (why,) = b["not_attained"]
    assert (why["year"], why["kind"]) == (2023, "budget_or_quota")
    assert why["limits"] == [{"kind": "budget", "scope": "all", "year": 2023, "role": None, "amount": 50.0,
                              "used_by_others": 46.68, "left": 3.32, "least_needed": 8.0}]
    assert "全市 2023 年预算 50.00 万元，其他司法所已用 46.68 万元，余 3.32 万元；本所 2023 年至少需支出 8.00 万元" in why["text_zh"]


def test_quotas_that_block_only_together(tmp_path: Path) -> None:
    # correction_sw quota 2 (2022), 1 (2023), money plenty. A needs 3: not in 2022 (quota 2); in
    # 2023 only as 2 + 1, but B needs 2023's one as well. Both ways give 2 office-years; B's way
    # costs 8.0 against A's 68.18, so the plan is B both years and A never.
    got = explained(tmp_path, tiny(quotas={"correction_sw": {2022: 2, 2023: 1}}))
    a = got["A"]
    assert a["attained"] == {"2022": False, "2023": False} and got["B"]["not_attained"] == []
    y2022, y2023 = a["not_attained"]
    # 2022: the 2022 quota blocks on its own (3 needed, 2 left).
    assert [(x["year"], x["role"], x["left"], x["least_needed"]) for x in y2022["limits"]] == [(2022, "correction_sw", 2, 3)]
    # 2023: neither quota alone (3 in 2022, or 0 + 3 in 2023 would do); together they do: with 2023's
    # 0 left A needs 3 in 2022 (2 left), with 2022's 2 it needs 1 in 2023 (0 left after B's one).
    assert [(x["year"], x["used_by_others"], x["left"], x["least_needed"]) for x in y2023["limits"]] == [
        (2022, 0, 2, 3), (2023, 1, 0, 1)]
    assert y2023["text_en"].endswith("(these limits block it together)")
    assert "以上限制共同作用" in y2023["text_zh"]


def test_no_route_names_what_money_cannot_buy(tmp_path: Path) -> None:
    # Nobody prices resettlement_sw; housing only by building (lead 1 year): A can attain in no
    # year (the role), and not in 2022 for the floor area too. B is unaffected.
    data = tiny()
    del data["costs"]["roles"]["resettlement_sw"]
    data["costs"]["housing"] = {"build": {"one_time_per_m2": 0.45, "lead_years": 1}}
    got = explained(tmp_path, data)
    a = got["A"]
    c2022, c2023 = a["cheapest"]
    assert not c2022["reachable"] and not c2023["reachable"]
    assert c2022["why_en"] == ["resettlement_sw cannot be hired (no price in costs.roles)",
                               "no housing route: 20 m² more needed by 2022, and no lease, no build in time and "
                               "housing options of only 0 m² that count by then"]
    assert c2023["why_en"] == ["resettlement_sw cannot be hired (no price in costs.roles)"]
    assert [(w["year"], w["kind"], w["limits"]) for w in a["not_attained"]] == [(2022, "no_route", []),
                                                                                (2023, "no_route", [])]
    assert got["B"]["attained"] == {"2022": True, "2023": True}


def test_cli_office_filter_and_json(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(tiny(budget={2022: 60, 2023: 50}), allow_unicode=True), encoding="utf-8")
    res = CliRunner().invoke(cli, ["explain", str(path), "--office", "B", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [o["id"] for o in data["explanations"]["offices"]] == ["B"]
    assert "marginal" not in data["explanations"]  # one office asked for: no re-solves
    text = CliRunner().invoke(cli, ["explain", str(path), "--office", "B"], env={"PLAN_LANG": "zh"})
    assert "余 3.32 万元；本所 2023 年至少需支出 8.00 万元" in text.stdout
    bad = CliRunner().invoke(cli, ["explain", str(path), "--office", "b"], env={"PLAN_LANG": "en"})
    assert bad.exit_code == 2 and "no office 'b' in the scenario (did you mean B?)" in bad.stderr


@pytest.mark.parametrize("with_explain", [True, False])
def test_solve_explain_writes_the_section_and_the_plan_still_verifies(tmp_path: Path, with_explain: bool) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(tiny(budget={2022: 60, 2023: 50}), allow_unicode=True), encoding="utf-8")
    args = ["solve", str(path), "-o", str(tmp_path / "o"), "-q", "--workers", "2"]
    assert CliRunner().invoke(cli, args + (["--explain"] if with_explain else [])).exit_code == 0
    plan = json.loads((tmp_path / "o" / "plan.json").read_text(encoding="utf-8"))
    assert ("explanations" in plan) is with_explain
    if with_explain:
        assert [o["id"] for o in plan["explanations"]["offices"]] == ["A", "B"]
        gains = plan["explanations"]["marginal"]["gains"]
        # 10% more in 2023 (55) fits B's 8.0 next to A's 46.68: one more office-year, 8.0 more cost.
        assert (gains[0]["year"], gains[0]["change"], gains[0]["delta_attained_office_years"],
                gains[0]["delta_total_cost"]) == (2023, "+10%", 1, 8.0)
    res = CliRunner().invoke(cli, ["verify", str(path), str(tmp_path / "o" / "plan.json")])
    assert res.exit_code == 0, res.output
