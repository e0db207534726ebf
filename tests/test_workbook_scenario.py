"""The Excel scenario template: `plan template [--from]`, `plan convert` YAML ↔ XLSX, and
validate/classify/solve reading 情景.xlsx directly with errors that name `sheet!cell: field`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cli.main import cli
from planner.io.loading import load_scenario
from planner.io.workbook_scenario import SHEETS

ROOT = Path(__file__).resolve().parents[1]
TAIZHOU = ROOT / "scenarios" / "2022.yaml"
EXAMPLES = ROOT / "scenarios" / "examples"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"PLAN_LANG": "zh"})
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def taizhou_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "泰州.xlsx"
    code, output = _run("template", "--from", str(TAIZHOU), "-o", str(path))
    assert code == 0, output
    return path


def test_the_blank_template_has_every_sheet_drop_downs_and_a_valid_example(tmp_path: Path) -> None:
    path = tmp_path / "情景.xlsx"
    assert _run("template", "-o", str(path))[0] == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    offices = wb["司法所"]
    header = [c.value for c in offices[1]]
    assert header[:13] == ["编号", "名称", "县区", "地级市", "省", "类型", "常住人口", "辖区面积", "GDP排名",
                           "法治需求", "类别", "业务用房面积", "已有功能室"]
    assert [c.value for c in offices[2]][:6] == ["SL-01", "示例镇", "示例县", None, None, "乡镇"]
    assert offices.freeze_panes == "C2" and wb["预算"].freeze_panes == "A2"
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in offices.data_validations.dataValidation
             if dv.type == "list"}
    assert lists == {"F2": '"乡镇,街道"', "J2": '"高,中,低"', "K2": '"大型,中型,小型"'}
    floors = [dv for dv in offices.data_validations.dataValidation if "L2" in str(dv.sqref)]
    assert floors and floors[0].operator == "greaterThanOrEqual" and floors[0].formula1 == "0"
    budget = wb["预算"].data_validations.dataValidation
    assert any("C2" in str(dv.sqref) and dv.formula1 == "0" for dv in budget)
    assert [c.value for c in wb["预算"][1]] == ["范围（全市，或县区、地级市、省）", "年度", "金额（万元）"]
    code, output = _run("validate", str(path))
    assert code == 0 and "有效 — 1 个县区 1 个司法所" in output and "0 个警告" in output


def test_solving_the_template_gives_the_yaml_optimum(taizhou_xlsx: Path, tmp_path: Path) -> None:
    objectives = []
    for source in (TAIZHOU, taizhou_xlsx):
        out = tmp_path / source.suffix[1:]
        code, output = _run("solve", str(source), "-o", str(out), "--quiet", "--workers", "2")
        assert code == 0, output
        objectives.append(json.loads((out / "plan.json").read_text(encoding="utf-8"))["objective"])
    assert objectives[0] == objectives[1]
    assert objectives[1] == {"shortfall": 0, "attained_office_years": 152, "total_cost": 1353.27}


def test_classify_reads_the_workbook(taizhou_xlsx: Path) -> None:
    code, output = _run("classify", str(taizhou_xlsx), "--json")
    assert code == 0
    from_yaml = json.loads(_run("classify", str(TAIZHOU), "--json")[1])
    assert json.loads(output) == from_yaml


@pytest.mark.parametrize("source", [TAIZHOU, EXAMPLES / "housing_options.yaml", EXAMPLES / "soft_targets.yaml",
                                    EXAMPLES / "county_budgets.yaml", EXAMPLES / "csv_offices.yaml",
                                    EXAMPLES / "custom_standard.yaml", EXAMPLES / "city_fund.yaml",
                                    ROOT / "tests/cases/outputs/rolling.yaml"])
def test_convert_round_trips_yaml_xlsx_yaml(source: Path, tmp_path: Path) -> None:
    shutil.copytree(source.parent, tmp_path / "src")  # a custom standard or office table stays beside it
    xlsx, back = tmp_path / "src" / "s.xlsx", tmp_path / "src" / "s.yaml"
    source = tmp_path / "src" / source.name
    assert _run("convert", str(source), str(xlsx))[0] == 0
    code, output = _run("convert", str(xlsx), str(back))
    assert code == 0, output
    original, again = load_scenario(source), load_scenario(back)
    assert again.scenario.model_dump(exclude={"standard"}) == original.scenario.model_dump(exclude={"standard"})
    assert again.standard == original.standard
    assert load_scenario(xlsx).scenario.model_dump(exclude={"standard"}) == \
        original.scenario.model_dump(exclude={"standard"})


def _broken(taizhou_xlsx: Path, tmp_path: Path, sheet: str, cell: str, value: object) -> str:
    wb = openpyxl.load_workbook(taizhou_xlsx)
    wb[sheet][cell] = value
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    code, output = _run("validate", str(path))
    assert code == 1
    return output.replace(str(path), "broken.xlsx")


@pytest.mark.parametrize("sheet, cell, value, message", [
    ("预算", "C4", -5, "broken.xlsx: 预算!C4: budget.高港区.2022: 应大于或等于 0（实际为 -5）"),
    ("司法所", "F5", "村", "broken.xlsx: 司法所!F5: offices[3].kind: 应为 'township'、'subdistrict' 之一（实际为 '村'）"),
    ("司法所", "A5", None, "broken.xlsx: 司法所!A5: offices[3].id: 必填字段缺失"),
    ("达标目标", "B2", 1.5, "broken.xlsx: 达标目标!B2: targets.2022.large: 应小于或等于 1（实际为 1.5）"),
    ("费用标准", "C3", "abc", "broken.xlsx: 费用标准!C3: costs.roles.mediators.one_time: 应为数字（实际为 'abc'）"),
    ("预算", "A4", "高岗区",
     "broken.xlsx: 预算!A4: budget.高岗区: 没有司法所属于名为 '高岗区' 的县、市或省（是不是 '高港区'？）"),
    ("编制", "C3", 2030, "broken.xlsx: 编制!D3: quotas.posts.海陵区.2030: 2030 年不在规划期 2022–2023 内"),
    ("基本设置", "B3", "jiangsu-2012", "broken.xlsx: 基本设置!B3: standard: 没有内置标准或标准文件 'jiangsu-2012'（是否应为 'jiangsu-2021'？）"),
    ("用房方案", "A2", "XX-1", "broken.xlsx: 用房方案!A2: office: 司法所表中没有编号 'XX-1'"),
    ("预算", "A1", "县区", "broken.xlsx: 预算!A1: header: 表头应为“范围（全市，或县区、地级市、省）”"),
])
def test_a_broken_cell_is_named_sheet_cell_field(taizhou_xlsx: Path, tmp_path: Path, sheet: str, cell: str,
                                                 value: object, message: str) -> None:
    output = _broken(taizhou_xlsx, tmp_path, sheet, cell, value)
    assert f"错误 {message}\n" in output.replace("\n  ", " ")  # Chinese: _run sets PLAN_LANG=zh


def test_user_text_is_never_a_formula(tmp_path: Path) -> None:
    source = ROOT / "tests/cases/outputs/rolling.yaml"
    scenario = tmp_path / "odd.yaml"
    scenario.write_text(source.read_text(encoding="utf-8").replace("name: 甲镇", "name: '=HYPERLINK(\"x\")'"),
                        encoding="utf-8")
    xlsx = tmp_path / "odd.xlsx"
    assert _run("convert", str(scenario), str(xlsx))[0] == 0
    cell = openpyxl.load_workbook(xlsx)["司法所"]["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")
    assert load_scenario(xlsx).offices[0].name == '=HYPERLINK("x")'


def test_city_scopes_round_trip(tmp_path: Path) -> None:
    import yaml
    from test_scopes import _hand_worked  # offices in 丙市, a target per city, a city fund and a county budget

    data = _hand_worked({"丙市": {2022: 23.2}, "甲县": {2022: 10}})
    data["quotas"] = {"posts": {"丙市": {2022: 1}}}
    for o in data["offices"]:
        o["province"] = "某省"
    source = tmp_path / "city.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    xlsx, back = tmp_path / "city.xlsx", tmp_path / "back.yaml"
    assert _run("convert", str(source), str(xlsx))[0] == 0
    assert openpyxl.load_workbook(xlsx)["基本设置"]["B6"].value == "地级市"
    assert _run("convert", str(xlsx), str(back))[0] == 0
    assert load_scenario(back).scenario == load_scenario(source).scenario


def test_convert_refuses_to_replace_its_input(tmp_path: Path) -> None:
    source = tmp_path / "s.yaml"
    source.write_text((ROOT / "tests/cases/outputs/rolling.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = source.read_bytes()
    code, output = _run("convert", str(source), str(tmp_path / "." / "s.yaml"))
    assert code == 2 and "会覆盖输入" in output and source.read_bytes() == before
    assert _run("convert", str(source), str(source), "--overwrite")[0] == 0
    assert load_scenario(source).scenario == load_scenario(ROOT / "tests/cases/outputs/rolling.yaml").scenario
