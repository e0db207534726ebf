"""Level 4 (docs/reference.md §7): how many actions a plan changes against an earlier plan's.

Churn = the earlier actions not reproduced exactly (same office, type, item, year and quantity)
+ the plan's actions that are not one of them. Per action slot (office × type × item × year), with
x the slot's quantity (people hired, m² leased or built), ub its upper bound and c the earlier
quantity there:

* no earlier action (c = 0): n, with x ≤ ub·n (n is 1 when the plan acts in the slot);
* an earlier action: 1 − 2e + n, where e may be 1 only if x = c (x ≥ c·e, x + (ub − c)·e ≤ ub):
  0 when reproduced, 1 when dropped, 2 when the quantity differs (one dropped, one new);
* a housing option or room (taken at most once), earlier in year t0: 1 − x[t0] + Σ_{t≠t0} x[t];
  without an earlier one: Σ x[t].

An earlier action that no variable can reproduce (its year is fixed off, or the office has no such
variable) is a constant 1. Only linear rows with constants on the right, so CP-SAT and HiGHS
(planner/solver/mip.py) build the same level from the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from planner.rules.requirements import KeptOffice, Requirements
from planner.solver.model.variables import OfficeVars, _upper_bounds

NO_KEEP = KeptOffice({}, {}, {}, {}, {})


def office_churn(v: OfficeVars, req: Requirements, new_bool: Callable[[str], Any],
                 add: Callable[[Any], None], k: int) -> Any:
    """The office's churn as a linear expression over `v`'s variables (plus the rows it needs)."""
    kept = (req.keep or {}).get(v.office.id, NO_KEEP)
    o = v.office
    ubs = _upper_bounds(o, req)
    gap = max(max(0, n.floor_area_m2 - o.area0) for n in o.needs)
    total: Any = kept.unreachable
    for r, xs in v.hires.items():
        total += sum(_quantity(x, kept.hires.get((r, t), 0), ubs[r], new_bool, add, f"h_{k}_{r}_{t}")
                     for t, x in enumerate(xs))
    total += sum(1 for (r, _), c in kept.hires.items() if r not in v.hires)
    for name, xs, earlier in (("l", v.lease, kept.lease), ("b", v.build, kept.build)):
        total += sum(_quantity(x, earlier.get(t, 0), gap, new_bool, add, f"{name}_{k}_{t}")
                     for t, x in enumerate(xs))
        total += sum(1 for t in earlier if not xs)
    for i, xs in v.options.items():
        total += _once(xs, kept.options.get(i))
    total += sum(1 for i in kept.options if i not in v.options)
    for f, xs in v.rooms.items():
        total += _once(xs, kept.rooms.get(f))
    total += sum(1 for f in kept.rooms if f not in v.rooms)
    return total


def _quantity(x: Any, c: int, ub: int, new_bool: Callable[[str], Any], add: Callable[[Any], None],
              tag: str) -> Any:
    if isinstance(x, int):  # fixed at 0: nothing new here; an earlier action cannot be reproduced
        return 1 if c else 0
    n = new_bool(f"new_{tag}")
    add(x - ub * n <= 0)
    if c == 0:
        return n
    e = new_bool(f"same_{tag}")
    add(x - c * e >= 0)
    add(x + (ub - c) * e <= ub)  # e = 1 forces x ≤ c; with c > ub, e stays 0
    return 1 - 2 * e + n


def _once(xs: list[Any], t0: int | None) -> Any:
    """A choice taken at most once (a var or a fixed 0 per year), earlier taken in year t0 or never."""
    if t0 is None:
        return sum(xs)
    return 1 - xs[t0] + sum(x for t, x in enumerate(xs) if t != t0)
