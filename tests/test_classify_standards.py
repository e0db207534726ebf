"""Classification on the boundaries of SPEC §3, and the shipped standards against DOMAIN.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from planner.classify import classify_office, economy_class
from planner.loading import load_standard_file
from planner.scenario import Office
from planner.standards import AnyOf, builtin_path

JIANGSU = load_standard_file(builtin_path("jiangsu-2021"), "jiangsu-2021")
LIANYUNGANG = load_standard_file(builtin_path("lianyungang-2019"), "lianyungang-2019")


def tier(n: int = 3, **fields: object) -> str:
    base = {"id": "X", "name": "x", "county": "c", "kind": "township", "population": 1000, "area_km2": 1.0,
            "gdp_rank": 1, "demand": "high"}
    return classify_office(Office.model_validate({**base, **fields}), JIANGSU, n).tier


@pytest.mark.parametrize(("population", "area", "expected"), [
    (100_000, 1.0, "large"), (99_999, 1.0, "medium"),  # ≥ 10万
    (50_000, 1.0, "medium"), (49_999, 1.0, "small"),  # ≥ 5万
    (1000, 100.0, "medium"), (1000, 100.01, "large"),  # > 100 km²: exactly 100 is not large-size
    (1000, 20.0, "small"), (1000, 20.01, "medium"),  # > 20 km²
])
def test_size_boundaries(population: int, area: float, expected: str) -> None:
    assert tier(population=population, area_km2=area) == expected


@pytest.mark.parametrize("n", [3, 4, 7, 14])
def test_gdp_rank_boundaries(n: int) -> None:
    top, middle = -(-n // 3), -(-2 * n // 3)  # ceil(n/3), ceil(2n/3)
    assert economy_class(top, n) == "top" and economy_class(top + 1, n) == "middle"
    assert economy_class(middle, n) == "middle"
    if middle < n:
        assert economy_class(middle + 1, n) == "low"
    big = {"population": 200_000}
    assert tier(n, gdp_rank=top, **big) == "large" and tier(n, gdp_rank=top + 1, **big) == "medium"
    if middle < n:
        assert tier(n, gdp_rank=middle, **big) == "medium" and tier(n, gdp_rank=middle + 1, **big) == "small"


def test_demand_and_missing_criteria() -> None:
    big = {"population": 200_000}
    assert tier(demand="medium", **big) == "medium" and tier(demand="low", **big) == "small"
    assert tier(gdp_rank=None, demand=None, **big) == "large"  # missing criteria count as met


def test_override_wins_and_reason_says_so() -> None:
    office = Office.model_validate({"id": "X", "name": "x", "county": "c", "kind": "township",
                                    "population": 1000, "tier": "large"})
    c = classify_office(office, JIANGSU, 3)
    assert c.tier == "large" and c.overridden and "override" in c.reason and "指定" in c.reason_zh


def test_match_any_lets_one_criterion_decide() -> None:
    std = JIANGSU.model_copy(update={"classification": JIANGSU.classification.model_copy(update={"match": "any"})})
    office = Office.model_validate({"id": "X", "name": "x", "county": "c", "kind": "township",
                                    "population": 1000, "area_km2": 1, "gdp_rank": 3, "demand": "high"})
    assert classify_office(office, std, 3).tier == "large"  # demand high alone
    assert classify_office(office.model_copy(update={"demand": "medium"}), std, 3).tier == "medium"
    assert classify_office(office.model_copy(update={"demand": "low"}), std, 3).tier == "small"


def test_jiangsu_figures_match_domain() -> None:
    t = JIANGSU.tiers
    assert [t[x].min_total_staff for x in ("large", "medium", "small")] == [10, 6, 4]
    assert t["large"].min_staff == {"posts": 4, "mediators": 3, "rule_of_law_sw": 1, "legal_service_sw": 1}
    assert t["medium"].min_staff == {"posts": 3, "mediators": 2}
    assert t["small"].min_staff == {"posts": 2, "mediators": 2}
    assert [dict(t[x].min_floor_area_m2) for x in ("large", "medium", "small")] == [
        {"township": 400, "subdistrict": 300}, {"township": 300, "subdistrict": 200},
        {"township": 200, "subdistrict": 150}]
    ratios = {r: (c.field, c.per_worker) for r, c in JIANGSU.caseload_ratios.items()}
    assert ratios == {"correction_sw": ("correction_subjects", 15), "resettlement_sw": ("released_persons", 50)}
    assert len(t["large"].facilities) == 9 and "correction_branch_center" in t["large"].facilities
    assert t["medium"].facilities == ["public_legal_service_center", "mediation_committee", "governance_room",
                                      "publicity_room", "enforcement_management_room", "five_stations"]
    merged = [i for i in t["small"].facilities if isinstance(i, AnyOf)]
    assert merged[0].any_of == [["governance_room", "publicity_room"], ["rule_of_law_room"]]
    assert JIANGSU.target_scope == "county"
    assert JIANGSU.default_targets == {2021: {"large": 0.9, "medium": 0.3, "small": 0.1},
                                       2022: {"large": 1.0, "medium": 0.9, "small": 0.3},
                                       2023: {"large": 1.0, "medium": 1.0, "small": 0.6}}
    size = JIANGSU.classification.size
    assert (size["large"].min_population, size["large"].min_area_km2_exclusive) == (100_000, 100)
    assert (size["medium"].min_population, size["medium"].min_area_km2_exclusive) == (50_000, 20)


def test_lianyungang_figures_match_domain() -> None:
    t = LIANYUNGANG.tiers
    assert [t[x].min_staff for x in ("large", "medium", "small")] == [
        {"posts": 4, "assistants": 4}, {"posts": 3, "assistants": 3}, {"posts": 2, "assistants": 2}]
    assert [t[x].conditions for x in ("large", "medium", "small")] == [{"score": 90}, {"score": 85}, {"score": 80}]
    assert dict(t["large"].min_floor_area_m2) == {"township": 400, "subdistrict": 300}
    assert LIANYUNGANG.default_targets == {2019: {"all": 0.5}, 2020: {"all": 1.0}}


@pytest.mark.parametrize("std", [JIANGSU, LIANYUNGANG], ids=["jiangsu", "lianyungang"])
def test_every_name_has_chinese(std) -> None:  # type: ignore[no-untyped-def]
    names = list(std.roles.values()) + list(std.facilities.values()) + list(std.attributes.values())
    assert names and all(n.name_zh and any("\u4e00" <= ch <= "\u9fff" for ch in n.name_zh) for n in names)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in ts.name_zh) for ts in std.tiers.values())


def test_classify_and_schema_commands() -> None:
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(cli, ["classify", str(root / "scenarios" / "2022.yaml"), "--json"])
    assert result.exit_code == 0
    offices = json.loads(result.output)["offices"]
    assert len(offices) == 88 and all(o["tier"] in ("large", "medium", "small") and o["reason"] for o in offices)
    table = CliRunner().invoke(cli, ["classify", str(root / "scenarios" / "2022.yaml")])
    assert "88 offices" in table.output
    schema = json.loads(CliRunner().invoke(cli, ["schema"]).output)
    assert schema["properties"]["offices"] and "description" in schema["properties"]["budget"]
