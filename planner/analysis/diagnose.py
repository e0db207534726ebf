"""Warnings `plan validate` gives beyond schema errors: offices that can never attain, and budgets
that cannot pay even the cheapest single attainment."""

from __future__ import annotations

from planner.errors import ScenarioIssue
from planner.i18n import tr
from planner.io.loading import LoadedScenario
from planner.io.scenario import to_wan
from planner.rules.requirements import OfficeReq, Requirements, derive
from planner.rules.scopes import ALL
from planner.rules.targets import scope_zh


def never_attains(o: OfficeReq, req: Requirements, t: int) -> str | None:
    """Why no plan can make the office attain in year index t, or None if some plan might."""
    if not o.conditions_ok:
        return tr(f"条件 {'、'.join(o.failed_conditions)} 未满足（资金投入无法解决）",
                  f"condition(s) {', '.join(o.failed_conditions)} not met (money cannot fix this)")
    need = o.needs[t]
    for r, n in enumerate(need.staff):
        if n > o.staff0[r] and req.hire_price[r] is None:
            return tr(f"需要 {req.roles[r]} {n} 人，现有 {o.staff0[r]} 人，而 costs.roles 中没有该岗位的价格",
                      f"needs {n} {req.roles[r]} but has {o.staff0[r]} and the role has no price in costs.roles")
    if need.total_staff > sum(o.staff0) and all(p is None for p in req.hire_price):
        return tr("总人数不足，且没有可招聘的岗位", "total staff short and no role can be hired")
    if need.floor_area_m2 > o.area0:
        routes = req.lease_per_m2 is not None or (req.build_per_m2 is not None and t >= req.build_lead_years)
        opts = sum(h.area_m2 for h in o.housing_options if h.counts_by(req.years, t))
        if not routes and o.area0 + opts < need.floor_area_m2:
            return tr(f"业务用房 {o.area0} < {need.floor_area_m2} m²，且租赁、新建或用房方案都无法补足",
                      f"floor area {o.area0} < {need.floor_area_m2} m² and no lease, build or housing option closes it")
    for item in o.rooms:
        if not any(all(f in o.facilities0 or f in req.facility_price for f in alt) for alt in item):
            return tr(f"缺少功能室 {' | '.join('+'.join(a) for a in item)}，且 costs.facilities 中没有其价格",
                      f"room {' | '.join('+'.join(a) for a in item)} missing and not priced in costs.facilities")
    return None


def cheapest_attainment(o: OfficeReq, req: Requirements, t: int) -> int | None:
    """A lower bound (yuan) on what year t's spending must include to make o attain in year t.

    Only counts costs that necessarily fall in year t: annual costs of the people and rooms it
    lacks (hired then or earlier) and the cheapest area route's in-year cost."""
    if never_attains(o, req, t) is not None:
        return None
    need = o.needs[t]
    cost = 0
    for r, n in enumerate(need.staff):
        price = req.hire_price[r]
        if n > o.staff0[r] and price is not None:
            cost += (n - o.staff0[r]) * price.annual
    return cost


def diagnose(loaded: LoadedScenario) -> list[ScenarioIssue]:
    req = derive(loaded)
    out: list[ScenarioIssue] = []
    index = {o.id: i for i, o in enumerate(loaded.offices)}
    issue = loaded.issue  # offices from a table are named at their table line

    for o in req.offices:
        for t, y in enumerate(req.years):
            why = never_attains(o, req, t)
            if why:
                out.append(issue(("offices", index[o.id]), tr(
                    f"司法所 {o.id}（{o.tier}）{y} 年无论如何都无法达标：{why}",
                    f"office {o.id} ({o.tier}) can never attain in {y}: {why}")))
                break
        for a in loaded.standard.tiers[o.tier].conditions:  # type: ignore[index]
            if a not in loaded.offices[index[o.id]].attributes:
                out.append(issue(("offices", index[o.id], "attributes"),
                                 tr(f"司法所 {o.id}：缺少属性 {a!r}，其条件不满足",
                                    f"office {o.id}: attribute {a!r} missing, so its condition fails")))
    members = req.scope_members()
    for b in loaded.budgets:
        t = req.years.index(b.year)
        costs = [c for o in (req.offices[i] for i in members.get(b.scope, ()))
                 if sum(o.needs[t].staff) > 0
                 for c in [cheapest_attainment(o, req, t)] if c is not None and c > 0]
        if costs and b.amount_yuan < min(costs):
            out.append(issue(("budget", b.year) if b.scope == ALL else ("budget", b.scope, b.year),
                             tr(f"{scope_zh(b.scope)} {b.year} 年预算 {to_wan(b.amount_yuan)} 万元连最便宜的一个达标"
                                f"（{to_wan(min(costs))} 万元）都付不起",
                                f"budget {b.scope} {b.year} of {to_wan(b.amount_yuan)} 万元 cannot pay even the "
                                f"cheapest single attainment still to make ({to_wan(min(costs))} 万元)")))
    return out
