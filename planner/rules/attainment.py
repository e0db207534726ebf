"""The attainment rule (docs/reference.md §4) evaluated in plain Python on an office's state at a year end.

This is the rule as a checker: plan results, `plan verify`, explanations and `plan advance` use
it. The CP-SAT model encodes the same rule as constraints in `planner/solver/model/`; the two are kept
deliberately independent (neither imports the other) so each catches the other's mistakes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.io.scenario import Office
from planner.io.standards import AnyOf, Standard
from planner.rules.needs import area_need, staff_need


@dataclass
class OfficeState:
    """Staff, floor area and rooms of an office at a year end."""

    staff: dict[str, int]
    floor_area_m2: int
    facilities: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Gap:
    """One requirement of docs/reference.md §4 a state fails: `text` in English (what `verify` prints), `text_zh`
    for Chinese reports."""

    text: str
    text_zh: str


def gaps(std: Standard, tier: str, office: Office, year: int, state: OfficeState) -> list[Gap]:
    """Every requirement of docs/reference.md §4 the state fails; [] = attained."""
    ts = std.tiers[tier]  # type: ignore[index]
    out: list[Gap] = []
    for role in std.roles:  # rule 1 and rule 2: per-role minimum and caseload ratios
        have, need = state.staff.get(role, 0), staff_need(std, tier, office, role, year)
        if have < need:
            out.append(Gap(f"{role} {have} < {need}", f"{std.role_zh(role)} {have} 人，需 {need} 人"))
    total = sum(state.staff.values())  # rule 3
    if total < ts.min_total_staff:
        out.append(Gap(f"total staff {total} < {ts.min_total_staff}", f"总人数 {total} 人，需 {ts.min_total_staff} 人"))
    need_area = area_need(std, tier, office)  # rule 4
    if state.floor_area_m2 < need_area:
        out.append(Gap(f"floor area {state.floor_area_m2} < {need_area} m²",
                       f"业务用房 {state.floor_area_m2} m²，需 {need_area} m²"))
    for item in ts.facilities:  # rule 5
        if isinstance(item, AnyOf):
            if not any(all(f in state.facilities for f in group) for group in item.any_of):
                out.append(Gap("room: one of " + " | ".join("+".join(g) for g in item.any_of),
                               "缺功能室：" + " 或 ".join("+".join(std.facility_zh(f) for f in g)
                                                       for g in item.any_of)))
        elif item not in state.facilities:
            out.append(Gap(f"room {item}", f"缺功能室：{std.facility_zh(item)}"))
    for attr, threshold in ts.conditions.items():  # rule 6
        value = office.attributes.get(attr)
        if value is None or value < threshold:
            out.append(Gap(f"condition {attr} {value if value is not None else 'missing'} < {threshold:g}",
                           f"条件 {attr} 为 {value if value is not None else '缺失'}，需 ≥ {threshold:g}"))
    return out


def unmet(std: Standard, tier: str, office: Office, year: int, state: OfficeState) -> list[str]:
    """Every requirement of docs/reference.md §4 the state fails, as short English phrases; [] = attained."""
    return [g.text for g in gaps(std, tier, office, year, state)]


def initial_state(office: Office) -> OfficeState:
    return OfficeState(dict(office.staff), office.floor_area_m2, set(office.facilities))
