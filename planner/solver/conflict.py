"""Hard target cells that cannot all be met together (CP-SAT assumptions, then a deletion filter)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.rules.requirements import Requirements
from planner.rules.targets import TargetCell
from planner.solver.model import BuiltModel, build_model
from planner.solver.status import SolveStatus, check_solver, map_status

if TYPE_CHECKING:
    from planner.solver.params import SolveParams


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
    m.clear_assumptions()
    m.add_assumptions([built.target_literals[i] for i in idx])
    solver = check_solver(30.0)  # one worker: cores come from the sequential search
    if map_status(solver.Solve(m), m) != SolveStatus.INFEASIBLE:
        return idx
    found = set(solver.SufficientAssumptionsForInfeasibility())
    core = [i for i in idx if built.target_literals[i].Index() in found]
    return core or idx


def _infeasible_with(req: Requirements, idx: list[int], params: SolveParams) -> bool:
    built = build_model(req)
    built.require_targets(idx)
    return map_status(check_solver(10.0, params.workers).Solve(built.model), built.model) == SolveStatus.INFEASIBLE
