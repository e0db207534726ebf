"""Messages of reading input files (planner/io: YAML, CSV and XLSX office tables, schedule, standards):
Chinese by default (PLAN_LANG=zh), the English unchanged with PLAN_LANG=en; each through the path a user meets it on."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from cli.main import cli
from planner.errors import ScenarioError
from planner.i18n import set_lang
from planner.io.loading import load_standard_file
from planner.io.office_table import read_office_table
from planner.io.standards import Standard, builtin_path
from planner.io.yamlsrc import load_yaml

JIANGSU = load_standard_file(builtin_path("jiangsu-2021"), "jiangsu-2021")
HEAD = "name: t\nstandard: jiangsu-2021\nhorizon: {start: 2022, end: 2023}\nbudget: {2022: 10, 2023: 10}\n"
OFFICE = "  - {id: A, name: 甲镇, county: 甲县, kind: township}\n"


def check(path: Path, zh: list[str], en: list[str]) -> None:
    """`plan validate path` fails (exit 1), saying every `zh` text with PLAN_LANG=zh and every `en` text with
    PLAN_LANG=en."""
    for lang, texts in (("zh", zh), ("en", en)):
        res = CliRunner().invoke(cli, ["validate", str(path)], env={"PLAN_LANG": lang})
        assert res.exit_code == 1, (lang, res.output)
        for text in texts:
            assert text in res.output, (lang, text, res.output)
        assert "Traceback" not in res.output


def raised(call: Callable[[], object], lang: str) -> str:
    """The ScenarioError `call` raises in `lang`, as printed after the label."""
    set_lang(lang)
    try:
        with pytest.raises(ScenarioError) as info:
            call()
    finally:
        set_lang(None)
    return str(info.value)


@pytest.fixture(autouse=True)
def reset_lang() -> Iterator[None]:
    yield
    set_lang(None)


def scenario(tmp: Path, offices: str, name: str = "s.yaml") -> Path:
    path = tmp / name
    path.write_text(HEAD + f"offices: {offices}\n", encoding="utf-8")
    return path


def table(tmp: Path, text: str, name: str = "o.csv") -> Path:
    """A scenario whose offices are the CSV table `text`."""
    (tmp / name).write_text(text, encoding="utf-8")
    return scenario(tmp, name)


# ---------------------------------------------------------------- YAML files (yamlsrc)


def test_yaml_file_that_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "gone.yaml"
    assert raised(lambda: load_yaml(path, "gone.yaml"), "zh") == "gone.yaml: 无法读取文件：文件不存在"
    assert raised(lambda: load_yaml(path, "gone.yaml"), "en") == \
        f"gone.yaml: cannot read file: {os.strerror(errno.ENOENT)}"  # No such file or directory


def test_yaml_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.write(b"name: t\n")
        f.truncate(21 * 1024 * 1024)
    check(path, [f"错误 {path}: 文件大小 21 MB，超过上限 20 MB\n"],
          [f"error {path}: file is 21 MB; the limit is 20 MB\n"])


def test_binary_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"name: t\x00\x01")
    check(path, [f"错误 {path}: 二进制文件，不是 YAML 文本文件\n"],
          [f"error {path}: binary file, not a YAML text file\n"])


def test_yaml_reader_error(tmp_path: Path) -> None:
    """A control character: its line counted right after Chinese text too (libyaml gives a byte offset)."""
    path = tmp_path / "bell.yaml"
    path.write_text("name: 测试情景\nstandard: \x07\n", encoding="utf-8")
    check(path, [f"错误 {path}: YAML 错误：第 2 行含有 YAML 不允许的控制字符 #x0007，请删除\n"],
          [f"error {path}: YAML error: unacceptable character #x0007: "])  # libyaml: control, PyYAML: special


# ---------------------------------------------------------------- CSV and XLSX files (spreadsheet)


def test_binary_csv(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_bytes(b"id,name\x00")
    check(scenario(tmp_path, "o.csv"), ["o.csv: 二进制文件，不是 CSV 表格\n"],
          ["o.csv: binary file, not a CSV table\n"])


def test_csv_neither_utf8_nor_gbk(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_bytes(b"id,name\n\xff\xff\xff\n")
    check(scenario(tmp_path, "o.csv"),
          ["o.csv: 不是 UTF-8 或 GBK 文本：请在 Excel 中将表格另存为“CSV UTF-8（逗号分隔）”\n"],
          ["o.csv: not UTF-8 or GBK text: save the table as 'CSV UTF-8' from Excel\n"])


def test_csv_error(tmp_path: Path) -> None:
    path = table(tmp_path, "id,name,county,kind\nA," + "x" * 200_000 + ",甲县,镇\n")
    check(path, ["o.csv:2: CSV 格式错误：单元格超过 131,072 个字符的上限\n"],
          ["o.csv:2: CSV error: field larger than field limit (131072)\n"])


def test_empty_csv(tmp_path: Path) -> None:
    check(table(tmp_path, ""), ["o.csv:1: 表格为空\n"], ["o.csv:1: table is empty\n"])


def test_csv_row_longer_than_the_header(tmp_path: Path) -> None:
    path = table(tmp_path, "id,name,county,kind\nA,甲镇,甲县,镇,5\n")
    check(path, ["o.csv:2: 第 5 列: 该行有 5 个单元格，表头只有 4 个\n"],
          ["o.csv:2: column 5: row has 5 cells but the header 4\n"])


def test_xlsx_cell_under_an_empty_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "name", "county", "kind", "staff.posts", None])
    ws.append(["A", "甲镇", "甲县", "镇", 2, 2])
    wb.save(tmp_path / "o.xlsx")
    check(scenario(tmp_path, "o.xlsx"), ["o.xlsx:2: 第 6 列: 表头为空的列中填了内容（是否合并了表头单元格？）\n"],
          ["o.xlsx:2: column 6: cell under an empty header (merged header cells?)\n"])


def test_empty_worksheet(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "o.xlsx")
    check(scenario(tmp_path, "o.xlsx"), ["o.xlsx:1: 工作表为空\n"], ["o.xlsx:1: worksheet is empty\n"])


# ---------------------------------------------------------------- office tables (office_table)


def test_office_table_not_found(tmp_path: Path) -> None:
    def read() -> object:
        return read_office_table(tmp_path / "o.csv", "o.csv", JIANGSU)

    assert raised(read, "zh") == "o.csv: offices: 找不到司法所表"
    assert raised(read, "en") == "o.csv: offices: office table not found"


def test_office_table_over_20_mb(tmp_path: Path) -> None:
    with (tmp_path / "o.csv").open("wb") as f:
        f.truncate(21 * 1024 * 1024)
    check(scenario(tmp_path, "o.csv"), ["o.csv: offices: 司法所表超过 20 MB\n"],
          ["o.csv: offices: office table larger than 20 MB\n"])


def test_office_table_of_another_kind(tmp_path: Path) -> None:
    (tmp_path / "o.txt").write_text("id,name\n", encoding="utf-8")
    check(scenario(tmp_path, "o.txt"), ["o.txt: offices: 司法所表应为 .csv 或 .xlsx 文件\n"],
          ["o.txt: offices: office table must be a .csv or .xlsx file\n"])


def test_office_table_with_an_empty_header(tmp_path: Path) -> None:
    check(table(tmp_path, "id,,name,county,kind\nA,,甲镇,甲县,镇\n"),
          ["o.csv:1: 第 2 列: 表头为空（是否合并了表头单元格？）\n"],
          ["o.csv:1: column 2: empty header (merged header cells?)\n"])


def test_office_table_with_two_columns_for_one_field(tmp_path: Path) -> None:
    path = table(tmp_path, "id,name,county,kind,业务用房,floor_area_m2\nA,甲镇,甲县,镇,1,2\n")
    check(path, ["o.csv:1: floor_area_m2: F 列与 E 列“业务用房”是同一字段（floor_area_m2）；请只保留一列\n"],
          ["o.csv:1: floor_area_m2: column F holds the same field (floor_area_m2) as column E “业务用房”; keep one\n"])


def test_office_table_without_rows(tmp_path: Path) -> None:
    check(table(tmp_path, "id,name,county,kind\n"), ["o.csv:2: offices: 司法所表没有数据行\n"],
          ["o.csv:2: offices: office table has no rows\n"])


def test_office_table_cell_names_its_column(tmp_path: Path) -> None:
    path = table(tmp_path, "编号,名称,县区,类型\nA,甲镇,甲县,镇\nB,,甲县,街道\n")
    check(path, ["o.csv:3: name: 必填，但单元格为空 [B 列“名称”]\n"],
          ["o.csv:3: name: required, but the cell is empty [column B “名称”]\n"])


def test_office_table_bad_headers(tmp_path: Path) -> None:
    header = ("id,name,kind,staff,housing_options,staff.mediatrs,caseload.released_persons.last,staff.posts.x,"
              "populaton,zzzqqq,attributes.nope")
    path = table(tmp_path, header + "\nA,甲镇,镇,1,1,1,1,1,1,1,1\n")
    check(path, [
        "o.csv:1: staff: D 列：请写明岗位：staff.<名称>，例如 staff.posts\n",
        "o.csv:1: housing_options: E 列：用房方案不能写在表格中；请在 YAML 情景文件中直接列出这些司法所\n",
        "o.csv:1: staff.mediatrs: F 列：标准 jiangsu-2021 中没有岗位 'mediatrs'（是否应为 'staff.mediators'？）\n",
        "o.csv:1: caseload.released_persons.last: G 列：'last' 不是年份：应为 caseload.released_persons.<年份>，"
        "例如 caseload.released_persons.2023\n",
        "o.csv:1: staff.posts.x: H 列：以点分隔的层级过多\n",
        "o.csv:1: populaton: I 列：未知列（是否应为 'population'？）\n",
        "o.csv:1: zzzqqq: J 列：未知列；列名应为司法所字段（docs/scenario.md 列出了这些字段及其中文表头）\n",
        "o.csv:1: attributes.nope: K 列：标准 jiangsu-2021 中没有条件属性 'nope'；可用：无\n",
        "o.csv:1: county: 缺少必填字段 'county' 的列（表头写 county 或 县区 / 县(市、区) / 县（市、区） / 所属县区）\n",
    ], [
        "o.csv:1: staff: column D: name the role: staff.<name>, e.g. staff.posts\n",
        "o.csv:1: housing_options: column E: housing options cannot be given in a table; give those offices inline "
        "in the YAML\n",
        "o.csv:1: staff.mediatrs: column F: unknown role 'mediatrs' in standard jiangsu-2021 "
        "(did you mean 'staff.mediators'?)\n",
        "o.csv:1: caseload.released_persons.last: column G: 'last' is not a year: caseload.released_persons.<year>, "
        "e.g. caseload.released_persons.2023\n",
        "o.csv:1: staff.posts.x: column H: too many dotted parts\n",
        "o.csv:1: populaton: column I: unknown column (did you mean 'population'?)\n",
        "o.csv:1: zzzqqq: column J: unknown column; columns are office fields (docs/scenario.md lists them and their "
        "Chinese headers)\n",
        "o.csv:1: attributes.nope: column K: unknown attribute 'nope' in standard jiangsu-2021; known: none\n",
        "o.csv:1: county: no column for the required field 'county' (header county or 县区 / 县(市、区) / 县（市、区） "
        "/ 所属县区)\n",
    ])


def test_office_table_one_number_and_per_year_numbers(tmp_path: Path) -> None:
    path = table(tmp_path, "id,name,county,kind,caseload.released_persons,caseload.released_persons.2022\n"
                           "A,甲镇,甲县,镇,1,2\n")
    check(path, ["o.csv:2: caseload.released_persons.2022: 该列与列 'released_persons' 冲突"
                 "（一个是单个数值，一个是逐年数值）\n"],
          ["o.csv:2: caseload.released_persons.2022: column conflicts with column 'released_persons' "
           "(one number and per-year numbers)\n"])
    path = table(tmp_path, "id,name,county,kind,caseload.released_persons.2022,caseload.released_persons\n"
                           "A,甲镇,甲县,镇,1,2\n")
    check(path, ["o.csv:2: caseload.released_persons: 该列与同一字段的逐年列冲突\n"],
          ["o.csv:2: caseload.released_persons: column conflicts with per-year columns of the same field\n"])


# ---------------------------------------------------------------- the scenario's schedule and a standard's references


def test_schedule_out_of_order(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + "offices:\n" + OFFICE + "schedule: {hire_start: 3}\n", encoding="utf-8")
    check(path, [f"错误 {path}:7: schedule: hire_recruited（第 2 季度）早于 hire_start（第 3 季度）\n"],
          [f"error {path}:7: schedule: hire_recruited (quarter 2) is before hire_start (quarter 3)\n"])


@pytest.mark.parametrize(("edit", "zh", "en"), [
    (lambda raw: raw["tiers"].pop("small"), "缺少类别：small", "tiers missing: small"),
    (lambda raw: raw["tiers"]["large"]["min_staff"].update(judges=1), "tiers.large.min_staff：未知岗位 'judges'",
     "tiers.large.min_staff: unknown role 'judges'"),
    (lambda raw: raw["tiers"]["large"]["facilities"].append("gym"), "tiers.large.facilities：未知功能室 'gym'",
     "tiers.large.facilities: unknown facility 'gym'"),
    (lambda raw: raw["tiers"]["large"]["conditions"].update(height=1), "tiers.large.conditions：未知条件属性 'height'",
     "tiers.large.conditions: unknown attribute 'height'"),
    (lambda raw: raw["caseload_ratios"].update(judges={"field": "released_persons", "per_worker": 10}),
     "caseload_ratios：未知岗位 'judges'", "caseload_ratios: unknown role 'judges'"),
    (lambda raw: next(iter(raw["caseload_ratios"].values())).update(field="cases"),
     "未知业务量字段 'cases'", "unknown caseload field 'cases'"),
])
def test_standard_cross_references(edit: Callable[[dict[str, object]], object], zh: str, en: str) -> None:
    """The model's own check (the loader reports these at their lines; the model says them for a standard built
    in code)."""
    for lang, text in (("zh", zh), ("en", en)):
        raw = JIANGSU.model_dump()
        edit(raw)
        set_lang(lang)
        with pytest.raises(ValidationError) as info:
            Standard.model_validate(raw)
        assert text in str(info.value), (lang, str(info.value))
