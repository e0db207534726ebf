"""One small CP-SAT model per constraint family of planner/solver/model/constraints.py, each solved twice:
once where the family can be met (feasible) and once where it cannot (infeasible).

Each model is one office's variables (`make_office_vars`) with only the family under test, the
office counted as attained in its one year (2022), and one change that decides the case. The
office is a small township office of jiangsu-2021 (2 posts, 2 mediators, 200 m², every room) with
one thing taken away; the figures are worked by hand in each test.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from handplan import load
from ortools.sat.python import cp_model

from planner.rules.requirements import Requirements, derive
from planner.solver.model import constraints as c
from planner.solver.model.variables import OfficeVars, make_office_vars
from planner.solver.status import SolveStatus, map_status

ROOMS = ["public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
         "enforcement_management_room", "five_stations"]
OFFICE = {"id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "population": 20000,
          "area_km2": 10, "gdp_rank": 1, "demand": "low", "staff": {"posts": 2, "mediators": 2},
          "floor_area_m2": 200, "facilities": ROOMS}
SCENARIO = {"name": "family", "standard": "jiangsu-2021", "horizon": {"start": 2022, "end": 2022},
            "targets": {2022: {"all": 1.0}}, "budget": {2022: 1000},
            "costs": {"roles": {"posts": {"annual": 0}, "mediators": {"one_time": 0.5, "annual": 7.2},
                                "legal_service_sw": {"one_time": 0.3, "annual": 6.0}},
                      "facilities": {"five_stations": {"one_time": 2.0}},
                      "housing": {"lease": {"annual_per_m2": 0.02}}},
            "offices": [OFFICE]}

Family = Callable[[cp_model.CpModel, OfficeVars, Requirements], None]


def requirements(tmp_path: Path, office: dict | None = None, **changes: object) -> Requirements:
    sc = copy.deepcopy(SCENARIO) | changes
    sc["offices"] = [OFFICE | (office or {})]
    return derive(load(sc, tmp_path))


def status(req: Requirements, family: Family, extra: Family | None = None) -> SolveStatus:
    """The office attained in 2022 under this family alone (and `extra`, the deciding change)."""
    m = cp_model.CpModel()
    v = make_office_vars(m, req.offices[0], req, 0)
    family(m, v, req)
    m.add(v.att[0] == 1)
    if extra is not None:
        extra(m, v, req)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return map_status(solver.solve(m), m)


def hires(v: OfficeVars, req: Requirements, role: str) -> cp_model.LinearExprT:
    r = req.roles.index(role)
    return sum(v.hires[r]) if r in v.hires else 0


def test_conditions(tmp_path: Path) -> None:
    # lianyungang-2019's small tier needs score ≥ 80 (docs/reference.md §4.6). At 80 the office may
    # be attained; at 79.5 the family forbids it, whatever else holds.
    def office(score: float) -> Requirements:
        sc = {**copy.deepcopy(SCENARIO), "standard": "lianyungang-2019", "costs": {}, "offices": [{
            "id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "population": 20000, "tier": "small",
            "staff": {"posts": 2, "assistants": 2}, "floor_area_m2": 200, "attributes": {"score": score}}]}
        return derive(load(sc, tmp_path))

    assert status(office(80), c.conditions) == SolveStatus.OPTIMAL
    assert status(office(79.5), c.conditions) == SolveStatus.INFEASIBLE


def test_staff_minimums(tmp_path: Path) -> None:
    # 3 posts and 1 mediator of 2: one mediator must be hired.
    req = requirements(tmp_path, {"staff": {"posts": 3, "mediators": 1}})
    assert status(req, c.staff_minimums) == SolveStatus.OPTIMAL
    assert status(req, c.staff_minimums, lambda m, v, q: m.add(hires(v, q, "mediators") == 0)) == \
        SolveStatus.INFEASIBLE


def test_total_staff(tmp_path: Path) -> None:
    # Medium (by override): 3 posts + 2 mediators meet the role minimums, the total 5 is short of 6.
    req = requirements(tmp_path, {"tier": "medium", "staff": {"posts": 3, "mediators": 2}})
    assert req.offices[0].tier == "medium"
    assert status(req, c.total_staff, lambda m, v, q: m.add(hires(v, q, "legal_service_sw") == 1)) == \
        SolveStatus.OPTIMAL
    assert status(req, c.total_staff, lambda m, v, q: m.add(sum(x for xs in v.hires.values() for x in xs) == 0)) \
        == SolveStatus.INFEASIBLE


def test_floor_area(tmp_path: Path) -> None:
    # 150 m² of 200: leases must add 50 m² (no build is priced, no housing option).
    req = requirements(tmp_path, {"floor_area_m2": 150})
    assert status(req, c.floor_area, lambda m, v, q: m.add(sum(v.lease) == 50)) == SolveStatus.OPTIMAL
    assert status(req, c.floor_area, lambda m, v, q: m.add(sum(v.lease) <= 49)) == SolveStatus.INFEASIBLE


def test_floor_area_counts_a_build_only_after_its_lead_time(tmp_path: Path) -> None:
    # A build (lead 1 year) in the one horizon year never counts: its variable is the constant 0.
    costs = copy.deepcopy(SCENARIO["costs"])
    costs["housing"] = {"build": {"one_time_per_m2": 0.45, "lead_years": 1}}
    req = requirements(tmp_path, {"floor_area_m2": 150}, costs=costs)
    assert status(req, c.floor_area) == SolveStatus.INFEASIBLE
    costs["housing"]["build"]["lead_years"] = 0
    req = requirements(tmp_path, {"floor_area_m2": 150}, costs=costs)
    assert status(req, c.floor_area) == SolveStatus.OPTIMAL


def rooms(m: cp_model.CpModel, v: OfficeVars, req: Requirements) -> None:
    c.rooms(m, v, req, 0)


def test_rooms(tmp_path: Path) -> None:
    # No 五站点服务区 (priced at 2 万元): it must be set up.
    req = requirements(tmp_path, {"facilities": [f for f in ROOMS if f != "five_stations"]})
    assert status(req, rooms, lambda m, v, q: m.add(sum(v.rooms["five_stations"]) == 1)) == SolveStatus.OPTIMAL
    assert status(req, rooms, lambda m, v, q: m.add(sum(v.rooms["five_stations"]) == 0)) == SolveStatus.INFEASIBLE


def staffed_within_limits(m: cp_model.CpModel, v: OfficeVars, req: Requirements) -> None:
    c.staff_minimums(m, v, req)
    c.budgets(m, [v], req)
    c.quotas(m, [v], req)


def test_budgets(tmp_path: Path) -> None:
    # One mediator to hire: 0.5 + 7.2 = 7.7 万元 in 2022.
    short = {"staff": {"posts": 3, "mediators": 1}}
    assert status(requirements(tmp_path, short, budget={2022: 7.7}), staffed_within_limits) == SolveStatus.OPTIMAL
    assert status(requirements(tmp_path, short, budget={2022: 7.69}), staffed_within_limits) == \
        SolveStatus.INFEASIBLE


def test_quotas(tmp_path: Path) -> None:
    short = {"staff": {"posts": 3, "mediators": 1}}
    assert status(requirements(tmp_path, short, quotas={"mediators": {2022: 1}}), staffed_within_limits) == \
        SolveStatus.OPTIMAL
    assert status(requirements(tmp_path, short, quotas={"mediators": {2022: 0}}), staffed_within_limits) == \
        SolveStatus.INFEASIBLE


def test_targets_hard(tmp_path: Path) -> None:
    # Target 1.0 of one office: its literal holds only when the office is attained.
    req = requirements(tmp_path)

    def hard(m: cp_model.CpModel, v: OfficeVars, q: Requirements) -> None:
        lits, shorts = c.targets(m, [v], q)
        assert (len(lits), shorts) == (1, [])
        m.add(lits[0] == 1)

    assert status(req, hard) == SolveStatus.OPTIMAL
    m = cp_model.CpModel()
    v = make_office_vars(m, req.offices[0], req, 0)
    lits, _ = c.targets(m, [v], req)
    m.add(lits[0] == 1)
    m.add(v.att[0] == 0)
    assert map_status(cp_model.CpSolver().solve(m), m) == SolveStatus.INFEASIBLE


def test_targets_soft_shortfall(tmp_path: Path) -> None:
    # Soft: no literal; the office not attained leaves a shortfall of exactly 1, attained 0.
    req = requirements(tmp_path, targets_mode="soft")
    for attained, shortfall in ((0, 1), (1, 0)):
        m = cp_model.CpModel()
        v = make_office_vars(m, req.offices[0], req, 0)
        lits, shorts = c.targets(m, [v], req)
        assert (lits, len(shorts)) == ([], 1)
        m.add(v.att[0] == attained)
        m.minimize(shorts[0])
        solver = cp_model.CpSolver()
        assert map_status(solver.solve(m), m) == SolveStatus.OPTIMAL
        assert solver.value(shorts[0]) == shortfall
        m.add(shorts[0] <= shortfall - 1)
        assert map_status(cp_model.CpSolver().solve(m), m) == SolveStatus.INFEASIBLE


def test_pattern_cost_bounds(tmp_path: Path) -> None:
    # The bound is valid: attaining costs 7.7 万元 (one mediator); 77,000 yuan passes, 76,999 does not.
    req = requirements(tmp_path, {"staff": {"posts": 3, "mediators": 1}})

    def bounded(m: cp_model.CpModel, v: OfficeVars, q: Requirements) -> None:
        c.pattern_cost_bounds(m, v, q, 0)

    def cost_at_most(yuan: int) -> Family:
        return lambda m, v, q: m.add(c.office_cost(v, q, 0) <= yuan)

    assert status(req, bounded, cost_at_most(77_000)) == SolveStatus.OPTIMAL
    assert status(req, bounded, cost_at_most(76_999)) == SolveStatus.INFEASIBLE
