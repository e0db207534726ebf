"""`plan document`: the Word draft read back with python-docx (every figure equals plan.json, the
GB/T 9704 page, fonts, page numbers, user text as data), refused for a plan that does not verify,
and rendered by LibreOffice headless (page count, nothing beyond the right margin).

Fixture `tests/cases/outputs/rolling.yaml`: three offices in two counties over 2022–2024 with a
unique optimal plan (build with a 2-year lead, a housing option, hires and a room).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Pt
from test_advance import solve  # solves a scenario with `plan solve`, returns plan.json

from cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "cases" / "outputs" / "rolling.yaml"


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("document")
    plan = solve(SCENARIO, out)
    result = CliRunner().invoke(cli, ["document", str(out / "plan.json"), "-o", str(out / "plan.docx"),
                                      "--scenario", str(SCENARIO), "--unit", "某市司法局"])
    assert result.exit_code == 0, result.output
    return out / "plan.docx", plan


def _rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _num(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


def test_every_figure_equals_plan_json(drafted: tuple[Path, dict[str, Any]]) -> None:
    path, plan = drafted
    d = docx.Document(str(path))
    tables = [_rows(t) for t in d.tables]
    goals = next(t for t in tables if t[0][0] == "年度" and t[0][1] == "范围" and t[0][2] == "类别")
    assert len(goals) - 1 == len(plan["attainment"])
    for row, a in zip(goals[1:], plan["attainment"]):
        assert int(row[0]) == a["year"] and int(row[3]) == a["offices"] and int(row[4]) == a["attained"]
        assert _num(row[5]) == pytest.approx(round(100 * a["attained"] / a["offices"], 1))
        assert _num(row[6]) == pytest.approx(100 * a["target"]) and int(row[7]) == a["required"]
        assert row[8] == ("完成" if a["met"] else f"差{a['required'] - a['attained']}个")
    names = {o["id"]: o["name"] for o in plan["offices"]}
    tasks = [r for t in tables if t[0][0] == "司法所" for r in t[1:]]
    assert [(r[0], int(r[1]), _num(r[5]), _num(r[6])) for r in tasks] == \
        [(names[a["office"]], a["year"], a["one_time"], a["annual"]) for a in plan["actions"]]
    assert [r[2] for r in tasks] == ["新建", "用房方案", "招录/聘用", "功能室", "招录/聘用"]
    money = next(t for t in tables if t[0][2] == "预算（万元）")
    assert [(int(r[0]), r[1], _num(r[2]), _num(r[3]), _num(r[4])) for r in money[1:-1]] == \
        [(s["year"], s["scope"], s["budget"], s["spent"], pytest.approx(s["budget"] - s["spent"]))
         for s in plan["spending"]]
    total_budget, total_spent = sum(s["budget"] for s in plan["spending"]), sum(s["spent"] for s in plan["spending"])
    assert money[-1] == ["合计", "", f"{total_budget:.2f}", f"{total_spent:.2f}", f"{total_budget - total_spent:.2f}"]
    text = "\n".join(p.text for p in d.paragraphs)
    assert f"规划期总费用{plan['objective']['total_cost']:.2f}万元" in text
    assert "到2024年底，3个司法所中3个达到所属类别建设标准；6项达标率目标中完成6项" in text
    assert "甲县共2个司法所，安排建设任务2项，一次性费用32.50万元，年度费用1.00万元。" in text


def test_quarterly_schedule_follows_the_default_milestones(drafted: tuple[Path, dict[str, Any]]) -> None:
    d = docx.Document(str(drafted[0]))
    schedules = [_rows(t) for t in d.tables if t.rows[0].cells[0].text == "季度"]
    assert len(schedules) == 3  # 2022, 2023, 2024
    y2022, y2023, y2024 = ({r[0]: r[1].split("\n") for r in t[1:]} for t in schedules)
    assert y2022["第一季度"] == ["甲镇：新建业务用房 50m²开工", "乙街道：落实用房方案annex 60m²",
                              "丙镇：启动招录政法专项编制人员 1人"]
    assert y2022["第三季度"] == ["丙镇：政法专项编制人员 1人到岗", "丙镇：建成五站点服务区"]
    assert y2022["第四季度"] == ["丙镇：达标验收"]
    assert y2023["第四季度"] == ["乙街道：用房方案annex 60m²交付使用", "乙街道：达标验收"]
    # the build started in 2022 counts from the end of 2024 (lead 2 years): completed in 2024 Q4
    assert y2024["第四季度"] == ["甲镇：新建业务用房 50m²竣工交付", "甲镇：达标验收"]


def test_page_fonts_and_page_numbers_follow_gbt_9704(drafted: tuple[Path, dict[str, Any]]) -> None:
    d = docx.Document(str(drafted[0]))
    s = d.sections[0]
    mm = [round(x.mm, 1) for x in (s.page_width, s.page_height, s.top_margin, s.bottom_margin,
                                   s.left_margin, s.right_margin)]
    assert mm == [210, 297, 37, 35, 28, 26]  # A4; top, bottom, left, right margins
    title = d.paragraphs[0].runs[0]
    assert title.text == "滚动计划测试" and title.font.size == Pt(22)
    assert title._r.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "方正小标宋简体"
    normal = d.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "仿宋_GB2312"
    for footer in (s.footer, s.even_page_footer):
        # "— n —": the dashes around the PAGE field
        assert 'w:instr="PAGE"' in footer._element.xml and footer.paragraphs[0].text == "—  —"
    with zipfile.ZipFile(drafted[0]) as z:
        fonts = z.read("word/fontTable.xml").decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    text_width = s.page_width - s.left_margin - s.right_margin
    for t in d.tables:  # no table is wider than the text
        assert sum(gc.w for gc in t._tbl.tblGrid.gridCol_lst) <= text_width


def test_office_names_are_text_not_fields(tmp_path: Path) -> None:
    odd = "甲镇{ PAGE }<b>&amp;=1+1"
    text = SCENARIO.read_text(encoding="utf-8").replace("name: 甲镇", f"name: '{odd}'")
    scenario = tmp_path / "odd.yaml"
    scenario.write_text(text, encoding="utf-8")
    solve(scenario, tmp_path)
    result = CliRunner().invoke(cli, ["document", str(tmp_path / "plan.json"), "-o", str(tmp_path / "d.docx"),
                                      "--scenario", str(scenario), "--title", "<标题>{ DATE }"])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(tmp_path / "d.docx"))
    assert d.paragraphs[0].text == "<标题>{ DATE }"
    assert any(row.cells[0].text == odd for t in d.tables for row in t.rows)
    with zipfile.ZipFile(tmp_path / "d.docx") as z:
        body = z.read("word/document.xml").decode()
    assert "fldSimple" not in body and "instrText" not in body and "fldChar" not in body


def test_a_plan_that_does_not_verify_gets_no_document(drafted: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    plan = json.loads(json.dumps(drafted[1]))
    plan["spending"][0]["spent"] += 1
    (tmp_path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    for lang, label in (("zh", "违规 spending"), ("en", "violation spending")):
        result = CliRunner().invoke(cli, ["document", str(tmp_path / "plan.json"), "-o", str(tmp_path / "d.docx"),
                                          "--scenario", str(SCENARIO)], env={"PLAN_LANG": lang})
        assert result.exit_code == 5 and label in result.output, result.output
    assert not (tmp_path / "d.docx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer-nogui")
def test_libreoffice_renders_the_draft_within_the_page(drafted: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    import pdfplumber

    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(drafted[0])], check=True, capture_output=True, timeout=180)
    right_edge = (210 - 26) / 25.4 * 72 + 1.5  # the text area's right edge in points, with line-width slack
    with pdfplumber.open(tmp_path / "plan.pdf") as pdf:
        assert 3 <= len(pdf.pages) <= 5
        text = "".join(page.extract_text() for page in pdf.pages)
        for page in pdf.pages:
            assert page.width == pytest.approx(210 / 25.4 * 72, abs=1)
            borders = page.lines + page.rects  # the tables' rules
            if borders:
                assert max(x["x1"] for x in borders) < right_edge
                assert min(x["x0"] for x in borders) > 28 / 25.4 * 72 - 1.5
        assert sum(bool(page.lines) for page in pdf.pages) >= 3
    assert "— 1 —" in text and "三、经费保障" in text and "某市司法局" in text


def test_targets_short_of_the_goal_are_named(tmp_path: Path) -> None:
    scenario = ROOT / "scenarios" / "examples" / "soft_targets.yaml"
    plan = solve(scenario, tmp_path)
    assert [(a["attained"], a["required"], a["met"]) for a in plan["attainment"]] == [(2, 4, False)]
    result = CliRunner().invoke(cli, ["document", str(tmp_path / "plan.json"), "-o", str(tmp_path / "d.docx"),
                                      "--scenario", str(scenario)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(tmp_path / "d.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "规划期2024年，" in text
    assert ("到2024年底，4个司法所中2个达到所属类别建设标准；1项达标率目标中完成0项；未完成的目标："
            "2024年全市全部司法所达标率100%（差2个）。本计划按软目标测算") in text
    assert _rows(d.tables[0])[1] == ["2024", "全市", "全部", "4", "2", "50%", "100%", "4", "差2个"]


def test_without_the_scenario_no_document_is_written(drafted: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    plan = json.loads(json.dumps(drafted[1]))
    plan["scenario"]["file"] = str(tmp_path / "gone.yaml")
    (tmp_path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["document", str(tmp_path / "plan.json"), "-o", str(tmp_path / "d.docx")],
                                env={"PLAN_LANG": "zh"})
    assert result.exit_code == 1
    assert "工作计划草案需要情景文件以核验方案：请用 --scenario 指定" in result.output
    assert not (tmp_path / "d.docx").exists()


def test_overlapping_budget_scopes_get_no_total(tmp_path: Path) -> None:
    """A city fund beside a county budget: an office of 海陵区 spends against both, so no 合计."""
    text = (ROOT / "scenarios" / "examples" / "city_fund.yaml").read_text(encoding="utf-8")
    scenario = tmp_path / "fund.yaml"
    scenario.write_text(text.replace("  泰州市: {2022: 195.0, 2023: 85.0}",
                                     "  泰州市: {2022: 195.0, 2023: 85.0}\n  海陵区: {2022: 40, 2023: 40}"),
                        encoding="utf-8")
    plan = solve(scenario, tmp_path)
    assert {s["scope"] for s in plan["spending"]} == {"泰州市", "海陵区"}
    result = CliRunner().invoke(cli, ["document", str(tmp_path / "plan.json"), "-o", str(tmp_path / "d.docx"),
                                      "--scenario", str(scenario)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(tmp_path / "d.docx"))
    money = next(_rows(t) for t in d.tables if t.rows[0].cells[2].text == "预算（万元）")
    assert len(money) == 1 + len(plan["spending"]) and all(r[0] != "合计" for r in money)
    assert any("范围有重叠" in p.text and "不作合计" in p.text for p in d.paragraphs)


def test_numbers_as_the_draft_prints_them() -> None:
    from planner.reports.document import cn_number, money, rate

    assert [cn_number(n) for n in (1, 10, 11, 20, 25, 99, 100)] == \
        ["一", "十", "十一", "二十", "二十五", "九十九", "100"]
    assert [money(x) for x in (0, 22.5, 1.225, 1234.5678)] == ["0.00", "22.50", "1.225", "1,234.5678"]
    assert [rate(x) for x in (0.9, 1 / 3, 0.0, 1.0)] == ["90%", "33.3%", "0%", "100%"]
