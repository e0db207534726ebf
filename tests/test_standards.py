"""The shipped standards hold every figure of the source documents (docs/standards.md,
docs/reference.md §2), and a custom standard is checked as strictly as a scenario, each error at
its file and line.

The expected figures are copied by hand from the documents' tables, not read from the YAML files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from planner.io.loading import load_standard_file
from planner.io.standards import AnyOf, Standard, builtin_path

JIANGSU = load_standard_file(builtin_path("jiangsu-2021"), "jiangsu-2021")
LIANYUNGANG = load_standard_file(builtin_path("lianyungang-2019"), "lianyungang-2019")
TIERS = ("large", "medium", "small")


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ------------------------------------------------------------------ jiangsu-2021


def test_jiangsu_roles_and_their_chinese_names() -> None:
    assert {r: n.name_zh for r, n in JIANGSU.roles.items()} == {
        "posts": "政法专项编制人员", "mediators": "专职人民调解员", "rule_of_law_sw": "基层法治建设社会工作者",
        "legal_service_sw": "公共法律服务社会工作者", "correction_sw": "专职社区矫正社会工作者（警辅）",
        "resettlement_sw": "专职安置帮教社会工作者"}


def test_jiangsu_staff_table() -> None:
    t = JIANGSU.tiers
    assert {x: t[x].min_total_staff for x in TIERS} == {"large": 10, "medium": 6, "small": 4}
    assert {x: dict(t[x].min_staff) for x in TIERS} == {
        "large": {"posts": 4, "mediators": 3, "rule_of_law_sw": 1, "legal_service_sw": 1},
        "medium": {"posts": 3, "mediators": 2},
        "small": {"posts": 2, "mediators": 2}}


def test_jiangsu_caseload_ratios_hold_in_every_tier() -> None:
    assert {r: (c.field, c.per_worker) for r, c in JIANGSU.caseload_ratios.items()} == {
        "correction_sw": ("correction_subjects", 15), "resettlement_sw": ("released_persons", 50)}
    assert {f: n.name_zh for f, n in JIANGSU.caseload_fields.items()} == {
        "correction_subjects": "社区矫正对象", "released_persons": "刑满释放人员"}


def test_jiangsu_floor_areas() -> None:
    assert {x: dict(JIANGSU.tiers[x].min_floor_area_m2) for x in TIERS} == {
        "large": {"township": 400, "subdistrict": 300}, "medium": {"township": 300, "subdistrict": 200},
        "small": {"township": 200, "subdistrict": 150}}


def test_jiangsu_rooms_2_plus_1_plus_n() -> None:
    t = JIANGSU.tiers
    assert t["large"].facilities == [
        "correction_branch_center", "public_legal_service_center", "non_litigation_center", "mediation_committee",
        "governance_room", "publicity_room", "enforcement_supervision_room", "enforcement_management_room",
        "five_stations"]
    assert t["medium"].facilities == ["public_legal_service_center", "mediation_committee", "governance_room",
                                      "publicity_room", "enforcement_management_room", "five_stations"]
    # Small: as medium, but 依法治理室 + 法治宣传室 may be one 法治建设室.
    assert t["small"].facilities == ["public_legal_service_center", "mediation_committee",
                                     AnyOf(any_of=[["governance_room", "publicity_room"], ["rule_of_law_room"]]),
                                     "enforcement_management_room", "five_stations"]
    assert {f: n.name_zh for f, n in JIANGSU.facilities.items()} == {
        "correction_branch_center": "社区矫正分中心", "public_legal_service_center": "公共法律服务中心",
        "non_litigation_center": "非诉讼服务中心", "mediation_committee": "人民调解委员会",
        "governance_room": "依法治理室", "publicity_room": "法治宣传室", "enforcement_supervision_room": "执法监督室",
        "enforcement_management_room": "执法管理室", "five_stations": "五站点服务区", "rule_of_law_room": "法治建设室"}


def test_jiangsu_targets_and_scope() -> None:
    assert JIANGSU.target_scope == "county"  # each 市(区) must reach the rates
    assert JIANGSU.default_targets == {2021: {"large": 0.9, "medium": 0.3, "small": 0.1},
                                       2022: {"large": 1.0, "medium": 0.9, "small": 0.3},
                                       2023: {"large": 1.0, "medium": 1.0, "small": 0.6}}
    assert all(JIANGSU.tiers[x].conditions == {} for x in TIERS)


# ------------------------------------------------------------------ lianyungang-2019


def test_lianyungang_table() -> None:
    t = LIANYUNGANG.tiers
    assert {r: n.name_zh for r, n in LIANYUNGANG.roles.items()} == {"posts": "政法专编", "assistants": "聘用司法助理"}
    assert {x: dict(t[x].min_staff) for x in TIERS} == {
        "large": {"posts": 4, "assistants": 4}, "medium": {"posts": 3, "assistants": 3},
        "small": {"posts": 2, "assistants": 2}}
    assert {x: dict(t[x].min_floor_area_m2) for x in TIERS} == {
        "large": {"township": 400, "subdistrict": 300}, "medium": {"township": 300, "subdistrict": 200},
        "small": {"township": 200, "subdistrict": 150}}
    assert {x: t[x].conditions for x in TIERS} == {"large": {"score": 90}, "medium": {"score": 85},
                                                  "small": {"score": 80}}
    assert LIANYUNGANG.attributes["score"].name_zh == "标准化建设考核分"
    assert all(t[x].facilities == [] and t[x].min_total_staff == 0 for x in TIERS)
    assert LIANYUNGANG.caseload_ratios == {}


def test_lianyungang_targets_and_scope() -> None:
    # 50% of a county's offices by the end of 2019, basically all by the end of 2020.
    assert LIANYUNGANG.target_scope == "county"
    assert LIANYUNGANG.default_targets == {2019: {"all": 0.5}, 2020: {"all": 1.0}}


# ------------------------------------------------------------------ both


@pytest.mark.parametrize("std", [JIANGSU, LIANYUNGANG], ids=["jiangsu-2021", "lianyungang-2019"])
def test_classification_thresholds(std: Standard) -> None:
    c = std.classification
    assert c.match == "all"
    assert (c.size["large"].min_population, c.size["large"].min_area_km2_exclusive) == (100_000, 100)
    assert (c.size["medium"].min_population, c.size["medium"].min_area_km2_exclusive) == (50_000, 20)


@pytest.mark.parametrize("std", [JIANGSU, LIANYUNGANG], ids=["jiangsu-2021", "lianyungang-2019"])
def test_every_role_facility_attribute_and_tier_has_a_chinese_name(std: Standard) -> None:
    named = {**std.roles, **std.facilities, **std.caseload_fields, **std.attributes}
    assert named and all(has_chinese(n.name_zh) and n.name_en for n in named.values())
    assert {x: std.tiers[x].name_zh for x in TIERS} == {"large": "大型司法所", "medium": "中型司法所",
                                                       "small": "小型司法所"}


@pytest.mark.parametrize("std_id", ["jiangsu-2021", "lianyungang-2019"])
def test_shipped_standard_id_matches_its_file(std_id: str) -> None:
    assert load_standard_file(builtin_path(std_id), std_id).id == std_id


# ------------------------------------------------------------------ a custom standard


def custom(tmp: Path, standard_text: str) -> list[str]:
    """Validate a tiny scenario pointing at `standard_text`; the output's error lines."""
    (tmp / "my.standard.yaml").write_text(standard_text, encoding="utf-8")
    (tmp / "s.yaml").write_text(
        "name: 自定义标准\nstandard: my.standard.yaml\nhorizon: {start: 2022, end: 2022}\nbudget: {2022: 1}\n"
        "offices:\n  - {id: A, name: 甲镇, county: 甲县, kind: township, gdp_rank: 1, demand: high}\n",
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp / "s.yaml"), "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return [line for line in result.output.splitlines() if line.startswith("error ")]


def test_a_copy_of_a_shipped_standard_is_valid(tmp_path: Path) -> None:
    assert custom(tmp_path, builtin_path("jiangsu-2021").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("old", "new", "line", "field", "message"), [
    ("min_staff: {posts: 3, mediators: 2}", "min_staff: {posts: 3, mediatrs: 2}", 64,
     "tiers.medium.min_staff.mediatrs", "unknown role 'mediatrs' (did you mean 'mediators'?)"),
    ("    min_total_staff: 6", "    min_total_stuff: 6", 63,
     "tiers.medium.min_total_stuff", "unknown field (did you mean 'min_total_staff'?)"),
    ("correction_sw: {field: correction_subjects, per_worker: 15}",
     "correction_sw: {field: correction_subjects, per_worker: 0}", 35,
     "caseload_ratios.correction_sw.per_worker", "greater than or equal to 1"),
    ("field: released_persons,", "field: released_person,", 36,
     "caseload_ratios.resettlement_sw.field", "unknown caseload field 'released_person' (did you mean"),
    ("[[governance_room, publicity_room], [rule_of_law_room]]",
     "[[governance_room, publicity_room], [rule_of_law_rom]]", 82,
     "tiers.small.facilities[2].any_of[1].0", "unknown facility 'rule_of_law_rom'"),
    ("  match: all", "  match: most", 39, "classification.match", "must be one of 'all', 'any' (got 'most')"),
    ("  2022: {large: 1.0, medium: 0.9, small: 0.3}", "  2022: {large: 1.0, medium: 1.9, small: 0.3}", 90,
     "default_targets.2022.medium", "less than or equal to 1"),
])
def test_custom_standard_errors_name_its_line(tmp_path: Path, old: str, new: str, line: int, field: str,
                                              message: str) -> None:
    text = builtin_path("jiangsu-2021").read_text(encoding="utf-8")
    assert text.count(old) == 1
    changed = text.replace(old, new)
    assert new.strip() in changed.splitlines()[line - 1]  # the line we claim is the one we changed
    errors = custom(tmp_path, changed)
    assert len(errors) == 1, errors
    where = f"error {tmp_path / 'my.standard.yaml'}:{line}: {field}: "
    assert errors[0].startswith(where) and message in errors[0], errors


def test_custom_standard_missing_a_tier(tmp_path: Path) -> None:
    text = builtin_path("lianyungang-2019").read_text(encoding="utf-8")
    start = text.index("  small:\n")
    errors = custom(tmp_path, text[:start] + text[text.index("target_scope:"):])
    assert len(errors) == 1 and "tiers: tier 'small' is missing" in errors[0], errors


def test_the_example_in_docs_standards_md_is_valid(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "standards.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\nid: ", 1)[1].split("```", 1)[0]
    std = load_standard_file(_write(tmp_path / "doc.standard.yaml", "id: " + example), "doc.standard.yaml")
    assert std.id == "my-province-2024" and std.tiers["small"].facilities[1] == AnyOf(
        any_of=[["service_hall"], ["rule_of_law_room"]])


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
