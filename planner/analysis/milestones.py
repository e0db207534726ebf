"""Quarterly milestones of a plan's actions: the Word draft's 时间安排, the workbook's 时间进度表 and 完成时限.

The plan decides years only; a 工作计划 is written by quarter. A scenario's `schedule:` (Schedule,
docs/reference.md §8) sets the quarters; its defaults (docs/outputs.md, "Word draft") follow how a
bureau usually runs each kind of action:

* hires: recruitment in Q1–Q2, in post by Q3;
* leases: signed in Q1;
* builds: work starts in Q1 of the plan's year and completes in Q4 of the year the space counts
  (year + lead time, docs/reference.md §5); a housing option is taken in Q1 and, with a lead time, handed over
  in Q4 of the year it counts;
* rooms: set up by Q3;
* 验收 (acceptance): in Q4 of the year an office first attains its standard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from planner.io.loading import LoadedScenario
from planner.io.scenario import Schedule
from planner.plan import Action, PlanResult
from planner.rules import actions
from planner.rules.actions import ActionType

QUARTERS_ZH = ("第一季度", "第二季度", "第三季度", "第四季度")


@dataclass(frozen=True)
class Milestone:
    year: int
    quarter: int  # 1..4
    office: str  # office id
    text: str  # what happens, in Chinese, e.g. "招录专职人民调解员 1人"

    @property
    def due(self) -> dt.date:
        return quarter_end(self.year, self.quarter)


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of the quarter: 2022, 3 → 2022-09-30."""
    return dt.date(year, 12, 31) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def lead_years(loaded: LoadedScenario | None, action: Action) -> int:
    """Years from the action until its floor area counts (0 for everything but builds and premises,
    and without the scenario)."""
    if loaded is None:
        return 0
    return actions.lead_years(loaded, next((o for o in loaded.offices if o.id == action.office), None), action)


def action_milestones(action: Action, what: str, lead: int, q: Schedule | None = None) -> list[Milestone]:
    """The milestones of one action, in order; `what` names it (e.g. "专职人民调解员 1人", "业务用房 50m²")."""
    y, o, q = action.year, action.office, q or Schedule()
    if action.type == ActionType.HIRE:
        return [Milestone(y, q.hire_start, o, f"启动招录{what}"), Milestone(y, q.hire_recruited, o, f"完成招录{what}"),
                Milestone(y, q.hire_in_post, o, f"{what}到岗")]
    if action.type == ActionType.LEASE:
        return [Milestone(y, q.lease_signed, o, f"签订租赁合同，租赁{what}")]
    if action.type == ActionType.BUILD:
        return [Milestone(y, q.build_start, o, f"新建{what}开工"),
                Milestone(y + lead, q.build_complete, o, f"新建{what}竣工交付")]
    if action.type == ActionType.HOUSING:
        taken = [Milestone(y, q.housing_taken, o, f"落实用房方案{what}")]
        return taken + ([Milestone(y + lead, q.housing_in_use, o, f"用房方案{what}交付使用")] if lead else [])
    return [Milestone(y, q.facility_ready, o, f"建成{what}")]  # facility


def plan_milestones(plan: PlanResult, loaded: LoadedScenario | None,
                    what: Callable[[Action], str]) -> tuple[list[list[Milestone]], list[Milestone]]:
    """Each action's milestones (in plan.actions' order) and the 验收 milestones, under the scenario's
    `schedule:` (the defaults without the scenario)."""
    q = loaded.scenario.schedule if loaded is not None else Schedule()
    per_action = [action_milestones(a, what(a), lead_years(loaded, a), q) for a in plan.actions]
    return per_action, acceptance_milestones(plan, q.acceptance)


def acceptance_milestones(plan: PlanResult, quarter: int = 4) -> list[Milestone]:
    """验收 in the schedule's quarter (Q4) of each year an office with actions turns from not attained
    to attained."""
    acting = {a.office for a in plan.actions}
    out = []
    for rec in (r for r in plan.offices if r.id in acting):
        before = False
        for year in sorted(rec.attained, key=int):
            now = rec.attained[year]
            if now and not before:
                out.append(Milestone(int(year), quarter, rec.id, "达标验收"))
            before = now
    return out
