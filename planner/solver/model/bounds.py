"""Lower bounds on what an office must spend over the horizon to attain a given set of years.

They feed a redundant constraint (`constraints.pattern_cost_bounds`) that ties each office's total
cost to the pattern of years it attains, which closes most of the LP gap of the cost level.
Every bound must be VALID (≤ the cost of any plan attaining those years); it need not be exact:
 * hires: just-in-time (a person costs one_time + annual × years left, so later is cheaper);
 * total-staff minimum: ignored (extra people may be free posts, or early hires of a needed role);
 * floor area: the cheapest mix of housing options plus lease/build per m² for the rest;
 * rooms: the cheapest choice of alternatives, each missing room priced once.
"""

from __future__ import annotations

import itertools

from planner.rules.requirements import OfficeReq, Requirements

INF = float("inf")


def pattern_lower_bound(o: OfficeReq, req: Requirements, years: tuple[int, ...]) -> int | None:
    """Yuan an office must spend over the horizon to attain in every year index of `years`;
    None when no plan can (caller fixes the pattern off)."""
    T = len(req.years)
    hires = _hire_bound(o, req, years, T)
    area = _area_bound(o, req, min(years), T)
    rooms = _room_bound(o, req, min(years), T)
    if hires is None or area is None or rooms is None:
        return None
    return hires + area + rooms


def _hire_bound(o: OfficeReq, req: Requirements, years: tuple[int, ...], T: int) -> int | None:
    total = 0
    for r, price in enumerate(req.hire_price):
        hired = 0
        for t in sorted(years):
            gap = o.needs[t].staff[r] - o.staff0[r] - hired
            if gap > 0:
                if price is None:
                    return None
                total += gap * (price.one_time + price.annual * (T - t))
                hired += gap
    return total


def _area_bound(o: OfficeReq, req: Requirements, t: int, T: int) -> int | None:
    gap = o.needs[t].floor_area_m2 - o.area0
    if gap <= 0:
        return 0
    per_m2 = []
    if req.lease_per_m2 is not None:
        per_m2.append(req.lease_per_m2 * (T - t))
    if req.build_per_m2 is not None and t - req.build_lead_years >= 0:
        per_m2.append(req.build_per_m2)
    rate = min(per_m2) if per_m2 else None
    usable = [h for h in o.housing_options if h.counts_by(req.years, t)]
    best: float = gap * rate if rate is not None else INF
    for k in range(1, min(len(usable), 4) + 1):
        for combo in itertools.combinations(usable, k):
            # Taken as late as it can still count: annual costs run for the fewest years.
            fixed = sum(h.one_time + h.annual * (T - (t - h.lead_years)) for h in combo)
            rest = max(0, gap - sum(h.area_m2 for h in combo))
            if rest and rate is None:
                continue
            best = min(best, fixed + rest * (rate or 0))
    if len(usable) > 4:  # keep the enumeration small; 0 stays a valid bound for the options part
        best = min(best, gap * rate if rate is not None else 0)
    return None if best == INF else int(best)


def _room_bound(o: OfficeReq, req: Requirements, t: int, T: int) -> int | None:
    choices = []
    for item in o.rooms:
        if any(set(alt) <= o.facilities0 for alt in item):
            continue
        alts = [alt for alt in item if all(f in o.facilities0 or f in req.facility_price for f in alt)]
        if not alts:
            return None
        choices.append(alts)
    best: float = INF
    for pick in itertools.islice(itertools.product(*choices), 256):
        missing = {f for alt in pick for f in alt} - o.facilities0
        best = min(best, sum(req.facility_price[f].one_time + req.facility_price[f].annual * (T - t)
                             for f in missing))
    if best == INF:
        return 0  # no rooms missing
    return int(best)
