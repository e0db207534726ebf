"""Default quarterly milestones of a plan's actions, for the 时间安排 of the Word draft.

The plan decides years only; a 工作计划 is written by quarter. These defaults (docs/outputs.md,
"Word draft") follow how a bureau usually runs each kind of action:

* hires: recruitment in Q1–Q2, in post by Q3;
* leases: signed in Q1;
* builds: work starts in Q1 of the plan's year and completes in Q4 of the year the space counts
  (year + lead time, SPEC §5); a housing option is taken in Q1 and, with a lead time, handed over
  in Q4 of the year it counts;
* rooms: set up by Q3;
* 验收 (acceptance): in Q4 of the year an office first attains its standard.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.loading import LoadedScenario
from planner.plan import Action, PlanResult

QUARTERS_ZH = ("第一季度", "第二季度", "第三季度", "第四季度")


@dataclass(frozen=True)
class Milestone:
    year: int
    quarter: int  # 1..4
    office: str  # office id
    text: str  # what happens, in Chinese, e.g. "招录专职人民调解员 1人"


def lead_years(loaded: LoadedScenario, action: Action) -> int:
    """Years from the action until its floor area counts (0 for everything but builds and premises)."""
    if action.type == "build" and loaded.scenario.costs.housing.build is not None:
        return loaded.scenario.costs.housing.build.lead_years
    if action.type == "housing":
        office = next((o for o in loaded.offices if o.id == action.office), None)
        option = next((h for h in office.housing_options if h.id == action.option), None) if office else None
        return option.lead_years if option else 0
    return 0


def action_milestones(action: Action, what: str, lead: int) -> list[Milestone]:
    """The milestones of one action; `what` names it (e.g. "专职人民调解员 1人", "业务用房 50m²")."""
    y, o = action.year, action.office
    if action.type == "hire":
        return [Milestone(y, 1, o, f"启动招录{what}"), Milestone(y, 2, o, f"完成招录{what}"),
                Milestone(y, 3, o, f"{what}到岗")]
    if action.type == "lease":
        return [Milestone(y, 1, o, f"签订租赁合同，租赁{what}")]
    if action.type == "build":
        return [Milestone(y, 1, o, f"新建{what}开工"), Milestone(y + lead, 4, o, f"新建{what}竣工交付")]
    if action.type == "housing":
        taken = [Milestone(y, 1, o, f"落实用房方案{what}")]
        return taken + ([Milestone(y + lead, 4, o, f"用房方案{what}交付使用")] if lead else [])
    return [Milestone(y, 3, o, f"建成{what}")]  # facility


def acceptance_milestones(plan: PlanResult) -> list[Milestone]:
    """验收 in Q4 of each year an office with actions turns from not attained to attained."""
    acting = {a.office for a in plan.actions}
    out = []
    for rec in (r for r in plan.offices if r.id in acting):
        before = False
        for year in sorted(rec.attained, key=int):
            now = rec.attained[year]
            if now and not before:
                out.append(Milestone(int(year), 4, rec.id, "达标验收"))
            before = now
    return out
