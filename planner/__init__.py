"""Planner for the classified construction of grassroots justice offices (司法所分类建设).

Data flows one way: scenario file → `loading.load_scenario` → `requirements.derive` →
`solve.solve` → `plan.Plan` → `verify.verify_plan` and reports.
"""

from planner.errors import ScenarioError, ScenarioIssue

__all__ = ["ScenarioError", "ScenarioIssue"]
__version__ = "0.1.0"
