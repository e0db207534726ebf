"""The action vocabulary (docs/reference.md §5): one `ActionType` and one `ActionSpec` per type.

Every consumer asks the spec — its labels, what it names and how much it carries, what it adds
to the office's state, its lead time and its price — instead of branching on the type's string.
The strings (the enum's values) are those of plan.json and the scenario's `keep:`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from planner.io.scenario import HousingOption, Office, to_yuan

if TYPE_CHECKING:
    from planner.io.loading import LoadedScenario
    from planner.plan import Action


class ActionType(StrEnum):
    HIRE = "hire"
    LEASE = "lease"
    BUILD = "build"
    HOUSING = "housing"
    FACILITY = "facility"


class ActionError(ValueError):
    """An action the scenario does not allow (unknown office, unpriced role, ...)."""


@dataclass(frozen=True)
class Priced:
    one_time: int  # yuan, in the action's year
    annual: int  # yuan, in the action's year and every later horizon year
    effective: int  # first year-end at which it counts


Effect = Literal["staff", "area", "room"]  # what the action adds to the office's state


@dataclass(frozen=True)
class ActionSpec:
    type: ActionType
    zh: str  # 招录/聘用, as tables and the workbook name the type
    en: str
    item: str | None  # the Action field naming what it is about: role, option, facility
    amount: str | None  # the Action field of its own quantity: count, area_m2 (a housing option's is fixed)
    effect: Effect
    price: Callable[[LoadedScenario, Office, Action], Priced]  # raises ActionError when not allowed

    def item_of(self, a: Action) -> str | None:
        return getattr(a, self.item) if self.item else None

    def amount_of(self, a: Action) -> int | None:
        return getattr(a, self.amount) if self.amount else None


def housing_option(office: Office, option: str | None) -> HousingOption | None:
    """The office's housing option of that id, if it has one."""
    return next((h for h in office.housing_options if h.id == option), None)


def _price_hire(loaded: LoadedScenario, office: Office, a: Action) -> Priced:
    costs = loaded.scenario.costs
    if a.role not in loaded.standard.roles:
        raise ActionError(f"unknown role {a.role!r}")
    if a.role not in costs.roles:
        raise ActionError(f"role {a.role} cannot be hired (no price in costs.roles)")
    if a.count is None or a.count < 1:
        raise ActionError("a hire needs count ≥ 1")
    p = costs.roles[a.role]
    return Priced(a.count * to_yuan(p.one_time), a.count * to_yuan(p.annual), a.year)


def _need_area(a: Action) -> int:
    if a.area_m2 is None or a.area_m2 < 1:
        raise ActionError(f"a {a.type} needs area_m2 ≥ 1")
    return a.area_m2


def _price_lease(loaded: LoadedScenario, office: Office, a: Action) -> Priced:
    area = _need_area(a)
    lease = loaded.scenario.costs.housing.lease
    if lease is None:
        raise ActionError("the scenario prices no lease (costs.housing.lease)")
    return Priced(0, area * to_yuan(lease.annual_per_m2), a.year)


def _price_build(loaded: LoadedScenario, office: Office, a: Action) -> Priced:
    area = _need_area(a)
    b = loaded.scenario.costs.housing.build
    if b is None:
        raise ActionError("the scenario prices no build (costs.housing.build)")
    return Priced(area * to_yuan(b.one_time_per_m2), 0, a.year + b.lead_years)


def _price_housing(loaded: LoadedScenario, office: Office, a: Action) -> Priced:
    opt = housing_option(office, a.option)
    if opt is None:
        raise ActionError(f"office {office.id} has no housing option {a.option!r}")
    if opt.from_year is not None and a.year < opt.from_year:
        raise ActionError(f"housing option {opt.id} is taken in {a.year}, before its from_year {opt.from_year}")
    return Priced(to_yuan(opt.one_time), to_yuan(opt.annual), a.year + opt.lead_years)


def _price_facility(loaded: LoadedScenario, office: Office, a: Action) -> Priced:
    costs = loaded.scenario.costs
    if a.facility not in loaded.standard.facilities:
        raise ActionError(f"unknown facility {a.facility!r}")
    if a.facility in office.facilities:
        raise ActionError(f"office {office.id} already has {a.facility}")
    if a.facility not in costs.facilities:
        raise ActionError(f"facility {a.facility} cannot be set up (no price in costs.facilities)")
    fc = costs.facilities[a.facility]
    return Priced(to_yuan(fc.one_time), to_yuan(fc.annual), a.year)


SPECS: dict[ActionType, ActionSpec] = {s.type: s for s in (
    ActionSpec(ActionType.HIRE, "招录/聘用", "hire", "role", "count", "staff", _price_hire),
    ActionSpec(ActionType.LEASE, "租赁", "lease", None, "area_m2", "area", _price_lease),
    ActionSpec(ActionType.BUILD, "新建", "build", None, "area_m2", "area", _price_build),
    ActionSpec(ActionType.HOUSING, "用房方案", "housing option", "option", None, "area", _price_housing),
    ActionSpec(ActionType.FACILITY, "功能室", "room", "facility", None, "room", _price_facility),
)}


def spec(a: Action | str) -> ActionSpec:
    """The spec of an action (or of a type's string); ActionError for an unknown type."""
    kind = a if isinstance(a, str) else a.type
    try:
        return SPECS[ActionType(kind)]
    except ValueError:
        raise ActionError(f"unknown action type {kind!r}") from None


def price(loaded: LoadedScenario, office: Office, a: Action) -> Priced:
    """Cost and effective year of one action; raises ActionError when it is not allowed."""
    return spec(a).price(loaded, office, a)


def area_added(office: Office, a: Action) -> int:
    """The floor area an area action adds: its own, or its housing option's."""
    if a.type == ActionType.HOUSING:
        opt = housing_option(office, a.option)
        return opt.area_m2 if opt is not None else 0
    return a.area_m2 or 0


def lead_years(loaded: LoadedScenario, office: Office | None, a: Action) -> int:
    """Years from the action until it counts (docs/reference.md §5): a build's lead, a housing
    option's; 0 for everything else and for what the scenario does not know."""
    if a.type == ActionType.BUILD:
        build = loaded.scenario.costs.housing.build
        return build.lead_years if build is not None else 0
    if a.type == ActionType.HOUSING and office is not None:
        opt = housing_option(office, a.option)
        return opt.lead_years if opt is not None else 0
    return 0
