"""`plan explain` on infeasible scenarios: the blocked target, the limit, and a restoring figure
that is feasible at the figure and infeasible 0.01 万元 (or one person) below it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from test_rules import office, scenario

from cli.main import cli

ROOT = Path(__file__).resolve().parents[1]


def write(tmp: Path, name: str, data: dict) -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def solve_code(path: Path, tmp: Path) -> int:
    return CliRunner().invoke(cli, ["solve", str(path), "-o", str(tmp / "o"), "--quiet"]).exit_code


def test_a_county_budget_cut_to_zero_is_named_with_its_restoring_figure(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "scenarios" / "2022.yaml").read_text(encoding="utf-8"))
    data["budget"]["泰兴市"][2022] = 0
    cut = write(tmp_path, "cut.yaml", data)
    result = CliRunner().invoke(cli, ["explain", str(cut), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["feasible"] is False
    assert all(t["scope"] == "泰兴市" and t["year"] == 2022 for t in info["targets"])
    assert [(lim["kind"], lim["scope"], lim["year"]) for lim in info["limits"]] == [("budget", "泰兴市", 2022)]
    figure = info["limits"][0]["restoring_figure"]
    assert "泰兴市 2022 年预算" in info["text_zh"] and f"{figure}" in info["text_zh"]
    data["budget"]["泰兴市"][2022] = figure
    assert solve_code(write(tmp_path, "at.yaml", data), tmp_path) == 0
    data["budget"]["泰兴市"][2022] = round(figure - 0.01, 2)
    assert solve_code(write(tmp_path, "below.yaml", data), tmp_path) == 3


def test_a_quota_is_named_with_the_smallest_restoring_quota(tmp_path: Path) -> None:
    # Two offices each lack a (free) post; the county may fill 0: the restoring quota is 2.
    offices = [office(id=i, staff={"posts": 1, "mediators": 2}) for i in ("A1", "A2")]
    data = scenario(offices=offices, quotas={"posts": {"甲县": {2022: 0}}})
    path = write(tmp_path, "q.yaml", data)
    info = json.loads(CliRunner().invoke(cli, ["explain", str(path), "--json"]).output)
    assert [(lim["kind"], lim["role"], lim["restoring_figure"]) for lim in info["limits"]] == [("quota", "posts", 2)]
    data["quotas"]["posts"]["甲县"][2022] = 1
    assert solve_code(write(tmp_path, "q1.yaml", data), tmp_path) == 3


def test_a_feasible_scenario_says_so() -> None:
    result = CliRunner().invoke(cli, ["explain", str(ROOT / "scenarios" / "2022.yaml"), "--json"])
    assert json.loads(result.output)["feasible"] is True


def test_a_condition_money_cannot_fix_is_named_without_a_limit(tmp_path: Path) -> None:
    # lianyungang-2019: a small office needs score ≥ 80. 乙所 has 70: no money helps, so the
    # 2019 target (both offices) cannot be met with any budget, and no limit is named.
    def ly(oid: str, name: str, score: int) -> dict:
        return {"id": oid, "name": name, "county": "甲区", "kind": "township", "population": 20000,
                "area_km2": 10, "tier": "small", "staff": {"posts": 2, "assistants": 2}, "floor_area_m2": 200,
                "attributes": {"score": score}}
    data = {"name": "score", "standard": "lianyungang-2019", "horizon": {"start": 2019, "end": 2019},
            "targets": {2019: {"all": 1.0}}, "budget": {2019: 100},
            "costs": {"roles": {"posts": {"annual": 0}, "assistants": {"one_time": 0.3, "annual": 5.5}}},
            "offices": [ly("A", "甲所", 88), ly("B", "乙所", 70)]}
    info = json.loads(CliRunner().invoke(cli, ["explain", str(write(tmp_path, "s.yaml", data)), "--json"]).output)
    assert info["feasible"] is False and info["limits"] == []
    assert "至多 1 个可达标" in info["text_zh"]
    assert "B 乙所无论投入多少都无法达标：条件 score 未达到，资金投入无法解决" in info["text_zh"]
    b = next(o for o in info["explanations"]["offices"] if o["id"] == "B")
    assert b["cheapest"] == [{"from_year": 2019, "reachable": False,
                              "why_en": ["condition score is not met, and money cannot fix it"],
                              "why_zh": ["条件 score 未达到，资金投入无法解决"]}]


def joint_conflict(tmp: Path) -> Path:
    """Two counties each lack one mediator (7.70 万元); the city budget pays for one of them only."""
    offices = [office(id="A", county="甲县", staff={"posts": 2, "mediators": 1}),
               office(id="B", name="乙镇", county="乙县", staff={"posts": 2, "mediators": 1})]
    return write(tmp, "joint.yaml", scenario(offices=offices, budget={2022: 7.7}))


def test_targets_that_conflict_only_together_are_said_to_conflict_jointly(tmp_path: Path) -> None:
    # Each target alone can be met (at most 1 of 1 attains): the text must not read
    # "needs 1 … at most 1 can" as if that were the contradiction.
    info = json.loads(CliRunner().invoke(cli, ["explain", str(joint_conflict(tmp_path)), "--json"]).output)
    assert info["text_zh"] == (
        "以下 2 个硬性目标不能同时实现（预算与名额不够同时满足它们；去掉其中任何一个，其余的都能实现）："
        "2022 年乙县全部司法所需 1 个达标（共 1 个，目标 100%），单独满足它可行（至多 1 个可达标），"
        "但会占用其他目标所需的预算或名额；2022 年甲县全部司法所需 1 个达标（共 1 个，目标 100%），"
        "单独满足它可行（至多 1 个可达标），但会占用其他目标所需的预算或名额。"
        "受限于全市 2022 年预算 7.70 万元：增至 15.40 万元即可使全部硬性目标可行。")
    assert info["text_en"].startswith(
        "These 2 hard targets cannot all be met together (the budgets and quotas do not stretch to all of "
        "them; drop any one and the others can be met): the 2022 target for all offices of 乙县 needs 1 of 1 "
        "to attain (100%), which alone is possible (up to 1 can attain) but takes budget or posts the others need; ")


def test_solve_reports_the_joint_conflict_in_the_chosen_language(tmp_path: Path) -> None:
    path = joint_conflict(tmp_path)
    zh = CliRunner().invoke(cli, ["solve", str(path), "-o", str(tmp_path / "o")], env={"PLAN_LANG": "zh"})
    assert zh.exit_code == 3
    assert zh.output == (
        "不可行：硬性目标在现有预算与名额下无法全部实现。\n"
        "以下 2 个硬性目标不能同时实现（预算与名额不够同时满足它们；去掉其中任何一个，其余的都能实现）：\n"
        "  2022 年乙县全部司法所需 1 个达标（共 1 个，目标 100%）\n"
        "  2022 年甲县全部司法所需 1 个达标（共 1 个，目标 100%）\n"
        "它们争用的限额：全市 2022 年预算\n"
        "加 --soft-targets 可查看能达到的最好方案；`plan explain` 给出使目标可行的预算或名额数字。\n")
    en = CliRunner().invoke(cli, ["solve", str(path), "-o", str(tmp_path / "o"), "--lang", "en"])
    assert en.exit_code == 3
    assert ("These 2 hard targets cannot all be met together (the budgets and quotas do not stretch to all of "
            "them; drop any one and the others can be met):\n"
            "  the 2022 target for all offices of 乙县 needs 1 of 1 to attain (100%)\n") in en.output


def test_a_target_that_cannot_be_met_even_alone_says_how_far_short(tmp_path: Path) -> None:
    offices = [office(id="A", county="甲县", staff={"posts": 2, "mediators": 1})]
    path = write(tmp_path, "alone.yaml", scenario(offices=offices, budget={2022: 7.0}))
    info = json.loads(CliRunner().invoke(cli, ["explain", str(path), "--json"]).output)
    assert info["text_zh"].startswith("这个硬性目标在现有预算与名额下无法实现：2022 年甲县全部司法所需 1 个达标"
                                      "（共 1 个，目标 100%），现有预算与名额下至多 0 个可达标，差 1 个。")
