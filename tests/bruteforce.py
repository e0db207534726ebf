"""An independent brute-force planner for tiny scenarios (2–3 offices, 1–2 years).

It never touches the CP-SAT model: it enumerates every plan of every office, part by part
(hires, floor area, rooms), keeps per office only the Pareto-minimal profiles, then tries every
combination of office profiles against budgets, quotas and targets, and returns the exact
lexicographic optimum (shortfall, weighted attained office-years, total cost in yuan).

Why the pruning loses no optimum: two profiles of one office with the same attained years are
interchangeable everywhere except through their costs per year and hires per (role, year); one
that is ≤ in all of those fits every budget and quota the other fits and costs no more in total.
The same holds part by part (hires / area / rooms) for the same per-year capability, because an
office's attainment is the AND of its parts and its costs are their sum.
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
    hires: Vec  # per (role, year), flattened, for quota checks


def _pareto(profiles: list[Profile]) -> list[Profile]:
    best: dict[tuple[bool, ...], list[Profile]] = {}
    for p in sorted(set(profiles), key=lambda p: (sum(p.cost), p.cost, p.hires)):
        kept = best.setdefault(p.ok, [])
        if not any(all(a <= b for a, b in zip(q.cost + q.hires, p.cost + p.hires)) for q in kept):
            kept.append(p)
    return [p for ps in best.values() for p in ps]


def _add(a: Vec, b: Vec) -> Vec:
    return tuple(x + y for x, y in zip(a, b))


def office_profiles(sc: dict, std: dict, office: dict, tier: str) -> list[Profile]:
    years = list(range(sc["horizon"]["start"], sc["horizon"]["end"] + 1))
    T = len(years)
    ts = std["tiers"][tier]
    roles = list(std["roles"])
    parts = [_hire_part(sc, std, office, ts, roles, years, set(sc.get("quotas", {}))),
             _area_part(sc, office, ts, years),
             _room_part(sc, office, ts, years)]
    ok_conditions = all(office.get("attributes", {}).get(a, -math.inf) >= th
                        for a, th in ts.get("conditions", {}).items())
    out = []
    for combo in itertools.product(*parts):
        ok = tuple(ok_conditions and all(p.ok[t] for p in combo) for t in range(T))
        cost = tuple(sum(p.cost[t] for p in combo) for t in range(T))
        hires = combo[0].hires
        out.append(Profile(ok, cost, hires))
    return _pareto(out)


def _need(std: dict, ts: dict, office: dict, role: str, year: int) -> int:
    need = ts.get("min_staff", {}).get(role, 0)
    ratio = std.get("caseload_ratios", {}).get(role)
    if ratio:
        value = office.get("caseload", {}).get(ratio["field"], 0)
        if isinstance(value, dict):
            value = value[year]
        need = max(need, math.ceil(value / ratio["per_worker"]))
    return need


def _yuan(x: float) -> int:
    return int(round(x * 10_000))


def _hire_part(sc: dict, std: dict, office: dict, ts: dict, roles: list[str], years: list[int],
               quota_roles: set[str]) -> list[Profile]:
    T = len(years)
    prices = sc["costs"].get("roles", {})
    staff0 = office.get("staff", {})
    total_gap = max(0, ts.get("min_total_staff", 0) - sum(staff0.values()))
    ranges = []
    for r in roles:
        cap = max(max(0, _need(std, ts, office, r, y) - staff0.get(r, 0)) for y in years) + total_gap
        ranges.append(range(cap + 1) if r in prices else range(1))
    out = []
    for counts in itertools.product(*[ranges[i] for i in range(len(roles)) for _ in range(T)]):
        h = [[counts[i * T + t] for t in range(T)] for i in range(len(roles))]
        ok, cost = [], []
        for t, y in enumerate(years):
            staff = {r: staff0.get(r, 0) + sum(h[i][: t + 1]) for i, r in enumerate(roles)}
            ok.append(all(staff[r] >= _need(std, ts, office, r, y) for r in roles)
                      and sum(staff.values()) >= ts.get("min_total_staff", 0))
            c = 0
            for i, r in enumerate(roles):
                if r in prices:
                    c += h[i][t] * _yuan(prices[r].get("one_time", 0)) + sum(h[i][: t + 1]) * _yuan(prices[r].get("annual", 0))
            cost.append(c)
        # Hires of roles without a quota only matter through costs: zero them for dominance.
        hires = tuple(n if roles[k // T] in quota_roles else 0 for k, n in enumerate(counts))
        out.append(Profile(tuple(ok), tuple(cost), hires))
    return _pareto(out)


def _area_part(sc: dict, office: dict, ts: dict, years: list[int]) -> list[Profile]:
    T = len(years)
    need = ts["min_floor_area_m2"][office["kind"]]
    area0 = office.get("floor_area_m2", 0)
    gap = max(0, need - area0)
    housing = sc["costs"].get("housing", {})
    lease, build = housing.get("lease"), housing.get("build")
    lease_r = range(gap + 1) if lease and gap else range(1)
    build_r = range(gap + 1) if build and gap else range(1)
    options = office.get("housing_options", [])
    opt_choices = [[None] + [t for t, y in enumerate(years) if y >= (o.get("from_year") or years[0])] for o in options]
    out = []
    for ls in itertools.product(lease_r, repeat=T):
        for bs in itertools.product(build_r, repeat=T):
            for picks in itertools.product(*opt_choices):
                area = [area0] * T
                cost = [0] * T
                for t in range(T):
                    for s in range(T):
                        if s <= t:
                            area[t] += ls[s]
                            cost[t] += ls[s] * _yuan(lease["annual_per_m2"]) if lease else 0
                        if build and s + build.get("lead_years", 1) <= t:
                            area[t] += bs[s]
                    if build:
                        cost[t] += bs[t] * _yuan(build["one_time_per_m2"])
                for o, s in zip(options, picks):
                    if s is None:
                        continue
                    for t in range(T):
                        if s + o.get("lead_years", 0) <= t:
                            area[t] += o["area_m2"]
                        if t == s:
                            cost[t] += _yuan(o.get("one_time", 0))
                        if t >= s:
                            cost[t] += _yuan(o.get("annual", 0))
                out.append(Profile(tuple(a >= need for a in area), tuple(cost), ()))
    return _pareto(out)


def _room_part(sc: dict, office: dict, ts: dict, years: list[int]) -> list[Profile]:
    T = len(years)
    prices = sc["costs"].get("facilities", {})
    have = set(office.get("facilities", []))
    mentioned = []
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
            cost.append(sum(_yuan(prices[f].get("one_time", 0)) * (s == t) + _yuan(prices[f].get("annual", 0)) * (s <= t)
                            for f, s in zip(mentioned, when) if s is not None))
        out.append(Profile(tuple(ok), tuple(cost), ()))
    return _pareto(out)


def brute_force(sc: dict, std: dict, tiers: dict[str, str]) -> tuple[int, int, int] | None:
    """(shortfall, weighted attained office-years, total cost) at the lexicographic optimum, or
    None when no plan meets hard targets."""
    years = list(range(sc["horizon"]["start"], sc["horizon"]["end"] + 1))
    T = len(years)
    offices = sc["offices"]
    roles = list(std["roles"])
    weights = {t: sc.get("weights", {}).get(t, 1) for t in ("large", "medium", "small")}
    per_office = [office_profiles(sc, std, o, tiers[o["id"]]) for o in offices]
    budgets = []
    for key, value in sc["budget"].items():
        if isinstance(value, dict):
            budgets += [(key, years.index(y), _yuan(v)) for y, v in value.items()]
        else:
            budgets.append(("all", years.index(key), _yuan(value)))
    quotas = []
    for role, shape in sc.get("quotas", {}).items():
        for key, value in shape.items():
            if isinstance(value, dict):
                quotas += [(role, key, years.index(y), v) for y, v in value.items()]
            else:
                quotas.append((role, "all", years.index(key), value))
    scope = sc.get("target_scope") or std["target_scope"]
    cells = []
    for y, rates in sc["targets"].items():
        for tier, rate in rates.items():
            groups = sorted({o["county"] for o in offices}) if scope == "county" else ["all"]
            for g in groups:
                idx = [i for i, o in enumerate(offices) if (g == "all" or o["county"] == g)
                       and (tier == "all" or tiers[o["id"]] == tier)]
                if idx:
                    cells.append((years.index(y), idx, max(0, math.ceil(rate * len(idx) - 1e-9))))
    soft = sc.get("targets_mode") == "soft"
    best = None
    for combo in itertools.product(*per_office):
        if any(sum(p.cost[t] for o, p in zip(offices, combo) if s in ("all", o["county"])) > amount
               for s, t, amount in budgets):
            continue
        if any(sum(p.hires[roles.index(r) * T + t] for o, p in zip(offices, combo) if s in ("all", o["county"])) > amount
               for r, s, t, amount in quotas):
            continue
        short = sum(max(0, req - sum(combo[i].ok[t] for i in idx)) for t, idx, req in cells)
        if short and not soft:
            continue
        attained = sum(weights[tiers[o["id"]]] * sum(p.ok) for o, p in zip(offices, combo))
        key = (short, -attained, sum(sum(p.cost) for p in combo))
        if best is None or key < best:
            best = key
    return None if best is None else (best[0], -best[1], best[2])
