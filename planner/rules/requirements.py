"""LoadedScenario → frozen, integer-unit `Requirements` the model builder only iterates over.

Money is in whole yuan (docs/reference.md §1). For every office and horizon year: the staff each role needs
(tier minimum or caseload ratio, whichever is larger), the total staff, the floor area, the rooms
(as alternatives), and whether the tier's conditions hold (money cannot fix those).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.io.loading import BudgetEntry, LoadedScenario, QuotaEntry
from planner.io.scenario import to_yuan
from planner.io.standards import AnyOf
from planner.rules.classify import classify_all
from planner.rules.needs import area_need, staff_need
from planner.rules.scopes import scope_members
from planner.rules.targets import TargetCell, target_cells


@dataclass(frozen=True)
class YearNeed:
    staff: tuple[int, ...]  # per role, in `Requirements.roles` order
    total_staff: int
    floor_area_m2: int


@dataclass(frozen=True)
class HousingOptionReq:
    id: str
    area_m2: int
    one_time: int  # yuan
    annual: int  # yuan
    first_year: int  # earliest year it may be taken (≥ horizon start)
    lead_years: int

    def takeable(self, years: tuple[int, ...], t: int) -> bool:
        """Whether it may be taken in year index `t` and still count within the horizon."""
        return years[t] >= self.first_year and t + self.lead_years < len(years)

    def counts_by(self, years: tuple[int, ...], t: int) -> bool:
        """Whether, taken at the earliest, its area counts by the end of year index `t`."""
        return years.index(self.first_year) + self.lead_years <= t


@dataclass(frozen=True)
class OfficeReq:
    id: str
    name: str
    county: str
    city: str | None
    province: str | None
    kind: str
    tier: str
    tier_reason: str
    tier_reason_zh: str
    weight: int
    staff0: tuple[int, ...]
    area0: int
    facilities0: frozenset[str]
    # Each room item is a tuple of alternatives; each alternative a tuple of facility ids (all needed).
    rooms: tuple[tuple[tuple[str, ...], ...], ...]
    conditions_ok: bool
    failed_conditions: tuple[str, ...]
    needs: tuple[YearNeed, ...]  # per horizon year
    housing_options: tuple[HousingOptionReq, ...]


@dataclass(frozen=True)
class RolePrice:
    one_time: int
    annual: int


@dataclass(frozen=True)
class KeptOffice:
    """One office's actions in an earlier plan, in model indices (level 4, docs/reference.md §7).

    `unreachable`: earlier actions this scenario cannot reproduce at all (an unknown role or housing
    option, a room the office now has, ...): each counts as one unit of churn whatever the plan."""

    hires: dict[tuple[int, int], int]  # (role index, year index) → count
    lease: dict[int, int]  # year index → m²
    build: dict[int, int]
    options: dict[int, int]  # option index → year index
    rooms: dict[str, int]  # facility → year index
    unreachable: int = 0

    @property
    def size(self) -> int:
        """The earlier actions it stands for (a plan with none of them has this much churn)."""
        return (len(self.hires) + len(self.lease) + len(self.build) + len(self.options) + len(self.rooms)
                + self.unreachable)


@dataclass(frozen=True)
class Requirements:
    name: str
    years: tuple[int, ...]
    roles: tuple[str, ...]
    hire_price: tuple[RolePrice | None, ...]  # per role; None: cannot be hired
    facility_price: dict[str, RolePrice]  # rooms that may be set up
    lease_per_m2: int | None
    build_per_m2: int | None
    build_lead_years: int
    offices: tuple[OfficeReq, ...]
    budgets: tuple[BudgetEntry, ...]
    quotas: tuple[QuotaEntry, ...]
    targets: tuple[TargetCell, ...]
    soft_targets: bool
    # The earlier plan to stay close to (level 4), per office id; None: no level 4 (planner/analysis/replan.py).
    keep: dict[str, KeptOffice] | None = None

    def office_index(self) -> dict[str, int]:
        return {o.id: i for i, o in enumerate(self.offices)}

    def scope_members(self) -> dict[str, tuple[int, ...]]:
        """Office indices per budget/quota/target scope name: "all" and each county, city and
        province (planner/rules/scopes.py).

        The one place that says which offices a scope holds (docs/reference.md §6); every consumer
        (model, components, verify, reports) asks here."""
        return scope_members(self.offices)


def derive(loaded: LoadedScenario, soft_targets: bool | None = None) -> Requirements:
    """Integer requirements per office × year, limits and target cells."""
    sc, std = loaded.scenario, loaded.standard
    roles = tuple(std.roles)
    years = tuple(loaded.years)
    classes = classify_all(loaded.offices, std)
    offices = []
    for o in loaded.offices:
        c = classes[o.id]
        ts = std.tiers[c.tier]  # type: ignore[index]
        needs = [YearNeed(tuple(staff_need(std, c.tier, o, r, y) for r in roles), ts.min_total_staff,
                          area_need(std, c.tier, o)) for y in years]
        rooms = tuple(
            tuple(tuple(g) for g in item.any_of) if isinstance(item, AnyOf) else ((item,),)
            for item in ts.facilities)
        failed = tuple(a for a, th in ts.conditions.items()
                       if o.attributes.get(a) is None or o.attributes[a] < th)
        options = tuple(
            HousingOptionReq(h.id, h.area_m2, to_yuan(h.one_time), to_yuan(h.annual),
                             max(h.from_year or years[0], years[0]), h.lead_years)
            for h in o.housing_options)
        offices.append(OfficeReq(
            id=o.id, name=o.name, county=o.county, city=o.city, province=o.province, kind=o.kind,
            tier=c.tier, tier_reason=c.reason,
            tier_reason_zh=c.reason_zh, weight=loaded.weights[c.tier],
            staff0=tuple(o.staff.get(r, 0) for r in roles), area0=o.floor_area_m2,
            facilities0=frozenset(o.facilities), rooms=rooms, conditions_ok=not failed,
            failed_conditions=failed, needs=tuple(needs), housing_options=options))
    costs = sc.costs
    hire_price = tuple(
        RolePrice(to_yuan(costs.roles[r].one_time), to_yuan(costs.roles[r].annual)) if r in costs.roles else None
        for r in roles)
    cells = target_cells(loaded.targets, loaded.target_scope, offices, [o.tier for o in offices])
    soft = sc.targets_mode == "soft" if soft_targets is None else soft_targets
    return Requirements(
        name=sc.name, years=years, roles=roles, hire_price=hire_price,
        facility_price={f: RolePrice(to_yuan(p.one_time), to_yuan(p.annual)) for f, p in costs.facilities.items()},
        lease_per_m2=to_yuan(costs.housing.lease.annual_per_m2) if costs.housing.lease else None,
        build_per_m2=to_yuan(costs.housing.build.one_time_per_m2) if costs.housing.build else None,
        build_lead_years=costs.housing.build.lead_years if costs.housing.build else 0,
        offices=tuple(offices), budgets=tuple(loaded.budgets), quotas=tuple(loaded.quotas),
        targets=tuple(cells), soft_targets=soft)


# ---------------------------------------------------------------- one limit at a time

Limit = BudgetEntry | QuotaEntry
UNLIMITED = 10**15  # an amount no plan reaches: the limit is lifted


def limit_amount(limit: Limit) -> int:
    """Yuan for a budget entry, people for a quota entry."""
    return limit.amount_yuan if isinstance(limit, BudgetEntry) else limit.amount


def with_amount(limit: Limit, amount: int) -> Limit:
    return replace(limit, amount_yuan=amount) if isinstance(limit, BudgetEntry) else replace(limit, amount=amount)


def with_limit(req: Requirements, limit: Limit, amount: int) -> Requirements:
    """`req` with this one entry's amount changed (equal entries are one entry: all change)."""
    if isinstance(limit, BudgetEntry):
        return replace(req, budgets=tuple(replace(b, amount_yuan=amount) if b == limit else b for b in req.budgets))
    return replace(req, quotas=tuple(replace(q, amount=amount) if q == limit else q for q in req.quotas))
