"""The input changes behind a plan's churn (docs/reference.md §9 `churn`, `causes`).

The earlier plan's scenario, rolled on to this horizon's first year when this one starts later
(`planner.analysis.advance.roll_on`, the scenario `plan advance` would write), is compared with this
scenario entry by entry, over this horizon's years: budget entries (scope, year), quota entries
(role, scope, year), target rates (year, tier), each office's data field by field, and the prices
and settings that hold every office. A changed, moved, dropped or new action is attributed to
each changed entry whose scope holds its office (`Requirements.scope_members()`; a target rate
holds the offices of its tier); when none does, to the changed entries that hold another office
of its component, the offices linked to it by shared limits (`shared: true`). None named: no
input change explains it (a tie among optima, or an earlier plan that was not optimal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.io.loading import LoadedScenario
from planner.io.scenario import to_wan
from planner.plan import Cause, ChurnItem
from planner.rules.requirements import Requirements
from planner.rules.scopes import ALL
from planner.solver.components import components

ORDER = ("office", "quota", "budget", "target", "costs", "settings")


@dataclass(frozen=True)
class Change:
    cause: Cause
    holds: frozenset[str] | None  # the office ids its scope holds; None: every office


def input_changes(before: LoadedScenario, after: LoadedScenario, req: Requirements) -> list[Change]:
    """Every entry of `after` (over its years) that differs from `before`; `req` is `after`'s."""
    years = set(after.years)
    ids = [o.id for o in req.offices]
    members = {scope: frozenset(ids[i] for i in idx) for scope, idx in req.scope_members().items()}
    out: list[Change] = []
    b0 = {(b.scope, b.year): b.amount_yuan for b in before.budgets if b.year in years}
    b1 = {(b.scope, b.year): b.amount_yuan for b in after.budgets}
    for scope, year in sorted(set(b0) | set(b1), key=lambda k: (k[1], k[0])):
        if b0.get((scope, year)) != b1.get((scope, year)):
            out.append(Change(Cause(kind="budget", scope=scope, year=year, earlier=_wan(b0.get((scope, year))),
                                    now=_wan(b1.get((scope, year)))), members.get(scope, frozenset())))
    q0 = {(q.role, q.scope, q.year): q.amount for q in before.quotas if q.year in years}
    q1 = {(q.role, q.scope, q.year): q.amount for q in after.quotas}
    for role, scope, year in sorted(set(q0) | set(q1), key=lambda k: (k[2], k[0], k[1])):
        if q0.get((role, scope, year)) != q1.get((role, scope, year)):
            out.append(Change(Cause(kind="quota", role=role, scope=scope, year=year,
                                    earlier=q0.get((role, scope, year)), now=q1.get((role, scope, year))),
                              members.get(scope, frozenset())))
    tiers = {o.id: o.tier for o in req.offices}
    for year in sorted(years):
        t0, t1 = before.targets.get(year, {}), after.targets.get(year, {})
        for tier in sorted(set(t0) | set(t1)):
            if t0.get(tier) != t1.get(tier):
                holds = None if tier == ALL else frozenset(i for i, t in tiers.items() if t == tier)
                out.append(Change(Cause(kind="target", year=year, tier=tier, earlier=t0.get(tier),
                                        now=t1.get(tier)), holds))
    out += _office_changes(before, after)
    out += [Change(Cause(kind="costs", field=f"costs.{k}", earlier=a, now=b), None)
            for k, a, b in _diff(before.scenario.costs.model_dump(), after.scenario.costs.model_dump())]
    settings = lambda s: {"standard": s.standard_ref, "target_scope": s.target_scope,  # noqa: E731
                          "targets_mode": s.scenario.targets_mode, "weights": s.weights}
    out += [Change(Cause(kind="settings", field=k, earlier=a, now=b), None)
            for k, a, b in _diff(settings(before), settings(after))]
    return out


def _office_changes(before: LoadedScenario, after: LoadedScenario) -> list[Change]:
    old = {o.id: o for o in before.offices}
    out = []
    for o in after.offices:
        if o.id not in old:
            out.append(Change(Cause(kind="office", office=o.id, field="id", earlier=None, now=o.id),
                              frozenset({o.id})))
            continue
        exclude = {"id", "generated"}
        for k, a, b in _diff(old[o.id].model_dump(exclude=exclude), o.model_dump(exclude=exclude)):
            out.append(Change(Cause(kind="office", office=o.id, field=k, earlier=a, now=b), frozenset({o.id})))
    return out


def _diff(a: Any, b: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """(dotted path, before, after) of every leaf that differs; lists of records keyed by their id,
    other lists compared as sets."""
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, dict) and "id" in x for x in a + b):
        a, b = {x["id"]: x for x in a}, {x["id"]: x for x in b}
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            out += _diff(a.get(k), b.get(k), f"{path}.{k}" if path else str(k))
        return out
    if isinstance(a, list) and isinstance(b, list) and sorted(map(str, a)) == sorted(map(str, b)):
        return []
    return [] if a == b else [(path, a, b)]


def _wan(yuan: int | None) -> float | None:
    return None if yuan is None else to_wan(yuan)


def attribute(items: list[ChurnItem], changes: list[Change], req: Requirements) -> list[ChurnItem]:
    """The items with their causes (kept items have none)."""
    if not changes:
        return items
    ids = [o.id for o in req.offices]
    group: dict[str, frozenset[str]] = {}
    for part in components(req):
        members = frozenset(ids[i] for i in part)
        group.update(dict.fromkeys(members, members))
    rank = {k: n for n, k in enumerate(ORDER)}
    ordered = sorted(changes, key=lambda c: rank[c.cause.kind])
    out = []
    for item in items:
        if item.change == "kept":
            out.append(item)
            continue
        direct = [c.cause for c in ordered if c.holds is None or item.office in c.holds]
        if not direct:
            near = group.get(item.office, frozenset())
            direct = [c.cause.model_copy(update={"shared": True}) for c in ordered
                      if c.holds is not None and c.holds & near]
        out.append(item.model_copy(update={"causes": direct}))
    return out
