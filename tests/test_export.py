"""`plan export` / `plan solve --xlsx`: every sheet's headers and figures against plan.json, the
requirement each task closes worked by hand, CSVs with a BOM, English headers, and the fallback
to ids when the scenario cannot be found.

Fixture `tests/cases/outputs/rolling.yaml` (its comment explains the plan): its optimal plan is
unique, so the rows below are stated exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "cases" / "outputs" / "rolling.yaml"
ZH_SHEETS = ["汇总", "任务清单", "时间进度表", "达标情况", "经费"]
TASK_HEADER = ["序号", "责任单位", "县区", "司法所编号", "司法所", "年度", "任务类型", "岗位/功能室/方案", "人数（人）",
               "面积（m²）", "一次性费用（万元）", "年度费用（万元）", "完成时限", "补齐的标准"]


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Solve once with `plan solve --xlsx` (2 workers); the workbook lands beside plan.json."""
    out = tmp_path_factory.mktemp("solved")
    result = CliRunner().invoke(cli, ["solve", str(SCENARIO), "-o", str(out), "--quiet", "--workers", "2",
                                      "--xlsx", str(out / "solve.xlsx")])
    assert result.exit_code == 0, result.output
    return out, json.loads((out / "plan.json").read_text(encoding="utf-8"))


def rows(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def _norm(v: Any) -> Any:
    """A CSV cell and a workbook cell compare equal when they hold the same text or number."""
    if v is None or v == "":
        return ""
    if isinstance(v, dt.datetime):  # a date cell; the CSV writes it as yyyy-mm-dd
        return v.date().isoformat()
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)


def test_workbook_sheets_match_the_plan(solved: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, plan = solved
    result = CliRunner().invoke(cli, ["export", str(out / "plan.json"), "--xlsx", str(tmp_path / "p.xlsx"),
                                      "--scenario", str(SCENARIO)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert wb.sheetnames == ZH_SHEETS

    summary = {r[0]: r[1] for r in rows(wb["汇总"])[1:]}
    assert summary["求解状态"] == "最优（已证明）" and summary["总费用（万元）"] == plan["objective"]["total_cost"] == 47.0
    assert summary["完成目标"] == "6/6" and summary["任务数"] == 5 and summary["规划期"] == "2022–2024"

    tasks = rows(wb["任务清单"])
    assert tasks[0] == TASK_HEADER
    # Row for row with plan.json's actions; "closes" worked by hand from the fixture's offices.
    jia, yi = "甲县司法局 / 甲镇司法所", "甲县司法局 / 乙街道司法所"
    bing = "乙县司法局 / 丙镇司法所"
    assert tasks[1:] == [
        [1, jia, "甲县", "P", "甲镇", 2022, "新建", "业务用房", None, 50, 22.5, 0.0, dt.datetime(2024, 12, 31),
         "业务用房 150→200m²（标准 200m²）"],
        [2, yi, "甲县", "Q", "乙街道", 2022, "用房方案", "annex", None, 60, 10.0, 1.0, dt.datetime(2023, 12, 31),
         "业务用房 100→160m²（标准 150m²）"],
        [3, bing, "乙县", "R", "丙镇", 2022, "招录/聘用", "政法专项编制人员", 1, None, 0.0, 0.0,
         dt.datetime(2022, 9, 30), "政法专项编制人员 1→2（标准 2）"],
        [4, bing, "乙县", "R", "丙镇", 2022, "功能室", "五站点服务区", None, None, 2.0, 0.5, dt.datetime(2022, 9, 30),
         "五站点服务区 无→有（小型司法所标准）"],
        [5, bing, "乙县", "R", "丙镇", 2024, "招录/聘用", "专职社区矫正社会工作者（警辅）", 1, None, 0.0, 8.0,
         dt.datetime(2024, 9, 30), "专职社区矫正社会工作者（警辅） 1→2（标准 2）"],
        ["合计", None, None, None, None, None, None, None, 2, 110, 34.5, 9.5, None, None],
    ]
    assert [(r[3], r[5], r[10], r[11]) for r in tasks[1:-1]] == [
        (a["office"], a["year"], a["one_time"], a["annual"]) for a in plan["actions"]]
    ws = wb["任务清单"]
    assert ws.freeze_panes == "A2"
    assert {ws.cell(r, c).number_format for r in range(2, 8) for c in (11, 12)} == {"0.00"}
    assert ws.column_dimensions["N"].width > ws.column_dimensions["F"].width >= 8  # widths fit content

    timetable = rows(wb["时间进度表"])
    quarters = [f"{y}年第{q}季度" for y in (2022, 2023, 2024) for q in "一二三四"]
    assert timetable[0] == ["序号", "责任单位", "县区", "司法所编号", "司法所", "类别", *quarters, "人数（人）",
                            "面积（m²）", "一次性费用（万元）", "年度费用（万元）", "完成时限", "达标年度"]
    # the build started in 2022 counts from the end of 2024 (lead 2): completed in 2024 Q4
    assert timetable[1] == [1, jia, "甲县", "P", "甲镇", "小型", "新建业务用房 50m²开工", *[None] * 10,
                            "新建业务用房 50m²竣工交付；达标验收", 0, 50, 22.5, 0, dt.datetime(2024, 12, 31), 2024]
    assert timetable[2] == [2, yi, "甲县", "Q", "乙街道", "小型", "落实用房方案annex 60m²", *[None] * 6,
                            "用房方案annex 60m²交付使用；达标验收", *[None] * 4, 0, 60, 10, 1,
                            dt.datetime(2023, 12, 31), 2023]
    assert timetable[3][6:18] == ["启动招录政法专项编制人员 1人", "完成招录政法专项编制人员 1人",
                                  "政法专项编制人员 1人到岗；建成五站点服务区", "达标验收", *[None] * 4,
                                  "启动招录专职社区矫正社会工作者（警辅） 1人",
                                  "完成招录专职社区矫正社会工作者（警辅） 1人",
                                  "专职社区矫正社会工作者（警辅） 1人到岗", None]
    assert timetable[3][18:] == [2, 0, 2, 8.5, dt.datetime(2024, 9, 30), 2022]
    assert timetable[4] == ["合计", *[None] * 17, 2, 110, 34.5, 9.5, None, None]
    assert [r[3] for r in timetable[1:-1]] == [o["id"] for o in plan["offices"]]

    attainment = rows(wb["达标情况"])
    assert attainment[0] == ["年度", "县区", "类别", "所数", "达标数", "目标达标率", "应达标数", "是否完成", "达标率"]
    assert [(r[0], r[1], r[3], r[4], r[5], r[6]) for r in attainment[1:-3]] == [
        (a["year"], a["scope"], a["offices"], a["attained"], a["target"], a["required"]) for a in plan["attainment"]]
    # 全市: all three offices (P attains from 2024, Q from 2023, R from 2022); the counties' targets summed
    assert attainment[-3:] == [[2022, "全市", "全部", 3, 1, 0, 0, "是", 0.3333],
                               [2023, "全市", "全部", 3, 2, 0.5, 2, "是", 0.6667],
                               [2024, "全市", "全部", 3, 3, 1, 3, "是", 1]]
    assert wb["达标情况"]["F2"].number_format == "0%"

    spending = rows(wb["经费"])
    assert spending[0] == ["年度", "范围", "预算（万元）", "支出（万元）", "结余（万元）"]
    assert spending[1:] == [[s["year"], s["scope"], s["budget"], s["spent"], round(s["budget"] - s["spent"], 4)]
                            for s in plan["spending"]]
    assert spending[1] == [2022, "甲县", 40.0, 33.5, 6.5]  # 22.5 build + 10 + 1 annex

    # `plan solve --xlsx` wrote the same workbook.
    solve_wb = openpyxl.load_workbook(out / "solve.xlsx")
    assert all(rows(solve_wb[s]) == rows(wb[s]) for s in ZH_SHEETS)


def test_csv_with_bom_and_english(solved: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, _plan = solved
    runner = CliRunner()
    assert runner.invoke(cli, ["export", str(out / "plan.json"), "--xlsx", str(tmp_path / "p.xlsx"), "--csv",
                               str(tmp_path / "csv"), "--scenario", str(SCENARIO)]).exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    for sheet in ZH_SHEETS:
        raw = (tmp_path / "csv" / f"{sheet}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        with open(tmp_path / "csv" / f"{sheet}.csv", encoding="utf-8-sig", newline="") as f:
            table = list(csv.reader(f))
        assert [[_norm(v) for v in r] for r in table] == [[_norm(v) for v in r] for r in rows(wb[sheet])]

    en = runner.invoke(cli, ["export", str(out / "plan.json"), "--xlsx", str(tmp_path / "en.xlsx"),
                             "--lang", "en", "--scenario", str(SCENARIO)])
    assert en.exit_code == 0, en.output
    wb_en = openpyxl.load_workbook(tmp_path / "en.xlsx")
    assert wb_en.sheetnames == ["Summary", "Tasks", "Timetable", "Attainment", "Spending"]
    task = rows(wb_en["Tasks"])[3]
    assert task[:10] == [3, "乙县 justice bureau / 丙镇 justice office", "乙县", "R", "丙镇", 2022, "hire",
                         "civil-service posts", 1, None]
    assert task[13] == "civil-service posts 1→2 (standard 2)"
    assert rows(wb_en["Tasks"])[-1][:1] == ["total"]
    assert rows(wb_en["Timetable"])[1][-1] == 2024


# Per sheet: Excel's number format of each column (1-based) that has one, the 合计/全市 rows at
# the bottom (bold, outside the filter), as docs/outputs.md promises.
SHEET_FORMATS = {"任务清单": ({9: "0", 10: "0", 11: "0.00", 12: "0.00", 13: "yyyy-mm-dd"}, 1),
                 "时间进度表": ({19: "0", 20: "0", 21: "0.00", 22: "0.00", 23: "yyyy-mm-dd"}, 1),
                 "达标情况": ({6: "0%", 9: "0%"}, 3), "经费": ({3: "0.00", 4: "0.00", 5: "0.00"}, 0), "汇总": ({}, 0)}


def _check_print_layout(ws: Any, first: int, formats: dict[int, str], totals: int) -> None:
    """Header row `first` (after a banner, 2) frozen, bold and repeated on every printed page; A4
    landscape one page wide; the filter over the records only; formats on every row below the header."""
    last = ws.max_row
    assert ws.freeze_panes == f"A{first + 1}" and ws.print_title_rows == f"$1:${first}"
    assert (ws.page_setup.orientation, str(ws.page_setup.paperSize)) == ("landscape", ws.PAPERSIZE_A4)
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (
        1, 0, True)
    assert ws.auto_filter.ref == f"A{first}:{openpyxl.utils.get_column_letter(ws.max_column)}{last - totals}"
    assert [r for r in range(first, last + 1) if ws.cell(r, 1).font.b] == [first, *range(last - totals + 1, last + 1)]
    for col in range(1, ws.max_column + 1):
        assert {ws.cell(r, col).number_format for r in range(first + 1, last + 1)} == {formats.get(col, "General")}, col


def test_sheets_are_ready_to_file_and_print(solved: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, _ = solved
    wb = openpyxl.load_workbook(out / "solve.xlsx")
    for name, (formats, totals) in SHEET_FORMATS.items():
        _check_print_layout(wb[name], 1, formats, totals)
    assert wb["任务清单"].cell(1, 1).fill.fgColor.rgb.endswith("DDEBF7")  # the shaded header
    # Unverified (its scenario gone, --force): the banner is row 1 of every sheet, in red, and heads
    # every printed page.
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    data["scenario"]["file"] = str(tmp_path / "gone.yaml")
    (tmp_path / "plan.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    forced = CliRunner().invoke(cli, ["export", str(tmp_path / "plan.json"), "--xlsx", str(tmp_path / "f.xlsx"),
                                      "--force"])
    assert forced.exit_code == 0, forced.output
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    for name, (formats, totals) in SHEET_FORMATS.items():
        ws = wb[name]
        assert ws["A1"].value.startswith("未核验") and ws["A1"].font.color.rgb.endswith("C00000")
        assert ws.oddHeader.center.text == ws["A1"].value
        _check_print_layout(ws, 2, formats, totals)


def test_without_the_scenario_ids_and_a_note(solved: tuple[Path, dict[str, Any]], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """plan.json names the scenario relative to the cwd of the solve; elsewhere it is not found."""
    out, plan = solved
    shutil.copy(out / "plan.json", tmp_path / "plan.json")
    monkeypatch.chdir(tmp_path)
    data = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    data["scenario"]["file"] = "gone/rolling.yaml"
    (tmp_path / "plan.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = CliRunner().invoke(cli, ["export", "plan.json", "--xlsx", "p.xlsx"])
    assert refused.exit_code == 1 and "gone/rolling.yaml: 找不到文件" in refused.output
    assert "请用 --scenario 指定情景文件，或用 --force 不经核验使用" in refused.output
    assert not (tmp_path / "p.xlsx").exists()
    result = CliRunner().invoke(cli, ["export", "plan.json", "--xlsx", "p.xlsx", "--force"])
    assert result.exit_code == 0, result.output
    assert "未能加载情景文件 gone/rolling.yaml，方案未经核验（--force）" in result.output
    sheet = rows(openpyxl.load_workbook(tmp_path / "p.xlsx")["任务清单"])
    assert sheet[0][0].startswith("未核验：") and sheet[1] == TASK_HEADER
    tasks = sheet[2:-1]
    assert len(tasks) == len(plan["actions"])
    assert tasks[2][7] == "政法专项编制人员"  # names still come from the built-in standard
    assert all(r[13] is None for r in tasks)  # no requirement without the offices
    # no lead times known: the build completes in Q4 and the option is taken in Q1 of their year
    assert [r[12] for r in tasks][:2] == [dt.datetime(2022, 12, 31), dt.datetime(2022, 3, 31)]


def test_usage_errors(solved: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, _ = solved
    runner = CliRunner()
    nothing = runner.invoke(cli, ["export", str(out / "plan.json")], env={"PLAN_LANG": "en"})
    assert nothing.exit_code == 2 and "give --xlsx FILE and/or --csv DIR" in nothing.output
    (tmp_path / "bad.json").write_text('{"format": "other"}', encoding="utf-8")
    bad = runner.invoke(cli, ["export", str(tmp_path / "bad.json"), "--xlsx", str(tmp_path / "x.xlsx")])
    assert bad.exit_code == 5 and "format: Input should be 'plan-result/1'" in bad.output
    assert not (tmp_path / "x.xlsx").exists()
