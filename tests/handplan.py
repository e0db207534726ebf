"""Hand-made plans for verify tests: the actions are the test's; every claim is either stated by
the test (worked out by hand) or, with `writer_plan`, stated by the plan writer (planner.rules.evaluate)."""

from __future__ import annotations

from pathlib import Path

import yaml

from planner.io.loading import LoadedScenario, load_scenario
from planner.io.scenario import to_wan
from planner.plan import (
    Action,
    AttainmentRecord,
    Objective,
    OfficeRecord,
    PlanResult,
    ScenarioRef,
    SolverInfo,
    SpendingRecord,
)
from planner.rules.classify import classify_all
from planner.rules.evaluate import compute_figures
from planner.solver.result import attainment_records, priced_actions


def load(sc: dict, tmp_path: Path) -> LoadedScenario:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    return load_scenario(path)


def hand_plan(loaded: LoadedScenario, actions: list[dict], attained: dict[str, dict[int, bool]],
              attainment: list[dict], spending: list[dict], objective: dict) -> PlanResult:
    """A plan with every claim given by hand."""
    classes = classify_all(loaded.offices, loaded.standard)
    return PlanResult(
        scenario=ScenarioRef(name=loaded.scenario.name, file=loaded.file, sha256=loaded.sha256),
        standard=loaded.standard_ref, status="feasible", targets_mode=loaded.scenario.targets_mode,
        objective=Objective(**objective), solver=SolverInfo(version="hand", seconds=0, workers=0, seed=0),
        offices=[OfficeRecord(id=o.id, name=o.name, county=o.county, kind=o.kind, tier=classes[o.id].tier,
                              tier_reason=classes[o.id].reason,
                              attained={str(y): v for y, v in attained[o.id].items()})
                 for o in loaded.offices],
        actions=[Action(**a) for a in actions],
        attainment=[AttainmentRecord(**r) for r in attainment],
        spending=[SpendingRecord(**s) for s in spending])


def writer_plan(loaded: LoadedScenario, actions: list[dict]) -> PlanResult:
    """A plan whose claims the plan writer states (planner.rules.evaluate), as `plan solve` would."""
    classes = classify_all(loaded.offices, loaded.standard)
    f = compute_figures(loaded, {o: c.tier for o, c in classes.items()}, [Action(**a) for a in actions])
    return hand_plan(
        loaded, [a.model_dump() for a in priced_actions(f)], f.attained,
        [r.model_dump() for r in attainment_records(f)],
        [{"year": b.year, "scope": b.scope, "budget": to_wan(b.amount_yuan),
          "spent": to_wan(f.spent[(b.scope, b.year)])} for b in loaded.budgets],
        {"shortfall": f.shortfall, "attained_office_years": f.attained_office_years,
         "total_cost": to_wan(f.total_cost)})
