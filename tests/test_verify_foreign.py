"""`plan verify` of a plan another program wrote in exactly the plan.json format of
docs/reference.md §9, which has no `targets_mode` field: the targets' mode is the scenario's
unless the plan states one.

The office lacks both mediators of its small tier and the budget is 0, so no plan can attain it:
doing nothing is the optimum, with a shortfall of 1 against the 100% target.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from test_rules import office, scenario

from cli.main import cli

SHORT_OF_MEDIATORS = office(staff={"posts": 2})


def write_scenario(tmp_path: Path, mode: str) -> Path:
    path = tmp_path / f"{mode}.yaml"
    sc = scenario(targets_mode=mode, budget={2022: 0}, offices=[SHORT_OF_MEDIATORS])
    path.write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    return path


def foreign_plan(sc: Path) -> dict:
    """What another tool writes: the contract's fields only, nothing of this planner's extras."""
    return {
        "format": "plan-result/1",
        "scenario": {"name": "rule", "file": sc.name, "sha256": hashlib.sha256(sc.read_bytes()).hexdigest()},
        "standard": "jiangsu-2021",
        "status": "optimal",
        "objective": {"shortfall": 1, "attained_office_years": 0, "total_cost": 0},
        "solver": {"name": "other-tool", "version": "2.1", "seconds": 0.3, "workers": 1, "seed": 0},
        "offices": [{"id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "tier": "small",
                     "tier_reason": "small township", "attained": {"2022": False}}],
        "actions": [],
        "attainment": [{"year": 2022, "scope": "甲县", "tier": "all", "offices": 1, "attained": 0,
                        "target": 1.0, "required": 1, "met": False}],
        "spending": [{"year": 2022, "scope": "all", "budget": 0.0, "spent": 0.0}],
    }


def verify(sc: Path, plan: dict, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(sc), str(path)])
    return result.exit_code, result.output


def test_soft_scenario_plan_without_targets_mode_verifies(tmp_path: Path) -> None:
    sc = write_scenario(tmp_path, "soft")
    code, out = verify(sc, foreign_plan(sc), tmp_path)
    assert (code, "violation" in out) == (0, False), out


def test_hard_scenario_plan_without_targets_mode_misses_the_target(tmp_path: Path) -> None:
    sc = write_scenario(tmp_path, "hard")
    code, out = verify(sc, foreign_plan(sc), tmp_path)
    assert code == 5
    assert "target 2022 all 甲县: 0 of 1 attain, the target needs 1" in out


def test_a_plan_stating_hard_targets_is_held_to_them_on_a_soft_scenario(tmp_path: Path) -> None:
    sc = write_scenario(tmp_path, "soft")
    code, out = verify(sc, foreign_plan(sc) | {"targets_mode": "hard"}, tmp_path)
    assert code == 5
    assert "target 2022 all 甲县: 0 of 1 attain, the target needs 1" in out
