"""Each office's path: tier and reason, requirements per year, the gaps at the
start, the cheapest way to attain from each horizon year on, and, where the plan leaves it
unattained, what binds.

Method, office by office, on models of that office alone (`build_model` on a one-office
`Requirements`, so the rules are the planner's own):
* cheapest way from year Y: no budget or quota, attained in Y and every later horizon year,
  minimum total cost; the actions are priced and re-checked with the plain-Python rule.
* what binds in a year the plan does not attain: every other office keeps its planned actions,
  so each budget/quota entry over the office leaves a residual (amount − what the others use).
  The office must attain that year and every year the plan already gives it. A condition money
  cannot fix, or no route even without limits (a role nobody prices, no housing in time, a room
  nobody prices), is said as such; otherwise a deletion filter shrinks the residual limits to a
  minimal set that blocks it, and for each the least this office would need of it is found by
  minimising its use with every other limit lifted.
A plan proven optimal with weight ≥ 1 always ends in one of those: were the residual limits
enough, attaining that year would raise attained office-years without touching the shortfall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from planner.analysis.office_text import limit_text, office_text
from planner.io.loading import BudgetEntry, LoadedScenario, QuotaEntry
from planner.io.scenario import Office, to_wan
from planner.io.standards import TIER_ZH
from planner.plan import Action, PlanResult
from planner.rules.actions import ActionType, price
from planner.rules.attainment import Gap, gaps, initial_state
from planner.rules.evaluate import compute_figures, cost_in_year, office_gaps
from planner.rules.requirements import UNLIMITED, Limit, OfficeReq, Requirements, limit_amount, with_amount
from planner.rules.scopes import scopes_of
from planner.solver.model import build_model
from planner.solver.model.build import BuiltModel
from planner.solver.model.constraints import office_cost
from planner.solver.result import prune_free_surplus, solution_actions
from planner.solver.status import SolveStatus, check_solver, map_status

SOLVE_SECONDS = 10.0  # one office alone: milliseconds in practice


class ExplainDisagreement(RuntimeError):
    """A path the model found fails the plain-Python attainment rule: a bug in one of them."""


@dataclass(frozen=True)
class CheapestPath:
    """The cheapest way to attain from `from_year` to the horizon end, with no limits."""

    from_year: int
    actions: tuple[Action, ...] = ()
    cost_by_year: dict[int, int] = field(default_factory=dict)  # yuan
    blockers: tuple[tuple[str, str], ...] = ()  # (en, zh) when no plan can attain

    @property
    def reachable(self) -> bool:
        return not self.blockers

    def to_dict(self) -> dict[str, Any]:
        if not self.reachable:
            return {"from_year": self.from_year, "reachable": False,
                    "why_en": [en for en, _ in self.blockers], "why_zh": [zh for _, zh in self.blockers]}
        return {"from_year": self.from_year, "reachable": True,
                "total_cost": to_wan(sum(self.cost_by_year.values())),
                "cost_by_year": {str(y): to_wan(c) for y, c in self.cost_by_year.items()},
                "actions": [a.model_dump(exclude_none=True, exclude={"office"}) for a in self.actions]}


@dataclass(frozen=True)
class BindingLimit:
    limit: Limit
    used_by_others: int  # yuan or people
    left: int  # what the others leave of it
    least_needed: int  # the least this office needs of it, everything else lifted

    def to_dict(self) -> dict[str, Any]:
        money = isinstance(self.limit, BudgetEntry)
        conv = to_wan if money else (lambda x: x)
        return {"kind": "budget" if money else "quota", "scope": self.limit.scope, "year": self.limit.year,
                "role": None if money else self.limit.role,  # type: ignore[union-attr]
                "amount": conv(self.limit.amount_yuan if money else self.limit.amount),  # type: ignore[union-attr]
                "used_by_others": conv(self.used_by_others), "left": conv(self.left),
                "least_needed": conv(self.least_needed)}


@dataclass(frozen=True)
class WhyNot:
    """Why the plan leaves the office unattained in `year`."""

    year: int
    kind: str  # budget_or_quota | condition | no_route | weight_zero | not_proven
    limits: tuple[BindingLimit, ...]
    text_en: str
    text_zh: str

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "kind": self.kind, "limits": [b.to_dict() for b in self.limits],
                "text_en": self.text_en, "text_zh": self.text_zh}


@dataclass(frozen=True)
class OfficeExplanation:
    office: OfficeReq
    requirements: tuple[dict[str, Any], ...]  # per horizon year
    gaps_at_start: dict[int, tuple[Gap, ...]]
    cheapest: tuple[CheapestPath, ...]  # one per horizon year
    attained: dict[int, bool] | None  # in the plan; None when there is none
    why_not: tuple[WhyNot, ...]
    text_zh: tuple[str, ...] = ()  # the whole explanation as lines a planner reads
    text_en: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        o = self.office
        return {
            "id": o.id, "name": o.name, "county": o.county, "tier": o.tier,
            "tier_reason": o.tier_reason, "tier_reason_zh": o.tier_reason_zh,
            "requirements": list(self.requirements),
            "gaps_at_start": [{"year": y, "gaps": [{"en": g.text, "zh": g.text_zh} for g in gs]}
                              for y, gs in self.gaps_at_start.items()],
            "cheapest": [c.to_dict() for c in self.cheapest],
            "attained": None if self.attained is None else {str(y): a for y, a in self.attained.items()},
            "not_attained": [w.to_dict() for w in self.why_not],
            "text_zh": list(self.text_zh), "text_en": list(self.text_en),
        }


# ---------------------------------------------------------------- entry point


def explain_offices(loaded: LoadedScenario, req: Requirements, plan: PlanResult | None,
                    office_ids: list[str] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> list[OfficeExplanation]:
    """Explanations of the given offices (default: all), against `plan` when there is one.

    `plan` must be a plan of this scenario that passed `verify` (its actions are trusted)."""
    index = req.office_index()
    offices = {o.id: o for o in loaded.offices}
    ids = office_ids if office_ids is not None else [o.id for o in req.offices]
    context = _PlanContext.of(loaded, req, plan) if plan is not None else None
    out = []
    for n, oid in enumerate(ids):
        if progress is not None:
            progress(n, len(ids))
        o = req.offices[index[oid]]
        e = OfficeExplanation(
            office=o, requirements=tuple(_requirements(req, o)),
            gaps_at_start={y: tuple(gaps(loaded.standard, o.tier, offices[oid], y, initial_state(offices[oid])))
                           for y in req.years},
            cheapest=tuple(cheapest_path(loaded, req, o, offices[oid], t) for t in range(len(req.years))),
            attained=None if context is None else dict(context.attained[oid]),
            why_not=() if context is None else tuple(
                _why_not(loaded, req, o, t, context) for t, y in enumerate(req.years)
                if not context.attained[oid][y]))
        out.append(replace(e, text_zh=tuple(office_text(e, loaded, "zh")), text_en=tuple(office_text(e, loaded, "en"))))
    return out


def _requirements(req: Requirements, o: OfficeReq) -> list[dict[str, Any]]:
    return [{"year": y, "staff": {r: n for r, n in zip(req.roles, need.staff) if n},
             "total_staff": need.total_staff, "floor_area_m2": need.floor_area_m2,
             "rooms": [[list(alt) for alt in item] for item in o.rooms],
             "conditions_met": o.conditions_ok}
            for y, need in zip(req.years, o.needs)]


# ---------------------------------------------------------------- one office alone


def _alone(req: Requirements, o: OfficeReq, limits: tuple[Limit, ...] = ()) -> Requirements:
    return replace(req, offices=(o,), budgets=tuple(x for x in limits if isinstance(x, BudgetEntry)),
                   quotas=tuple(x for x in limits if isinstance(x, QuotaEntry)), targets=(), soft_targets=True)


def _early_weighted(built: BuiltModel, sub: Requirements) -> Any:
    """Money weighted by how early it falls, then (outweighed by any yuan) people by how early
    they are hired: free posts too are filled no earlier than needed."""
    T, v = len(sub.years), built.vars[0]
    hires = sum((T - t) * x for xs in v.hires.values() for t, x in enumerate(xs))
    domains = built.model.Proto().variables
    people = 1 + T * sum(domains[x.Index()].domain[-1] for xs in v.hires.values() for x in xs)
    return people * sum((T - t) * office_cost(v, sub, t) for t in range(T)) + hires


def _solve(sub: Requirements, must: set[int], minimise: Any = None,
           at_most: int | None = None) -> tuple[BuiltModel, cp_model.CpSolver] | None:
    """The one-office model attaining every year index in `must` (total cost ≤ `at_most`);
    None when it cannot."""
    built = build_model(sub)
    if at_most is not None:
        built.model.add(built.total_cost <= at_most)
    v = built.vars[0]
    for t in must:
        if isinstance(v.att[t], int):
            return None  # a failed condition: never attained
        built.model.add(v.att[t] == 1)
    if minimise is not None:
        built.model.minimize(minimise(built))
    solver = check_solver(SOLVE_SECONDS)
    status = map_status(solver.Solve(built.model), built.model)
    if status == SolveStatus.INFEASIBLE:
        return None
    if status == SolveStatus.UNKNOWN or (minimise is not None and status != SolveStatus.OPTIMAL):
        raise TimeoutError(f"office {sub.offices[0].id}: no proven answer in {SOLVE_SECONDS:g} s")
    return built, solver


def cheapest_path(loaded: LoadedScenario, req: Requirements, o: OfficeReq, office: Office,
                  t: int) -> CheapestPath:
    """The least total cost over the horizon to attain in year index t and every later year."""
    year = req.years[t]
    must = set(range(t, len(req.years)))
    sub = _alone(req, o)
    found = _solve(sub, must, minimise=lambda b: b.total_cost)
    if found is None:
        return CheapestPath(year, blockers=tuple(no_route(req, o, t)))
    least = int(round(found[1].ObjectiveValue()))
    # Among the cheapest, the one spending latest (a room paid in 2022 or 2023 costs the same;
    # paying late keeps the early budget free), so the path is one definite answer.
    found = _solve(sub, must, minimise=lambda b: _early_weighted(b, sub), at_most=least)
    assert found is not None
    built, solver = found
    actions = prune_free_surplus(loaded, {o.id: o.tier}, solution_actions(sub, built.extract(solver)))
    pairs = [(a, price(loaded, office, a)) for a in actions]
    missed = [y for y, g in office_gaps(loaded, o.tier, office, pairs).items() if y >= year and g]
    if missed:
        raise ExplainDisagreement(f"office {o.id}: the cheapest path from {year} fails the rule in {missed}")
    costs = {y: sum(cost_in_year(p, a.year, y) for a, p in pairs) for y in req.years}
    priced = tuple(a.model_copy(update={"one_time": to_wan(p.one_time), "annual": to_wan(p.annual)})
                   for a, p in pairs)
    return CheapestPath(year, priced, costs)


def no_route(req: Requirements, o: OfficeReq, t: int) -> list[tuple[str, str]]:
    """Why no plan, whatever its money, can make the office attain in year index t: (en, zh).
    Called when the model found no way."""
    return route_blockers(req, o, t) or [("no plan attains it (see the requirements)", "任何方案均无法使其达标")]


def route_blockers(req: Requirements, o: OfficeReq, t: int) -> list[tuple[str, str]]:
    """What no money can buy for year index t: failed conditions, unpriced roles and rooms, no
    housing in time ([] when none of these stands in the way)."""
    out = [(f"condition {c} is not met, and money cannot fix it", f"条件 {c} 未达到，资金投入无法解决")
           for c in o.failed_conditions]
    need = o.needs[t]
    for r, role in enumerate(req.roles):
        if need.staff[r] > o.staff0[r] and req.hire_price[r] is None:
            out.append((f"{role} cannot be hired (no price in costs.roles)", f"{role} 无法招录（costs.roles 未定价）"))
    if need.total_staff > sum(o.staff0) and all(p is None for p in req.hire_price):
        out.append(("no role can be hired to reach the total staff", "无可招录岗位，总人数无法达到"))
    area_gap = need.floor_area_m2 - o.area0
    if area_gap > 0 and req.lease_per_m2 is None and (req.build_per_m2 is None or t < req.build_lead_years):
        usable = sum(h.area_m2 for h in o.housing_options if h.counts_by(req.years, t))
        if usable < area_gap:
            out.append((f"no housing route: {area_gap} m² more needed by {req.years[t]}, and no lease, no build "
                        f"in time and housing options of only {usable} m² that count by then",
                        f"无用房途径：{req.years[t]} 年前需增加 {area_gap} m²，无租赁、无法及时新建，"
                        f"届时可用的备选用房仅 {usable} m²"))
    for item in o.rooms:
        if any(set(alt) <= o.facilities0 for alt in item):
            continue
        if not any(all(f in o.facilities0 or f in req.facility_price for f in alt) for alt in item):
            names = " | ".join("+".join(alt) for alt in item)
            out.append((f"room {names} cannot be set up (no price in costs.facilities)",
                        f"功能室 {names} 无法设立（costs.facilities 未定价）"))
    return out


# ---------------------------------------------------------------- what binds in the plan


@dataclass(frozen=True)
class _PlanContext:
    attained: dict[str, dict[int, bool]]
    spent: dict[tuple[str, int], int]  # per budget entry (scope, year), all offices
    hired: dict[tuple[str, str, int], int]  # per quota entry (role, scope, year), all offices
    own_cost: dict[tuple[str, int], int]  # (office, year) → yuan
    own_hires: dict[tuple[str, str, int], int]  # (office, role, year) → people
    proven: bool

    @classmethod
    def of(cls, loaded: LoadedScenario, req: Requirements, plan: PlanResult) -> _PlanContext:
        tiers = {o.id: o.tier for o in req.offices}
        f = compute_figures(loaded, tiers, plan.actions)
        own_hires: dict[tuple[str, str, int], int] = {}
        for a in plan.actions:
            if a.type == ActionType.HIRE and a.role:
                key = (a.office, a.role, a.year)
                own_hires[key] = own_hires.get(key, 0) + (a.count or 0)
        return cls(f.attained, f.spent, f.hired, f.cost_by_office_year, own_hires, plan.status == SolveStatus.OPTIMAL)


def _residual(limit: Limit, o: OfficeReq, ctx: _PlanContext) -> tuple[Limit, int]:
    """The limit with what the other offices use taken off; and that use."""
    if isinstance(limit, BudgetEntry):
        others = ctx.spent[(limit.scope, limit.year)] - ctx.own_cost[(o.id, limit.year)]
        return replace(limit, amount_yuan=limit.amount_yuan - others), others
    others = ctx.hired[(limit.role, limit.scope, limit.year)] - ctx.own_hires.get((o.id, limit.role, limit.year), 0)
    return replace(limit, amount=limit.amount - others), others


def _why_not(loaded: LoadedScenario, req: Requirements, o: OfficeReq, t: int, ctx: _PlanContext) -> WhyNot:
    year = req.years[t]
    must = {t} | {s for s, y in enumerate(req.years) if ctx.attained[o.id][y]}
    if not o.conditions_ok or _solve(_alone(req, o), must) is None:
        reasons = no_route(req, o, t)
        kind = "condition" if not o.conditions_ok else "no_route"
        return WhyNot(year, kind, (), "; ".join(en for en, _ in reasons), "；".join(zh for _, zh in reasons))
    every_limit: list[Limit] = [*req.budgets, *req.quotas]
    holding = scopes_of(o)
    mine = [x for x in every_limit if x.scope in holding]
    residual = {x: _residual(x, o, ctx) for x in mine}
    if _solve(_alone(req, o, tuple(r for r, _ in residual.values())), must) is not None:
        return _attainable_anyway(o, year, ctx)
    every = {x: _binding_limit(req, o, x, residual, (), must) for x in mine}
    alone = tuple(b for b in every.values() if b.least_needed > b.left)  # each blocks on its own
    if alone:
        limits, together_en, together_zh = alone, "", ""
    else:  # the least need of each is then stated with the others of the set as they are
        joint = _jointly_blocking(req, o, residual, must)
        limits = tuple(_binding_limit(req, o, x, residual, tuple(y for y in joint if y != x), must) for x in joint)
        together_en, together_zh = " (these limits block it together)", "（以上限制共同作用）"
    en = "; ".join(limit_text(b, loaded, "en") for b in limits)
    zh = "；".join(limit_text(b, loaded, "zh") for b in limits)
    return WhyNot(year, "budget_or_quota", limits,
                  f"not attained in {year}: with the rest of the plan as it is, {en}{together_en}",
                  f"{year} 年未达标：其余司法所安排不变时，{zh}{together_zh}")


def _jointly_blocking(req: Requirements, o: OfficeReq, residual: dict[Limit, tuple[Limit, int]],
                      must: set[int]) -> list[Limit]:
    """No limit blocks alone: a deletion filter keeps a minimal set that blocks together."""
    current = {x: r for x, (r, _) in residual.items()}
    kept = []
    for x in residual:  # lift a limit for good when the rest still blocks
        trial = {**current, x: with_amount(x, UNLIMITED)}
        if _solve(_alone(req, o, tuple(trial.values())), must) is None:
            current = trial
        else:
            kept.append(x)
    return kept


def _attainable_anyway(o: OfficeReq, year: int, ctx: _PlanContext) -> WhyNot:
    if o.weight == 0:
        return WhyNot(year, "weight_zero", (), f"weight of {o.tier} offices is 0: attaining earns nothing, so the "
                      "plan saves the money", f"{TIER_ZH[o.tier]}司法所权重为 0：达标不计入目标，方案不为其支出")
    if not ctx.proven:
        return WhyNot(year, "not_proven", (), "the plan is not proven optimal: a longer solve may attain it",
                      "方案未证明最优：延长求解时间或可使其达标")
    raise ExplainDisagreement(f"office {o.id} could attain in {year} within what the plan leaves, "
                              "yet the plan is proven optimal")


def _binding_limit(req: Requirements, o: OfficeReq, limit: Limit, residual: dict[Limit, tuple[Limit, int]],
                   kept: tuple[Limit, ...], must: set[int]) -> BindingLimit:
    """The least this office needs of `limit`, with the `kept` limits at what the others leave
    and every other limit lifted."""
    t = req.years.index(limit.year)
    alone = _alone(req, o, tuple(residual[x][0] for x in kept))
    if isinstance(limit, BudgetEntry):
        use = lambda b: office_cost(b.vars[0], alone, t)  # noqa: E731
    else:
        r = req.roles.index(limit.role)
        use = lambda b: b.vars[0].hires[r][t] if r in b.vars[0].hires else 0  # noqa: E731
    found = _solve(alone, must, minimise=use)
    assert found is not None  # attainable when `limit` is lifted (checked, or minimality of the set)
    left, others = residual[limit]
    return BindingLimit(limit, others, limit_amount(left), int(round(found[1].ObjectiveValue())))
