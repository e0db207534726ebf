"""Decision variables per office, with tight bounds, and their extraction into plain Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from ortools.sat.python import cp_model

from planner.rules.requirements import OfficeReq, Requirements

Expr: TypeAlias = cp_model.LinearExprT


@dataclass
class OfficeVars:
    """One office's variables; lists are indexed by horizon year index."""

    office: OfficeReq
    att: list[cp_model.IntVar | int]
    hires: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)  # role index → per year
    lease: list[cp_model.IntVar] = field(default_factory=list)
    build: list[cp_model.IntVar | int] = field(default_factory=list)
    options: dict[int, list[cp_model.IntVar | int]] = field(default_factory=dict)  # option index → per year
    rooms: dict[str, list[cp_model.IntVar | int]] = field(default_factory=dict)  # facility → added in year
    costs: dict[int, Expr] = field(default_factory=dict)  # year index → cost expression, built once

    def hired_by(self, r: int, t: int) -> Expr:
        return sum(self.hires[r][: t + 1]) if r in self.hires else 0

    def room_by(self, f: str, t: int) -> Expr:
        return sum(self.rooms[f][: t + 1]) if f in self.rooms else 0


@dataclass(frozen=True)
class OfficeDecisions:
    """What the solver chose for one office (plain integers)."""

    hires: dict[tuple[int, int], int]  # (role index, year index) → count
    lease: dict[int, int]  # year index → m²
    build: dict[int, int]
    options: dict[int, int]  # option index → year index taken
    rooms: dict[str, int]  # facility → year index added
    att: tuple[bool, ...]  # the model's attainment indicators


@dataclass(frozen=True)
class Solution:
    offices: tuple[OfficeDecisions, ...]


def _upper_bounds(o: OfficeReq, req: Requirements) -> list[int]:
    """Most hires of each role an optimal plan can use: the role's own deficit plus what the
    total-staff minimum may still lack after every role's own need is met; with an earlier plan to
    keep (level 4), at least its hires of the role in one year (a free role's surplus may be kept)."""
    T = len(req.years)
    deficit = [max(max(0, o.needs[t].staff[r] - o.staff0[r]) for t in range(T)) for r in range(len(req.roles))]
    extra = max(
        max(0, o.needs[t].total_staff - sum(max(s0, n) for s0, n in zip(o.staff0, o.needs[t].staff)))
        for t in range(T))
    kept = req.keep.get(o.id) if req.keep else None
    earlier = [max((c for (rr, _), c in kept.hires.items() if rr == r), default=0) if kept else 0
               for r in range(len(req.roles))]
    return [max(d + extra, earlier[r]) if req.hire_price[r] is not None else 0 for r, d in enumerate(deficit)]


def make_office_vars(m: cp_model.CpModel, o: OfficeReq, req: Requirements, k: int) -> OfficeVars:
    T = len(req.years)
    v = OfficeVars(o, att=[m.new_bool_var(f"att_{k}_{t}") for t in range(T)])  # rule 6: constraints.conditions
    for r, ub in enumerate(_upper_bounds(o, req)):
        if ub > 0:
            v.hires[r] = [m.new_int_var(0, ub, f"h_{k}_{r}_{t}") for t in range(T)]
    area_gap = max(max(0, n.floor_area_m2 - o.area0) for n in o.needs)
    if area_gap > 0:
        if req.lease_per_m2 is not None:
            v.lease = [m.new_int_var(0, area_gap, f"l_{k}_{t}") for t in range(T)]
        if req.build_per_m2 is not None:
            v.build = [m.new_int_var(0, area_gap, f"b_{k}_{t}") if t + req.build_lead_years < T else 0
                       for t in range(T)]
        for i, h in enumerate(o.housing_options):
            years = [t for t in range(T) if h.takeable(req.years, t)]
            if years:
                v.options[i] = [m.new_bool_var(f"x_{k}_{i}_{t}") if t in years else 0 for t in range(T)]
                m.add(sum(v.options[i]) <= 1)
    needed_rooms = {f for item in o.rooms for alt in item for f in alt} - o.facilities0
    for f in sorted(needed_rooms & set(req.facility_price)):
        v.rooms[f] = [m.new_bool_var(f"f_{k}_{f}_{t}") for t in range(T)]
        m.add(sum(v.rooms[f]) <= 1)
    return v


def _val(solver: cp_model.CpSolver, x: cp_model.IntVar | int) -> int:
    return int(solver.value(x)) if not isinstance(x, int) else x


def extract(solver: cp_model.CpSolver, all_vars: list[OfficeVars]) -> Solution:
    out = []
    for v in all_vars:
        hires = {(r, t): _val(solver, x) for r, xs in v.hires.items() for t, x in enumerate(xs)}
        opts = {i: t for i, xs in v.options.items() for t, x in enumerate(xs) if _val(solver, x)}
        rooms = {f: t for f, xs in v.rooms.items() for t, x in enumerate(xs) if _val(solver, x)}
        out.append(OfficeDecisions(
            hires={k: n for k, n in hires.items() if n},
            lease={t: n for t, x in enumerate(v.lease) if (n := _val(solver, x))},
            build={t: n for t, x in enumerate(v.build) if (n := _val(solver, x))},
            options=opts, rooms=rooms, att=tuple(bool(_val(solver, a)) for a in v.att)))
    return Solution(tuple(out))
