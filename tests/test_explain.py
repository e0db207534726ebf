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
