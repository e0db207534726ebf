"""Terminal rendering of results with rich (Chinese labels beside the contract's words)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from rich.table import Table

from cli.common import user_text as u
from planner.i18n import tr
from planner.io.scenario import Office
from planner.io.standards import TIER_ZH
from planner.plan import Action, PlanResult
from planner.reports.labels import STATUS_ZH
from planner.rules.actions import ActionType, spec
from planner.rules.classify import Classification
from planner.rules.targets import scope_zh
from planner.solver.status import SolveStatus


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


# Per level: the Chinese and English names, and what its bound is (levels 1, 3, 4 are minimised).
LEVEL_WORDS = {"shortfall": ("缺口", "shortfall", "下界", "lower bound"),
                "attained_office_years": ("达标所·年", "attained office-years", "上界", "upper bound"),
                "total_cost": ("总费用", "total cost", "下界", "lower bound"),
                "churn": ("变动", "churn", "下界", "lower bound")}


def proof_line(plan: PlanResult) -> str | None:
    """For a plan not proven optimal: how far each level may be from its optimum (its value and
    the solver's bound), so a planner can say how good the plan is; None when proven."""
    if plan.status == SolveStatus.OPTIMAL:
        return None
    figures = plan.objective.model_dump()
    words = []
    for s in plan.solver.stages:
        zh, en, bound_zh, bound_en = LEVEL_WORDS.get(s.level, (s.level, s.level, "界", "bound"))
        fmt = "{:,.4f} 万元" if s.level == "total_cost" else "{:,.0f}"
        # The plan's own figure where it has one (recounted from its actions, sometimes better than
        # the search's value for a level it did not finish), else the search's.
        value = None if s.value is None else figures.get(s.level, s.value)
        if value is None:
            words.append(tr(f"{zh} 无方案", f"{en}: no plan"))
        elif s.status == SolveStatus.OPTIMAL:
            words.append(tr(f"{zh} {fmt.format(value)}（已证明）", f"{en} {fmt.format(value)} (proven)"))
        elif s.bound is None:
            words.append(tr(f"{zh} {fmt.format(value)}（无{bound_zh}）", f"{en} {fmt.format(value)} (no bound)"))
        else:
            words.append(tr(f"{zh} {fmt.format(value)}（{bound_zh} {fmt.format(s.bound)}）",
                            f"{en} {fmt.format(value)} ({bound_en} {fmt.format(s.bound)})"))
    reached = {s.level for s in plan.solver.stages}
    for level in ("attained_office_years", "total_cost"):
        if level not in reached:
            words.append(tr(f"{LEVEL_WORDS[level][0]} 未优化", f"{LEVEL_WORDS[level][1]} not optimised"))
    return tr("未证明最优：" + " · ".join(words) + "。延长 --time-limit 可缩小差距",
              "not proven optimal: " + " · ".join(words) + ". A longer --time-limit may close the gap")


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
    gap = proof_line(plan)
    if gap:
        parts.append(gap)
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
        if act.type == ActionType.HIRE and act.role:
            hires[act.role] += act.count or 0
    line = tr("，".join(f"{spec(k).zh} {n}" for k, n in sorted(counts.items())) or "无",
              ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "none")
    zh = role_names or {}
    people = (tr("；招录：" + "，".join(f"{zh.get(r, r)} {n} 人" for r, n in sorted(hires.items())),
                 "; people hired: " + ", ".join(f"{r} {n}" for r, n in sorted(hires.items()))) if hires else "")
    parts.append(u(tr("行动：", "actions: ") + line + people))
    return parts


CHANGE_ZH = {"kept": "保留", "moved": "调整年度", "changed": "改变数量", "dropped": "取消", "new": "新增"}


def churn_line(churn: Any, label: str) -> str:
    """`与原方案（out/2022/plan.json）相比：保留 188 项，调整年度 1 项，… 变动数 4` (docs/reference.md §9)."""
    c = churn
    return tr(f"与原方案（{label}）相比：保留 {c.kept} 项，调整年度 {c.moved} 项，改变数量 {c.changed} 项，"
              f"取消 {c.dropped} 项，新增 {c.new} 项；变动数 {c.churn}",
              f"against the earlier plan ({label}): kept {c.kept}, moved {c.moved}, changed {c.changed}, "
              f"dropped {c.dropped}, new {c.new}; churn {c.churn}")


def churn_rows(churn: Any, names: Any) -> list[list[str]]:
    """One row per action not kept: office, name, action, earlier, now, change, causes (plain text)."""
    rows = []
    for i in churn.actions:
        if i.change == "kept":
            continue
        side = i.now or i.earlier
        a = Action(office=i.office, year=side.year, type=i.type, role=i.role, option=i.option, facility=i.facility)
        office = names.offices.get(i.office)
        rows.append([i.office, office.name if office else "", f"{names.action(a)} {names.what(a)}",
                     _side(i.earlier), _side(i.now), tr(CHANGE_ZH[i.change], i.change),
                     "；".join(cause_text(c, names) for c in i.causes) if i.causes else "—"])
    return rows


def churn_table(churn: Any, names: Any, title: str) -> Table:
    t = Table(title=title)
    for col in tr("司法所|名称|行动|原方案|新方案|变动|原因", "office|name|action|earlier|now|change|cause").split("|"):
        t.add_column(col)
    for row in churn_rows(churn, names):
        t.add_row(*(u(x) for x in row))
    return t


def _side(s: Any) -> str:
    if s is None:
        return "—"
    qty = f" ×{s.count}" if s.count is not None else f" {s.area_m2} m²" if s.area_m2 is not None else ""
    return f"{s.year}{qty}"


def cause_text(c: Any, names: Any) -> str:
    """One input change, e.g. `兴化市 2023 年预算 146 → 120 万元` / `budget 兴化市 2023: 146 → 120 万元`."""
    e, n = _value(c.earlier), _value(c.now)
    if c.kind == "budget":
        text = tr(f"{scope_zh(c.scope)} {c.year} 年预算 {e} → {n} 万元", f"budget {c.scope} {c.year}: {e} → {n} 万元")
    elif c.kind == "quota":
        text = tr(f"{scope_zh(c.scope)} {c.year} 年{names.role(c.role)}名额 {e} → {n} 人",
                  f"quota {c.role} {c.scope} {c.year}: {e} → {n}")
    elif c.kind == "target":
        rate = lambda v: "无" if v is None else f"{v:.0%}"  # noqa: E731
        text = tr(f"{c.year} 年{TIER_ZH.get(c.tier, '全部')}司法所达标率目标 {rate(c.earlier)} → {rate(c.now)}",
                  f"target {c.year} {c.tier}: {e} → {n}")
    elif c.kind == "office":
        text = tr(f"司法所 {c.office} 的 {c.field}：{e} → {n}", f"office {c.office} {c.field}: {e} → {n}")
    else:
        text = tr(f"{'费用标准' if c.kind == 'costs' else '设置'} {c.field}：{e} → {n}", f"{c.field}: {e} → {n}")
    return tr("经共用限额：", "via a shared limit: ") + text if c.shared else text


def _value(v: Any) -> str:
    if v is None:
        return tr("无", "none")
    text = f"{v:g}" if isinstance(v, float) else str(v) if not isinstance(v, (dict, list)) else json.dumps(
        v, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"
