"""Office tables: CSV and XLSX load to exactly the offices of the equivalent YAML (SPEC §8)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner

from cli.main import cli
from planner.loading import load_scenario

HEAD = {"name": "表格", "standard": "jiangsu-2021", "horizon": {"start": 2022, "end": 2023},
        "budget": {2022: 10, 2023: 10}}
INLINE = [
    {"id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "population": 120000, "area_km2": 101.5,
     "gdp_rank": 1, "demand": "high", "staff": {"posts": 3, "mediators": 2}, "floor_area_m2": 380,
     "facilities": ["mediation_committee", "five_stations"],
     "caseload": {"correction_subjects": {2022: 30, 2023: 33}, "released_persons": 60}},
    {"id": "B", "name": "乙街道", "county": "甲县", "kind": "subdistrict", "population": 30000, "area_km2": 8.0,
     "gdp_rank": 2, "demand": "low", "staff": {"posts": 2}, "floor_area_m2": 150, "facilities": [],
     "caseload": {"correction_subjects": {2022: 4, 2023: 5}, "released_persons": 10}},
]
DOTTED = ["id", "name", "county", "kind", "population", "area_km2", "gdp_rank", "demand", "staff.posts",
          "staff.mediators", "floor_area_m2", "facilities", "caseload.correction_subjects.2022",
          "caseload.correction_subjects.2023", "caseload.released_persons"]
CHINESE = ["编号", "名称", "县区", "类型", "常住人口", "面积", "GDP排名", "法治需求", "政法专项编制人员",
           "专职人民调解员", "业务用房面积", "功能室", "caseload.correction_subjects.2022",
           "caseload.correction_subjects.2023", "刑满释放人员"]
ROWS = [["A", "甲镇", "甲县", "镇", 120000, 101.5, 1, "高", 3, 2, 380, "mediation_committee;five_stations", 30, 33, 60],
        ["B", "乙街道", "甲县", "街道", 30000, 8.0, 2, "低", 2, None, 150, None, 4, 5, 10]]


def write(tmp: Path, offices: object) -> Path:
    path = tmp / "s.yaml"
    path.write_text(yaml.safe_dump({**HEAD, "offices": offices}, allow_unicode=True), encoding="utf-8")
    return path


def csv_text(header: list[str]) -> str:
    lines = [",".join(header)]
    lines += [",".join("" if v is None else str(v) for v in row) for row in ROWS]
    return "\n".join(lines) + "\n"


def test_csv_and_xlsx_equal_inline_yaml(tmp_path: Path) -> None:
    expected = load_scenario(write(tmp_path, INLINE)).offices
    for header in (DOTTED, CHINESE):
        (tmp_path / "o.csv").write_text(csv_text(header), encoding="utf-8-sig")
        assert load_scenario(write(tmp_path, "o.csv")).offices == expected
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(header)
        for row in ROWS:
            ws.append(row)
        wb.save(tmp_path / "o.xlsx")
        assert load_scenario(write(tmp_path, "o.xlsx")).offices == expected


def test_gbk_csv_reads_correctly(tmp_path: Path) -> None:
    expected = load_scenario(write(tmp_path, INLINE)).offices
    (tmp_path / "o.csv").write_bytes(csv_text(CHINESE).encode("gbk"))
    assert load_scenario(write(tmp_path, "o.csv")).offices == expected


def test_table_errors_name_the_table_row_and_column(tmp_path: Path) -> None:
    rows = csv_text(DOTTED).replace("380", "-5")
    (tmp_path / "o.csv").write_text(rows, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(write(tmp_path, "o.csv"))])
    assert result.exit_code == 1
    assert f"{tmp_path / 'o.csv'}:2: floor_area_m2: Input should be greater than or equal to 0" in result.output
