"""The task list's "requirement it closes" (planner/reports/tables.py): the floor area an office has
before a task counts only the earlier premises that have taken effect by the year the task does —
a build's area only after its lead time (docs/reference.md §5); a hire from the earlier hires of
its role; a room of a choice (依法治理室 + 法治宣传室 or 法治建设室) names the choice. In Chinese and English."""

from __future__ import annotations

import copy
from pathlib import Path

from handplan import load, writer_plan

from planner.reports.tables import build_tables

ROOMS = ["public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
         "enforcement_management_room", "five_stations"]
OFFICE = {"id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "population": 20000,
          "area_km2": 10, "gdp_rank": 1, "demand": "low", "staff": {"posts": 2, "mediators": 2},
          "floor_area_m2": 100, "facilities": ROOMS}
SCENARIO = {"name": "closes", "standard": "jiangsu-2021", "horizon": {"start": 2022, "end": 2025},
            "targets": {2025: {"all": 1.0}}, "budget": {2022: 1000, 2023: 1000, 2024: 1000, 2025: 1000},
            "costs": {"roles": {"posts": {"annual": 0}},
                      "housing": {"lease": {"annual_per_m2": 0.02},
                                  "build": {"one_time_per_m2": 0.45, "lead_years": 2}}},
            "offices": [OFFICE]}


def closes(actions: list[dict], tmp_path: Path) -> list[str]:
    loaded = load(copy.deepcopy(SCENARIO), tmp_path)
    tasks = next(t for t in build_tables(writer_plan(loaded, actions), loaded) if t.key == "tasks")
    return [row[-1] for row in tasks.rows if isinstance(row[0], int)]  # the numbered tasks, not the total


def test_a_build_under_way_is_not_yet_area_a_later_lease_starts_from(tmp_path: Path) -> None:
    # 100 m² of 200 (small township office). Build 60 m² in 2022: it counts from the end of 2024.
    # A lease of 40 m² in 2023 therefore starts from 100 m², not 160: 100→140.
    assert closes([{"office": "A", "year": 2022, "type": "build", "area_m2": 60},
                   {"office": "A", "year": 2023, "type": "lease", "area_m2": 40}], tmp_path) == [
        "业务用房 100→160m²（标准 200m²）", "业务用房 100→140m²（标准 200m²）"]


def test_a_build_that_has_counted_is_area_a_later_lease_starts_from(tmp_path: Path) -> None:
    # The same build counts from the end of 2024: a lease in 2025 starts from 160 m²: 160→200.
    assert closes([{"office": "A", "year": 2022, "type": "build", "area_m2": 60},
                   {"office": "A", "year": 2025, "type": "lease", "area_m2": 40}], tmp_path) == [
        "业务用房 100→160m²（标准 200m²）", "业务用房 160→200m²（标准 200m²）"]


def _closes_in(actions: list[dict], tmp_path: Path, lang: str = "zh", **office: object) -> list[str]:
    """The closes column, for an office changed by `office` and with paid mediators and rooms."""
    sc = copy.deepcopy(SCENARIO)
    sc["offices"][0].update(office)
    sc["costs"]["roles"]["mediators"] = {"one_time": 0.5, "annual": 7.2}
    sc["costs"]["facilities"] = {f: {"one_time": 1.0} for f in ("governance_room", "publicity_room", "five_stations")}
    loaded = load(sc, tmp_path)
    tasks = next(t for t in build_tables(writer_plan(loaded, actions), loaded, lang) if t.key == "tasks")
    return sorted(row[-1] for row in tasks.rows if isinstance(row[0], int))


def hire(year: int, role: str) -> dict:
    return {"office": "A", "year": year, "type": "hire", "role": role, "count": 1}


def test_a_hire_starts_from_the_earlier_hires_of_its_role_only(tmp_path: Path) -> None:
    # No mediators of the 2 a small office needs: one hired in 2022, one in 2023 (1→2, counting the
    # 2022 hire); a post hired in 2022 is another role (2 posts → 3) and moves neither.
    actions = [hire(2022, "mediators"), hire(2022, "posts"), hire(2023, "mediators")]
    assert _closes_in(actions, tmp_path, staff={"posts": 2, "mediators": 0}) == [
        "专职人民调解员 0→1（标准 2）", "专职人民调解员 1→2（标准 2）", "政法专项编制人员 2→3（标准 2）"]
    assert _closes_in(actions, tmp_path, "en", staff={"posts": 2, "mediators": 0}) == [
        "civil-service posts 2→3 (standard 2)", "full-time mediators 0→1 (standard 2)",
        "full-time mediators 1→2 (standard 2)"]


def test_a_room_of_a_choice_names_the_choice(tmp_path: Path) -> None:
    # A small office may have 依法治理室 + 法治宣传室 or one merged 法治建设室 (jiangsu-2021);
    # a room outside any choice is just the tier's standard.
    rooms = [r for r in ROOMS if r not in ("governance_room", "publicity_room", "five_stations")]
    actions = [{"office": "A", "year": 2022, "type": "facility", "facility": f}
               for f in ("governance_room", "publicity_room", "five_stations")]
    assert _closes_in(actions, tmp_path, facilities=rooms) == [
        "五站点服务区 无→有（小型司法所标准）",
        "依法治理室 无→有（小型司法所标准：依法治理室+法治宣传室 或 法治建设室）",
        "法治宣传室 无→有（小型司法所标准：依法治理室+法治宣传室 或 法治建设室）"]
    assert _closes_in(actions, tmp_path, "en", facilities=rooms) == [
        "five-stations service area none→present (small office standard)",
        "law-based governance room none→present (small office standard: law-based governance room+rule-of-law "
        "publicity room or rule-of-law building room (merged))",
        "rule-of-law publicity room none→present (small office standard: law-based governance room+rule-of-law "
        "publicity room or rule-of-law building room (merged))"]


def test_a_build_starts_from_an_earlier_lease(tmp_path: Path) -> None:
    # A lease of 40 m² in 2022 counts at once; a build started in 2023 counts from the end of 2025,
    # by when the lease has long counted: 140→200.
    assert closes([{"office": "A", "year": 2022, "type": "lease", "area_m2": 40},
                   {"office": "A", "year": 2023, "type": "build", "area_m2": 60}], tmp_path) == [
        "业务用房 100→140m²（标准 200m²）", "业务用房 140→200m²（标准 200m²）"]
