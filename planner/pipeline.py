"""The one chain every command, analysis and benchmark runs: load → derive → solve → plan → verify.

`plan_scenario` is the whole chain; `prepare` is its first half (the requirements, with an
earlier plan to keep to) for callers that look at the requirements before solving (`plan
explain`), and `plan_requirements` its second half. Domain decisions about an outcome (which limits compete
in an infeasible one) live here too, so that commands only parse, call and print.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.analysis.replan import Earlier, with_keep
from planner.io.loading import BudgetEntry, LoadedScenario, load_scenario
from planner.plan import PlanResult, reread
from planner.rules.requirements import Requirements, derive
from planner.rules.verify import Violation, verify_plan
from planner.solver.components import components
from planner.solver.limits import check_model_size
from planner.solver.params import SolveOutcome, SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import solve
from planner.solver.status import SolveStatus


@dataclass(frozen=True)
class PlanRun:
    """One pass of the chain. `plan` is None when the outcome has no plan (infeasible hard
    targets, or nothing found in time); `violations` are verify's findings on it (empty when
    not verified)."""

    loaded: LoadedScenario
    requirements: Requirements
    outcome: SolveOutcome
    plan: PlanResult | None
    violations: tuple[Violation, ...] = ()

    @property
    def status(self) -> str:
        return self.outcome.status

    @property
    def has_plan(self) -> bool:
        return self.plan is not None

    def competing_budgets(self) -> list[BudgetEntry]:
        """When infeasible: the budget entries paying for an office of a conflicting target, up to
        its last year — the limits the targets compete for."""
        return competing_budgets(self.loaded, self.requirements, self.outcome)


def has_solution(outcome: SolveOutcome) -> bool:
    """Whether an outcome carries a plan (neither infeasible nor out of time)."""
    return outcome.solution is not None and outcome.status not in (SolveStatus.INFEASIBLE, SolveStatus.NO_PLAN)


def prepare(loaded: LoadedScenario, soft_targets: bool | None = None, keep: Earlier | None = None,
            check_size: str | None = None) -> Requirements:
    """The requirements to solve: derived (soft targets: True forces them, None keeps the
    scenario's choice), with `keep`'s actions to stay close to; with `check_size` (the file
    name for the message), refused when the model would not fit in memory."""
    req = with_keep(derive(loaded, soft_targets=soft_targets), keep)
    if check_size is not None:
        check_model_size(req, max((len(c) for c in components(req)), default=0), check_size)
    return req


def plan_requirements(loaded: LoadedScenario, req: Requirements, params: SolveParams, *,
                      earlier: Earlier | None = None, verify: bool = True,
                      solver: Callable[[Requirements, SolveParams], SolveOutcome] = solve) -> PlanRun:
    """Solve prepared requirements, make the plan and, with `verify`, verify it as it will be read
    back from plan.json; `earlier` is the plan the churn is reported against."""
    outcome = solver(req, params)
    if not has_solution(outcome):
        return PlanRun(loaded, req, outcome, None)
    plan = make_plan(loaded, req, outcome, earlier)
    if not verify:
        return PlanRun(loaded, req, outcome, plan)
    plan = reread(plan)  # verified as it will be read back
    return PlanRun(loaded, req, outcome, plan, tuple(verify_plan(loaded, plan)))


def plan_scenario(source: LoadedScenario | Path | str, params: SolveParams, *, soft_targets: bool | None = None,
                  earlier: Earlier | None = None, keep: bool = True, verify: bool = True,
                  check_size: str | None = None,
                  solver: Callable[[Requirements, SolveParams], SolveOutcome] = solve) -> PlanRun:
    """Load (unless given loaded), derive, solve, make the plan and verify it.

    `earlier`: the plan the churn is reported against and, with `keep`, stayed close to.
    `solver` runs the solve (a benchmark times it)."""
    loaded = source if isinstance(source, LoadedScenario) else load_scenario(Path(source))
    req = prepare(loaded, soft_targets, earlier if keep else None, check_size)
    return plan_requirements(loaded, req, params, earlier=earlier, verify=verify, solver=solver)


def competing_budgets(loaded: LoadedScenario, req: Requirements, outcome: SolveOutcome) -> list[BudgetEntry]:
    """The budget entries that pay for an office of a conflicting target, up to its last year."""
    conflict = outcome.conflict
    if not conflict:
        return []
    index = req.office_index()
    offices = {index[i] for c in conflict for i in c.office_ids}
    members = req.scope_members()
    last = max(c.year for c in conflict)
    return [b for b in loaded.budgets if b.year <= last and not offices.isdisjoint(members.get(b.scope, ()))]
