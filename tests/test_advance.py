"""`plan advance`: the rolled-on scenario's offices, budgets and quotas worked by hand from the
fixture `tests/cases/outputs/rolling.yaml`, and advance-then-solve consistent with the original
plan's later years (same attainment, cost = original less what was already done or committed).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cli.main import cli
from planner.io.loading import load_scenario
from planner.io.scenario import to_yuan
from planner.plan import Action
from planner.rules.classify import classify_all
from planner.rules.evaluate import compute_figures

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "cases" / "outputs" / "rolling.yaml"


def solve(scenario: Path, out: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["solve", str(scenario), "-o", str(out), "--quiet", "--workers", "2"])
    assert result.exit_code == 0, result.output
    return json.loads((out / "plan.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Path]:
    """The fixture solved, then advanced through 2022 into a sub-folder."""
    out = tmp_path_factory.mktemp("advance")
    plan = solve(SCENARIO, out / "orig")
    target = out / "next" / "2023.yaml"
    result = CliRunner().invoke(cli, ["advance", str(SCENARIO), str(out / "orig" / "plan.json"),
                                      "--through", "2022", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "规划期 2023–2024 年，3 个司法所，已落实 3 项行动，结转 1 处在建或待用房屋" in result.output  # zh by default
    again = CliRunner().invoke(cli, ["advance", str(SCENARIO), str(out / "orig" / "plan.json"), "--through", "2022",
                                     "-o", str(out / "en" / "2023.yaml"), "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert "horizon 2023–2024, 3 offices, 3 actions applied, 1 premises carried" in again.output
    return out, plan, target


def test_state_budgets_and_quotas_carried(rolled: tuple[Path, dict[str, Any], Path]) -> None:
    _, _, target = rolled
    text = target.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["horizon"] == {"start": 2023, "end": 2024}
    assert data["targets"] == {2023: {"all": 0.5}, 2024: {"all": 1.0}}
    offices = {o["id"]: o for o in data["offices"]}
    # P started building 50 m² in 2022 with lead 2: not usable before the end of 2024, so it is a
    # free option taken from 2023 with one lead year left; its floor area stays 150.
    assert offices["P"]["floor_area_m2"] == 150
    assert offices["P"]["housing_options"] == [{"id": "underway-build-2022", "area_m2": 50, "from_year": 2023,
                                                "lead_years": 1}]
    # Q's annex (60 m², taken 2022, lead 1) counts from the end of 2023, the new first year-end:
    # folded into its floor area, and the option is gone.
    assert offices["Q"]["floor_area_m2"] == 160 and "housing_options" not in offices["Q"]
    # R hired a post and set up its five-stations area in 2022; the 2024 hire is left to re-plan.
    assert offices["R"]["staff"] == {"posts": 2, "mediators": 2, "correction_sw": 1}
    assert offices["R"]["facilities"][-1] == "five_stations"
    assert offices["R"]["caseload"] == {"correction_subjects": {2023: 10, 2024: 20}}
    # Committed recurring costs: the annex's 1.0 a year (甲县), the five-stations area's 0.5 (乙县).
    assert data["budget"] == {"甲县": {2023: 9.0, 2024: 9.0}, "乙县": {2023: 9.5, 2024: 19.5}}
    assert "#   2024 乙县: 20 - 0.5 = 19.5" in text
    assert data["quotas"] == {"posts": {"乙县": {2023: 1, 2024: 1}}}
    assert data["standard"] == "jiangsu-2021"
    load_scenario(target)  # valid as written


def test_advance_then_solve_matches_the_original_later_years(rolled: tuple[Path, dict[str, Any], Path]) -> None:
    out, plan, target = rolled
    new = solve(target, out / "new")
    later = ("2023", "2024")
    assert {o["id"]: o["attained"] for o in new["offices"]} == {
        o["id"]: {y: o["attained"][y] for y in later} for o in plan["offices"]}
    assert new["objective"]["attained_office_years"] == sum(o["attained"][y] for o in plan["offices"] for y in later)
    # Original cost less the 2022 actions' costs over all years (one-time + annual × 3 years).
    done = [a for a in plan["actions"] if a["year"] == 2022]
    head = sum(to_yuan(a["one_time"]) + 3 * to_yuan(a["annual"]) for a in done)
    assert to_yuan(new["objective"]["total_cost"]) == to_yuan(plan["objective"]["total_cost"]) - head == 80_000
    # The original plan's later actions, plus taking the underway build at once, are a plan of the
    # new scenario with the same attainment and within its budgets.
    loaded = load_scenario(target)
    tail = [Action(**a) for a in plan["actions"] if a["year"] > 2022]
    tail.append(Action(office="P", year=2023, type="housing", option="underway-build-2022", area_m2=50))
    tiers = {oid: c.tier for oid, c in classify_all(loaded.offices, loaded.standard).items()}
    figures = compute_figures(loaded, tiers, tail)
    assert {oid: {str(y): v for y, v in by.items()} for oid, by in figures.attained.items()} == {
        o["id"]: {y: o["attained"][y] for y in later} for o in plan["offices"]}
    assert all(figures.spent[(b.scope, b.year)] <= b.amount_yuan for b in loaded.budgets)
    assert figures.shortfall == 0


def test_custom_standard_and_csv_offices(tmp_path: Path) -> None:
    """A standard path is rewritten for the new folder; offices from a CSV are written inline."""
    runner = CliRunner()
    for name, through in (("custom_standard", 2025), ("csv_offices", 2024)):
        source = ROOT / "scenarios" / "examples" / f"{name}.yaml"
        solve(source, tmp_path / name)
        target = tmp_path / "deeper" / "folder" / f"{name}.yaml"
        result = runner.invoke(cli, ["advance", str(source), str(tmp_path / name / "plan.json"),
                                     "--through", str(through), "-o", str(target)])
        assert result.exit_code == 0, result.output
        data = yaml.safe_load(target.read_text(encoding="utf-8"))
        assert isinstance(data["offices"], list) and data["horizon"]["start"] == through + 1
        original = load_scenario(source)
        again = load_scenario(target, allow_outside=True)  # its standard stayed where it was, outside
        assert [o.id for o in again.offices] == [o.id for o in original.offices]
        assert again.standard == original.standard
    written = yaml.safe_load((tmp_path / "deeper" / "folder" / "custom_standard.yaml").read_text(encoding="utf-8"))
    expected = os.path.relpath(ROOT / "scenarios" / "examples" / "custom_standard.standard.yaml",
                               (tmp_path / "deeper" / "folder").resolve())
    assert written["standard"] == Path(expected).as_posix()


def test_refusals(rolled: tuple[Path, dict[str, Any], Path], tmp_path: Path) -> None:
    out, _, _ = rolled
    runner = CliRunner()
    plan_file = str(out / "orig" / "plan.json")
    last = runner.invoke(cli, ["advance", str(SCENARIO), plan_file, "--through", "2024", "-o", str(tmp_path / "x.yaml")])
    assert last.exit_code == 1
    assert "--through 2024: give a year from 2022 to 2023 (the horizon is 2022–2024" in last.output
    other = runner.invoke(cli, ["advance", str(ROOT / "scenarios" / "examples" / "housing_options.yaml"),
                                plan_file, "--through", "2024", "-o", str(tmp_path / "y.yaml"), "--lang", "zh"])
    assert other.exit_code == 5 and "违规 scenario.sha256: 方案求解自另一版本的情景文件" in other.output
    assert not (tmp_path / "x.yaml").exists() and not (tmp_path / "y.yaml").exists()
