"""Statuses and level names (docs/reference.md §7, §9), CP-SAT's raw statuses read in one place, and
the CP-SAT solver of the small checks around a plan.

The enums are StrEnums: their values are plan.json's strings, and they compare equal to them.
"""

from __future__ import annotations

from enum import StrEnum

from ortools.sat.python import cp_model


class SolveStatus(StrEnum):
    """Outcome statuses; `optimal` only when every level was proven optimal. A stage that found
    nothing in its time reports `unknown` (never an outcome's status)."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_PLAN = "no_plan_found"  # nothing found within the time limit
    UNKNOWN = "unknown"


class Level(StrEnum):
    """The lexicographic objective's levels, in order (docs/reference.md §7)."""

    SHORTFALL = "shortfall"  # soft targets only
    ATTAINED = "attained_office_years"
    TOTAL_COST = "total_cost"
    CHURN = "churn"  # with an earlier plan to keep only


_CP_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}


def map_status(code: int, model: cp_model.CpModel | None = None) -> SolveStatus:
    """Every CP-SAT status, explicitly; an invalid model is a bug and raises with its reason."""
    if code == cp_model.MODEL_INVALID:
        reason = model.Validate() if model is not None else "no reason given"
        raise RuntimeError(f"CP-SAT rejected the model: {reason}")
    if code not in _CP_STATUS:
        raise RuntimeError(f"unknown CP-SAT status {code}")
    return _CP_STATUS[code]


def check_solver(time_limit: float, workers: int = 1) -> cp_model.CpSolver:
    """A solver for the small checks around a plan (feasibility, explanations, conflicts): a time
    limit, and CP-SAT's own SIGINT hook off (it aborts the process; interrupts are ours)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.catch_sigint_signal = False
    return solver
