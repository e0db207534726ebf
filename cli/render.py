"""Terminal rendering of results with rich (Chinese labels beside the contract's words)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.table import Table

from cli.common import user_text as u
from planner.classify import Classification
from planner.i18n import tr
from planner.plan import PlanResult
from planner.scenario import Office
from planner.standards import TIER_ZH
from planner.targets import scope_zh

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


def plan_summary(plan: PlanResult, role_names: dict[str, str] | None = None) -> list[Any]:
    """Status, objective, attainment against targets, spending against budget, action counts;
    `role_names`: the standard's Chinese role names, for the Chinese text."""
    parts: list[Any] = []
    o = plan.objective
    name = u(plan.scenario.name)
    status = STATUS_ZH.get(plan.status, plan.status)
    parts.append(tr(f"[bold]{name}[/bold] — 状态 [bold]{status}[/bold]，用时 {plan.solver.seconds:.2f} 秒，"
                    f"{plan.solver.workers} 个求解线程",
                    f"[bold]{name}[/bold] — status [bold]{plan.status}[/bold] ({status}), "
                    f"solved in {plan.solver.seconds:.2f} s with {plan.solver.workers} workers"))
    parts.append(tr(f"目标：缺口 {o.shortfall} · 达标所·年 {o.attained_office_years} · 总费用 {o.total_cost:,.4f} 万元",
                    f"objective: shortfall {o.shortfall} · attained office-years (达标所·年) "
                    f"{o.attained_office_years} · total cost (总费用) {o.total_cost:,.4f} 万元"))
    t = Table(title=tr("达标情况", "Attainment against targets"))
    numeric = (3, 4, 6)
    for i, col in enumerate(tr("年份|范围|类别|司法所数|达标数|目标|需达标|结果",
                               "year|scope|tier|offices|attained|target|required|result").split("|")):
        t.add_column(col, justify="right" if i in numeric else "left")
    for a in plan.attainment:
        short = a.required - a.attained
        result = (f"[green]{tr('达标', 'met')}[/green]" if a.met
                  else f"[red]{tr(f'差 {short} 个', f'short by {short}')}[/red]")
        t.add_row(str(a.year), u(tr(scope_zh(a.scope), a.scope)), tr(TIER_ZH.get(a.tier, "全部"), a.tier),
                  str(a.offices), str(a.attained), f"{a.target:.0%}", str(a.required), result)
    parts.append(t)
    s = Table(title=tr("经费（万元）", "Spending against budget (万元)"))
    for i, col in enumerate(tr("年份|范围|预算|支出|结余", "year|scope|budget|spent|left").split("|")):
        s.add_column(col, justify="right" if i >= 2 else "left")
    for sp in plan.spending:
        s.add_row(str(sp.year), u(tr(scope_zh(sp.scope), sp.scope)), f"{sp.budget:,.4f}", f"{sp.spent:,.4f}",
                  f"{sp.budget - sp.spent:,.4f}")
    parts.append(s)
    counts = Counter(a.type for a in plan.actions)
    hires: Counter[str] = Counter()
    for act in plan.actions:
        if act.type == "hire" and act.role:
            hires[act.role] += act.count or 0
    line = tr("，".join(f"{TYPE_ZH[k]} {n}" for k, n in sorted(counts.items())) or "无",
              ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "none")
    zh = role_names or {}
    people = (tr("；招录：" + "，".join(f"{zh.get(r, r)} {n} 人" for r, n in sorted(hires.items())),
                 "; people hired: " + ", ".join(f"{r} {n}" for r, n in sorted(hires.items()))) if hires else "")
    parts.append(u(tr("行动：", "actions: ") + line + people))
    return parts
