"""The task list's "requirement it closes" (planner/reports/tables.py): the floor area an office has
before a task counts only the earlier premises that have taken effect by the year the task does —
a build's area only after its lead time (docs/reference.md §5)."""

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
