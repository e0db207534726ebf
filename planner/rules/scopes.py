"""Which offices a budget, quota or target scope holds (docs/reference.md §1, §6).

A scope is the whole scenario (`all`), a province, a city or a county, named by its name. An
office belongs to `all`, its county, and its city and province when it carries them; its cost
counts against every entry whose scope holds it. The loader checks that every scope name used
names exactly one of these; `Requirements.scope_members()` is how the rest of the planner asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

ALL = "all"  # the whole scenario
TARGET_SCOPES = ("county", "city", "province", "all")


class Placed(Protocol):
    """An office as far as scopes go (a scenario `Office` or an `OfficeReq`)."""

    @property
    def id(self) -> str: ...
    @property
    def county(self) -> str: ...
    @property
    def city(self) -> str | None: ...
    @property
    def province(self) -> str | None: ...


def scopes_of(office: Placed) -> tuple[str, ...]:
    """Every scope name that holds this office: all, its county, city and province (once each)."""
    names = [ALL, office.county]
    for name in (office.city, office.province):
        if name is not None and name not in names:
            names.append(name)
    return tuple(names)


def scope_members(offices: Sequence[Placed]) -> dict[str, tuple[int, ...]]:
    """Office indices per scope name (the offices `scopes_of` puts in it)."""
    out: dict[str, tuple[int, ...]] = {ALL: tuple(range(len(offices)))}
    for name, kinds in _by_kind(offices).items():
        lists = list(kinds.values())  # each ascending; a name of two kinds holds their union
        out[name] = tuple(lists[0]) if len(lists) == 1 else tuple(sorted(set().union(*lists)))
    return out


def scope_kinds(offices: Sequence[Placed]) -> dict[str, dict[str, frozenset[int]]]:
    """name → kind (county / city / province) → the office indices it holds under that kind.

    A name that holds different offices under two kinds is ambiguous as a scope; the same
    offices under two kinds (a city without counties, e.g. 东莞市 as county and city) is not."""
    return {name: {k: frozenset(v) for k, v in kinds.items()} for name, kinds in _by_kind(offices).items()}


def _by_kind(offices: Sequence[Placed]) -> dict[str, dict[str, list[int]]]:
    found: dict[str, dict[str, list[int]]] = {}
    for kind in ("county", "city", "province"):
        for i, o in enumerate(offices):
            name = getattr(o, kind)
            if name is not None:
                found.setdefault(name, {}).setdefault(kind, []).append(i)
    return found


def target_scope_names(offices: Sequence[Placed], target_scope: str) -> list[str]:
    """Per office, the scope of its target cells under `target_scope` (docs/reference.md §2, §6).

    `city` / `province` fall back to the whole scenario when no office carries one (a scenario
    written before cities existed keeps its meaning: `target_scope: city` = all offices)."""
    if target_scope == "county":
        return [o.county for o in offices]
    if target_scope in ("city", "province"):
        names = [o.city if target_scope == "city" else o.province for o in offices]
        if any(n is not None for n in names):
            return [n if n is not None else ALL for n in names]
    return [ALL for _ in offices]
