"""Churn between an earlier plan's actions and a plan's (docs/reference.md §7 level 4, §9 `churn`).

An action's slot is (office, type, item, year), the item being the role, housing option or room
(none for leases and builds); its quantity is the count (hires) or the m² (leases, builds). Actions
of one slot are merged (their quantities summed), as the model holds one quantity per slot.

* kept: the same slot with the same quantity in both;
* changed: the same slot, another quantity;
* moved: an earlier action of the same office, type and item in another year (paired in year order);
* dropped: an earlier action with no counterpart; new: an action with no earlier counterpart.

Churn = the earlier actions not kept + the plan's actions not kept = dropped + new + 2 × (moved +
changed): exactly what level 4 minimises (planner/solver/model/churn.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from planner.plan import Action, Churn, ChurnItem, ChurnSide
from planner.rules.actions import ActionType, spec

Key = tuple[str, str, str]  # office, type, item
Slot = tuple[str, str, str, int]  # office, type, item, year


def item_of(a: Action) -> str:
    return a.role or a.option or a.facility or ""


def quantity(a: Action) -> int | None:
    if a.type == ActionType.HIRE:
        return a.count
    return a.area_m2 if a.type in (ActionType.LEASE, ActionType.BUILD) else None


def slots(actions: Iterable[Action]) -> dict[Slot, int | None]:
    """Slot → quantity, actions of one slot merged."""
    out: dict[Slot, int | None] = {}
    for a in actions:
        slot = (a.office, a.type, item_of(a), a.year)
        q = quantity(a)
        out[slot] = (out.get(slot) or 0) + q if q is not None else None
    return out


def churn_items(earlier: Sequence[Action], now: Sequence[Action]) -> list[ChurnItem]:
    """Every earlier and every present action, once each, as kept / changed / moved / dropped / new."""
    before, after = slots(earlier), slots(now)
    groups: dict[Key, tuple[dict[int, int | None], dict[int, int | None]]] = {}
    for side, table in ((0, before), (1, after)):
        for (office, kind, item, year), q in table.items():
            groups.setdefault((office, kind, item), ({}, {}))[side][year] = q
    items: list[ChurnItem] = []
    for key in sorted(groups):
        e, n = groups[key]
        for year in sorted(set(e) & set(n)):
            items.append(_item(key, "kept" if e[year] == n[year] else "changed", (year, e.pop(year)),
                               (year, n.pop(year))))
        left, right = sorted(e), sorted(n)
        for ye, yn in zip(left, right):
            items.append(_item(key, "moved", (ye, e[ye]), (yn, n[yn])))
        items += [_item(key, "dropped", (y, e[y]), None) for y in left[len(right):]]
        items += [_item(key, "new", None, (y, n[y])) for y in right[len(left):]]
    return items


def _item(key: Key, change: str, earlier: tuple[int, int | None] | None,
          now: tuple[int, int | None] | None) -> ChurnItem:
    office, kind, item = key
    field, qty = spec(kind).item, spec(kind).amount

    def side(s: tuple[int, int | None] | None) -> ChurnSide | None:
        return None if s is None else ChurnSide(year=s[0], **({qty: s[1]} if qty else {}))

    return ChurnItem(change=change, office=office, type=kind,  # type: ignore[arg-type]
                     **({field: item} if field else {}), earlier=side(earlier), now=side(now))


def counts(items: Sequence[ChurnItem]) -> dict[str, int]:
    c = Counter(i.change for i in items)
    out = {k: c.get(k, 0) for k in ("kept", "moved", "changed", "dropped", "new")}
    out["churn"] = out["dropped"] + out["new"] + 2 * (out["moved"] + out["changed"])
    return out


def churn_value(earlier: Sequence[Action], now: Sequence[Action]) -> int:
    """|earlier Δ now| over slots with their quantities (level 4's value for `now`)."""
    a, b = set(slots(earlier).items()), set(slots(now).items())
    return len(a - b) + len(b - a)


def check_churn(churn: Churn, actions: Sequence[Action], years: Sequence[int]) -> list[tuple[str, str]]:
    """What a plan's churn section must agree with: every action of the plan listed once as kept,
    changed, moved or new, with its year and quantity; the counts those of the items; every year
    in the horizon. (The earlier side is as the solve read it; without that plan it cannot be
    re-checked.) Returns (where, message) pairs; [] = it holds."""
    out = []
    listed: Counter[tuple[str, str, str, int, int | None]] = Counter()
    for i in churn.actions:
        if i.now is not None:
            listed[(i.office, i.type, i.role or i.option or i.facility or "", i.now.year,
                    i.now.count if i.type == ActionType.HIRE else i.now.area_m2)] += 1
        for s in (i.earlier, i.now):
            if s is not None and s.year not in years:
                out.append(("churn.actions", f"{i.office} {i.type}: year {s.year} is outside the horizon"))
        if (i.earlier is None) != (i.change == "new") or (i.now is None) != (i.change == "dropped"):
            out.append(("churn.actions", f"{i.office} {i.type} {i.change}: sides do not fit the change"))
    plan = Counter(slot + (q,) for slot, q in slots(actions).items())
    if listed != plan:
        missing = sorted(map(str, (plan - listed).elements()))[:3]
        extra = sorted(map(str, (listed - plan).elements()))[:3]
        out.append(("churn.actions", f"the present side does not list the plan's actions exactly "
                                     f"(unlisted: {missing}, not in the plan: {extra})"))
    stated = {k: getattr(churn, k) for k in ("kept", "moved", "changed", "dropped", "new", "churn")}
    if stated != counts(churn.actions):
        out.append(("churn", f"counts stated {stated}, the items give {counts(churn.actions)}"))
    if list(churn.years) != list(years):
        out.append(("churn.years", f"states {churn.years}, the horizon is {list(years)}"))
    return out
