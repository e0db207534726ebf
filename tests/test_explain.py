"""`plan explain` on infeasible scenarios: the blocked target, the limit, and a restoring figure
that is feasible at the figure and infeasible 0.01 万元 (or one person) below it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from cli.main import cli
from test_rules import office, scenario

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
