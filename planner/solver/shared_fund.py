"""Large components coupled by shared limits (a city or province fund of > COUPLED_BY_LEVEL offices).

When one budget a year covers many counties nothing splits into per-county components. Up to
COUPLED_BY_LEVEL offices CP-SAT solves such a fund by level with one worker (planner/solver/solve.py);
above it, that search did not prove level 1 (1,300 offices, 300 s), while the direct MIP
(`planner/solver/mip.py`) in HiGHS proves every level (docs/solver.md, measured). So under
`--engine auto`, when highspy is installed, a larger fund goes to HiGHS; its plan is turned into
the same `Solution` and goes through the same verification as every plan. Without highspy, or with
`--engine cpsat`, or when HiGHS finds no plan (infeasible hard targets: CP-SAT names the cells in
conflict), CP-SAT solves it.
"""

from __future__ import annotations

import importlib.metadata
import os

import ortools

from planner.rules.requirements import Requirements
from planner.solver import mip
from planner.solver.params import SolveOutcome, SolveParams, StageReport
from planner.solver.status import Level, SolveStatus


def solve_coupled(req: Requirements, params: SolveParams, remaining: float | None) -> SolveOutcome | None:
    """The component solved by HiGHS, or None for the caller to solve it with CP-SAT."""
    if not mip.available():
        return None
    result = mip.solve_mip(req, time_limit=remaining, threads=max(1, min(params.workers, os.cpu_count() or 1)),
                           control=params.control)
    if result.solution is None:
        return None
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
