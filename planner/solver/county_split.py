"""A first plan for a large shared fund when its time is short: the fund split by county.

A province fund of ~1,300 offices gets about 12 s of a 180 s limit when 31 of them share two
cores; HiGHS then often has no plan for level 1 at all (docs/benchmarks.md, the 40,000-office
row). This plan comes in seconds:

1. the LP relaxation of levels 1–2 (`mip.lp_relaxation`) says what each county spends a year
   (and bounds level 1: the plan's first level reports that bound);
2. each county is solved exactly, by level, on its own, with its LP spending as its share of every
   budget entry that spans counties (its own budgets, quotas and target cells unchanged);
3. the county plans together are a plan of the fund: the shares add up to no more than each entry.

It is a plan, not an optimum: no level is claimed proven, and only level 1 has a bound (the LP's). Measured on the
1,300-office fund (`benchmarks/instances/all_n1300_y3_s1_t1.2.yaml`): shortfall 27 and 2,700
attained office-years in ~8 s, where the optimum is 21 and 2,714 (docs/solver.md, A first plan by
county). Only for soft targets, and only where every quota and target cell lies inside one county:
otherwise a county alone could not know its part of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from planner.io.loading import BudgetEntry
from planner.rules.requirements import OfficeReq, Requirements
from planner.solver.components import split_requirements
from planner.solver.model import OfficeDecisions, Solution
from planner.solver.model.constraints import office_cost
from planner.solver.model.variables import OfficeVars
from planner.solver.params import SolveOutcome, StageReport
from planner.solver.status import Level, SolveStatus

# How the split solves one county in its time share (planner/solver/solve.py: _county_solver).
CountySolver = Callable[[Requirements, float | None], SolveOutcome]


def applicable(fund: Requirements) -> bool:
    """Soft targets, no earlier plan to keep, more than one county, and every quota and target
    cell inside one county."""
    if not fund.soft_targets or fund.keep is not None:
        return False
    county_of = [o.county for o in fund.offices]
    if len(set(county_of)) < 2:
        return False
    members = fund.scope_members()
    index = fund.office_index()
    in_one = [{county_of[i] for i in members.get(q.scope, ())} for q in fund.quotas]
    in_one += [{county_of[index[i]] for i in cell.office_ids} for cell in fund.targets]
    return all(len(counties) <= 1 for counties in in_one)


def county_parts(fund: Requirements) -> list[list[int]]:
    """The fund's office indices, county by county (counties in name order)."""
    parts: dict[str, list[int]] = {}
    for i, o in enumerate(fund.offices):
        parts.setdefault(o.county, []).append(i)
    return [parts[k] for k in sorted(parts)]


def county_requirements(fund: Requirements, parts: list[list[int]],
                        spending: list[list[float]]) -> list[Requirements]:
    """Each county's requirements, every budget entry that spans counties cut to the county's
    share: its LP spending in the entry's year, rounded down, so that the shares of an entry add
    up to no more than its amount."""
    members = fund.scope_members()
    county = [fund.offices[idx[0]].county for idx in parts]  # each part is one county
    held = {b: {fund.offices[i].county for i in members.get(b.scope, ())} for b in fund.budgets}
    wide = [b for b in fund.budgets if len(held[b]) > 1]
    shares: list[dict[BudgetEntry, int]] = [{} for _ in parts]
    for b in wide:
        t = fund.years.index(b.year)
        holders = [k for k in range(len(parts)) if county[k] in held[b]]
        for k in holders:
            shares[k][b] = int(sum(spending[i][t] for i in parts[k]))
        # the LP's tolerance may overspend by a few yuan: take it back from the largest share
        excess = sum(shares[k][b] for k in holders) - b.amount_yuan
        if excess > 0:
            biggest = max(holders, key=lambda k: shares[k][b])
            shares[biggest][b] = max(0, shares[biggest][b] - excess)
    subs = split_requirements(fund, parts)
    return [replace(sub, budgets=tuple(_cut(b, shares[k]) for b in sub.budgets)) for k, sub in enumerate(subs)]


def _cut(b: BudgetEntry, shares: dict[BudgetEntry, int]) -> BudgetEntry:
    return replace(b, amount_yuan=shares[b]) if b in shares else b


def split_plan(fund: Requirements, spending: list[list[float]],
               solve_county: CountySolver,
               deadline: float | None = None) -> SolveOutcome | None:
    """The fund's plan from its counties' plans, or None when a county has none. With a deadline
    (`time.monotonic()`), each county may take twice its fair share of the time left, so that
    none queued last goes without (a county cut short keeps its best plan so far)."""
    parts = county_parts(fund)
    decided: list[OfficeDecisions | None] = [None] * len(fund.offices)
    seconds = 0.0
    for n, (idx, sub) in enumerate(zip(parts, county_requirements(fund, parts, spending))):
        limit = None if deadline is None else 2 * (deadline - time.monotonic()) / (len(parts) - n)
        outcome = solve_county(sub, limit)
        if outcome.solution is None:
            return None
        seconds += outcome.seconds
        for i, d in zip(idx, outcome.solution.offices):
            decided[i] = d
    solution = Solution(tuple(d for d in decided if d is not None))
    names = [Level.SHORTFALL, Level.ATTAINED, Level.TOTAL_COST]
    stages = tuple(StageReport(name, SolveStatus.FEASIBLE, value, None, seconds if k == 0 else 0.0)
                   for k, (name, value) in enumerate(zip(names, levels(fund, solution))))
    return SolveOutcome(SolveStatus.FEASIBLE, solution, stages, seconds, 1, 0)


def levels(req: Requirements, solution: Solution) -> tuple[int, int, int]:
    """A plan's shortfall, weighted attained office-years and total cost, as the model counts them
    (its own cost terms, `office_cost`): a county cut short by the time may not have reported them."""
    T = len(req.years)
    index = req.office_index()
    shortfall = sum(max(0, cell.required - sum(solution.offices[index[i]].att[req.years.index(cell.year)]
                                               for i in cell.office_ids)) for cell in req.targets)
    attained = sum(o.weight * sum(d.att) for o, d in zip(req.offices, solution.offices))
    cost = sum(int(office_cost(_as_vars(o, d, T), req, t)) for o, d in zip(req.offices, solution.offices)
               for t in range(T))
    return shortfall, attained, cost


def _as_vars(o: OfficeReq, d: OfficeDecisions, T: int) -> OfficeVars:
    """An office's decisions in the model's layout, numbers for variables."""
    def by_year(chosen: dict[int, int]) -> list[int]:
        return [chosen.get(t, 0) for t in range(T)]

    return OfficeVars(o, att=[int(a) for a in d.att],
                      hires={r: [d.hires.get((r, t), 0) for t in range(T)] for r in sorted({r for r, _ in d.hires})},
                      lease=by_year(d.lease), build=by_year(d.build),
                      options={i: [int(t == year) for t in range(T)] for i, year in d.options.items()},
                      rooms={f: [int(t == year) for t in range(T)] for f, year in d.rooms.items()})
