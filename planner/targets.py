"""Target cells (docs/reference.md §6): per year × tier (or all) × scope, how many offices must attain."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from planner.scopes import ALL, Placed, target_scope_names


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
    """ceil(rate·n) without floating error: 0.9 × 10 is 9, not 10 (docs/reference.md §6)."""
    return max(0, math.ceil(rate * n - 1e-9))


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
