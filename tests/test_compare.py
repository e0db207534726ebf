"""`plan compare`: KPIs side by side and differences per office, on two scenarios whose
difference is worked out by hand (the same two offices, one with a tenth of the budget)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from planner.analysis.compare import is_plan_file, kpis, load_for_compare, office_differences
from planner.solver.params import SolveParams

# Two small (小型) offices of one county, jiangsu-2021. What each needs (small tier: posts ≥ 2,
# mediators ≥ 2, total ≥ 4 staff, 200 m² township / 150 m² subdistrict, the small tier's rooms;
# correction_sw ≥ ceil(subjects/15), resettlement_sw ≥ ceil(released/50)):
#   A (township): + 1 mediator (0.5 + 7.2/yr), + 3 correction_sw (31/15 → 3; 8.0/yr each),
#     + 2 resettlement_sw (51/50 → 2; 7.5/yr each), + 20 m² lease (0.024/m²/yr → 0.48/yr),
#     + five_stations (2.0) + rule_of_law_room (3.0): 52.18 in its first year, 46.68 a year after.
#   B (subdistrict): attains as it is in 2022 (10 subjects → 1 correction_sw, has 1); in 2023 16
#     subjects need a 2nd correction_sw: 8.0 in 2023.
# Budget 100 a year: both attain both years, cost 52.18 (2022) + 46.68 + 8.0 (2023) = 106.86.
# Budget 10 a year: A cannot attain in any year (52.18 > 10), B still can: cost 8.0.
TINY = """\
name: tiny
standard: jiangsu-2021
horizon: {start: 2022, end: 2023}
targets:
  2022: {small: 0.5}
  2023: {all: 1.0}
budget: {2022: BUDGET, 2023: BUDGET}
QUOTAS
costs:
  roles:
    posts: {annual: 0}
    mediators: {one_time: 0.5, annual: 7.2}
    correction_sw: {annual: 8.0}
    resettlement_sw: {annual: 7.5}
  facilities:
    five_stations: {one_time: 2.0}
    rule_of_law_room: {one_time: 3.0}
  housing:
    lease: {annual_per_m2: 0.024}
offices:
  - id: A
    name: 甲镇
    county: 甲县
    kind: township
    population: 30000
    area_km2: 15
    staff: {posts: 2, mediators: 1}
    floor_area_m2: 180
    facilities: [public_legal_service_center, mediation_committee, enforcement_management_room]
    caseload: {correction_subjects: 31, released_persons: 51}
  - id: B
    name: 乙街道
    county: 甲县
    kind: subdistrict
    population: 20000
    area_km2: 5
    staff: {posts: 2, mediators: 2, correction_sw: 1}
    floor_area_m2: 150
    facilities: [public_legal_service_center, mediation_committee, enforcement_management_room,
                 governance_room, publicity_room, five_stations]
    caseload: {correction_subjects: {2022: 10, 2023: 16}, released_persons: 0}
"""

PARAMS = SolveParams(time_limit=30, workers=2, seed=0)


def write_tiny(folder: Path, name: str, budget: float = 100, quotas: str = "") -> Path:
    path = folder / name
    path.write_text(TINY.replace("BUDGET", f"{budget:g}").replace("QUOTAS", quotas), encoding="utf-8")
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return write_tiny(tmp_path, "full.yaml", 100), write_tiny(tmp_path, "lean.yaml", 10)


def test_kpis_and_differences_match_the_hand_worked_plans(pair: tuple[Path, Path]) -> None:
    full, lean = (load_for_compare(p, PARAMS, soft_targets=True) for p in pair)
    a, b = kpis(full.plan), kpis(lean.plan)
    assert (a.shortfall, a.attained_office_years, a.targets_met, a.targets_total) == (0, 4, 2, 2)
    assert (b.shortfall, b.attained_office_years, b.targets_met, b.targets_total) == (1, 2, 1, 2)
    assert a.total_cost == 106.86 and a.cost_by_year == {2022: 52.18, 2023: 54.68} and a.cost_per_year == 53.43
    assert b.total_cost == 8.0 and b.cost_by_year == {2022: 0.0, 2023: 8.0}
    assert a.hires == {"correction_sw": 4, "mediators": 1, "resettlement_sw": 2} and a.posts_filled == 0
    assert b.hires == {"correction_sw": 1}
    assert (a.attainment[(2023, "all")].rate, a.attainment[(2023, "all")].target) == (1.0, 1.0)
    assert (b.attainment[(2023, "all")].attained, b.attainment[(2022, "small")].target) == (1, 0.5)

    diffs = office_differences(full, lean)
    assert [d.office for d in diffs] == ["A"]  # B attains in both with the same single hire
    (d,) = diffs
    assert (d.only_in_base, d.only_in_other, d.actions_other) == ([2022, 2023], [], [])
    assert "2022 hire correction_sw ×3" in d.actions_base and "2022 hire resettlement_sw ×2" in d.actions_base
    assert office_differences(full, full) == []


def test_cli_mixes_a_solved_plan_with_a_scenario_csv(pair: tuple[Path, Path], tmp_path: Path) -> None:
    full, lean = pair
    runner = CliRunner()
    solved = runner.invoke(cli, ["solve", str(lean), "-o", str(tmp_path / "lean"), "--soft-targets",
                                 "--workers", "2", "-q"])
    assert solved.exit_code == 0, solved.output
    plan_json = tmp_path / "lean" / "plan.json"
    assert is_plan_file(plan_json) and not is_plan_file(full)
    res = runner.invoke(cli, ["compare", str(full), str(plan_json), "--soft-targets", "--workers", "2", "--csv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("\ufeff")  # Excel on Chinese Windows reads it as UTF-8
    rows = list(csv.reader(io.StringIO(res.stdout.removeprefix("\ufeff"))))
    assert rows[0] == ["section", "metric", "label", "year", str(full), str(plan_json)]
    by_metric = {(r[1], r[3]): r[4:] for r in rows if r[0] == "kpi"}
    assert by_metric[("attained_office_years", "")] == ["4", "2"]
    assert by_metric[("targets_met", "")] == ["2/2", "1/2"]
    assert by_metric[("cost", "2022")] == ["52.18", "0.0"]
    assert [r for r in rows if r[0] == "attained"] == [["attained", "A", "甲镇", "2022", "yes", "no"],
                                                       ["attained", "A", "甲镇", "2023", "yes", "no"]]
    assert [r[1] for r in rows if r[0] == "actions"] == ["A"]


def test_cli_json_and_terminal(pair: tuple[Path, Path]) -> None:
    full, lean = pair
    runner = CliRunner()
    res = runner.invoke(cli, ["compare", str(full), str(lean), "--soft-targets", "--workers", "2", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [p["source"] for p in data["plans"]] == ["scenario", "scenario"]
    assert [p["kpis"]["attained_office_years"] for p in data["plans"]] == [4, 2]
    (diff,) = data["differences"]
    assert diff["other"] == str(lean)
    assert [(o["office"], o["attained_only_in_base"]) for o in diff["offices"]] == [("A", [2022, 2023])]
    text = runner.invoke(cli, ["compare", str(full), str(lean), "--soft-targets", "--workers", "2"],
                         env={"PLAN_LANG": "en"})
    assert text.exit_code == 0, text.output
    assert "达标所·年" in text.stdout and "各所差异 Differences per office" in text.stdout
    assert "B vs A: 0 office-years attained only in B, 2 only in A; 1 office differs" in text.stdout


def test_infeasible_hard_targets_name_the_file_and_exit_3(pair: tuple[Path, Path]) -> None:
    full, lean = pair  # lean cannot reach 2023's 100 % with hard targets
    res = CliRunner().invoke(cli, ["compare", str(full), str(lean), "--workers", "2", "--lang", "en"])
    assert res.exit_code == 3
    assert f"{lean}: its hard targets cannot all be met (try --soft-targets)" in res.stderr
    assert "This hard target cannot be met within the budgets and quotas:\n" \
        "  the 2023 target for all offices of 甲县 needs 2 of 2 to attain (100%)\n" in res.stderr


def test_bad_inputs(pair: tuple[Path, Path], tmp_path: Path) -> None:
    full, _ = pair
    runner = CliRunner()
    one = runner.invoke(cli, ["compare", str(full)], env={"PLAN_LANG": "en"})
    assert one.exit_code == 2 and "give at least two files" in one.stderr
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"format": "plan-result/1", "status": "optimal"}), encoding="utf-8")
    res = runner.invoke(cli, ["compare", str(full), str(broken)], env={"PLAN_LANG": "en"})
    assert res.exit_code == 5  # a plan that fails verification, as everywhere a plan is read
    assert f"violation {broken}: scenario: Field required" in res.stderr
    missing = runner.invoke(cli, ["compare", str(full), str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1 and f"{tmp_path / 'nope.yaml'}: file not found" in missing.stderr
