"""Large components coupled by shared limits (a city or province fund of > COUPLED_BY_LEVEL offices).

When one budget a year covers many counties nothing splits into per-county components. Up to
COUPLED_BY_LEVEL offices CP-SAT solves such a fund by level with one worker (planner/solver/solve.py);
above it, that search did not prove level 1 (1,300 offices, 300 s), while the direct MIP
(`planner/solver/mip.py`) in HiGHS proves every level (docs/solver.md, measured). So under
`--engine auto`, when highspy is installed, a larger fund goes to HiGHS; its plan is turned into
the same `Solution` and goes through the same verification as every plan. Without highspy, or with
`--engine cpsat`, or when HiGHS finds no plan (infeasible hard targets: CP-SAT names the cells in
conflict), CP-SAT solves it. When the fund's time is too short for HiGHS's first levels (31
province funds sharing 180 s), the county split's plan (county_split.py) comes instead.
"""

from __future__ import annotations

import importlib.metadata
import math
import os
import time
from dataclasses import replace

import ortools

from planner.rules.requirements import Requirements
from planner.solver import county_split, mip
from planner.solver.county_split import CountySolver
from planner.solver.params import SolveOutcome, SolveParams, StageReport
from planner.solver.status import Level, SolveStatus

# A fund with less time than this an office gets the county split's plan instead of HiGHS's
# search: HiGHS's levels 1–2 took 30–34 s on 1,300 offices, and with 60 s (the default) HiGHS
# alone ended with a plan 7 % cheaper than with the split's 8 s taken first (docs/solver.md, A
# first plan by county).
SPLIT_FIRST_PER_OFFICE = 0.03


def solve_coupled(req: Requirements, params: SolveParams, remaining: float | None,
                  solve_county: CountySolver | None = None) -> SolveOutcome | None:
    """The component solved by HiGHS, or None for the caller to solve it with CP-SAT.

    Under a time limit, the county split's plan (planner/solver/county_split.py, each county solved
    by `solve_county`) stands in for HiGHS's search when the time is short, and for CP-SAT's
    staged search when HiGHS found no plan in its share (at 1,300 offices that search ends far from
    the optimum; the 40,000-office row went from 670 to 968 and 1,157 when a fund or two took
    that way). HiGHS does not run after a split: in the process pool its time was what the funds
    queued last needed (docs/solver.md, A first plan by county)."""
    if not mip.available():
        return None
    started = time.monotonic()
    if solve_county is None or remaining is None or not county_split.applicable(req):
        return _highs(req, params, remaining)
    if remaining < SPLIT_FIRST_PER_OFFICE * len(req.offices):
        outcome = _split_first(req, params, remaining, solve_county, started)
        if outcome is not None or params.stopped:  # Ctrl-C during the LP: no HiGHS to wait for
            return outcome
        return _highs(req, params, remaining - (time.monotonic() - started))
    outcome = _highs(req, params, remaining)
    left = remaining - (time.monotonic() - started)
    if outcome is None and left > 0 and not params.stopped:  # Ctrl-C: no LP to wait for
        return _split_first(req, params, left, solve_county, started)
    return outcome


def _highs(req: Requirements, params: SolveParams, remaining: float | None) -> SolveOutcome | None:
    """HiGHS's outcome within `remaining` seconds, or None without a plan."""
    result = mip.solve_mip(req, time_limit=remaining, threads=max(1, min(params.workers, os.cpu_count() or 1)),
                           control=params.control)
    return None if result.solution is None else _highs_outcome(req, params, result)


def _split_first(req: Requirements, params: SolveParams, remaining: float, solve_county: CountySolver,
                 started: float) -> SolveOutcome | None:
    """The county split's plan, its time counted from `started` (the LP's and any HiGHS search's
    before it); its LP gets at most half the time."""
    deadline = time.monotonic() + remaining
    lp = mip.lp_relaxation(req, remaining / 2, control=params.control)
    if lp is None:
        return None
    outcome = county_split.split_plan(req, lp.spending, solve_county, deadline)
    if outcome is None:
        return None
    first_level = replace(outcome.stages[0], bound=float(lp.shortfall_bound))
    return replace(outcome, stages=(first_level, *outcome.stages[1:]), seconds=time.monotonic() - started,
                   solver_version=f"{ortools.__version__}; HiGHS {importlib.metadata.version('highspy')} "
                                  "(LP split by county)")


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
