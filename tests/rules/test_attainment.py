"""One test per attainment rule (docs/reference.md §4) against `attainment.gaps`, the checker.

The base is a small township office of jiangsu-2021 that meets its standard exactly: 2 posts,
2 mediators (total 4), 200 m², every room. Each test takes one thing away (or adds caseload) and
asserts the exact gap, then the smallest change that closes it.
"""

from __future__ import annotations

from planner.io.loading import load_standard_file
from planner.io.scenario import Office
from planner.io.standards import Standard, builtin_path
from planner.rules.attainment import OfficeState, gaps

STD = load_standard_file(builtin_path("jiangsu-2021"), "jiangsu-2021")
ROOMS = {"public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
         "enforcement_management_room", "five_stations"}
YEAR = 2022


def office(**changes: object) -> Office:
    base = {"id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "population": 20000,
            "area_km2": 10, "gdp_rank": 1, "demand": "low", "staff": {"posts": 2, "mediators": 2},
            "floor_area_m2": 200, "facilities": sorted(ROOMS)}
    return Office.model_validate(base | changes)


def state(staff: dict[str, int] | None = None, area: int = 200, rooms: set[str] | None = None) -> OfficeState:
    return OfficeState(staff if staff is not None else {"posts": 2, "mediators": 2}, area,
                       set(ROOMS if rooms is None else rooms))


def texts(tier: str, o: Office, s: OfficeState, std: Standard = STD) -> list[str]:
    return [g.text for g in gaps(std, tier, o, YEAR, s)]


def test_the_base_office_attains() -> None:
    assert texts("small", office(), state()) == []


def test_rule_1_each_role_has_its_tier_minimum() -> None:
    # 3 posts keep the total at 4: only the mediators' minimum (2) fails.
    short = state({"posts": 3, "mediators": 1})
    assert texts("small", office(), short) == ["mediators 1 < 2"]
    assert [g.text_zh for g in gaps(STD, "small", office(), YEAR, short)] == ["专职人民调解员 1 人，需 2 人"]
    assert texts("small", office(), state({"posts": 3, "mediators": 2})) == []


def test_rule_2_a_caseload_ratio_asks_for_whole_workers_rounded_up() -> None:
    # correction_sw 1:15 — 30 subjects need 2 workers, 31 need 3.
    assert texts("small", office(caseload={"correction_subjects": 30}), state()) == ["correction_sw 0 < 2"]
    busy = office(caseload={"correction_subjects": 31})
    assert texts("small", busy, state()) == ["correction_sw 0 < 3"]
    assert texts("small", busy, state({"posts": 2, "mediators": 2, "correction_sw": 3})) == []


def test_rule_2_a_caseload_by_year_asks_for_that_years_figure() -> None:
    growing = office(caseload={"released_persons": {2022: 50, 2023: 51}})  # resettlement_sw 1:50
    assert [g.text for g in gaps(STD, "small", growing, 2022, state({"posts": 2, "mediators": 2,
                                                                       "resettlement_sw": 1}))] == []
    assert [g.text for g in gaps(STD, "small", growing, 2023, state({"posts": 2, "mediators": 2,
                                                                       "resettlement_sw": 1}))] == [
        "resettlement_sw 1 < 2"]


def test_rule_3_the_total_staff_has_its_tier_minimum() -> None:
    # Medium: posts 3 and mediators 2 meet both role minimums, but the total 5 is short of 6.
    assert texts("medium", office(), state({"posts": 3, "mediators": 2}, area=300)) == ["total staff 5 < 6"]
    assert texts("medium", office(), state({"posts": 3, "mediators": 2, "legal_service_sw": 1}, area=300)) == []


def test_rule_4_floor_area_by_the_offices_kind() -> None:
    # Small: 200 m² for a township, 150 m² for a subdistrict.
    assert texts("small", office(), state(area=199)) == ["floor area 199 < 200 m²"]
    assert texts("small", office(kind="subdistrict"), state(area=150)) == []
    assert texts("small", office(kind="subdistrict"), state(area=149)) == ["floor area 149 < 150 m²"]


def test_rule_5_every_room_and_one_alternative_of_each_any_of() -> None:
    assert texts("small", office(), state(rooms=ROOMS - {"five_stations"})) == ["room five_stations"]
    no_pair = ROOMS - {"governance_room"}
    assert texts("small", office(), state(rooms=no_pair)) == [
        "room: one of governance_room+publicity_room | rule_of_law_room"]
    # The merged 法治建设室 alone stands for the pair.
    merged = ROOMS - {"governance_room", "publicity_room"} | {"rule_of_law_room"}
    assert texts("small", office(), state(rooms=merged)) == []


def test_rule_6_conditions_hold_on_the_offices_attributes() -> None:
    tiers = dict(STD.tiers)
    tiers["small"] = tiers["small"].model_copy(update={"conditions": {"service_hours": 40}})
    std = STD.model_copy(update={"tiers": tiers})
    assert texts("small", office(), state(), std) == ["condition service_hours missing < 40"]
    assert texts("small", office(attributes={"service_hours": 39}), state(), std) == [
        "condition service_hours 39.0 < 40"]  # attributes are read as numbers
    assert texts("small", office(attributes={"service_hours": 40}), state(), std) == []
