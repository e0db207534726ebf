"""Level 4 in CP-SAT: with levels 1–3 fixed at the values just found, minimise the churn against the
earlier plan (docs/reference.md §7, planner/solver/model/churn.py), hinted with the plan just found.

Its own stage, after the combined weighted solve as after the staged one: levels 1–3 stay exactly
what they would be without an earlier plan, and no weight has to grow by another factor.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solver.cpsat import hint_next, remaining_time, run_search
from planner.solver.model import BuiltModel, Solution
from planner.solver.params import SolveParams, StageReport
from planner.solver.status import Level, SolveStatus, map_status

CHURN = Level.CHURN


def churn_stage(built: BuiltModel, fixed: list[tuple[cp_model.LinearExprT, int, int]], solver: cp_model.CpSolver,
                params: SolveParams, started: float, label: str, workers: int,
                presolve: bool = True, light: bool = False) -> tuple[Solution | None, StageReport]:
    """(the plan with least churn, or None to keep the one `solver` holds; the level's report).

    `fixed`: (expression, sign, value) of the levels solved so far that are not yet fixed in the
    model (+1: minimised, so at most value; −1: maximised, so at least value)."""
    assert built.churn is not None
    if isinstance(built.churn, int):  # nothing the plan decides can change it
        return None, StageReport(CHURN, SolveStatus.OPTIMAL, built.churn, float(built.churn), 0.0)
    m = built.model
    current = int(solver.Value(built.churn))  # the plan found so far: its churn is a bound
    remaining = remaining_time(params, started)
    if remaining is not None and remaining <= 0 or params.stopped:
        return None, StageReport(CHURN, SolveStatus.FEASIBLE, current, None, 0.0)
    for expr, sign, value in fixed:
        m.add(expr <= value) if sign > 0 else m.add(expr >= value)
    if not isinstance(built.total_cost, int):
        # The cost exactly that of the plan found: a cost level cut short (its limit, a deterministic
        # one) stated that value, and a cheaper plan here would contradict it (result._cross_check).
        m.add(built.total_cost == int(solver.Value(built.total_cost)))
    hint_next(m, solver)
    m.minimize(built.churn)
    found, code = run_search(m, params, label + CHURN, remaining, started, workers, presolve=presolve, light=light)
    status = map_status(code, m)
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):  # no time for a first solution: the hint stands
        return None, StageReport(CHURN, SolveStatus.FEASIBLE, current, None, found.WallTime())
    value = int(round(found.ObjectiveValue()))
    return built.extract(found), StageReport(CHURN, status, value, found.BestObjectiveBound(), found.WallTime())
