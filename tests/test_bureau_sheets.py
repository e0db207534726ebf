"""The workbook a bureau files (docs/outputs.md): 任务清单 and 时间进度表 with 序号, 责任单位, 完成时限,
numbers with units in the header, 合计 rows, the 全市 rows of 达标情况, print settings; the quarters
follow the milestones (planner/analysis/milestones.py) or the scenario's `schedule:`.

2022.yaml's plan is read back with openpyxl and checked against plan.json; the `schedule:` override
uses tests/cases/outputs/rolling.yaml (a build with a 2-year lead, an annex with 1, a hire, a room).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from test_advance import solve

from cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
TAIZHOU = ROOT / "scenarios" / "2022.yaml"
ROLLING = ROOT / "tests" / "cases" / "outputs" / "rolling.yaml"
TASKS = ["序号", "责任单位", "县区", "司法所编号", "司法所", "年度", "任务类型", "岗位/功能室/方案", "人数（人）",
         "面积（m²）", "一次性费用（万元）", "年度费用（万元）", "完成时限", "补齐的标准"]


def export(plan_dir: Path, scenario: Path, xlsx: Path) -> openpyxl.Workbook:
    result = CliRunner().invoke(cli, ["export", str(plan_dir / "plan.json"), "--xlsx", str(xlsx),
                                      "--scenario", str(scenario)])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(xlsx)


@pytest.fixture(scope="module")
def taizhou(tmp_path_factory: pytest.TempPathFactory) -> tuple[openpyxl.Workbook, dict[str, Any]]:
    out = tmp_path_factory.mktemp("bureau")
    plan = solve(TAIZHOU, out)
    return export(out, TAIZHOU, out / "plan.xlsx"), plan


def values(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def day(x: Any) -> dt.date:
    return x.date() if isinstance(x, dt.datetime) else x


def test_task_list_rows_and_total(taizhou: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    wb, plan = taizhou
    rows = values(wb["任务清单"])
    head, body, total = rows[0], rows[1:-1], rows[-1]
    assert head == TASKS
    actions = plan["actions"]
    assert [r[0] for r in body] == list(range(1, len(actions) + 1))
    offices = {o["id"]: o for o in plan["offices"]}
    assert [r[1] for r in body] == [f"{offices[a['office']]['county']}司法局 / {offices[a['office']]['name']}司法所"
                                    for a in actions]
    people = [a.get("count") if a["type"] == "hire" else None for a in actions]
    areas = [a.get("area_m2") if a["type"] in ("lease", "build", "housing") else None for a in actions]
    assert [r[8] for r in body] == people and [r[9] for r in body] == areas
    assert [(r[10], r[11]) for r in body] == [(a["one_time"], a["annual"]) for a in actions]
    # 合计: the sum of its rows, and of plan.json's actions
    assert total[0] == "合计" and total[1:8] == [None] * 7 and total[12:] == [None, None]
    assert total[8] == sum(p or 0 for p in people) > 0
    assert total[9] == sum(a or 0 for a in areas) > 0
    assert total[10] == pytest.approx(sum(a["one_time"] for a in actions))
    assert total[11] == pytest.approx(sum(a["annual"] for a in actions))


def test_timetable_by_quarter_with_totals(taizhou: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    wb, plan = taizhou
    rows = values(wb["时间进度表"])
    head, body, total = rows[0], rows[1:-1], rows[-1]
    quarters = [f"{y}年第{q}季度" for y in (2022, 2023) for q in "一二三四"]
    assert head == ["序号", "责任单位", "县区", "司法所编号", "司法所", "类别", *quarters, "人数（人）", "面积（m²）",
                    "一次性费用（万元）", "年度费用（万元）", "完成时限", "达标年度"]
    assert [r[3] for r in body] == [o["id"] for o in plan["offices"]]
    for r in body:  # hires: 启动 Q1, 完成 Q2, 到岗 Q3 of their year; rooms Q3; leases Q1
        cells = {(y, q): (r[6 + 4 * (y - 2022) + q - 1] or "").split("；") for y in (2022, 2023) for q in range(1, 5)}
        for a in (a for a in plan["actions"] if a["office"] == r[3]):
            steps = {"hire": [(1, "启动招录"), (2, "完成招录"), (3, "到岗")], "facility": [(3, "建成")],
                     "lease": [(1, "签订租赁合同")]}.get(a["type"], [])
            for q, word in steps:
                assert any(word in c for c in cells[(a["year"], q)]), (r[3], a, q)
        if r[19] in (2022, 2023) and any(a["office"] == r[3] for a in plan["actions"]):
            assert "达标验收" in cells[(r[19], 4)]
    for col, key in ((14, "count"), (15, "area_m2"), (16, "one_time"), (17, "annual")):
        per_office = {o["id"]: 0.0 for o in plan["offices"]}
        for a in plan["actions"]:
            counted = key in ("one_time", "annual") or (key == "count") == (a["type"] == "hire")
            per_office[a["office"]] += (a.get(key) or 0) if counted else 0
        assert [r[col] for r in body] == pytest.approx([per_office[r[3]] for r in body])
        assert total[col] == pytest.approx(sum(r[col] for r in body))
    assert total[:14] == ["合计"] + [None] * 13
    tasks_total = values(wb["任务清单"])[-1]
    assert total[14:18] == tasks_total[8:12]


def test_whole_scenario_rows(taizhou: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    wb, plan = taizhou
    rows = values(wb["达标情况"])
    assert rows[0] == ["年度", "县区", "类别", "所数", "达标数", "目标达标率", "应达标数", "是否完成", "达标率"]
    whole = [r for r in rows[1:] if r[1] == "全市"]
    assert rows[-len(whole):] == whole and len(rows) == 1 + len(plan["attainment"]) + len(whole)
    tier_zh = {"large": "大型", "medium": "中型", "small": "小型"}
    expected = []
    for year in (2022, 2023):
        for tier in ("large", "medium", "small"):
            offices = [o for o in plan["offices"] if o["tier"] == tier]
            attained = sum(o["attained"][str(year)] for o in offices)
            cells = [a for a in plan["attainment"] if a["year"] == year and a["tier"] == tier]
            missed = sum(not a["met"] for a in cells)
            expected.append([year, "全市", tier_zh[tier], len(offices), attained, cells[0]["target"],
                             sum(a["required"] for a in cells), "是" if not missed else f"否（{missed}项未完成）",
                             pytest.approx(attained / len(offices), abs=1e-4)])
    assert whole == expected


def test_completion_dates_follow_the_milestones(taizhou: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    """hires in post by Q3, leases signed in Q1, rooms by Q3, premises handed over in Q4 of the year
    they count (2022.yaml's options have their own lead times); the office's date is its last step."""
    wb, plan = taizhou
    body = values(wb["任务清单"])[1:-1]
    leads = {(o["id"], h["id"]): h.get("lead_years", 0)
             for o in yaml.safe_load(TAIZHOU.read_text(encoding="utf-8"))["offices"]
             for h in o.get("housing_options", [])}
    for a, r in zip(plan["actions"], body):
        y = a["year"]
        want = {"hire": dt.date(y, 9, 30), "facility": dt.date(y, 9, 30), "lease": dt.date(y, 3, 31)}.get(a["type"])
        if a["type"] == "housing":
            lead = leads[(a["office"], a["option"])]
            want = dt.date(y + lead, 12, 31) if lead else dt.date(y, 3, 31)
        assert day(r[12]) == want, (a, r)
    timetable = values(wb["时间进度表"])[1:-1]
    for r in timetable:  # 验收 in Q4 of the year it first attains is the last step of an office that acts
        acts = [b[12] for b in body if b[3] == r[3]]
        if acts:
            assert day(r[18]) == max([day(d) for d in acts] + ([dt.date(r[19], 12, 31)]
                                                               if isinstance(r[19], int) else []))
        else:
            assert r[18] is None


def test_formats_panes_filters_print(taizhou: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    wb, _plan = taizhou
    for name in ("汇总", "任务清单", "时间进度表", "达标情况", "经费"):
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows == "$1:$1"
    tasks = wb["任务清单"]
    last = tasks.max_row  # the 合计 row, outside the filter
    assert tasks.auto_filter.ref == f"A1:N{last - 1}"
    assert {tasks.cell(r, c).number_format for r in range(2, last + 1) for c in (11, 12)} == {"0.00"}
    assert {tasks.cell(r, c).number_format for r in range(2, last + 1) for c in (9, 10)} == {"0"}
    assert tasks.cell(2, 13).number_format == "yyyy-mm-dd" and tasks.cell(last, 1).font.b
    assert tasks.cell(2, 14).alignment.wrap_text  # 补齐的标准 is long text
    timetable = wb["时间进度表"]
    assert timetable.auto_filter.ref == f"A1:T{timetable.max_row - 1}"
    assert timetable.cell(2, 9).alignment.wrap_text  # 2022 Q3: hires in post and rooms, wider than 40
    assert wb["达标情况"].auto_filter.ref == f"A1:I{wb['达标情况'].max_row - 6}"  # six 全市 rows
    assert wb["经费"]["C2"].number_format == "0.00"


SCHEDULE = "schedule: {build_start: 2, build_complete: 3, hire_in_post: 4, facility_ready: 2, acceptance: 3}\n"


def test_schedule_moves_the_dates_of_sheets_and_draft(tmp_path: Path) -> None:
    scenario = tmp_path / "rolling.yaml"
    scenario.write_text(ROLLING.read_text(encoding="utf-8") + SCHEDULE, encoding="utf-8")
    solve(scenario, tmp_path)
    wb = export(tmp_path, scenario, tmp_path / "p.xlsx")
    tasks = [(r[3], r[6], day(r[12])) for r in values(wb["任务清单"])[1:-1]]
    assert tasks == [("P", "新建", dt.date(2024, 9, 30)),  # 2022 + lead 2, Q3 (default Q4)
                     ("Q", "用房方案", dt.date(2023, 12, 31)),  # not overridden: Q4 of the year it counts
                     ("R", "招录/聘用", dt.date(2022, 12, 31)),  # in post in Q4 (default Q3)
                     ("R", "功能室", dt.date(2022, 6, 30)),  # room by Q2 (default Q3)
                     ("R", "招录/聘用", dt.date(2024, 12, 31))]
    p = next(r for r in values(wb["时间进度表"])[1:-1] if r[3] == "P")
    assert p[6:18] == [None, "新建业务用房 50m²开工", None, None, None, None, None, None,
                       None, None, "新建业务用房 50m²竣工交付；达标验收", None]
    result = CliRunner().invoke(cli, ["document", str(tmp_path / "plan.json"), "-o", str(tmp_path / "p.docx"),
                                      "--scenario", str(scenario)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(tmp_path / "p.docx"))
    text = "\n".join(par.text for par in d.paragraphs)
    assert "情景文件 schedule 所定节点：人员第一季度启动招录、第二季度完成招录、第四季度到岗" in text
    quarters = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables if t.rows[0].cells[0].text == "季度"]
    y2022, y2024 = quarters[0], quarters[2]
    assert y2022[2] == ["第二季度",
                        "甲镇：新建业务用房 50m²开工\n丙镇：完成招录政法专项编制人员 1人\n丙镇：建成五站点服务区"]
    assert y2024[3] == ["第三季度", "甲镇：新建业务用房 50m²竣工交付\n甲镇：达标验收"]


@pytest.mark.parametrize(("schedule", "message"), [
    ("schedule: {hire_in_post: 5}", "schedule.hire_in_post: "),
    ("schedule: {hire_start: 3}", "schedule: hire_recruited (quarter 2) is before hire_start (quarter 3)"),
    ("schedule: {acceptance: Q4}", "schedule.acceptance: "),
])
def test_bad_schedule_is_located(tmp_path: Path, schedule: str, message: str) -> None:
    text = ROLLING.read_text(encoding="utf-8")
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(text + schedule + "\n", encoding="utf-8")
    line = text.count("\n") + 1
    result = CliRunner().invoke(cli, ["validate", str(scenario), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert f"bad.yaml:{line}: {message}" in result.output


def test_schedule_survives_convert_to_the_workbook_and_back(tmp_path: Path) -> None:
    scenario = tmp_path / "rolling.yaml"
    scenario.write_text(ROLLING.read_text(encoding="utf-8") + SCHEDULE, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["convert", str(scenario), str(tmp_path / "s.xlsx")]).exit_code == 0
    settings = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "s.xlsx")["基本设置"].iter_rows(values_only=True)}
    assert settings["到岗季度"] == 4 and settings["租赁签订季度"] == 1
    result = runner.invoke(cli, ["convert", str(tmp_path / "s.xlsx"), str(tmp_path / "back.yaml")])
    assert result.exit_code == 0, result.output
    back = yaml.safe_load((tmp_path / "back.yaml").read_text(encoding="utf-8"))
    assert back["schedule"] == {"build_start": 2, "build_complete": 3, "hire_in_post": 4, "facility_ready": 2,
                                "acceptance": 3}
