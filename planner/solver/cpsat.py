"""CP-SAT set-up, shared by every staged, combined and churn solve: the solver's parameters, one
search with progress and stop, the time left, and a stage's hint for the next."""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from planner.solver.params import Progress, SolveParams


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, stage: str, started: float, progress: Callable[[Progress], None]) -> None:
        super().__init__()
        self.stage, self.started, self.progress = stage, started, progress

    def on_solution_callback(self) -> None:
        # CP-SAT states a maximised objective as it is (not negated): attained office-years count up.
        self.progress(Progress(self.stage, self.ObjectiveValue(), self.BestObjectiveBound(),
                               time.monotonic() - self.started))


def remaining_time(params: SolveParams, started: float) -> float | None:
    if params.time_limit is None:
        return None
    return params.time_limit - (time.monotonic() - started)


def level_share(remaining: float | None, levels_left: int) -> float | None:
    """The time a level may use: a level with lower levels still to come at most half the time
    left, so that under a time limit every level is searched (a plan whose cost level was never
    searched may spend money that attains nothing). A level that ends early leaves its time on."""
    if remaining is None or levels_left <= 1:
        return remaining
    return remaining / 2


def _solver(params: SolveParams, remaining: float | None, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = params.seed
    # Interrupts are ours to handle (SolveControl); CP-SAT's own SIGINT hook aborts the process.
    solver.parameters.catch_sigint_signal = False
    # Full LP relaxation with cuts: the cost level is a knapsack-like problem where the default
    # (level 1) crawls down in tiny steps; level 2 proves it in a fraction of the time (docs/solver.md).
    solver.parameters.linearization_level = 2
    if remaining is not None:
        if params.deterministic:
            solver.parameters.max_deterministic_time = max(0.01, remaining)
        else:
            solver.parameters.max_time_in_seconds = max(0.01, remaining)
    # Several workers are reproducible only interleaved, which cost 6–8× on a coupled 60-office
    # fund (docs/solver.md), so only on request; one worker, and HiGHS, are deterministic anyway.
    if params.deterministic:
        solver.parameters.interleave_search = True
    return solver


def run_search(m: cp_model.CpModel, params: SolveParams, name: str, remaining: float | None,
               started: float, workers: int, presolve: bool = True,
               light: bool = False) -> tuple[cp_model.CpSolver, int]:
    """One search. `light`: without probing and LP cuts (always so without presolve)."""
    solver = _solver(params, remaining, workers)
    # On small components presolve, probing and the LP's cuts cost more than they save (measured
    # 2.3x, 1.15x and 1.15–1.9x, same optima; docs/solver.md). Staged solves keep the cuts (mixed there).
    # Shared funds of > 200 offices searched by level keep presolve only (light): 1.3–1.4x faster
    # on 300 offices (solve.PRESOLVE_FROM).
    solver.parameters.cp_model_presolve = presolve
    if not presolve or light:
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.cut_level = 0
    if params.control is not None:
        params.control._solver = solver
        if params.control.stopped:  # stopped before this search began (stop_search has no effect
            # until it runs): time only for a first plan
            solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds, 0.5)
    callback = _Reporter(name, started, params.progress) if params.progress else None
    code = solver.Solve(m, callback)
    if params.control is not None:
        params.control._solver = None
    return solver, code


def hint_next(m: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint the next stage with this stage's whole solution."""
    m.clear_hints()
    values = list(solver.ResponseProto().solution)
    hint = m.Proto().solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)
