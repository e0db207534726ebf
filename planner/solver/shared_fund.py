"""Large components coupled by shared limits (a city or province fund of > COUPLED_BY_LEVEL offices).

When one budget a year covers many counties nothing splits into per-county components. Up to
COUPLED_BY_LEVEL offices CP-SAT solves such a fund by level with one worker (planner/solver/solve.py);
above it, that search did not prove level 1 (1,300 offices, 300 s), while the direct MIP
(`planner/solver/mip.py`) in HiGHS proves every level (docs/solver.md, measured). So under
`--engine auto`, when highspy is installed, a larger fund goes to HiGHS; its plan is turned into
the same `Solution` and goes through the same verification as every plan. Without highspy, or with
`--engine cpsat`, or when HiGHS finds no plan (infeasible hard targets: CP-SAT names the cells in
conflict), CP-SAT solves it. When the fund's time is too short for HiGHS's first levels (31
province funds sharing 180 s), the county split's plan (county_split.py) comes first, and HiGHS
runs after it only if enough time is left.
"""

from __future__ import annotations

import importlib.metadata
import math
import os
import time
from collections.abc import Callable
from dataclasses import replace

import ortools

from planner.rules.requirements import Requirements
from planner.solver import county_split, mip
from planner.solver.params import SolveOutcome, SolveParams, StageReport
from planner.solver.status import Level, SolveStatus

# A fund with less time than this an office gets the county split's plan first: HiGHS's levels
# 1–2 took 30–34 s on 1,300 offices, and with 60 s (the default) HiGHS alone ended with a plan
# 7 % cheaper than with the split's 8 s taken first (docs/solver.md, A first plan by county).
SPLIT_FIRST_PER_OFFICE = 0.03
# After the split, HiGHS is started only with this much time an office left: less cannot finish
# its first level (15.6–16.8 s on 1,300 offices), and the time goes back to the funds queued after.
HIGHS_AFTER_SPLIT_PER_OFFICE = 0.015


def solve_coupled(req: Requirements, params: SolveParams, remaining: float | None,
                  solve_county: Callable[[Requirements, float | None], SolveOutcome] | None = None
                  ) -> SolveOutcome | None:
    """The component solved by HiGHS, or None for the caller to solve it with CP-SAT. When its time
    is short, the county split's plan (planner/solver/county_split.py, each county solved by
    `solve_county`) comes first and HiGHS gets the rest; the better plan of the two is kept."""
    if not mip.available():
        return None
    started = time.monotonic()
    first = None
    if (solve_county is not None and remaining is not None
            and remaining < SPLIT_FIRST_PER_OFFICE * len(req.offices) and county_split.applicable(req)):
        first = _split_first(req, remaining, solve_county)
        remaining -= time.monotonic() - started
        if first is not None and (remaining < HIGHS_AFTER_SPLIT_PER_OFFICE * len(req.offices)
                                  or (params.control is not None and params.control.stopped)):
            return replace(first, seconds=time.monotonic() - started)
    result = mip.solve_mip(req, time_limit=remaining, threads=max(1, min(params.workers, os.cpu_count() or 1)),
                           control=params.control)
    if result.solution is None:
        return None if first is None else replace(first, seconds=time.monotonic() - started)
    highs = _highs_outcome(req, params, result)
    if first is None:
        return highs
    kept = better(highs, first)
    if kept is first and highs.stages and first.stages:
        # A bound on the first level holds whatever the plan: the better of the LP's and HiGHS's. A
        # later level's bound holds only beside HiGHS's own values of the levels before it.
        kept = replace(first, stages=(replace(first.stages[0], bound=_higher(first.stages[0].bound,
                                                                            highs.stages[0].bound)),)
                       + first.stages[1:])
    return replace(kept, seconds=time.monotonic() - started)  # the split's time and HiGHS's


def _split_first(req: Requirements, remaining: float,
                 solve_county: Callable[[Requirements, float | None], SolveOutcome]) -> SolveOutcome | None:
    """The county split's plan; its LP gets at most half the time."""
    deadline = time.monotonic() + remaining
    lp = mip.lp_relaxation(req, remaining / 2)
    if lp is None:
        return None
    outcome = county_split.split_plan(req, lp.spending, solve_county, deadline)
    if outcome is None:
        return None
    first_level = replace(outcome.stages[0], bound=float(lp.shortfall_bound))
    return replace(outcome, stages=(first_level, *outcome.stages[1:]),
                   solver_version=f"{ortools.__version__}; HiGHS {importlib.metadata.version('highspy')} "
                                  "(LP split by county)")


def _higher(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


def better(a: SolveOutcome, b: SolveOutcome | None) -> SolveOutcome:
    """The lexicographically better of two plans of one component (a proven one always; a level
    not reached counts worst; a tie keeps `a`)."""
    if b is None or a.status == SolveStatus.OPTIMAL:
        return a
    return b if lexicographic(b) < lexicographic(a) else a


def lexicographic(outcome: SolveOutcome) -> tuple[float, ...]:
    """An outcome's levels as one key to minimise: attained office-years negated, a level without a
    value (or not reached) worst."""
    key = [math.inf if s.value is None else -s.value if s.name == Level.ATTAINED else s.value for s in outcome.stages]
    return tuple(key + [math.inf] * (len(Level) - len(key)))


def _highs_outcome(req: Requirements, params: SolveParams, result: mip.MipResult) -> SolveOutcome:
    names = (([Level.SHORTFALL] if req.soft_targets else []) + [Level.ATTAINED, Level.TOTAL_COST]
             + ([Level.CHURN] if req.keep is not None else []))
    stages = tuple(StageReport(name, SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE, value,
                               bound, result.seconds if i == 0 else 0.0)
                   for i, (name, value, proven, bound) in enumerate(zip(names, result.levels, result.proven,
                                                                       result.bounds)))
    status = SolveStatus.OPTIMAL if result.status == SolveStatus.OPTIMAL else SolveStatus.FEASIBLE
    version = f"{ortools.__version__}; HiGHS {importlib.metadata.version('highspy')} (coupled components)"
    return SolveOutcome(status, result.solution, stages, result.seconds, params.workers, params.seed,
                        solver_version=version)
