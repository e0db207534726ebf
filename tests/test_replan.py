"""Stable re-plans (docs/reference.md §7 level 4, §9 `churn`): a re-plan stays as close to the
earlier plan's actions as the optimum allows, and says what changed and which input caused it.

Figures: scenarios/2022.yaml solves to 152 attained office-years at 1353.27 万元 with 191 actions,
44 of them in 2023. Cutting 兴化市's 2023 budget from 146 to 120 万元 costs one office-year (151)
and, at least, moving one room to 2022 and dropping XH-24's 2023 hire and lease: churn 4.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from handplan import writer_plan

from cli.main import cli
from planner.analysis.replan import from_plan_file, with_keep
from planner.io.loading import load_scenario
from planner.plan import PlanResult
from planner.rules.requirements import derive
from planner.rules.verify import verify_plan
from planner.solver.params import SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import solve

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "2022.yaml"
CUT = ("兴化市: {2022: 124, 2023: 146}", "兴化市: {2022: 124, 2023: 120}")


def keys(actions: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((a["office"], a["year"], a["type"], a.get("role") or a.get("option") or a.get("facility") or "",
                   a.get("count") or a.get("area_m2") or 0) for a in actions)


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, [*args, "--lang", "zh"])


def solve_cli(scenario: Path, out: Path, *extra: str) -> dict[str, Any]:
    result = run("solve", str(scenario), "-o", str(out), "--workers", "2", *extra)
    assert result.exit_code == 0, result.output
    return {"output": result.output, **json.loads((out / "plan.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """scenarios/2022.yaml's plan (a copy of tests/cases/replan/2022-plan.json); the file and its content.

    2022.yaml has many optima of equal cost (free posts and one-time rooms in either year), and a
    re-plan's churn is counted against the earlier plan's very actions. So the earlier plan is a
    fixed file, one optimum `plan solve` gave (2026-12-01): the churn figures below are then
    properties of the inputs, not of which tie a solver setting happens to return. It must stay an
    optimum of today's 2022.yaml: test_the_base_plan_is_an_optimum_of_2022 checks that."""
    out = tmp_path_factory.mktemp("base")
    text = (ROOT / "tests" / "cases" / "replan" / "2022-plan.json").read_text(encoding="utf-8")
    (out / "plan.json").write_text(text, encoding="utf-8")
    return out / "plan.json", json.loads(text)


def test_the_base_plan_is_an_optimum_of_2022(base: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    plan_file, plan = base
    assert run("verify", str(SCENARIO), str(plan_file)).exit_code == 0
    afresh = solve_cli(SCENARIO, tmp_path, "--quiet")
    assert afresh["objective"] == plan["objective"] == {"shortfall": 0, "attained_office_years": 152,
                                                        "total_cost": 1353.27}


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2022.yaml with 兴化市's 2023 budget cut from 146 to 120 万元 (nothing else changed)."""
    text = SCENARIO.read_text(encoding="utf-8")
    assert CUT[0] in text
    path = tmp_path_factory.mktemp("cut") / "2022-cut.yaml"
    path.write_text(text.replace(*CUT), encoding="utf-8")
    return path


def test_advancing_with_unchanged_inputs_gives_zero_churn(base: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    plan_file, plan = base
    target = tmp_path / "2023.yaml"
    result = run("advance", str(SCENARIO), str(plan_file), "--through", "2022", "-o", str(target))
    assert result.exit_code == 0, result.output
    keep = yaml.safe_load(target.read_text(encoding="utf-8"))["keep"]
    later = [a for a in plan["actions"] if a["year"] == 2023]
    n = len(later)
    assert n == 44 and len(keep["actions"]) == n  # no premises under way in this plan
    for extra, source in (((), "scenario"), (("--keep", str(plan_file)), "option")):
        new = solve_cli(target, tmp_path / source, *extra)  # the scenario's keep:, then --keep PLAN
        churn = new["churn"]
        assert (churn["kept"], churn["moved"], churn["changed"], churn["dropped"], churn["new"], churn["churn"]) == (
            n, 0, 0, 0, 0, 0)
        assert churn["earlier"] == {"plan": str(plan_file), "source": source, "verified": True}
        assert new["solver"]["stages"][-1] == {"level": "churn", "status": "optimal", "value": 0.0, "bound": 0.0,
                                               "seconds": new["solver"]["stages"][-1]["seconds"]}
        assert keys(new["actions"]) == keys(later)  # the very actions, quantities included
        assert f"保留 {n} 项，调整年度 0 项，改变数量 0 项，取消 0 项，新增 0 项；变动数 0" in new["output"]


def test_zero_churn_with_premises_under_way(tmp_path: Path) -> None:
    """The outputs fixture carries P's build as the free option underway-build-2022: the re-plan
    takes it in 2023, which is the earlier plan's build kept, not a new action."""
    fixture = ROOT / "tests" / "cases" / "outputs" / "rolling.yaml"
    solve_cli(fixture, tmp_path / "orig", "--quiet")
    target = tmp_path / "next.yaml"
    assert run("advance", str(fixture), str(tmp_path / "orig" / "plan.json"), "--through", "2022",
               "-o", str(target)).exit_code == 0
    new = solve_cli(target, tmp_path / "new", "--quiet")
    assert [(i["change"], i["office"], i["type"], i["now"]["year"]) for i in new["churn"]["actions"]] == [
        ("kept", "P", "housing", 2023), ("kept", "R", "hire", 2024)]
    assert new["churn"]["churn"] == 0


@pytest.mark.parametrize("path", ["auto", "staged", "mip"])
def test_cutting_one_county_budget_changes_only_that_county(base: tuple[Path, dict[str, Any]], cut: Path,
                                                             path: str) -> None:
    """Every solver path: the combined weighted solve, the staged one and HiGHS (planner/solver/mip.py)."""
    loaded = load_scenario(cut)
    earlier = from_plan_file(base[0], loaded)
    req = with_keep(derive(loaded), earlier)
    outcome = solve(req, SolveParams(workers=2, path=path))
    assert [(s.name, s.status, s.value) for s in outcome.stages] == [
        ("attained_office_years", "optimal", 151), ("total_cost", "optimal", 13_447_500), ("churn", "optimal", 4)]
    plan = make_plan(loaded, req, outcome, earlier)
    assert verify_plan(loaded, plan) == []
    assert plan.churn is not None and plan.churn.churn == 4 and plan.churn.kept == 188
    county = {o.id: o.county for o in loaded.offices}
    changed = [i for i in plan.churn.actions if i.change != "kept"]
    assert {county[i.office] for i in changed} == {"兴化市"}
    for item in changed:
        assert [c.model_dump(exclude_none=True) for c in item.causes] == [
            {"kind": "budget", "scope": "兴化市", "year": 2023, "earlier": 146.0, "now": 120.0}]


def test_solve_and_compare_report_the_churn_and_its_cause(base: tuple[Path, dict[str, Any]], cut: Path,
                                                          tmp_path: Path) -> None:
    new = solve_cli(cut, tmp_path / "kept", "--keep", str(base[0]))
    assert "与原方案（" in new["output"] and "；变动数 4" in new["output"]
    assert "兴化市 2023 年预算 146 → 120 万元" in new["output"] and "方案变动" in new["output"]
    result = run("compare", str(base[0]), str(tmp_path / "kept" / "plan.json"), "--json")
    assert result.exit_code == 0, result.output
    churn = json.loads(result.output)["churn"][0]
    assert churn["other"] == str(tmp_path / "kept" / "plan.json") and churn["churn"] == 4
    assert churn["earlier"] == {"plan": str(base[0]), "source": "compare", "verified": True}
    assert all(i["causes"][0]["scope"] == "兴化市" for i in churn["actions"] if i["change"] != "kept")
    csv = run("compare", str(base[0]), str(tmp_path / "kept" / "plan.json"), "--csv")
    rows = [line for line in csv.output.splitlines() if line.startswith("churn,")]
    assert len(rows) == 3 and all("兴化市 2023 年预算 146 → 120 万元" in r for r in rows)


def test_level_4_picks_the_earlier_plans_action_among_cost_ties(tmp_path: Path) -> None:
    """Two identical offices, money for one mediator: lifting either is optimal at 7.7 万元. The
    re-plan lifts the one the earlier plan lifted; without level 4 the solver lifts the same one
    whatever the earlier plan said, so against one of the two it changes both actions."""
    office = {"county": "甲县", "kind": "township", "population": 20000, "area_km2": 10,
              "staff": {"posts": 2, "mediators": 1, "correction_sw": 1}, "floor_area_m2": 200,
              "facilities": ["public_legal_service_center", "mediation_committee", "rule_of_law_room",
                             "enforcement_management_room", "five_stations"]}
    scenario = {"name": "并列最优", "standard": "jiangsu-2021", "horizon": {"start": 2024, "end": 2024},
                "targets": {2024: {"all": 0.5}}, "budget": {"甲县": {2024: 8}},
                "costs": {"roles": {"mediators": {"one_time": 0.5, "annual": 7.2}}},
                "offices": [{"id": i, "name": f"{i}镇", **office} for i in ("T1", "T2")]}
    path = tmp_path / "tie.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    loaded = load_scenario(path)
    afresh = solve_cli(path, tmp_path / "afresh", "--quiet")
    assert afresh["objective"] == {"shortfall": 0, "attained_office_years": 1, "total_cost": 7.7}
    churn_without = {}
    for lifted in ("T1", "T2"):
        earlier = tmp_path / f"{lifted}.json"
        hire = {"office": lifted, "year": 2024, "type": "hire", "role": "mediators", "count": 1}
        earlier.write_text(writer_plan(loaded, [hire]).to_json(), encoding="utf-8")
        kept = solve_cli(path, tmp_path / f"keep-{lifted}", "--quiet", "--keep", str(earlier))
        assert [{k: a[k] for k in hire} for a in kept["actions"]] == [hire]
        assert kept["objective"] == afresh["objective"] and kept["churn"]["churn"] == 0
        result = run("compare", str(earlier), str(tmp_path / "afresh" / "plan.json"), "--json")
        churn_without[lifted] = json.loads(result.output)["churn"][0]["churn"]
    assert sorted(churn_without.values()) == [0, 2]  # level 4 is what makes both re-plans keep


@pytest.mark.parametrize("path", ["auto", "staged", "mip"])
def test_keep_leaves_levels_1_to_3_as_they_are(cut: Path, tmp_path: Path, path: str) -> None:
    """scenarios/2022.yaml keeping a plan of the cut scenario: levels 1–3 are 2022.yaml's own
    optimum (0, 152, 1353.27 万元, as tests/test_workbook_scenario.py has it); only the choice
    among those optima follows the earlier plan."""
    solve_cli(cut, tmp_path / "cut", "--quiet")
    loaded = load_scenario(SCENARIO)
    plain = solve(derive(loaded), SolveParams(workers=2, path=path))
    earlier = from_plan_file(tmp_path / "cut" / "plan.json", loaded)
    req = with_keep(derive(loaded), earlier)
    kept = solve(req, SolveParams(workers=2, path=path))
    assert [(s.name, s.status, s.value) for s in plain.stages] == [
        ("attained_office_years", "optimal", 152), ("total_cost", "optimal", 13_532_700)]
    assert [(s.name, s.status, s.value) for s in kept.stages[:2]] == [
        (s.name, s.status, s.value) for s in plain.stages]
    assert kept.stages[2].name == "churn" and kept.stages[2].status == "optimal"
    plan = make_plan(loaded, req, kept, earlier)
    assert plan.objective.model_dump() == {"shortfall": 0, "attained_office_years": 152, "total_cost": 1353.27}
    without = make_plan(loaded, derive(loaded), plain)
    assert without.churn is None and "churn" not in json.loads(without.to_json())


def test_refusals(base: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    other = ROOT / "tests" / "cases" / "outputs" / "rolling.yaml"
    mismatch = run("solve", str(other), "-o", str(tmp_path / "x"), "--keep", str(base[0]))
    assert mismatch.exit_code == 1
    assert "原方案与本情景的司法所不一致：仅在原方案中 GG-01、GG-02" in mismatch.output
    assert "等 88 个；仅在本情景中 P、Q、R" in mismatch.output
    both = run("solve", str(SCENARIO), "--keep", str(base[0]), "--no-keep")
    assert both.exit_code == 2 and "--keep 与 --no-keep 不能同时使用" in both.output
    both = CliRunner().invoke(cli, ["solve", str(SCENARIO), "--keep", str(base[0]), "--no-keep", "--lang", "en"])
    assert both.exit_code == 2 and "--keep and --no-keep cannot be combined" in both.output
    same = run("solve", str(SCENARIO), "-o", str(base[0].parent), "--keep", str(base[0]))
    assert same.exit_code == 2 and "会覆盖输入" in same.output
    tampered = tmp_path / "tampered.json"
    data = json.loads(base[0].read_text(encoding="utf-8"))
    data["objective"]["total_cost"] = 1.0
    tampered.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = run("solve", str(SCENARIO), "-o", str(tmp_path / "y"), "--keep", str(tampered))
    assert refused.exit_code == 5 and "未通过核验；未求解" in refused.output
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_verify_checks_the_churn_section(base: tuple[Path, dict[str, Any]], cut: Path, tmp_path: Path) -> None:
    solve_cli(cut, tmp_path / "kept", "--quiet", "--keep", str(base[0]))
    good = json.loads((tmp_path / "kept" / "plan.json").read_text(encoding="utf-8"))
    loaded = load_scenario(cut)
    moved = json.loads(json.dumps(good))
    item = next(i for i in moved["churn"]["actions"] if i["change"] == "kept")
    item["now"]["year"] = 2023 if item["now"]["year"] == 2022 else 2022
    lied = json.loads(json.dumps(good))
    lied["churn"]["churn"] = 0
    lied["solver"]["stages"][-1]["value"] = 0
    dropped = json.loads(json.dumps(good))
    del dropped["churn"]
    found = {name: [str(v) for v in verify_plan(loaded, PlanResult(**plan))]
             for name, plan in (("good", good), ("moved", moved), ("lied", lied), ("dropped", dropped))}
    assert found["good"] == []
    assert any(v.startswith("churn.actions: the present side does not list") for v in found["moved"])
    assert any(v.startswith("churn: counts stated") for v in found["lied"])
    assert any("states the value 0, the actions give 4" in v for v in found["lied"])
    assert found["dropped"] == ["solver.stages[2] (churn): a churn level without the plan's churn section"]


def test_keep_goes_through_the_workbook(tmp_path: Path) -> None:
    """An advance under --force (the plan of another version of the file: a comment added since)
    marks keep: unverified; the churn says so, and the workbook carries the block both ways."""
    fixture = tmp_path / "rolling.yaml"
    fixture.write_text((ROOT / "tests" / "cases" / "outputs" / "rolling.yaml").read_text(encoding="utf-8"),
                       encoding="utf-8")
    solve_cli(fixture, tmp_path / "orig", "--quiet")
    with fixture.open("a", encoding="utf-8") as f:
        f.write("# edited after solving\n")
    target = tmp_path / "next.yaml"
    assert run("advance", str(fixture), str(tmp_path / "orig" / "plan.json"), "--through", "2022",
               "-o", str(target), "--force").exit_code == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["keep"]["verified"] is False
    assert solve_cli(target, tmp_path / "new", "--quiet")["churn"]["earlier"]["verified"] is False
    for a, b in ((target, tmp_path / "next.xlsx"), (tmp_path / "next.xlsx", tmp_path / "back.yaml")):
        assert run("convert", str(a), str(b)).exit_code == 0
    original, back = load_scenario(target).scenario, load_scenario(tmp_path / "back.yaml").scenario
    assert back.keep == original.keep and original.keep is not None and not original.keep.verified
    assert [(a.office, a.type) for a in original.keep.actions] == [("R", "hire"), ("P", "housing")]
    assert load_scenario(tmp_path / "next.xlsx").scenario == original
