"""What a solve is asked and what it returns: parameters, progress, the stop switch, the outcome.

Plain data shared by the solve (planner/solver/solve.py), its CP-SAT set-up (cpsat.py), the HiGHS
path (shared_fund.py), the pool and Dask workers, and every caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import ortools
from ortools.sat.python import cp_model

from planner.rules.targets import TargetCell
from planner.solver.model import Solution

# Measured on the 2-core reference machine (docs/solver.md): 8 portfolio workers beat 2 on every
# scenario we tried, because the extra LNS/core workers find the level-2 bound much sooner.
DEFAULT_WORKERS = 8


@dataclass(frozen=True)
class Progress:
    stage: str
    best: float | None
    bound: float | None
    elapsed: float


@dataclass
class SolveControl:
    """Lets another thread (a signal handler) stop the search; the best plan so far is kept."""

    _stopped: threading.Event = field(default_factory=threading.Event)
    _solver: cp_model.CpSolver | None = None

    def stop(self) -> None:
        self._stopped.set()
        if self._solver is not None:
            self._solver.stop_search()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()


@dataclass(frozen=True)
class SolveParams:
    time_limit: float | None = 60.0
    workers: int = DEFAULT_WORKERS
    seed: int = 0
    deterministic: bool = False  # deterministic time limit: reproducible even when it bites
    progress: Callable[[Progress], None] | None = None
    control: SolveControl | None = None
    # False: never start the process pool for many small components (e.g. when the caller already
    # runs one solve per core, or inside a daemonic Dask worker that may not have children).
    parallel_components: bool = True
    # Tests force one solver path on every component (the oracle checks each against brute force):
    # "auto" picks by size (SMALL_COMPONENT, and COUPLED_BY_LEVEL for shared funds: a search per
    # level with small-component settings),
    # "combined" one weighted solve, "staged" one per level with the staged defaults,
    # "mip" the HiGHS model of coupled components (CP-SAT staged when highspy is missing).
    path: Literal["auto", "combined", "staged", "mip"] = "auto"
    # The redundant per-office cost bounds (model/constraints.py). None: on in staged solves of
    # larger components, off in small components, where they cost 1.3–1.5x (docs/solver.md); True/False force.
    pattern_bounds: bool | None = None
    # "auto": HiGHS for shared funds of > COUPLED_BY_LEVEL offices (unless `deterministic`), CP-SAT
    # for the rest; "cpsat": CP-SAT for everything (docs/solver.md says which engine does what, measured).
    engine: Literal["auto", "cpsat"] = "auto"
    dask_address: str | None = None  # send the components to this Dask scheduler (planner/solver/remote.py)

    @property
    def stopped(self) -> bool:
        """Ctrl-C / SIGTERM came (through `control`): every search ends with its best plan so far."""
        return self.control is not None and self.control.stopped


@dataclass(frozen=True)
class StageReport:
    name: str
    status: str  # optimal | feasible | infeasible | unknown
    value: int | None
    bound: float | None
    seconds: float


@dataclass(frozen=True)
class SolveOutcome:
    status: str
    solution: Solution | None
    stages: tuple[StageReport, ...]
    seconds: float
    workers: int
    seed: int
    solver_version: str = ortools.__version__
    conflict: tuple[TargetCell, ...] = ()  # hard target cells in conflict when infeasible
