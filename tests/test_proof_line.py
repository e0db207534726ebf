"""The summary's line for a plan not proven optimal (cli/render.py, proof_line): each level's
figure beside the solver's bound, so a planner can say how far the plan may be from the optimum."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.render import proof_line
from planner.i18n import set_lang
from planner.io.loading import load_scenario
from planner.plan import PlanResult, StageInfo
from planner.rules.requirements import derive
from planner.solver.params import SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import solve

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def proven() -> PlanResult:
    loaded = load_scenario(ROOT / "scenarios" / "examples" / "soft_targets.yaml")
    req = derive(loaded)
    return make_plan(loaded, req, solve(req, SolveParams(workers=1, time_limit=60)))


def with_stages(plan: PlanResult, *stages: StageInfo) -> PlanResult:
    solver = plan.solver.model_copy(update={"stages": list(stages)})
    return plan.model_copy(update={"status": "feasible", "solver": solver})


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    set_lang("zh")
    yield
    set_lang(None)


def test_a_proven_plan_has_no_proof_line(proven: PlanResult) -> None:
    assert proven.status == "optimal" and proof_line(proven) is None


def test_each_level_is_shown_with_its_bound_and_the_plans_own_figure(proven: PlanResult) -> None:
    o = proven.objective
    plan = with_stages(proven,
                       StageInfo(level="shortfall", status="optimal", value=o.shortfall, bound=o.shortfall, seconds=0),
                       # The search's value is replaced by the plan's own figure (recounted from its actions).
                       StageInfo(level="attained_office_years", status="feasible", value=o.attained_office_years - 1,
                                 bound=o.attained_office_years + 3, seconds=0),
                       StageInfo(level="total_cost", status="feasible", value=o.total_cost, bound=None, seconds=0))
    assert proof_line(plan) == (f"未证明最优：缺口 {o.shortfall}（已证明） · 达标所·年 {o.attained_office_years}"
                                f"（上界 {o.attained_office_years + 3}） · 总费用 {o.total_cost:,.4f} 万元（无下界）。"
                                "延长 --time-limit 可缩小差距")
    set_lang("en")
    assert f"total cost {o.total_cost:,.4f} 万元 (no bound)" in (proof_line(plan) or "")


def test_levels_never_reached_are_named(proven: PlanResult) -> None:
    plan = with_stages(proven, StageInfo(level="shortfall", status="feasible", value=proven.objective.shortfall,
                                         bound=0.0, seconds=0))
    assert proof_line(plan) == (f"未证明最优：缺口 {proven.objective.shortfall}（下界 0） · 达标所·年 未优化 · "
                                "总费用 未优化。延长 --time-limit 可缩小差距")
