"""The benchmark peer: the same problem as a direct MIP in HiGHS (`highspy`, the `bench` extra).

The formulation is `planner/solver/mip.py` (one piece of code for both uses); `patterns=True` adds the
CP-SAT model's redundant pattern rows (docs/benchmarks.md reports both where measured).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.rules.requirements import Requirements
from planner.solver.mip import solve_mip as _solve


@dataclass(frozen=True)
class PeerResult:
    status: str  # optimal | feasible | infeasible | time_limit
    levels: tuple[int | None, ...]  # (shortfall?, attained, total cost yuan) as solved
    seconds: float
    build_seconds: float


def solve_mip(req: Requirements, time_limit: float = 600.0, threads: int = 2,
              patterns: bool = False) -> PeerResult:
    r = _solve(req, time_limit, threads, patterns)
    return PeerResult(r.status, r.levels, r.seconds, r.build_seconds)
