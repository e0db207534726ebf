"""An independent brute-force planner for small scenarios (≤ 6 offices, ≤ 5 years).

It never touches the planner (no model, no requirements, no evaluate): it reads the raw scenario
and standard dicts and applies the contract (docs/reference.md §4–§7) directly.

1. Per office, it enumerates every plan part by part (hires, floor area, rooms) and keeps only the
   Pareto-minimal profiles: (attained years; cost per year; hires per quota role and year).
2. It combines the offices one at a time (dynamic programming over the exact state that the rest
   of the scenario can see: spending per budget entry, hires per quota entry and attained offices
   per target cell), dropping a partial plan as soon as it breaks a budget or quota.
3. The lexicographic optimum (shortfall, −weighted attained office-years, total cost) is the best
   final state.

Why the pruning loses no optimum: two profiles of one office with the same attained years are
interchangeable everywhere except through their costs per year and hires per (quota role, year);
one that is ≤ in all of those fits every budget and quota the other fits and costs no more. The
same holds part by part, because an office attains when all its parts do and costs their sum.
Two partial plans with the same state are interchangeable for every later office, so only the
best of them (most weighted attained years, then cheapest) can be part of an optimum.

Enumeration bounds (each loses no optimum, because prices are ≥ 0; see `_hire_part`): cumulative
hires of a role never exceed its largest own deficit plus what the total-staff minimum can still
lack, and cumulative leased or built area never exceeds the floor-area gap.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

Vec = tuple[int, ...]


@dataclass(frozen=True)
class Profile:
    ok: tuple[bool, ...]  # per year: this part (or the office) meets its requirements
    cost: Vec  # yuan per year
    hires: Vec  # per (quota role, year), flattened


def _pareto(profiles: list[Profile]) -> list[Profile]:
    best: dict[tuple[bool, ...], list[Profile]] = {}
    for p in sorted(set(profiles), key=lambda p: (sum(p.cost), p.cost, p.hires)):
        kept = best.setdefault(p.ok, [])
        if not any(all(a <= b for a, b in zip(q.cost + q.hires, p.cost + p.hires)) for q in kept):
            kept.append(p)
    return [p for ps in best.values() for p in ps]


def _yuan(x: float) -> int:
    return int(round(x * 10_000))


def _years(sc: dict) -> list[int]:
    return list(range(sc["horizon"]["start"], sc["horizon"]["end"] + 1))


def _cumulative(cap: int, T: int) -> list[Vec]:
    """Every non-decreasing sequence of T totals in 0..cap (what was added by each year end)."""
    return list(itertools.combinations_with_replacement(range(cap + 1), T))


def _added(cum: Vec, t: int) -> int:
    return cum[t] - (cum[t - 1] if t else 0)


def office_profiles(sc: dict, std: dict, office: dict, tier: str) -> list[Profile]:
    years = _years(sc)
    T = len(years)
    ts = std["tiers"][tier]
    parts = [_hire_part(sc, std, office, ts, years), _area_part(sc, office, ts, years),
             _room_part(sc, office, ts, years)]
    ok_conditions = all(office.get("attributes", {}).get(a, -math.inf) >= th
                        for a, th in ts.get("conditions", {}).items())
    out = []
    for hire, area, room in itertools.product(*parts):
        ok = tuple(ok_conditions and hire.ok[t] and area.ok[t] and room.ok[t] for t in range(T))
        cost = tuple(hire.cost[t] + area.cost[t] + room.cost[t] for t in range(T))
        out.append(Profile(ok, cost, hire.hires))
    return _pareto(out)


def _need(std: dict, ts: dict, office: dict, role: str, year: int) -> int:
    need = ts.get("min_staff", {}).get(role, 0)
    ratio = std.get("caseload_ratios", {}).get(role)
    if ratio:
        value = office.get("caseload", {}).get(ratio["field"], 0)
        if isinstance(value, dict):
            value = value.get(year, 0)
        need = max(need, math.ceil(value / ratio["per_worker"]))
    return need


def _hire_part(sc: dict, std: dict, office: dict, ts: dict, years: list[int]) -> list[Profile]:
    T = len(years)
    roles = list(std["roles"])
    prices = sc["costs"].get("roles", {})
    quota_roles = set(sc.get("quotas", {}))
    staff0 = [office.get("staff", {}).get(r, 0) for r in roles]
    need = [[_need(std, ts, office, r, y) for y in years] for r in roles]
    min_total = ts.get("min_total_staff", 0)
    # In a year the office attains, every role has at least max(start, need); the total-staff
    # minimum can lack at most `extra` more. Hiring more than a role's own deficit + extra by
    # some year helps no attained year, so cutting it there loses no optimum.
    extra = max(max(0, min_total - sum(max(s, n[t]) for s, n in zip(staff0, need))) for t in range(T))
    choices = []  # per role: (hires by each year end, cost per year, hires per year if under a quota)
    for r, role in enumerate(roles):
        if role not in prices:
            choices.append([((0,) * T, (0,) * T, (0,) * T if role in quota_roles else ())])
            continue
        cap = max(max(0, n - staff0[r]) for n in need[r]) + extra
        one, annual = _yuan(prices[role].get("one_time", 0)), _yuan(prices[role].get("annual", 0))
        options = []
        for cum in _cumulative(cap, T):  # one-time on those hired this year, annual on all so far
            added = tuple(_added(cum, t) for t in range(T))
            options.append((cum, tuple(a * one + c * annual for a, c in zip(added, cum)),
                            added if role in quota_roles else ()))
        choices.append(options)
    out = []
    for combo in itertools.product(*choices):
        ok = tuple(all(staff0[r] + cum[t] >= need[r][t] for r, (cum, _, _) in enumerate(combo))
                   and sum(staff0) + sum(cum[t] for cum, _, _ in combo) >= min_total for t in range(T))
        cost = tuple(sum(c[t] for _, c, _ in combo) for t in range(T))
        out.append(Profile(ok, cost, tuple(h for _, _, hs in combo for h in hs)))
    return _pareto(out)


def _area_part(sc: dict, office: dict, ts: dict, years: list[int]) -> list[Profile]:
    T = len(years)
    need = ts["min_floor_area_m2"][office["kind"]]
    area0 = office.get("floor_area_m2", 0)
    gap = max(0, need - area0)
    housing = sc["costs"].get("housing", {})
    lease, build = housing.get("lease"), housing.get("build")
    # Leases and builds first: per vector of area they add by each year end, the cheapest costs.
    added: dict[Vec, list[Vec]] = {}
    for ls in _cumulative(gap, T) if lease and gap else [(0,) * T]:
        for bs in _cumulative(gap, T) if build and gap else [(0,) * T]:
            area, cost = [], []
            for t in range(T):
                a = ls[t]
                if build and t - build.get("lead_years", 1) >= 0:  # built area counts after its lead time
                    a += bs[t - build.get("lead_years", 1)]
                area.append(min(a, gap))
                c = ls[t] * _yuan(lease["annual_per_m2"]) if lease else 0
                c += _added(bs, t) * _yuan(build["one_time_per_m2"]) if build else 0
                cost.append(c)
            added.setdefault(tuple(area), []).append(tuple(cost))
    options = office.get("housing_options", [])
    picks = [[None] + [t for t, y in enumerate(years) if y >= (o.get("from_year") or years[0])] for o in options]
    out = []
    for when in itertools.product(*picks):  # per option: the year index it is taken, or never
        extra, cost = [0] * T, [0] * T
        for o, s in zip(options, when):
            if s is None:
                continue
            for t in range(T):
                if s + o.get("lead_years", 0) <= t:
                    extra[t] += o["area_m2"]
                if t >= s:
                    cost[t] += _yuan(o.get("annual", 0)) + (_yuan(o.get("one_time", 0)) if t == s else 0)
        for area, costs in added.items():
            ok = tuple(area0 + area[t] + extra[t] >= need for t in range(T))
            out += [Profile(ok, tuple(a + b for a, b in zip(c, cost)), ()) for c in costs]
    return _pareto(out)


def _room_part(sc: dict, office: dict, ts: dict, years: list[int]) -> list[Profile]:
    T = len(years)
    prices = sc["costs"].get("facilities", {})
    have = set(office.get("facilities", []))
    mentioned: list[str] = []
    for item in ts.get("facilities", []):
        ids = [item] if isinstance(item, str) else [f for g in item["any_of"] for f in g]
        mentioned += [f for f in ids if f not in have and f in prices and f not in mentioned]
    out = []
    for when in itertools.product([None, *range(T)], repeat=len(mentioned)):
        ok, cost = [], []
        for t in range(T):
            present = have | {f for f, s in zip(mentioned, when) if s is not None and s <= t}
            ok.append(all((item in present) if isinstance(item, str)
                          else any(all(f in present for f in g) for g in item["any_of"])
                          for item in ts.get("facilities", [])))
            cost.append(sum(_yuan(prices[f].get("one_time", 0)) * (s == t)
                            + _yuan(prices[f].get("annual", 0)) * (s <= t)
                            for f, s in zip(mentioned, when) if s is not None))
        out.append(Profile(tuple(ok), tuple(cost), ()))
    return _pareto(out)


def in_scope(scope: str, office: dict) -> bool:
    """Whether a budget or quota scope name holds this office: the scenario, its county, city or
    province (§6: an office's cost counts against every entry whose scope holds it)."""
    return scope in ("all", office["county"], office.get("city"), office.get("province"))


def _entries(shape: dict, years: list[int]) -> list[tuple[str, int, int]]:
    """(scope, year index, amount) of a budget or one role's quotas: `year: x` is scenario-wide."""
    out = []
    for key, value in shape.items():
        if isinstance(value, dict):
            out += [(key, years.index(y), v) for y, v in value.items()]
        else:
            out.append(("all", years.index(key), value))
    return out


def target_groups(sc: dict, std: dict) -> list[list[int]]:
    """Office indices per target scope (docs/reference.md §2, §6): each county, city or province,
    and the whole scenario for `all` or when no office names a city (province)."""
    offices = sc["offices"]
    scope = sc.get("target_scope") or std["target_scope"]
    if scope == "all" or scope != "county" and not any(o.get(scope) for o in offices):
        return [list(range(len(offices)))]
    return [[i for i, o in enumerate(offices) if o.get(scope) == name]
            for name in sorted({o.get(scope) for o in offices})]


def brute_force(sc: dict, std: dict, tiers: dict[str, str]) -> tuple[int, int, int] | None:
    """(shortfall, weighted attained office-years, total cost in yuan) at the lexicographic
    optimum, or None when no plan meets the hard targets."""
    years = _years(sc)
    T = len(years)
    offices = sc["offices"]
    quota_roles = [r for r in std["roles"] if r in sc.get("quotas", {})]
    weights = {t: sc.get("weights", {}).get(t, 1) for t in ("large", "medium", "small")}
    budgets = [(s, t, _yuan(v)) for s, t, v in _entries(sc["budget"], years)]
    quotas = [(quota_roles.index(r), s, t, v) for r, shape in sc.get("quotas", {}).items()
              for s, t, v in _entries(shape, years)]
    cells = []  # (year index, member offices, required)
    for y, rates in sc.get("targets", {}).items():
        for tier, rate in rates.items():
            for group in target_groups(sc, std):
                idx = [i for i in group if tier == "all" or tiers[offices[i]["id"]] == tier]
                if idx:
                    cells.append((years.index(y), set(idx), max(0, math.ceil(rate * len(idx) - 1e-9))))
    soft = sc.get("targets_mode") == "soft"
    # state: spending per budget entry + hires per quota entry + attained per cell → (−attained, cost)
    states: dict[Vec, tuple[int, int]] = {(0,) * (len(budgets) + len(quotas) + len(cells)): (0, 0)}
    for i, o in enumerate(offices):
        w = weights[tiers[o["id"]]]
        profiles = office_profiles(sc, std, o, tiers[o["id"]])
        grown: dict[Vec, tuple[int, int]] = {}
        for state, (neg_att, cost) in states.items():
            for p in profiles:
                spend = [state[k] + (p.cost[t] if in_scope(s, o) else 0) for k, (s, t, _) in enumerate(budgets)]
                if any(x > amount for x, (_, _, amount) in zip(spend, budgets)):
                    continue
                base = len(budgets)
                hired = [state[base + k] + (p.hires[r * T + t] if in_scope(s, o) else 0)
                         for k, (r, s, t, _) in enumerate(quotas)]
                if any(x > amount for x, (_, _, _, amount) in zip(hired, quotas)):
                    continue
                base += len(quotas)
                att = [state[base + k] + (p.ok[t] and i in idx) for k, (t, idx, _) in enumerate(cells)]
                key = tuple(spend + hired + att)
                value = (neg_att - w * sum(p.ok), cost + sum(p.cost))
                if key not in grown or value < grown[key]:
                    grown[key] = value
        states = grown
    best = None
    base = len(budgets) + len(quotas)
    for state, (neg_att, cost) in states.items():
        short = sum(max(0, req - state[base + k]) for k, (_, _, req) in enumerate(cells))
        if short and not soft:
            continue
        if best is None or (short, neg_att, cost) < best:
            best = (short, neg_att, cost)
    return None if best is None else (best[0], -best[1], best[2])


# Rates whose decimal is exact, so every reading of ceil(p·n) agrees (the planner's exact decimal,
# the contract's p·n − 1e-9 here and in verify): no 5/6 = 0.8333333333333334.
NICE_RATES = (0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0)


def sampled_plan(sc: dict, std: dict, tiers: dict[str, str], picks: list[int]) -> list[Profile]:
    """One plan within every budget and quota. Office i's profiles are ranked most attained years
    first, then cheapest; it takes the first from rank `picks[i]` on (cycling) that still fits with
    the offices before it (doing nothing always fits: prices are ≥ 0)."""
    years = _years(sc)
    T = len(years)
    quota_roles = [r for r in std["roles"] if r in sc.get("quotas", {})]
    budgets = [(s, t, _yuan(v)) for s, t, v in _entries(sc["budget"], years)]
    quotas = [(quota_roles.index(r), s, t, v) for r, shape in sc.get("quotas", {}).items()
              for s, t, v in _entries(shape, years)]
    spent, hired = [0] * len(budgets), [0] * len(quotas)
    plan = []
    for o, pick in zip(sc["offices"], picks):
        ranked = sorted(office_profiles(sc, std, o, tiers[o["id"]]), key=lambda p: (-sum(p.ok), sum(p.cost)))
        for k in range(len(ranked)):
            p = ranked[(pick + k) % len(ranked)]
            spend = [x + (p.cost[t] if in_scope(s, o) else 0) for x, (s, t, _) in zip(spent, budgets)]
            hires = [x + (p.hires[r * T + t] if in_scope(s, o) else 0) for x, (r, s, t, _) in zip(hired, quotas)]
            if all(x <= a for x, (*_, a) in zip(spend, budgets)) and all(x <= a for x, (*_, a) in zip(hires, quotas)):
                break
        spent, hired = spend, hires
        plan.append(p)
    return plan


def reachable_targets(sc: dict, std: dict, tiers: dict[str, str], picks: list[int]) -> dict[int, dict[str, float]]:
    """Hard targets the plan `sampled_plan(picks)` meets, for the year × tier keys of sc["targets"]:
    each rate is the largest of NICE_RATES that needs, in every target scope, no more offices than
    that plan attains there; so the targets are feasible, and often bind."""
    years = _years(sc)
    plan = sampled_plan(sc, std, tiers, picks)
    offices = sc["offices"]
    out: dict[int, dict[str, float]] = {}
    for y, rates in sc["targets"].items():
        t = years.index(y)
        out[y] = {}
        for tier in rates:
            rate = 1.0
            for group in target_groups(sc, std):
                idx = [i for i in group if tier == "all" or tiers[offices[i]["id"]] == tier]
                if idx:
                    attained = sum(plan[i].ok[t] for i in idx)
                    rate = min(rate, max(r for r in NICE_RATES if math.ceil(r * len(idx) - 1e-9) <= attained))
            out[y][tier] = rate
    return out
