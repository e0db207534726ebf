"""Office tables (docs/reference.md §8): a CSV or XLSX table loads to exactly the scenario of the equivalent inline
YAML, with dotted or Chinese headers, per-year caseload columns and `;` lists; GBK CSVs read; errors
name the table file, the row's line and the column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from cli.main import cli
from planner.io.loading import LoadedScenario, load_scenario

HEAD = {"name": "表格", "standard": "jiangsu-2021", "horizon": {"start": 2022, "end": 2023},
        "budget": {2022: 10, 2023: 10}}
INLINE = [
    {"id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "population": 120000, "area_km2": 101.5,
     "gdp_rank": 1, "demand": "high", "staff": {"posts": 3, "mediators": 2, "correction_sw": 1},
     "floor_area_m2": 380, "facilities": ["mediation_committee", "five_stations"],
     "caseload": {"correction_subjects": {2022: 30, 2023: 33}, "released_persons": 60}},
    {"id": "B", "name": "乙街道", "county": "甲县", "kind": "subdistrict", "population": 30000, "area_km2": 8.25,
     "gdp_rank": 2, "demand": "low", "tier": "medium", "staff": {"posts": 2}, "floor_area_m2": 150,
     "caseload": {"correction_subjects": {2022: 4, 2023: 5}, "released_persons": 10}},
    {"id": "C", "name": "丙乡", "county": "乙县", "kind": "township", "population": 50000, "area_km2": 20.0,
     "demand": "medium", "staff": {"posts": 1, "mediators": 1}, "floor_area_m2": 0,
     "facilities": ["public_legal_service_center", "rule_of_law_room", "five_stations"],
     "caseload": {"correction_subjects": {2022: 0, 2023: 2}, "released_persons": 0}},
]
DOTTED = ["id", "name", "county", "kind", "population", "area_km2", "gdp_rank", "demand", "tier", "staff.posts",
          "staff.mediators", "staff.correction_sw", "floor_area_m2", "facilities",
          "caseload.correction_subjects.2022", "caseload.correction_subjects.2023", "caseload.released_persons"]
# What a bureau's spreadsheet says: Chinese headers (one with a unit), the standard's Chinese role
# and caseload names, Chinese values for 类型 / 法治需求 / 类别.
CHINESE = ["编号", "名称", "县区", "类型", "常住人口（人）", "面积(平方公里)", "GDP排名", "法治需求", "类别",
           "政法专项编制人员", "专职人民调解员", "专职社区矫正社会工作者（警辅）", "业务用房面积", "功能室",
           "caseload.correction_subjects.2022", "caseload.correction_subjects.2023", "刑满释放人员"]
ROWS: list[list[Any]] = [
    ["A", "甲镇", "甲县", "镇", 120000, 101.5, 1, "高", None, 3, 2, 1, 380, "mediation_committee;five_stations",
     30, 33, 60],
    ["B", "乙街道", "甲县", "街道", 30000, 8.25, 2, "低", "中型", 2, None, None, 150, None, 4, 5, 10],
    ["C", "丙乡", "乙县", "乡", 50000, 20, None, "中", None, 1, 1, None, 0,
     "public_legal_service_center; rule_of_law_room ;five_stations", 0, 2, 0],
]


def write(tmp: Path, offices: object) -> Path:
    path = tmp / "s.yaml"
    path.write_text(yaml.safe_dump({**HEAD, "offices": offices}, allow_unicode=True), encoding="utf-8")
    return path


def csv_text(header: list[str], rows: list[list[Any]] = ROWS) -> str:
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def xlsx(path: Path, header: list[str], rows: list[list[Any]] = ROWS) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)


@pytest.fixture
def expected(tmp_path: Path) -> LoadedScenario:
    return load_scenario(write(tmp_path, INLINE))


def same(got: LoadedScenario, want: LoadedScenario) -> None:
    assert got.offices == want.offices
    assert got.scenario == want.scenario  # the whole validated scenario, offices included
    assert (got.budgets, got.targets, got.counties) == (want.budgets, want.targets, want.counties)


@pytest.mark.parametrize("header", [DOTTED, CHINESE], ids=["dotted", "chinese"])
def test_csv_equals_inline_yaml(tmp_path: Path, expected: LoadedScenario, header: list[str]) -> None:
    (tmp_path / "o.csv").write_text(csv_text(header), encoding="utf-8-sig")  # Excel's "CSV UTF-8" has a BOM
    same(load_scenario(write(tmp_path, "o.csv")), expected)


@pytest.mark.parametrize("header", [DOTTED, CHINESE], ids=["dotted", "chinese"])
def test_xlsx_equals_inline_yaml(tmp_path: Path, expected: LoadedScenario, header: list[str]) -> None:
    xlsx(tmp_path / "o.xlsx", header)
    same(load_scenario(write(tmp_path, "o.xlsx")), expected)


def test_xlsx_with_numbers_typed_as_text_equals_inline_yaml(tmp_path: Path, expected: LoadedScenario) -> None:
    """Cells typed as text ('120000) are common in exported spreadsheets."""
    rows = [[str(v) if isinstance(v, (int, float)) else v for v in row] for row in ROWS]
    xlsx(tmp_path / "o.xlsx", DOTTED, rows)
    same(load_scenario(write(tmp_path, "o.xlsx")), expected)


def test_gbk_csv_reads_correctly(tmp_path: Path, expected: LoadedScenario) -> None:
    (tmp_path / "o.csv").write_bytes(csv_text(CHINESE).encode("gbk"))  # Excel on Chinese Windows
    same(load_scenario(write(tmp_path, "o.csv")), expected)


def test_one_caseload_number_for_all_years(tmp_path: Path) -> None:
    header = ["id", "name", "county", "kind", "caseload.correction_subjects", "社区矫正对象"]
    (tmp_path / "o.csv").write_text(csv_text(header[:5], [["A", "甲镇", "甲县", "镇", 16]]), encoding="utf-8")
    office = load_scenario(write(tmp_path, "o.csv")).offices[0]
    assert office.caseload == {"correction_subjects": 16}
    assert [office.caseload_in("correction_subjects", y) for y in (2022, 2023)] == [16, 16]
    (tmp_path / "o.csv").write_text(csv_text(header[:4] + header[5:], [["A", "甲镇", "甲县", "镇", 16]]),
                                    encoding="utf-8")
    assert load_scenario(write(tmp_path, "o.csv")).offices[0].caseload == {"correction_subjects": 16}


def test_blank_rows_are_skipped_and_lines_still_count(tmp_path: Path) -> None:
    text = csv_text(DOTTED).splitlines()
    text.insert(2, "," * (len(DOTTED) - 1))  # an empty row at line 3: B moves to line 4
    text[3] = text[3].replace(",街道,", ",street,")
    (tmp_path / "o.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(write(tmp_path, "o.csv")), "--lang", "en"])
    assert result.exit_code == 1
    assert f"error {tmp_path / 'o.csv'}:4: kind: must be one of 'township', 'subdistrict' (got 'street') " \
           "[column D “kind”]" in result.output


# ------------------------------------------------------------------ errors name table, line and column


def validate(tmp: Path, table: str) -> list[str]:
    result = CliRunner().invoke(cli, ["validate", str(write(tmp, table)), "--lang", "en"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    return [line for line in result.output.splitlines() if line.startswith("error ")]


def test_csv_value_error_names_row_and_chinese_column(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][12] = -5  # 业务用房面积 of B, on line 3
    (tmp_path / "o.csv").write_text(csv_text(CHINESE, rows), encoding="utf-8")
    assert validate(tmp_path, "o.csv") == [
        (f"error {tmp_path / 'o.csv'}:3: floor_area_m2: Input should be greater than or equal to 0 (got -5) "
        "[column M “业务用房面积”]")]


def test_xlsx_error_names_the_sheet_row(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][11] = 1.5  # 专职社区矫正社会工作者 of C, on row 4
    xlsx(tmp_path / "o.xlsx", CHINESE, rows)
    errors = validate(tmp_path, "o.xlsx")
    assert len(errors) == 1
    assert errors[0].startswith(f"error {tmp_path / 'o.xlsx'}:4: staff.correction_sw: Input should be a valid "
                                "integer, got a number with a fractional part (got 1.5)")
    assert errors[0].endswith("[column L “专职社区矫正社会工作者（警辅）”]")


def test_cross_reference_error_in_a_table_names_the_list_item(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[0][13] = "mediation_committee;five_station"
    (tmp_path / "o.csv").write_text(csv_text(DOTTED, rows), encoding="utf-8")
    errors = validate(tmp_path, "o.csv")
    assert errors == [(f"error {tmp_path / 'o.csv'}:2: facilities[1]: unknown facility 'five_station' in standard "
                      "jiangsu-2021 (did you mean 'five_stations'?) [column N “facilities”]")]


@pytest.mark.parametrize(("column", "field", "message"), [
    ("staff.mediatrs", "staff.mediatrs", ("column R: unknown role 'mediatrs' in standard jiangsu-2021 "
                                         "(did you mean 'staff.mediators'?)")),
    ("populaton", "populaton", "column R: unknown column (did you mean 'population'?)"),
    ("caseload.correction_subject.2022", "caseload.correction_subject.2022",
     ("column R: unknown caseload field 'correction_subject' in standard jiangsu-2021 "
     "(did you mean 'caseload.correction_subjects'?)")),
    ("caseload.released_persons.last", "caseload.released_persons.last", "column R: 'last' is not a year"),
    ("staff", "staff", "column R: name the role: staff.<name>, e.g. staff.posts"),
    ("housing_options", "housing_options", "column R: housing options cannot be given in a table"),
    ("业务用房", "业务用房", "column R holds the same field (floor_area_m2) as column M “floor_area_m2”"),
])
def test_bad_column_is_reported_once_on_the_header_line(tmp_path: Path, column: str, field: str,
                                                         message: str) -> None:
    rows = [list(r) + [1] for r in ROWS]
    (tmp_path / "o.csv").write_text(csv_text(DOTTED + [column], rows), encoding="utf-8")
    errors = validate(tmp_path, "o.csv")
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"error {tmp_path / 'o.csv'}:1: {field}: {message}"), errors


def test_missing_required_columns_and_empty_cells(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_text("名称,类型\n甲镇,镇\n", encoding="utf-8")
    assert validate(tmp_path, "o.csv") == [
        f"error {tmp_path / 'o.csv'}:1: id: no column for the required field 'id' (header id or 编号 / 代码)",
        (f"error {tmp_path / 'o.csv'}:1: county: no column for the required field 'county' "
        "(header county or 县区 / 县(市、区) / 县（市、区） / 所属县区)")]
    (tmp_path / "o.csv").write_text("编号,名称,县区,类型\nA,甲镇,甲县,镇\nB,,甲县,街道\n", encoding="utf-8")
    assert validate(tmp_path, "o.csv") == [
        f"error {tmp_path / 'o.csv'}:3: name: required, but the cell is empty [column B “名称”]"]


def test_a_row_longer_than_the_header(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_text("id,name,county,kind\nA,甲镇,甲县,镇,5\n", encoding="utf-8")
    assert validate(tmp_path, "o.csv") == [
        f"error {tmp_path / 'o.csv'}:2: column 5: row has 5 cells but the header 4"]


def test_docs_list_every_accepted_chinese_header_and_value() -> None:
    from planner.io.office_columns import HEADER_ALIASES, VALUE_ALIASES

    doc = (Path(__file__).resolve().parents[1] / "docs" / "scenario.md").read_text(encoding="utf-8")
    missing = [h for h in [*HEADER_ALIASES, *(v for aliases in VALUE_ALIASES.values() for v in aliases)]
               if h not in doc]
    assert missing == []
