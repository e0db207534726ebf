"""Marginal values of the limits: what one more 10% of each budget entry and one
more unit of each quota would buy, and what 10% less (one unit less) would cost, in attained
office-years, target shortfall and total cost; ranked, so a planner sees which limit to argue for first.

Method: each variant changes exactly one entry (budget ×1.1 / ×0.9 in whole yuan, halves up, as
`sweep.scale_budget`; quota +1 / −1 when it is ≥ 1) and everything else stays as in the scenario.
Changing an amount never changes the components (`solver.components.components` links offices by an entry's
scope, not its amount), and the lexicographic optimum is the sum of the components' optima, so only
the components an entry touches are re-solved; each is compared with its own baseline, solved once
with the same parameters. A delta is variant − baseline, summed over the touched components, of
the proven optima of the levels of docs/reference.md §7, so it does not depend on how the solves were spread
over processes. Solves run in a forkserver process pool, cores split between processes and CP-SAT
workers as in `sweep.plan_processes`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from planner.analysis.sweep import plan_processes, scale_budget
from planner.io.loading import BudgetEntry, QuotaEntry
from planner.io.scenario import to_wan
from planner.rules.requirements import Limit, Requirements, limit_amount, with_limit
from planner.rules.scopes import ALL
from planner.rules.targets import scope_zh
from planner.solver.components import components, split_requirements
from planner.solver.params import SolveParams
from planner.solver.pool import run_each
from planner.solver.solve import solve
from planner.solver.status import SolveStatus

UP, DOWN = Decimal("1.1"), Decimal("0.9")
# Statuses without a plan: no level values to compare.
NO_PLAN = (SolveStatus.INFEASIBLE, SolveStatus.NO_PLAN)
MINUS = "\u2212"  # a real minus sign in the sentences
DEFAULT_PARAMS = SolveParams(time_limit=60.0)


class MarginalError(Exception):
    """Marginal values cannot be computed (e.g. the scenario as given has no plan)."""


@dataclass(frozen=True)
class Levels:
    """One solve's outcome, reduced to what is compared (plain data: it crosses processes)."""

    status: str
    shortfall: int | None  # 0 with hard targets (level 1 is then a constraint)
    attained: int | None  # weighted attained office-years
    cost: int | None  # yuan


@dataclass(frozen=True)
class MarginalValue:
    limit: Limit
    change: str  # "+10%", "-10%", "+1", "-1"
    before: float | int  # 万元 for a budget, people for a quota
    after: float | int
    status: str  # the variant's: the worst of its components'
    delta_shortfall: int | None  # variant − baseline; None when the variant has no plan
    delta_attained_office_years: int | None
    delta_total_cost: float | None  # 万元
    text_zh: str
    text_en: str

    @property
    def planned(self) -> bool:
        return self.delta_attained_office_years is not None

    def to_dict(self) -> dict[str, Any]:
        lim = self.limit
        return {"kind": "budget" if isinstance(lim, BudgetEntry) else "quota", "scope": lim.scope,
                "year": lim.year, "role": lim.role if isinstance(lim, QuotaEntry) else None,
                "change": self.change, "before": self.before, "after": self.after, "status": self.status,
                "delta_shortfall": self.delta_shortfall,
                "delta_attained_office_years": self.delta_attained_office_years,
                "delta_total_cost": self.delta_total_cost, "text_zh": self.text_zh, "text_en": self.text_en}


@dataclass(frozen=True)
class MarginalReport:
    gains: tuple[MarginalValue, ...]  # the "+" variants, best first
    losses: tuple[MarginalValue, ...]  # the "−" variants, worst first
    baseline: Levels  # the whole scenario, summed over its components
    soft_targets: bool
    processes: int = field(default=1, compare=False)
    workers: int = field(default=1, compare=False)  # CP-SAT workers per solve

    def to_dict(self) -> dict[str, Any]:
        b = self.baseline
        return {"baseline": {"status": b.status, "shortfall": b.shortfall, "attained_office_years": b.attained,
                             "total_cost": None if b.cost is None else to_wan(b.cost)},
                "soft_targets": self.soft_targets,
                "gains": [v.to_dict() for v in self.gains], "losses": [v.to_dict() for v in self.losses]}


# ---------------------------------------------------------------- variants


@dataclass(frozen=True)
class _Variant:
    limit: Limit
    change: str
    amount: int  # the new amount: yuan for a budget, people for a quota


def variants(req: Requirements) -> list[_Variant]:
    """Every one-entry change, budgets first, in the scenario's order."""
    out: list[_Variant] = []
    for b in req.budgets:
        out.append(_Variant(b, "+10%", scale_budget(b, UP).amount_yuan))
        out.append(_Variant(b, "-10%", scale_budget(b, DOWN).amount_yuan))
    for q in req.quotas:
        out.append(_Variant(q, "+1", q.amount + 1))
        if q.amount >= 1:
            out.append(_Variant(q, "-1", q.amount - 1))
    return out


def touched(sub: Requirements, limit: Limit) -> bool:
    """Does this component hold the entry? (`split_requirements` gave it the entries in scope.)"""
    return limit in (sub.budgets if isinstance(limit, BudgetEntry) else sub.quotas)


# ---------------------------------------------------------------- solving


def solve_levels(sub: Requirements, params: SolveParams) -> Levels:
    """Solve one component; picklable both ways, so it runs in a worker process as well."""
    outcome = solve(sub, params)
    if outcome.status in NO_PLAN:
        return Levels(outcome.status, None, None, None)
    value = {s.name: s.value for s in outcome.stages}
    return Levels(outcome.status, value.get("shortfall", 0), value.get("attained_office_years"),
                  value.get("total_cost"))


def marginal_values(req: Requirements, params: SolveParams = DEFAULT_PARAMS,
                    processes: int | None = None) -> MarginalReport:
    """Re-solve every one-entry variant of `req` (only the components it touches) and rank them.

    `processes`: solves at once (None: one per core, up to the number of solves). The cores are
    split between them for CP-SAT workers (`params.workers` is not used). Raises `MarginalError`
    when the scenario as given has no plan (infeasible hard targets): explain that instead.
    """
    parts = components(req)
    subs = split_requirements(req, parts)
    todo = variants(req)
    # Jobs: each component's baseline, then each (variant, touched component) whose amount changed.
    jobs: list[Requirements] = list(subs)
    job_of: dict[tuple[int, int], int] = {}  # (variant, component) → job; baseline when unchanged
    for v_idx, v in enumerate(todo):
        for k, sub in enumerate(subs):
            if touched(sub, v.limit):
                if v.amount == limit_amount(v.limit):
                    job_of[v_idx, k] = k  # e.g. 10% of 0: the baseline itself
                else:
                    job_of[v_idx, k] = len(jobs)
                    jobs.append(with_limit(sub, v.limit, v.amount))
    cpus = os.cpu_count() or 1
    if processes is None:
        processes, workers = plan_processes(len(jobs), None, cpus)
    else:
        processes = max(1, min(processes, len(jobs)))
        workers = max(1, cpus // processes)
    run_params = replace(params, workers=workers, parallel_components=False, progress=None, control=None)

    def check(i: int, levels: Levels) -> None:
        if i < len(subs) and levels.status in NO_PLAN:
            what = ("cannot meet every hard target" if levels.status == SolveStatus.INFEASIBLE
                    else "found no plan within the time limit")
            raise MarginalError(f"the scenario as given {what} (component {i + 1} of {len(subs)}); "
                                "marginal values compare against its plan, so there is none to compare")

    done = run_each(solve_levels, [(sub, run_params) for sub in jobs], processes, check)
    base = done[:len(subs)]
    values = []
    for v_idx, v in enumerate(todo):
        pairs = [(base[k], done[j]) for (vi, k), j in job_of.items() if vi == v_idx]
        values.append(_value(v, pairs, req.soft_targets))
    gains = tuple(_rank_gains([x for x in values if x.change.startswith("+")]))
    losses = tuple(_rank_losses([x for x in values if x.change.startswith("-")]))
    return MarginalReport(gains, losses, _total(base), req.soft_targets, processes, workers)


def _total(levels: Sequence[Levels]) -> Levels:
    status = SolveStatus.OPTIMAL if all(x.status == SolveStatus.OPTIMAL for x in levels) else SolveStatus.FEASIBLE
    return Levels(status, sum(x.shortfall or 0 for x in levels), sum(x.attained or 0 for x in levels),
                  sum(x.cost or 0 for x in levels))


def _value(v: _Variant, pairs: list[tuple[Levels, Levels]], soft: bool) -> MarginalValue:
    """Deltas summed over the touched components; no plan in any of them: no deltas."""
    money = isinstance(v.limit, BudgetEntry)
    before = to_wan(limit_amount(v.limit)) if money else limit_amount(v.limit)
    after = to_wan(v.amount) if money else v.amount
    statuses = [after_.status for _, after_ in pairs]
    status = next((s for s in (SolveStatus.INFEASIBLE, SolveStatus.NO_PLAN, SolveStatus.FEASIBLE)
                   if s in statuses), SolveStatus.OPTIMAL)
    if status in NO_PLAN:
        ds = da = None
        dc = None
    else:
        ds = sum((a.shortfall or 0) - (b.shortfall or 0) for b, a in pairs)
        da = sum((a.attained or 0) - (b.attained or 0) for b, a in pairs)
        dc = to_wan(sum((a.cost or 0) - (b.cost or 0) for b, a in pairs))
    # A delta is proven only when both of its ends are.
    proven = all(x.status == SolveStatus.OPTIMAL for pair in pairs for x in pair)
    zh, en = describe(v.limit, v.change, before, after, status, ds, da, dc, soft, proven)
    return MarginalValue(v.limit, v.change, before, after, status, ds, da, dc, zh, en)


# ---------------------------------------------------------------- ranking


def _rank_gains(values: list[MarginalValue]) -> list[MarginalValue]:
    """Best first: most shortfall removed, then most office-years added, then the least cost.
    Variants without a plan (time limit) last; ties keep the scenario's order."""
    def key(x: MarginalValue) -> tuple[int, int, int, float]:
        if not x.planned:
            return (1, 0, 0, 0.0)
        return (0, x.delta_shortfall or 0, -(x.delta_attained_office_years or 0), x.delta_total_cost or 0.0)
    return sorted(values, key=key)


def _rank_losses(values: list[MarginalValue]) -> list[MarginalValue]:
    """Worst first: targets no longer met (infeasible), then most shortfall added, most
    office-years lost, most cost added; an undecided variant (no plan in time) last."""
    def key(x: MarginalValue) -> tuple[int, int, int, float]:
        if x.status == SolveStatus.INFEASIBLE:
            return (0, 0, 0, 0.0)
        if not x.planned:
            return (2, 0, 0, 0.0)
        return (1, -(x.delta_shortfall or 0), x.delta_attained_office_years or 0, -(x.delta_total_cost or 0.0))
    return sorted(values, key=key)


# ---------------------------------------------------------------- sentences


def _role_zh(role: str) -> str:
    return "政法专编名额" if role == "posts" else f"{role} 名额"


def _signed(n: float, fmt: str = "d") -> str:
    if n == 0:
        return format(0, fmt)
    return ("+" if n > 0 else MINUS) + format(abs(n), fmt)


def describe(limit: Limit, change: str, before: float, after: float, status: str,
             ds: int | None, da: int | None, dc: float | None, soft: bool,
             proven: bool = True) -> tuple[str, str]:
    """One sentence each in Chinese and English, with the figures."""
    up = change.startswith("+")
    if isinstance(limit, BudgetEntry):
        what_zh = f"{scope_zh(limit.scope)} {limit.year} 年预算{'增加' if up else '减少'} 10%" \
                  f"（{before:.2f} → {after:.2f} 万元）"
        scope_en = "the scenario-wide" if limit.scope == ALL else f"{limit.scope}'s"
        what_en = f"{scope_en} {limit.year} budget {'+' if up else MINUS}10% ({before:.2f} → {after:.2f} 万元)"
    else:
        what_zh = f"{scope_zh(limit.scope)} {limit.year} 年{_role_zh(limit.role)}{'增加' if up else '减少'} 1 名" \
                  f"（{before} → {after} 名）"
        scope_en = "the scenario-wide" if limit.scope == ALL else f"{limit.scope}'s"
        what_en = f"{scope_en} {limit.year} {limit.role} quota {'+' if up else MINUS}1 ({before} → {after})"
    what_en = what_en[0].upper() + what_en[1:]
    if status == SolveStatus.INFEASIBLE:
        return f"{what_zh}：目标将无法全部实现。", f"{what_en}: the targets could no longer all be met."
    if status == SolveStatus.NO_PLAN or da is None or dc is None:
        return f"{what_zh}：时限内未找到方案。", f"{what_en}: no plan was found within the time limit."
    zh = [f"达标所·年 {_signed(da)}"]
    en = [f"attained office-years {_signed(da)}"]
    if soft and ds is not None:
        zh.append(f"目标缺口 {_signed(ds)}")
        en.append(f"target shortfall {_signed(ds)}")
    zh.append(f"总费用 {_signed(dc, '.2f')} 万元")
    en.append(f"total cost {_signed(dc, '.2f')} 万元")
    note_zh = "" if proven else "（未证明最优）"
    note_en = "" if proven else " (not proven optimal)"
    return f"{what_zh}：{'，'.join(zh)}{note_zh}。", f"{what_en}: {', '.join(en)}{note_en}."
