"""The CP-SAT model (docs/reference.md §4–§7). No `IntVar` leaves this package: `ModelVars.extract` turns a
solved model into a plain `Solution`."""

from planner.solver.model.build import BuiltModel, build_model
from planner.solver.model.variables import OfficeDecisions, Solution

__all__ = ["BuiltModel", "build_model", "OfficeDecisions", "Solution"]
