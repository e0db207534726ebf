"""`plan verify` catches hand-broken plans; `plan solve` exit codes and outputs (docs/reference.md §9–§10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_rules import office, scenario

from cli.main import cli

SCENARIO = scenario(
    horizon={"start": 2022, "end": 2023}, targets={2022: {"all": 1.0}},
    budget={2022: 20, 2023: 20}, quotas={"posts": {2022: 1, 2023: 1}},
    offices=[office(staff={"posts": 1, "mediators": 1}, floor_area_m2=150,
                    housing_options=[{"id": "annex", "area_m2": 60, "one_time": 1.0}])])


@pytest.fixture()
def solved(tmp_path: Path) -> tuple[Path, Path, dict]:
    sc = tmp_path / "s.yaml"
    sc.write_text(yaml.safe_dump(SCENARIO, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["solve", str(sc), "-o", str(tmp_path / "out"), "--workers", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    plan_path = tmp_path / "out" / "plan.json"
    return sc, plan_path, json.loads(plan_path.read_text(encoding="utf-8"))


def verify(sc: Path, plan: dict, tmp_path: Path) -> tuple[int, str]:
    p = tmp_path / "edited.json"
    p.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(sc), str(p)])
    return result.exit_code, result.output


def test_the_solved_plan_is_as_expected_and_verifies(solved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sc, _, plan = solved
    # A post (free, quota 1), a mediator (0.5 + 7.2) and the annex (1.0): 7.7 + 1.0 in 2022, 7.2 in 2023.
    kinds = sorted((a["type"], a.get("role") or a.get("option")) for a in plan["actions"])
    assert kinds == [("hire", "mediators"), ("hire", "posts"), ("housing", "annex")]
    assert [s["spent"] for s in plan["spending"]] == [8.7, 7.2]
    assert verify(sc, plan, tmp_path)[0] == 0


def test_removed_hire_makes_the_attainment_claim_false(solved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sc, _, plan = solved
    plan["actions"] = [a for a in plan["actions"] if a.get("role") != "mediators"]
    code, out = verify(sc, plan, tmp_path)
    assert code == 5
    assert "office A 2022: claims attained=True, but the actions give False (mediators 1 < 2" in out
    assert "target 2022 all 甲县: 0 of 1 attain, the target needs 1" in out


def test_understated_cost(solved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sc, _, plan = solved
    hire = next(a for a in plan["actions"] if a.get("role") == "mediators")
    hire["annual"] = 6.0
    code, out = verify(sc, plan, tmp_path)
    assert code == 5 and "the scenario's prices give 0.5 / 7.2" in out


def test_false_attainment_claim(solved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sc, _, plan = solved
    plan["offices"][0]["attained"]["2023"] = False
    code, out = verify(sc, plan, tmp_path)
    assert code == 5 and "office A 2023: claims attained=False, but the actions give True" in out


def test_overspent_budget(solved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sc, _, plan = solved
    plan["actions"].append({"office": "A", "year": 2023, "type": "hire", "role": "mediators", "count": 2,
                            "one_time": 1.0, "annual": 14.4})
    code, out = verify(sc, plan, tmp_path)
    assert code == 5
    assert "budget all 2023: spends 22.6 万元, over the budget of 20.0" in out


def test_quota_exceeded_and_option_taken_twice_and_unknown_role(solved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sc, _, plan = solved
    plan["actions"] += [
        {"office": "A", "year": 2022, "type": "hire", "role": "posts", "count": 1},
        {"office": "A", "year": 2023, "type": "housing", "option": "annex", "area_m2": 60, "one_time": 1.0},
        {"office": "A", "year": 2023, "type": "hire", "role": "chef", "count": 1},
    ]
    code, out = verify(sc, plan, tmp_path)
    assert code == 5
    assert "quota posts all 2022: hires 2, over the quota of 1" in out
    assert "housing option annex taken 2 times (at most once)" in out
    assert "unknown role 'chef'" in out


def test_solve_json_equals_written_plan(solved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sc, plan_path, _ = solved
    result = CliRunner().invoke(cli, ["solve", str(sc), "-o", str(tmp_path / "o2"), "--workers", "2", "--json"])
    assert result.exit_code == 0
    printed = json.loads(result.output)
    written = json.loads((tmp_path / "o2" / "plan.json").read_text(encoding="utf-8"))
    assert printed == written
    assert printed["status"] == "optimal" and printed["format"] == "plan-result/1"


def test_infeasible_exits_3_naming_the_targets(tmp_path: Path) -> None:
    sc = tmp_path / "s.yaml"
    sc.write_text(yaml.safe_dump({**SCENARIO, "budget": {2022: 5, 2023: 20}}, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["solve", str(sc), "-o", str(tmp_path / "o"), "--workers", "2"])
    assert result.exit_code == 3
    assert "2022 年甲县全部司法所需 1 个达标（共 1 个，目标 100%）" in result.output
    assert "--soft-targets" in result.output
    assert not (tmp_path / "o" / "plan.json").exists()
    soft = CliRunner().invoke(cli, ["solve", str(sc), "-o", str(tmp_path / "o"), "--workers", "2", "--soft-targets",
                                    "--json"])
    assert soft.exit_code == 0 and json.loads(soft.output)["objective"]["shortfall"] == 1


def test_invalid_input_exits_1_and_unwritable_output_is_refused(tmp_path: Path) -> None:
    sc = tmp_path / "s.yaml"
    bad = yaml.safe_dump({**SCENARIO, "budgett": 3}, allow_unicode=True)
    sc.write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(cli, ["solve", str(sc)])
    assert result.exit_code == 1 and "budgett: 未知字段（是否应为 'budget'？）" in result.output
    assert "Traceback" not in result.output
    sc.write_text(yaml.safe_dump(SCENARIO, allow_unicode=True), encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["solve", str(sc), "-o", str(blocker / "sub")])
    assert result.exit_code == 1 and "输出文件夹无法写入" in result.output
