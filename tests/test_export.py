"""`plan export`: the workbook's sheets match plan.json row for row; CSVs carry a BOM."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from cli.main import cli

ROOT = Path(__file__).resolve().parents[1]


def test_workbook_and_csv_match_the_plan(tmp_path: Path) -> None:
    scenario = ROOT / "scenarios" / "examples" / "county_budgets.yaml"
    runner = CliRunner()
    assert runner.invoke(cli, ["solve", str(scenario), "-o", str(tmp_path), "--quiet"]).exit_code == 0
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    result = runner.invoke(cli, ["export", str(tmp_path / "plan.json"), "--xlsx", str(tmp_path / "p.xlsx"),
                                 "--csv", str(tmp_path / "csv"), "--scenario", str(scenario)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert wb.sheetnames == ["汇总", "任务清单", "时间进度表", "达标情况", "经费"]
    tasks = [[c.value for c in row] for row in wb["任务清单"].iter_rows(min_row=2)]
    assert [(r[1], r[3], r[7], r[8]) for r in tasks] == [
        (a["office"], a["year"], a["one_time"], a["annual"]) for a in plan["actions"]]
    assert wb["任务清单"].freeze_panes == "A2" and wb["任务清单"]["H2"].number_format == "#,##0.0000"
    mediator = next(r for r in tasks if r[5] == "专职人民调解员")
    assert mediator[9] == "专职人民调解员 1→2（标准 2）"
    timetable = [[c.value for c in row] for row in wb["时间进度表"].iter_rows(min_row=2)]
    assert [r[1] for r in timetable] == [o["id"] for o in plan["offices"]]
    first_year = {o["id"]: min((int(y) for y, v in o["attained"].items() if v), default=None) for o in plan["offices"]}
    assert {r[1]: r[-1] for r in timetable} == {k: v if v else "未达标" for k, v in first_year.items()}
    attainment = [[c.value for c in row] for row in wb["达标情况"].iter_rows(min_row=2)]
    assert [(r[0], r[4], r[6]) for r in attainment] == [(a["year"], a["attained"], a["required"])
                                                          for a in plan["attainment"]]
    spending = [[c.value for c in row] for row in wb["经费"].iter_rows(min_row=2)]
    assert [(r[0], r[2], r[3]) for r in spending] == [(s["year"], s["budget"], s["spent"]) for s in plan["spending"]]
    raw = (tmp_path / "csv" / "任务清单.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and len(raw.decode("utf-8-sig").strip().splitlines()) == len(tasks) + 1
    en = runner.invoke(cli, ["export", str(tmp_path / "plan.json"), "--xlsx", str(tmp_path / "en.xlsx"),
                             "--lang", "en", "--scenario", str(scenario)])
    assert en.exit_code == 0 and openpyxl.load_workbook(tmp_path / "en.xlsx").sheetnames[1] == "Tasks"
