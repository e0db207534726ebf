"""Planner for the classified construction of grassroots justice offices (司法所分类建设).

Data flows one way: scenario file → `io.loading.load_scenario` → `rules.requirements.derive` →
`solver.solve.solve` → `solver.result.make_plan` → `rules.verify.verify_plan` and reports, the chain
`pipeline.plan_scenario` runs. Folders: io, rules, solver, analysis, reports (each __init__ says
what it owns and may import); errors, i18n, plan (the plan.json format) and pipeline serve them all.
"""

from planner.errors import ScenarioError, ScenarioIssue

__all__ = ["ScenarioError", "ScenarioIssue"]
__version__ = "0.1.0"
