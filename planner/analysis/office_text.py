"""Each office's explanation (planner/analysis/office_explain.py) as lines a planner reads, in Chinese
or English: the binding limits, the cheapest path's actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.io.loading import BudgetEntry, LoadedScenario
from planner.io.scenario import to_wan
from planner.io.standards import TIER_ZH
from planner.plan import Action
from planner.reports.tables import Names
from planner.rules.actions import ActionType, spec
from planner.rules.targets import scope_zh

if TYPE_CHECKING:
    from planner.analysis.office_explain import BindingLimit, OfficeExplanation


def limit_text(b: BindingLimit, loaded: LoadedScenario, lang: str) -> str:
    x = b.limit
    if isinstance(x, BudgetEntry):
        amount, others, left, need = (f"{to_wan(v):,.2f} 万元" for v in (x.amount_yuan, b.used_by_others, b.left,
                                                                          b.least_needed))
        if lang == "zh":
            return (f"{scope_zh(x.scope)} {x.year} 年预算 {amount}，其他司法所已用 {others}，余 {left}；"
                    f"本所 {x.year} 年至少需支出 {need}")
        return (f"the {x.year} budget of {x.scope} ({amount}) has {left} left after the other offices' {others}; "
                f"this office needs at least {need} in {x.year}")
    role_zh = loaded.standard.role_zh(x.role)
    if lang == "zh":
        return (f"{scope_zh(x.scope)} {x.year} 年{role_zh}名额 {x.amount} 名，其他司法所已用 {b.used_by_others} 名，"
                f"余 {b.left} 名；本所 {x.year} 年至少需 {b.least_needed} 名")
    return (f"the {x.year} {x.role} quota of {x.scope} ({x.amount}) has {b.left} left after the other offices' "
            f"{b.used_by_others}; this office needs at least {b.least_needed} in {x.year}")


def office_text(e: OfficeExplanation, loaded: LoadedScenario, lang: str = "zh") -> list[str]:
    """The explanation as lines a planner reads."""
    o = e.office
    zh = lang == "zh"
    lines = [f"{o.id} {o.name}（{o.county}）：{TIER_ZH[o.tier]}司法所 — {o.tier_reason_zh}" if zh
             else f"{o.id} {o.name} ({o.county}): {o.tier} — {o.tier_reason}"]
    for y, gs in e.gaps_at_start.items():
        text = ("；".join(g.text_zh for g in gs) or "已达标") if zh else ("; ".join(g.text for g in gs) or "attained")
        lines.append(f"  {y} 年标准对照现状：{text}" if zh else f"  {y} requirements vs the start: {text}")
    for c in e.cheapest:
        if not c.reachable:
            why = ("；".join(z for _, z in c.blockers)) if zh else "; ".join(en for en, _ in c.blockers)
            lines.append(f"  自 {c.from_year} 年起达标：不可能（{why}）" if zh
                         else f"  attain from {c.from_year}: impossible ({why})")
            continue
        per_year = ", ".join(f"{y}: {to_wan(v):,.2f}" for y, v in c.cost_by_year.items())
        total = to_wan(sum(c.cost_by_year.values()))
        acts = "; ".join(action_text(a, loaded, zh) for a in c.actions) or ("无需行动" if zh else "nothing to do")
        lines.append(f"  自 {c.from_year} 年起达标最省：{total:,.2f} 万元（{per_year}）— {acts}" if zh
                     else f"  cheapest to attain from {c.from_year}: {total:,.2f} 万元 ({per_year}) — {acts}")
    if e.attained is not None:
        yes = [str(y) for y, a in e.attained.items() if a]
        lines.append(("  方案中达标年度：" + ("、".join(yes) or "无")) if zh
                     else "  attained in the plan: " + (", ".join(yes) or "never"))
        lines += [f"  {w.text_zh if zh else w.text_en}" for w in e.why_not]
    return lines


def action_text(a: Action, loaded: LoadedScenario, zh: bool) -> str:
    std = loaded.standard
    if a.type == ActionType.HIRE:
        return f"{a.year} 招录{std.role_zh(a.role or '')} {a.count} 人" if zh else f"{a.year} hire {a.role} ×{a.count}"
    if a.type in (ActionType.LEASE, ActionType.BUILD):
        verb = spec(a).zh
        return f"{a.year} {verb} {a.area_m2} m²" if zh else f"{a.year} {a.type} {a.area_m2} m²"
    if a.type == ActionType.HOUSING:
        name = Names(loaded, zh).option(a.office, a.option or "")
        return (f"{a.year} 用房方案 {name}（{a.area_m2} m²）" if zh
                else f"{a.year} housing {a.option} ({a.area_m2} m²)")
    return (f"{a.year} 设立{std.facility_zh(a.facility or '')}" if zh else f"{a.year} set up {a.facility}")
