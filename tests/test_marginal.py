"""Marginal values of budgets and quotas on scenarios worked out by hand.

Every office is a small (小型) township office of jiangsu-2021 that meets its standard but for the
staff taken away: small needs posts ≥ 2, mediators ≥ 2, total ≥ 4 staff (200 m² and every room
are there). A mediator costs 0.5 + 7.2 = 7.7 万元 in its hiring year and 7.2 in each later year
(docs/reference.md §5); a post costs nothing (paid outside the budget) but is limited by its quota.
Targets: every office attains in 2022 and 2023 (rate 1.0), per county; soft unless said otherwise.

甲县 (A1, A2: one mediator short each), budget 2022: 14, 2023: 15.
  Baseline: one hire in 2022 (7.7; two would be 15.4 > 14), the other in 2023 (7.2 + 7.7 = 14.9
  ≤ 15): attained 1 + 2 = 3, shortfall 1 (2022 needs 2), cost 7.7 + 14.9 = 22.6.
  2022 +10% → 15.4: both hired in 2022 (15.4), 14.4 in 2023: attained 4, cost 29.8 (+7.2).
  2023 +10% → 16.5: 2022 still allows one hire, 2023 attained all already: no change.
  2022 −10% → 12.6: still one hire in 2022: no change.
  2023 −10% → 13.5: the second hire (14.9) no longer fits; keep the first: attained 2 (−1),
  cost 7.7 + 7.2 = 14.9 (−7.7). (Nothing in 2022 and one hire in 2023 attains only 1.)
乙县 (B1: two mediators short), budget 2022: 16, 2023: 15.
  Baseline: both hired in 2022 (15.4), 14.4 in 2023: attained 2, shortfall 0, cost 29.8.
  +10% of either: nothing left to gain.
  2022 −10% → 14.4: one hire in 2022 (7.7), the second in 2023 (7.2 + 7.7 = 14.9 ≤ 15):
  attained 1 (−1), cost 22.6 (−7.2).
  2023 −10% → 13.5: a 2022 hire leaves 7.2 + 7.7 = 14.9 for 2023, both in 2023 cost 15.4, both in
  2022 leave 14.4: B1 never attains (−2), cost 0 (−29.8).
丙县 (C1: one post short), budget 0 in 2022 (±10% of 0 is 0: the baseline itself), 1 in 2023, posts quota 2022: 0, 2023: 1.
  Baseline: the post in 2023: attained 1, shortfall 1, cost 0.
  2022 quota +1: the post in 2022: attained 2 (+1), shortfall −1, cost 0.
  2023 quota +1: no change; 2023 quota −1 → 0: C1 never attains (−1). 2022 quota 0: no −1.
Baseline of the whole: shortfall 1 + 0 + 1 = 2, attained 3 + 2 + 1 = 6, cost 52.4.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from planner.analysis.marginal import MarginalError, MarginalReport, marginal_values
from planner.io.loading import BudgetEntry, QuotaEntry, load_scenario
from planner.rules.requirements import Requirements, derive
from planner.solver.params import SolveParams

ROOMS = ["public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
         "enforcement_management_room", "five_stations"]


def office(oid: str, county: str, posts: int = 2, mediators: int = 2) -> dict:
    return {"id": oid, "name": f"{oid}镇", "county": county, "kind": "township", "population": 20000,
            "area_km2": 10, "staff": {"posts": posts, "mediators": mediators}, "floor_area_m2": 200,
            "facilities": ROOMS}


BASE = {"name": "marginal", "standard": "jiangsu-2021", "horizon": {"start": 2022, "end": 2023},
        "targets": {2022: {"all": 1.0}, 2023: {"all": 1.0}}, "targets_mode": "soft",
        "budget": {"甲县": {2022: 14, 2023: 15}, "乙县": {2022: 16, 2023: 15}, "丙县": {2022: 0, 2023: 1}},
        "quotas": {"posts": {"丙县": {2022: 0, 2023: 1}}},
        "costs": {"roles": {"posts": {"annual": 0}, "mediators": {"one_time": 0.5, "annual": 7.2}}},
        "offices": [office("A1", "甲县", mediators=1), office("A2", "甲县", mediators=1),
                    office("B1", "乙县", mediators=0), office("C1", "丙县", posts=1)]}

PARAMS = SolveParams(time_limit=30, seed=0)


def requirements(sc: dict, tmp_path: Path) -> Requirements:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(sc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return derive(load_scenario(path))


def row(v: object) -> tuple:
    """(scope, year, role, change, status, Δshortfall, Δoffice-years, Δcost) of one value."""
    d = v.to_dict()  # type: ignore[attr-defined]
    return (d["scope"], d["year"], d["role"], d["change"], d["status"], d["delta_shortfall"],
            d["delta_attained_office_years"], d["delta_total_cost"])


@pytest.fixture(scope="module")
def three_counties(tmp_path_factory: pytest.TempPathFactory) -> tuple[MarginalReport, MarginalReport]:
    req = requirements(BASE, tmp_path_factory.mktemp("three"))
    return marginal_values(req, PARAMS, processes=1), marginal_values(req, PARAMS, processes=2)


def test_gains_ranked_best_first(three_counties: tuple[MarginalReport, MarginalReport]) -> None:
    report, _ = three_counties
    b = report.to_dict()["baseline"]
    assert (b["status"], b["shortfall"], b["attained_office_years"], b["total_cost"]) == ("optimal", 2, 6, 52.4)
    # The free post beats the 7.2 万元 the budget rise spends for the same office-year; then the
    # entries that buy nothing, in the scenario's order (budgets, then quotas).
    assert [row(v) for v in report.gains] == [
        ("丙县", 2022, "posts", "+1", "optimal", -1, 1, 0.0),
        ("甲县", 2022, None, "+10%", "optimal", -1, 1, 7.2),
        ("甲县", 2023, None, "+10%", "optimal", 0, 0, 0.0),
        ("乙县", 2022, None, "+10%", "optimal", 0, 0, 0.0),
        ("乙县", 2023, None, "+10%", "optimal", 0, 0, 0.0),
        ("丙县", 2022, None, "+10%", "optimal", 0, 0, 0.0),
        ("丙县", 2023, None, "+10%", "optimal", 0, 0, 0.0),
        ("丙县", 2023, "posts", "+1", "optimal", 0, 0, 0.0),
    ]
    top = report.gains[1]
    assert top.limit == BudgetEntry("甲县", 2022, 140_000) and (top.before, top.after) == (14.0, 15.4)
    assert top.text_zh == "甲县 2022 年预算增加 10%（14.00 → 15.40 万元）：达标所·年 +1，目标缺口 −1，总费用 +7.20 万元。"
    assert top.text_en == ("甲县's 2022 budget +10% (14.00 → 15.40 万元): attained office-years +1, "
                           "target shortfall −1, total cost +7.20 万元.")
    post = report.gains[0]
    assert post.limit == QuotaEntry("posts", "丙县", 2022, 0) and (post.before, post.after) == (0, 1)
    assert post.text_zh == "丙县 2022 年政法专编名额增加 1 名（0 → 1 名）：达标所·年 +1，目标缺口 −1，总费用 0.00 万元。"


def test_losses_ranked_worst_first(three_counties: tuple[MarginalReport, MarginalReport]) -> None:
    report, _ = three_counties
    # 乙县 loses both office-years; three cuts lose one each, the one that saves least first.
    assert [row(v) for v in report.losses] == [
        ("乙县", 2023, None, "-10%", "optimal", 2, -2, -29.8),
        ("丙县", 2023, "posts", "-1", "optimal", 1, -1, 0.0),
        ("乙县", 2022, None, "-10%", "optimal", 1, -1, -7.2),
        ("甲县", 2023, None, "-10%", "optimal", 1, -1, -7.7),
        ("甲县", 2022, None, "-10%", "optimal", 0, 0, 0.0),
        ("丙县", 2022, None, "-10%", "optimal", 0, 0, 0.0),
        ("丙县", 2023, None, "-10%", "optimal", 0, 0, 0.0),
    ]
    worst = report.losses[0]
    assert (worst.before, worst.after) == (15.0, 13.5)
    assert worst.text_zh == "乙县 2023 年预算减少 10%（15.00 → 13.50 万元）：达标所·年 −2，目标缺口 +2，总费用 −29.80 万元。"
    # The 2022 post quota is 0: no "−1" variant for it.
    assert not any(v.limit == QuotaEntry("posts", "丙县", 2022, 0) for v in report.losses)
    zero = next(v for v in report.losses if v.limit == BudgetEntry("丙县", 2022, 0))
    assert (zero.before, zero.after, zero.status) == (0.0, 0.0, "optimal")


def test_processes_do_not_change_the_report(three_counties: tuple[MarginalReport, MarginalReport]) -> None:
    one, two = three_counties
    assert (one.processes, two.processes) == (1, 2)
    assert one == two and one.to_dict() == two.to_dict()
    json.dumps(one.to_dict(), ensure_ascii=False)  # plain data


def hard_scenario(budget_2022: float) -> dict:
    # One office one mediator short, hard targets: 7.7 in 2022 and 7.2 in 2023 must fit.
    sc = copy.deepcopy(BASE)
    sc.update(targets_mode="hard", budget={2022: budget_2022, 2023: 8}, quotas={},
              offices=[office("A1", "甲县", mediators=1)])
    del sc["quotas"]
    return sc


def test_hard_targets_cut_that_becomes_infeasible(tmp_path: Path) -> None:
    # Budget 8 a year (scenario-wide): 2022 −10% → 7.2 < 7.7 cannot pay the hire: infeasible;
    # 2023 −10% → 7.2 still pays the 7.2 a year; +10% buys nothing (all attained).
    report = marginal_values(requirements(hard_scenario(8), tmp_path), PARAMS, processes=1)
    assert report.to_dict()["baseline"] == {"status": "optimal", "shortfall": 0, "attained_office_years": 2,
                                            "total_cost": 14.9}
    assert [row(v) for v in report.losses] == [
        ("all", 2022, None, "-10%", "infeasible", None, None, None),
        ("all", 2023, None, "-10%", "optimal", 0, 0, 0.0),
    ]
    assert [row(v) for v in report.gains] == [
        ("all", 2022, None, "+10%", "optimal", 0, 0, 0.0),
        ("all", 2023, None, "+10%", "optimal", 0, 0, 0.0),
    ]
    cut = report.losses[0]
    assert cut.text_zh == "全市 2022 年预算减少 10%（8.00 → 7.20 万元）：目标将无法全部实现。"
    assert cut.text_en.endswith("the targets could no longer all be met.")
    assert "目标缺口" not in report.losses[1].text_zh  # hard targets: no shortfall to speak of


def test_infeasible_baseline_raises(tmp_path: Path) -> None:
    with pytest.raises(MarginalError, match="cannot meet every hard target"):
        marginal_values(requirements(hard_scenario(7), tmp_path), PARAMS, processes=1)


def test_the_workbook_sheets_of_the_explanations(tmp_path: Path) -> None:
    """各所说明 and 边际价值 in the workbook of `plan solve --explain --xlsx`, row by row as worked
    out above: a quota by its role's name, statuses and labels in the sheet's language; English
    from `plan export --lang en`."""
    import openpyxl
    from click.testing import CliRunner

    from cli.main import cli

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False), encoding="utf-8")
    book = tmp_path / "说明.xlsx"
    solved = CliRunner().invoke(cli, ["solve", str(path), "-o", str(tmp_path / "out"), "--explain",
                                      "--xlsx", str(book), "--quiet", "--lang", "zh"])
    assert solved.exit_code == 0, solved.output
    wb = openpyxl.load_workbook(book)
    why = list(wb["各所说明"].iter_rows(values_only=True))
    assert why[0] == ("县区", "司法所编号", "司法所", "类别", "方案中达标年度", "首年起达标最省（万元）", "未达标原因")
    # A1 and A2 are alike: one of them gets 甲县's one 2022 hire (7.7 of 14), the other waits for 2023.
    a_rows = sorted(r[4:6] for r in why[1:3])
    assert [r[:4] for r in why[1:3]] == [("甲县", "A1", "A1镇", "小型"), ("甲县", "A2", "A2镇", "小型")]
    assert a_rows == [("2022、2023", 14.9), ("2023", 14.9)]  # a mediator: 7.7 in 2022 + 7.2 in 2023
    late = next(r for r in why[1:3] if r[4] == "2023")
    assert late[6] == ("2022 年未达标：其余司法所安排不变时，甲县 2022 年预算 14.00 万元，其他司法所已用 7.70 万元，"
                       "余 6.30 万元；本所 2022 年至少需支出 7.70 万元")
    assert why[3] == ("乙县", "B1", "B1镇", "小型", "2022、2023", 29.8, "每年达标")
    assert why[4][:6] == ("丙县", "C1", "C1镇", "小型", "2023", 0) and "丙县 2022 年政法专项编制人员名额 0 名" in why[4][6]

    assert list(wb["达标情况"].iter_rows(min_row=2, max_row=4, values_only=True)) == [
        (2022, "丙县", "全部", 1, 0, 1, 1, "否（差1个）", 0), (2022, "乙县", "全部", 1, 1, 1, 1, "是", 1),
        (2022, "甲县", "全部", 2, 1, 1, 2, "否（差1个）", 0.5)]  # 甲县: one of A1, A2 in 2022
    assert list(wb["达标情况"].iter_rows(min_row=8, values_only=True)) == [
        (2022, "全市", "全部", 4, 2, 1, 4, "否（2项未完成）", 0.5), (2023, "全市", "全部", 4, 4, 1, 4, "是", 1)]
    marginal = list(wb["边际价值"].iter_rows(values_only=True))
    assert marginal[0][:3] == ("排序", "方向", "限额") and marginal[0][9] == "求解状态"
    rows = [r[:10] for r in marginal[1:]]
    proven = "最优（已证明）"
    assert rows[:3] == [(1, "增加", "丙县 2022 年政法专项编制人员名额", "+1", 0, 1, 1, -1, 0, proven),
                        (2, "增加", "甲县 2022 年预算", "+10%", 14, 15.4, 1, -1, 7.2, proven),
                        (3, "增加", "甲县 2023 年预算", "+10%", 15, 16.5, 0, 0, 0, proven)]
    assert rows[8:12] == [(1, "减少", "乙县 2023 年预算", "-10%", 15, 13.5, -2, 2, -29.8, proven),
                          (2, "减少", "丙县 2023 年政法专项编制人员名额", "-1", 1, 0, -1, 1, 0, proven),
                          (3, "减少", "乙县 2022 年预算", "-10%", 16, 14.4, -1, 1, -7.2, proven),
                          (4, "减少", "甲县 2023 年预算", "-10%", 15, 13.5, -1, 1, -7.7, proven)]
    assert len(rows) == 8 + 7 and marginal[2][10] == ("甲县 2022 年预算增加 10%（14.00 → 15.40 万元）：达标所·年 +1，"
                                                      "目标缺口 −1，总费用 +7.20 万元。")

    english = tmp_path / "en.xlsx"
    exported = CliRunner().invoke(cli, ["export", str(tmp_path / "out" / "plan.json"), "--scenario", str(path),
                                        "--xlsx", str(english), "--lang", "en"])
    assert exported.exit_code == 0, exported.output
    wb = openpyxl.load_workbook(english)
    assert [r[:4] for r in wb["Offices explained"].iter_rows(values_only=True)][3] == ("乙县", "B1", "B1镇", "small")
    assert next(wb["Offices explained"].iter_rows(min_row=4, values_only=True))[4:] == (
        "2022, 2023", 29.8, "attained every year")
    # A missed target says by how many, in the sheet's language; milestones stay Chinese phrases.
    assert list(wb["Attainment"].iter_rows(min_row=2, max_row=4, values_only=True)) == [
        (2022, "丙县", "all", 1, 0, 1, 1, "no (short by 1)", 0), (2022, "乙县", "all", 1, 1, 1, 1, "yes", 1),
        (2022, "甲县", "all", 2, 1, 1, 2, "no (short by 1)", 0.5)]
    assert [r[:2] for r in wb["Summary"].iter_rows(min_row=6, max_row=11, values_only=True)] == [
        ("offices", 4), ("status", "optimal"), ("shortfall", 2), ("attained office-years", 6),
        ("total cost (10k CNY)", 52.4), ("targets met", "4/6")]
    b1 = next(r for r in wb["Timetable"].iter_rows(values_only=True) if r[3] == "B1")
    assert b1[5:10] == ("small", "启动招录专职人民调解员 2人", "完成招录专职人民调解员 2人", "专职人民调解员 2人到岗", "达标验收")
    rows = [r[:10] for r in wb["Marginal values"].iter_rows(min_row=2, values_only=True)]
    assert rows[0] == (1, "more", "丙县 2022 civil-service posts quota", "+1", 0, 1, 1, -1, 0, "optimal")
    assert rows[8] == (1, "less", "乙县 2023 budget", "-10%", 15, 13.5, -2, 2, -29.8, "optimal")
