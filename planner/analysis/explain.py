"""Why a scenario's hard targets cannot be met: the target cells and limits in
conflict, each limit's restoring figure, in plain Chinese and English. `explain_plan` adds the
rest of the explanations of a plan: each office's path (`office_explain`) and the marginal values
of budgets and quotas (`marginal`).

Method: the conflicting target cells come from `solver.conflict.find_conflict` (CP-SAT assumptions, then a
deletion filter). Only the component holding them matters (limits elsewhere cannot interact).
Limits (budget and quota entries) are shrunk to a minimal set by a deletion filter: a limit is
dropped (made unlimited) when the rest still cannot be met. For each limit of that set alone, a
binary search over its amount (whole 0.01 万元 for money, whole people for quotas), all else as in
the scenario, gives the smallest figure that makes the scenario feasible; it is checked both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from planner.io.loading import BudgetEntry, LoadedScenario, QuotaEntry
from planner.io.scenario import to_wan
from planner.io.standards import TIER_ZH
from planner.plan import PlanResult
from planner.rules.requirements import UNLIMITED, Requirements, limit_amount, with_limit
from planner.rules.targets import TargetCell, scope_zh
from planner.solver.components import components, split_requirements
from planner.solver.conflict import find_conflict
from planner.solver.model import build_model
from planner.solver.params import SolveParams
from planner.solver.status import SolveStatus, check_solver, map_status

STEP_YUAN = 100  # 0.01 万元


@dataclass(frozen=True)
class Restore:
    limit: BudgetEntry | QuotaEntry
    figure: float | int  # 万元 for a budget, people for a quota; None when no figure restores alone
    current: float | int


@dataclass(frozen=True)
class Infeasibility:
    targets: tuple[TargetCell, ...]
    limits: tuple[BudgetEntry | QuotaEntry, ...]
    restores: tuple[Restore, ...]
    text_zh: str
    text_en: str


def feasible(req: Requirements, time_limit: float = 30.0) -> bool:
    """Can every hard target be met? (Any plan will do: no objective.)"""
    built = build_model(req)
    built.require_targets()
    status = map_status(check_solver(time_limit).Solve(built.model), built.model)
    if status == SolveStatus.UNKNOWN:
        raise TimeoutError("feasibility check did not finish")
    return status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def explain_infeasible(req: Requirements, params: SolveParams = SolveParams(),
                       role_zh: Callable[[str], str] = str) -> Infeasibility | None:
    """None when the hard targets can all be met. `role_zh` names roles in the Chinese text."""
    parts = components(req)
    subs = split_requirements(req, parts)
    broken = next((s for s in subs if not feasible(s)), None)
    if broken is None:
        return None
    cells = find_conflict(broken, params)
    limits = _minimal_limits(broken)
    restores = tuple(_restore(broken, limit) for limit in limits)
    most = {c: most_attainable(broken, c) for c in cells}
    zh, en = _describe(broken, cells, limits, restores, most, role_zh)
    return Infeasibility(tuple(cells), tuple(limits), restores, zh, en)


def most_attainable(req: Requirements, cell: TargetCell, time_limit: float = 30.0) -> int:
    """How many of the cell's offices can attain in its year within the budgets and quotas,
    every other target set aside."""
    built = build_model(replace(req, targets=()))
    by_id = {v.office.id: v for v in built.vars}
    t = req.years.index(cell.year)
    built.model.maximize(sum(by_id[i].att[t] for i in cell.office_ids))
    solver = check_solver(time_limit)
    if map_status(solver.Solve(built.model), built.model) != SolveStatus.OPTIMAL:
        raise TimeoutError("could not prove how many offices can attain")
    return int(round(solver.ObjectiveValue()))


def _minimal_limits(req: Requirements) -> list[BudgetEntry | QuotaEntry]:
    """Deletion filter: keep a limit only if lifting it (with the kept ones lifted too) helps."""
    kept: list[BudgetEntry | QuotaEntry] = [*req.budgets, *req.quotas]
    current = req
    for limit in list(kept):
        lifted = with_limit(current, limit, UNLIMITED)
        if not feasible(lifted):
            current = lifted  # still infeasible without it: not part of a minimal conflict
            kept.remove(limit)
    return kept


def _restore(req: Requirements, limit: BudgetEntry | QuotaEntry) -> Restore:
    money = isinstance(limit, BudgetEntry)
    step = STEP_YUAN if money else 1
    current = limit_amount(limit)
    lo = current // step  # infeasible at the current figure (in steps)
    hi = max(lo + 1, 1)
    while not feasible(with_limit(req, limit, hi * step)):
        lo, hi = hi, hi * 2
        if hi * step > UNLIMITED // 2:
            return Restore(limit, None, to_wan(current) if money else current)  # type: ignore[arg-type]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible(with_limit(req, limit, mid * step)):
            hi = mid
        else:
            lo = mid
    figure = hi * step
    return Restore(limit, round(figure / 10_000, 2) if money else figure, to_wan(current) if money else current)


def _describe(req: Requirements, cells: tuple[TargetCell, ...] | list[TargetCell],
              limits: list[BudgetEntry | QuotaEntry], restores: tuple[Restore, ...],
              most: dict[TargetCell, int], role_zh: Callable[[str], str]) -> tuple[str, str]:
    # lazy: start-up (office_explain and marginal, below: 16–22 ms more for every command; cli/main imports this)
    from planner.analysis.office_explain import route_blockers

    head_zh, head_en = conflict_heading(len(cells))
    needs = [target_need(c) for c in cells]
    alone = [_alone(c, most[c], len(cells) > 1) for c in cells]
    zh = [head_zh + "：" + "；".join(f"{n[0]}，{a[0]}" for n, a in zip(needs, alone, strict=True))]
    en = [head_en + ": " + "; ".join(f"{n[1]}, {a[1]}" for n, a in zip(needs, alone, strict=True))]
    index = req.office_index()
    for c in cells:
        t = req.years.index(c.year)
        for oid in c.office_ids:  # what no money can fix, office by office
            o = req.offices[index[oid]]
            blockers = route_blockers(req, o, t)
            if blockers:
                zh.append(f"{o.id} {o.name}无论投入多少都无法达标：" + "，".join(b for _, b in blockers))
                en.append(f"{o.id} {o.name} cannot attain whatever the money: " + ", ".join(b for b, _ in blockers))
    for r in restores:
        lim = r.limit
        if isinstance(lim, BudgetEntry):
            what_zh, what_en = f"{scope_zh(lim.scope)} {lim.year} 年预算 {r.current:.2f} 万元", \
                f"the {lim.year} budget of {lim.scope}, {r.current:.2f} 万元"
            fix_zh = f"增至 {r.figure:.2f} 万元即可使全部硬性目标可行" if r.figure is not None else "单独调整无法满足"
            fix_en = f"raising it to {r.figure:.2f} 万元 makes every hard target feasible" if r.figure is not None \
                else "no figure for it alone restores feasibility"
        else:
            what_zh, what_en = f"{scope_zh(lim.scope)} {lim.year} 年{role_zh(lim.role)}名额 {r.current} 名", \
                f"the {lim.year} {lim.role} quota of {lim.scope}, {r.current}"
            fix_zh = f"增至 {r.figure} 名即可使全部硬性目标可行" if r.figure is not None else "单独调整无法满足"
            fix_en = f"raising it to {r.figure} makes every hard target feasible" if r.figure is not None \
                else "no figure for it alone restores feasibility"
        zh.append(f"受限于{what_zh}：{fix_zh}")
        en.append(f"limited by {what_en}: {fix_en}")
    if not limits:
        zh.append("与预算、名额无关：有司法所的条件（如考核分）无法通过投入满足，或缺少可招聘岗位、用房途径")
        en.append("no budget or quota is involved: some office fails a condition money cannot fix, or lacks a "
                  "hireable role or a housing route")
    # The conflict is one sentence; blockers and limits follow in another.
    return (zh[0] + "。" + ("；".join(zh[1:]) + "。" if zh[1:] else ""),
            en[0] + "." + (" " + "; ".join(en[1:]).capitalize()[:1] + "; ".join(en[1:])[1:] + "." if en[1:] else ""))


def conflict_heading(n: int) -> tuple[str, str]:
    """What a minimal conflict of `n` targets means, in Chinese and English: for n > 1 each target
    alone can be met, only not all together (find_conflict keeps no target that can be dropped)."""
    if n == 1:
        return "这个硬性目标在现有预算与名额下无法实现", "This hard target cannot be met within the budgets and quotas"
    return (f"以下 {n} 个硬性目标不能同时实现（预算与名额不够同时满足它们；去掉其中任何一个，其余的都能实现）",
            f"These {n} hard targets cannot all be met together (the budgets and quotas do not stretch to "
            "all of them; drop any one and the others can be met)")


def target_need(c: TargetCell) -> tuple[str, str]:
    """What one target asks for, e.g. 2023 年全市中型司法所需 4 个达标（共 6 个，目标 60%）."""
    return (f"{c.year} 年{scope_zh(c.scope)}{TIER_ZH.get(c.tier, '全部')}司法所需 {c.required} 个达标"
            f"（共 {len(c.office_ids)} 个，目标 {c.rate:.0%}）",
            f"the {c.year} target for {'all' if c.tier == 'all' else c.tier} offices of "
            f"{'the city' if c.scope == 'all' else c.scope} needs {c.required} of {len(c.office_ids)} "
            f"to attain ({c.rate:.0%})")


def _alone(c: TargetCell, most: int, joint: bool) -> tuple[str, str]:
    """How far the target gets with the budgets and quotas to itself (every other target set aside)."""
    if most >= c.required:
        return (f"单独满足它可行（至多 {most} 个可达标），但会占用其他目标所需的预算或名额",
                f"which alone is possible (up to {most} can attain) but takes budget or posts the others need")
    other = ("，即使不顾其他目标" if joint else "", " even with every other target set aside" if joint else "")
    return (f"现有预算与名额下{other[0]}至多 {most} 个可达标，差 {c.required - most} 个",
            f"but within the budgets and quotas{other[1]} at most {most} can, {c.required - most} short")


# ---------------------------------------------------------------- a plan's explanations (parts 2–3)


def explain_plan(loaded: LoadedScenario, req: Requirements, plan: PlanResult | None,
                 params: SolveParams = SolveParams(), office_ids: list[str] | None = None,
                 marginal: bool = True, processes: int | None = None,
                 progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """The `explanations` section of plan.json: each office's path and, for a whole plan, the
    marginal values of every budget and quota entry (plain data, as written to plan.json).
    `progress` is told what is being done, e.g. "offices 12/88"."""
    # lazy: start-up (see _describe)
    from planner.analysis.marginal import marginal_values
    from planner.analysis.office_explain import explain_offices

    tell = progress or (lambda _: None)
    explained = explain_offices(loaded, req, plan, office_ids, lambda n, total: tell(f"offices {n}/{total}"))
    section: dict[str, Any] = {"offices": [e.to_dict() for e in explained]}
    if marginal and plan is not None:
        tell(f"marginal values: re-solving {2 * len(req.budgets) + 2 * len(req.quotas)} variants")
        section["marginal"] = marginal_values(req, params, processes).to_dict()
    return section
