"""Terminal rendering of results with rich (Chinese labels beside the contract's words)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.table import Table

from cli.common import user_text as u
from planner.classify import Classification
from planner.plan import PlanResult
from planner.scenario import Office
from planner.standards import TIER_ZH

TYPE_ZH = {"hire": "招录/聘用", "lease": "租赁", "build": "新建", "housing": "用房方案", "facility": "功能室"}
STATUS_ZH = {"optimal": "最优（已证明）", "feasible": "可行（未证明最优）"}


def classification_table(offices: list[Office], classes: dict[str, Classification]) -> Table:
    t = Table(title="司法所分类 Office tiers", show_lines=False)
    for col in ("id", "名称 name", "县区 county", "类型 kind", "人口 population", "面积 km²", "GDP rank",
                "需求 demand", "类别 tier", "依据 reason"):
        t.add_column(col)
    for o in offices:
        c = classes[o.id]
        t.add_row(u(o.id), u(o.name), u(o.county), o.kind, f"{o.population:,}" if o.population is not None else "—",
                  f"{o.area_km2:g}" if o.area_km2 is not None else "—",
                  str(o.gdp_rank) if o.gdp_rank is not None else "—", o.demand or "—",
                  f"{TIER_ZH[c.tier]} {c.tier}", u(c.reason_zh))
    return t


def plan_summary(plan: PlanResult) -> list[Any]:
    """Status, objective, attainment against targets, spending against budget, action counts."""
    parts: list[Any] = []
    o = plan.objective
    parts.append(f"[bold]{u(plan.scenario.name)}[/bold] — status [bold]{plan.status}[/bold] "
                 f"({STATUS_ZH.get(plan.status, plan.status)}), solved in {plan.solver.seconds:.2f} s "
                 f"with {plan.solver.workers} workers")
    parts.append(f"objective: shortfall {o.shortfall} · attained office-years (达标所·年) "
                 f"{o.attained_office_years} · total cost (总费用) {o.total_cost:,.4f} 万元")
    t = Table(title="达标情况 Attainment against targets")
    for col in ("year", "scope 范围", "tier 类别", "offices", "attained", "target", "required", "result"):
        t.add_column(col, justify="right" if col in ("offices", "attained", "required") else "left")
    for a in plan.attainment:
        result = "[green]met 达标[/green]" if a.met else f"[red]short by {a.required - a.attained}[/red]"
        t.add_row(str(a.year), u(a.scope), TIER_ZH.get(a.tier, "全部") + " " + a.tier, str(a.offices),
                  str(a.attained), f"{a.target:.0%}", str(a.required), result)
    parts.append(t)
    s = Table(title="经费 Spending against budget (万元)")
    for col in ("year", "scope", "budget", "spent", "left"):
        s.add_column(col, justify="right" if col in ("budget", "spent", "left") else "left")
    for sp in plan.spending:
        s.add_row(str(sp.year), u(sp.scope), f"{sp.budget:,.4f}", f"{sp.spent:,.4f}", f"{sp.budget - sp.spent:,.4f}")
    parts.append(s)
    counts = Counter(a.type for a in plan.actions)
    hires: Counter[str] = Counter()
    for act in plan.actions:
        if act.type == "hire" and act.role:
            hires[act.role] += act.count or 0
    line = ", ".join(f"{TYPE_ZH[k]} {k} {n}" for k, n in sorted(counts.items())) or "none"
    parts.append(f"actions: {line}" + ("; people hired: " + ", ".join(f"{u(r)} {n}" for r, n in sorted(hires.items()))
                                       if hires else ""))
    return parts
