"""Target cells (docs/reference.md §6): per year × tier (or all) × scope, how many offices must attain."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from planner.rules.scopes import ALL, Placed, target_scope_names


def scope_zh(scope: str) -> str:
    """A target, budget or quota scope as a Chinese text names it: 全市 (the whole scenario), or the
    county's, city's or province's own name."""
    return "全市" if scope == ALL else scope


@dataclass(frozen=True)
class TargetCell:
    year: int
    tier: str  # large | medium | small | all
    scope: str  # a county, city or province, or "all" for the whole scenario
    rate: float
    office_ids: tuple[str, ...]
    required: int


def required_count(rate: float, n: int) -> int:
    """ceil(rate·n) computed exactly on the rate as written in the scenario (docs/reference.md §6).

    The rate is taken as the shortest decimal that reads back as the same float (`repr`), i.e. the
    decimal the user wrote: 0.9 × 10 is 9 (in binary, 9.000000000000002), and 1e-300 of 5 offices
    needs 1 (the old tolerance of 1e-9 made it 0). No tolerance and no bounded denominator: the
    product is exact in decimal arithmetic (docs/decisions.md).
    """
    exact = Decimal(repr(float(rate)))
    with localcontext() as ctx:
        ctx.prec = 80  # 17 significant digits times an office count: the product is exact
        return max(0, math.ceil(exact * n))


def target_cells(targets: dict[int, dict[str, float]], target_scope: str,
                 offices: Sequence[Placed], tiers: Sequence[str]) -> list[TargetCell]:
    """Cells for the offices (each with its tier); scopes holding no office of the tier get no cell."""
    where = target_scope_names(offices, target_scope)
    members: dict[tuple[str, str], list[str]] = {}
    for i, scope, tier in zip((o.id for o in offices), where, tiers):
        members.setdefault((scope, tier), []).append(i)
        members.setdefault((scope, ALL), []).append(i)
    scopes = sorted(set(where))
    cells = []
    for year, rates in sorted(targets.items()):
        for tier, rate in rates.items():
            for scope in scopes:
                ids_in = tuple(members.get((scope, tier), ()))
                if ids_in:
                    cells.append(TargetCell(year, tier, scope, rate, ids_in, required_count(rate, len(ids_in))))
    return cells
