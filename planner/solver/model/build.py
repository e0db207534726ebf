"""`build_model` lists every constraint family and the objective levels (docs/reference.md §7)."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.rules.requirements import Requirements
from planner.solver.model import constraints as c
from planner.solver.model.churn import office_churn
from planner.solver.model.variables import Expr, OfficeVars, Solution, extract, make_office_vars


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    vars: list[OfficeVars]
    target_literals: list[cp_model.IntVar]  # one per hard target cell (req.targets order)
    shortfall: Expr  # level 1
    attained: Expr  # level 2 (weighted), maximised
    total_cost: Expr  # level 3, yuan, minimised
    churn: Expr | None = None  # level 4, only with an earlier plan to keep (req.keep), minimised

    def extract(self, solver: cp_model.CpSolver) -> Solution:
        return extract(solver, self.vars)

    def require_targets(self, cells: list[int] | None = None) -> None:
        """Make the hard target cells (those of `cells`, indices into req.targets; all by default) constraints."""
        for i in range(len(self.target_literals)) if cells is None else cells:
            self.model.add(self.target_literals[i] == 1)


def build_model(req: Requirements, pattern_bounds: bool = True) -> BuiltModel:
    m = cp_model.CpModel()
    vs = [make_office_vars(m, o, req, k) for k, o in enumerate(req.offices)]
    for k, v in enumerate(vs):
        c.conditions(m, v, req)
        c.staff_minimums(m, v, req)
        c.total_staff(m, v, req)
        c.floor_area(m, v, req)
        c.rooms(m, v, req, k)
        if pattern_bounds:
            c.pattern_cost_bounds(m, v, req, k)
    c.budgets(m, vs, req)
    c.quotas(m, vs, req)
    lits, shorts = c.targets(m, vs, req)
    T = len(req.years)
    attained = sum(v.office.weight * a for v in vs for a in v.att)
    total_cost = sum(c.office_cost(v, req, t) for v in vs for t in range(T))
    churn = None
    if req.keep is not None:
        churn = sum(office_churn(v, req, m.new_bool_var, m.add, k) for k, v in enumerate(vs))
    return BuiltModel(m, vs, lits, sum(shorts), attained, total_cost, churn)
