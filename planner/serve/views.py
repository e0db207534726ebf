"""What the pages show, computed from the history with the library: the objective levels, the
explanations (planner/reports/tables.py), the sweep frontier, two runs compared (planner/analysis/compare.py)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException

from planner.analysis.compare import ComparedPlan, kpi_rows, kpis, office_differences, plan_names
from planner.analysis.sweep import cheapest_meeting_targets
from planner.plan import PlanResult
from planner.reports import tables
from planner.serve.app import scenario_of
from planner.serve.db import Run
from planner.serve.inputs import limit_rows

LEVEL_NAMES = {"shortfall": ("缺口", "shortfall"), "attained_office_years": ("达标所·年", "attained office-years"),
               "total_cost": ("总费用（万元）", "total cost (10k CNY)"),
               "all levels": ("全部层级（一次加权求解）", "all levels (one weighted solve)")}
STATUS_NAMES = {"queued": ("排队中", "queued"), "running": ("求解中", "running"), "optimal": ("最优", "optimal"),
                "feasible": ("可行（未证明最优）", "feasible (not proven optimal)"),
                "infeasible": ("不可行", "infeasible"), "failed": ("失败", "failed"),
                "cancelled": ("已取消", "cancelled")}


def level_name(name: str, zh: bool) -> str:
    pair = LEVEL_NAMES.get(name)
    return (pair[0] if zh else pair[1]) if pair else name


def status_name(status: str, zh: bool) -> str:
    pair = STATUS_NAMES.get(status, (status, status))
    return pair[0] if zh else pair[1]


def plan_of(app: Any, run: Run) -> Any:
    found = app.state.store.output(run.id, "plan.json")
    if found is None:
        raise HTTPException(404, f"run {run.id} has no plan")
    return PlanResult.model_validate_json(found[1])


def compared(app: Any, run: Run, lang: str) -> Any:
    """The run's plan, as `plan compare` takes a plan.json it has verified (the worker verified it)."""
    return ComparedPlan(f"#{run.id} {run.scenario_name}", "plan", plan_of(app, run), True,
                        scenario_of(app, run.id, lang))


def compare_view(app: Any, a: Run, b: Run, lang: str) -> dict[str, Any]:
    zh = lang == "zh"
    plans = [compared(app, a, lang), compared(app, b, lang)]
    rows = [{"label": r.label, "year": r.year, "text": r.text, "differ": len({str(v) for v in r.values}) > 1}
            for r in kpi_rows([kpis(p.plan) for p in plans], plan_names(plans[0], zh))]
    return {"labels": [p.label for p in plans], "rows": rows, "diffs": office_differences(plans[0], plans[1], zh)}


def explanation_tables(app: Any, run: Run, lang: str) -> list[Any]:
    """各所说明 and 边际价值 of a plan solved with explanations (the rows the report and workbook show)."""
    if not run.has_plan:
        return []
    plan = plan_of(app, run)
    if not plan.explanations:
        return []  # no need to read the scenario back for its role names
    zh = lang == "zh"
    return tables.explanation_tables(plan.explanations or {}, "zh" if zh else "en",
                                     tables.Names(scenario_of(app, run.id, lang), zh))


def infeasibility(app: Any, run: Run, lang: str) -> dict[str, Any] | None:
    """The targets in conflict and, with explanations, the figures that restore feasibility."""
    found = app.state.store.output(run.id, "explanation.json")
    if found is None:
        return None
    data = json.loads(found[1])
    key = "zh" if lang == "zh" else "en"
    return {"conflict": data.get(f"conflict_{key}", []), "text": data.get(f"text_{key}")}


def sweep_view(app: Any, run: Run) -> dict[str, Any] | None:
    """The frontier's points (planner/analysis/sweep.py) with the cheapest scale meeting every target marked."""
    found = app.state.store.output(run.id, "sweep.json")
    if found is None:
        return None
    points = json.loads(found[1])["points"]
    best = cheapest_meeting_targets(points)
    tiers = [t for t in ("large", "medium", "small", "all") if any(t in (p["attainment_last_year"] or {})
                                                                   for p in points)]
    return {"points": points, "best": best, "tiers": tiers,
            "chart": "frontier.svg" in app.state.store.outputs(run.id)}


def edit_rows(app: Any, run: Run, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The budget and quota entries of the run's scenario, for the re-solve form."""
    return limit_rows(scenario_of(app, run.id, lang))
