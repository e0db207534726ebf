"""The only CpSolver user: a staged lexicographic solve (SPEC §7) → `SolveOutcome`.

Level 1 (soft targets only) minimises shortfall; level 2 maximises weighted attained office-years
with level 1 fixed; level 3 minimises total cost with levels 1–2 fixed. Each stage is hinted with
the previous stage's solution. A level not proven optimal (time limit, interrupt) is fixed at the
best value found and the outcome is `feasible`. Infeasible hard targets yield the target cells in
conflict, found with CP-SAT assumptions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import ortools
from ortools.sat.python import cp_model

from planner.model import BuiltModel, Solution, build_model
from planner.requirements import Requirements
from planner.targets import TargetCell

# Measured on the 2-core reference machine (docs/solver.md): 8 portfolio workers beat 2 on every
# scenario we tried, because the extra LNS/core workers find the level-2 bound much sooner.
DEFAULT_WORKERS = 8


class SolveStatus:
    """Outcome statuses; `optimal` only when every level was proven optimal."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_PLAN = "no_plan_found"  # nothing found within the time limit


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


_CP_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


def map_status(code: int, model: cp_model.CpModel) -> str:
    """Every CP-SAT status, explicitly; an invalid model is a bug and raises with its reason."""
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model: {model.Validate()}")
    if code not in _CP_STATUS:
        raise RuntimeError(f"unknown CP-SAT status {code}")
    return _CP_STATUS[code]


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, stage: str, sign: int, started: float, progress: Callable[[Progress], None]) -> None:
        super().__init__()
        self.stage, self.sign, self.started, self.progress = stage, sign, started, progress

    def on_solution_callback(self) -> None:
        self.progress(Progress(self.stage, self.sign * self.ObjectiveValue(),
                               self.sign * self.BestObjectiveBound(), time.monotonic() - self.started))


def solve(req: Requirements, params: SolveParams = SolveParams()) -> SolveOutcome:
    """Solve the three levels in order; never prints, never returns None."""
    started = time.monotonic()
    built = build_model(req)
    m = built.model
    for lit in built.target_literals:
        m.Add(lit == 1)
    levels: list[tuple[str, cp_model.LinearExprT, int]] = []
    if req.soft_targets:
        levels.append(("shortfall", built.shortfall, +1))
    levels.append(("attained_office_years", built.attained, -1))
    levels.append(("total_cost", built.total_cost, +1))
    stages: list[StageReport] = []
    solution: Solution | None = None
    proven = True
    for name, expr, sign in levels:
        remaining = _remaining(params, started)
        if remaining is not None and remaining <= 0 or (params.control and params.control.stopped):
            proven = False
            break
        if sign > 0:
            m.Minimize(expr)
        else:
            m.Maximize(expr)
        solver, code = _run(m, params, name, sign, remaining, started)
        status = map_status(code, m)
        if status == "infeasible":
            conflict = find_conflict(req, params) if not req.soft_targets else ()
            return SolveOutcome(SolveStatus.INFEASIBLE, None, tuple(stages), time.monotonic() - started,
                                params.workers, params.seed, conflict=conflict)
        if status == "unknown":
            stages.append(StageReport(name, status, None, None, solver.WallTime()))
            if solution is None:
                return SolveOutcome(SolveStatus.NO_PLAN, None, tuple(stages), time.monotonic() - started,
                                    params.workers, params.seed)
            proven = False
            break
        value = int(round(solver.ObjectiveValue()))
        stages.append(StageReport(name, status, value, solver.BestObjectiveBound(), solver.WallTime()))
        solution = built.extract(solver)
        proven = proven and status == "optimal"
        # Fix this level (at the best value found) before optimising the next one.
        if sign > 0:
            m.Add(expr <= value)
        else:
            m.Add(expr >= value)
        _hint(m, solver)
    status = SolveStatus.OPTIMAL if proven and len(stages) == len(levels) else SolveStatus.FEASIBLE
    return SolveOutcome(status, solution, tuple(stages), time.monotonic() - started,
                        params.workers, params.seed)


def _remaining(params: SolveParams, started: float) -> float | None:
    if params.time_limit is None:
        return None
    return params.time_limit - (time.monotonic() - started)


def _solver(params: SolveParams, remaining: float | None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.random_seed = params.seed
    if remaining is not None:
        if params.deterministic:
            solver.parameters.max_deterministic_time = max(0.01, remaining)
        else:
            solver.parameters.max_time_in_seconds = max(0.01, remaining)
    if params.deterministic:
        solver.parameters.interleave_search = True
    return solver


def _run(m: cp_model.CpModel, params: SolveParams, name: str, sign: int,
         remaining: float | None, started: float) -> tuple[cp_model.CpSolver, int]:
    solver = _solver(params, remaining)
    if params.control is not None:
        params.control._solver = solver
    callback = _Reporter(name, sign, started, params.progress) if params.progress else None
    code = solver.Solve(m, callback)
    if params.control is not None:
        params.control._solver = None
    return solver, code


def _hint(m: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    m.ClearHints()
    proto = m.Proto()
    for i in range(len(proto.variables)):
        m.proto.solution_hint.vars.append(i)
        m.proto.solution_hint.values.append(solver.Value(m.GetIntVarFromProtoIndex(i)))


def find_conflict(req: Requirements, params: SolveParams) -> tuple[TargetCell, ...]:
    """Hard target cells that cannot all be met together, shrunk to a minimal set.

    CP-SAT returns a sufficient set of failed assumptions; each cell is then dropped in turn and
    kept out when the rest stays infeasible (deletion filter), so every cell named matters.
    """
    if not req.targets:
        return ()
    built = build_model(req)
    lits = built.target_literals
    core = _core(built, list(range(len(lits))), params)
    for c in list(core):
        trial = [x for x in core if x != c]
        if trial and _infeasible_with(req, trial, params):
            core = trial
    return tuple(req.targets[i] for i in core)


def _core(built: BuiltModel, idx: list[int], params: SolveParams) -> list[int]:
    m = built.model
    m.ClearAssumptions()
    m.AddAssumptions([built.target_literals[i] for i in idx])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # cores come from the sequential search
    solver.parameters.max_time_in_seconds = 30.0
    code = solver.Solve(m)
    if code != cp_model.INFEASIBLE:
        return idx
    found = set(solver.SufficientAssumptionsForInfeasibility())
    core = [i for i in idx if built.target_literals[i].Index() in found]
    return core or idx


def _infeasible_with(req: Requirements, idx: list[int], params: SolveParams) -> bool:
    built = build_model(req)
    for i in idx:
        built.model.Add(built.target_literals[i] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.max_time_in_seconds = 10.0
    return solver.Solve(built.model) == cp_model.INFEASIBLE
