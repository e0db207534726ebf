"""The scenario file (docs/reference.md §8) as pydantic v2 models. Knows nothing of OR-Tools.

Field descriptions become the JSON Schema (`plan schema`) that editors use to autocomplete.
Cross-references to the standard (roles, facilities, conditions) are checked in `loading.py`,
which knows where each value came from.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from planner.i18n import tr

YUAN_PER_WAN = 10_000


def _four_decimals(x: float) -> float:
    if abs(x * YUAN_PER_WAN - round(x * YUAN_PER_WAN)) > 1e-6:
        raise ValueError(tr("金额（万元）至多 4 位小数（精确到元）",
                            "money has at most 4 decimals in 万元 (whole yuan)"))
    return x


def _not_bool(x: object) -> object:
    # YAML reads `true` and `false` as booleans and pydantic would take them as 1/0:
    # a population of `true` is a mistake to report, not the number 1.
    if isinstance(x, bool):
        raise ValueError(tr("应为数字，不能是 true/false", "expected a number, not true/false"))  # noqa: TRY004 (pydantic wants ValueError)
    return x


NotBool = BeforeValidator(_not_bool)

# Upper bounds keep every figure, in yuan and summed, far inside CP-SAT's 64-bit integers.
Money = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False), AfterValidator(_four_decimals), NotBool]
Count = Annotated[int, Field(ge=0, le=1_000_000_000), NotBool]
Year = Annotated[int, Field(ge=1900, le=2200), NotBool]
Rate = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False), NotBool]
Tier = Literal["large", "medium", "small"]
TierOrAll = Literal["large", "medium", "small", "all"]


def to_yuan(wan: float) -> int:
    """万元 with ≤ 4 decimals → exact integer yuan."""
    return int(round(wan * YUAN_PER_WAN))


def to_wan(yuan: int) -> float:
    return round(yuan / YUAN_PER_WAN, 4)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Horizon(_Strict):
    start: Year = Field(description="first planning year")
    end: Year = Field(description="last planning year (inclusive)")

    @model_validator(mode="after")
    def _order(self) -> "Horizon":
        if self.end < self.start:
            raise ValueError(tr(f"结束年 {self.end} 早于开始年 {self.start}",
                                f"end {self.end} is before start {self.start}"))
        if self.end - self.start > 30:
            raise ValueError(tr("规划期超过 30 年", "horizon longer than 30 years"))
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))


class RoleCost(_Strict):
    one_time: Money = Field(0.0, description="万元 per person hired, in the year of hiring (recruitment, training)")
    annual: Money = Field(0.0, description="万元 per person per year, from the year of hiring on")


class FacilityCost(_Strict):
    one_time: Money = Field(0.0, description="万元 to set up the room, in its year")
    annual: Money = Field(0.0, description="万元 per year to run it, from its year on")


class LeaseCost(_Strict):
    annual_per_m2: Money = Field(description="万元 per m² per year (0.0245 = 245 yuan)")


class BuildCost(_Strict):
    one_time_per_m2: Money = Field(description="万元 per m² built, paid in the year building starts")
    lead_years: Count = Field(1, description="years from the start of building until the space counts")


class HousingCosts(_Strict):
    lease: LeaseCost | None = Field(None, description="price of leasing extra floor area; absent: no leasing")
    build: BuildCost | None = Field(None, description="price of building extra floor area; absent: no building")


class Costs(_Strict):
    roles: dict[str, RoleCost] = Field(default_factory=dict,
                                       description="every role that may be hired; an absent role cannot be hired")
    facilities: dict[str, FacilityCost] = Field(default_factory=dict,
                                                description="every room that may be set up; absent: cannot be added")
    housing: HousingCosts = Field(default_factory=HousingCosts,
                                  description="prices of extra floor area: lease and/or build")


class HousingOption(_Strict):
    id: str = Field(min_length=1, description="unique within the office")
    name: str | None = Field(None, description="what planners call it, e.g. 东侧附楼租赁 (shown instead of the id)")
    area_m2: Annotated[int, Field(ge=1, le=1_000_000_000), NotBool] = Field(description="floor area it adds, m²")
    one_time: Money = Field(0.0, description="万元, in the year it is taken")
    annual: Money = Field(0.0, description="万元 per year, from the year it is taken on")
    from_year: Year | None = Field(None, description="earliest year it can be taken")
    lead_years: Count = Field(0, description="years from taking it until the space counts")


CaseloadValue = Count | dict[Year, Count]


class Office(_Strict):
    id: str = Field(min_length=1, description="unique office id")
    name: str = Field(min_length=1, description="office name, e.g. 黄桥镇")
    county: str = Field(min_length=1, description="county-level unit (县/区/县级市)")
    city: str | None = Field(None, min_length=1, description="prefecture-level city (地级市), optional")
    province: str | None = Field(None, min_length=1, description="province (省), optional")
    kind: Literal["township", "subdistrict"] = Field(description="township (镇/乡) or subdistrict (街道)")
    population: Count | None = Field(None, description="resident population (常住人口)")
    area_km2: Annotated[float, Field(ge=0, le=1e7, allow_inf_nan=False), NotBool] | None = Field(
        None, description="area in km² (辖区面积)")
    gdp_rank: Annotated[int, Field(ge=1, le=1_000_000), NotBool] | None = Field(
        None, description="1 = largest GDP among the scenario's offices of the same county")
    demand: Literal["high", "medium", "low"] | None = Field(None, description="legal demand (法治需求)")
    tier: Tier | None = Field(None, description="tier override: large | medium | small")
    staff: dict[str, Count] = Field(default_factory=dict, description="role → current staff")
    floor_area_m2: Count = Field(0, description="current floor area (业务用房), m²")
    facilities: list[str] = Field(default_factory=list, description="rooms present now")
    caseload: dict[str, CaseloadValue] = Field(
        default_factory=dict, description="field → one number for every year, or year → number")
    attributes: dict[str, Annotated[float, Field(ge=-1e9, le=1e9, allow_inf_nan=False), NotBool]] = Field(
        default_factory=dict, description="values for the standard's conditions, e.g. score")
    housing_options: list[HousingOption] = Field(default_factory=list,
                                                 description="candidate premises (lease, exchange, purchase)")
    generated: list[str] = Field(default_factory=list,
                                 description="fields whose values are generated rather than real figures")

    def caseload_in(self, field: str, year: int) -> int:
        value = self.caseload.get(field, 0)
        if isinstance(value, dict):
            return value.get(year, 0)
        return value


Quarter = Annotated[int, Field(ge=1, le=4), NotBool]


class Schedule(_Strict):
    """The quarter of each milestone of an action (docs/reference.md §8 `schedule`; planner/analysis/milestones.py).

    The plan fixes years; these place each action's steps in quarters for the Word draft's 时间安排
    and the workbook's 时间进度表 and 完成时限."""

    hire_start: Quarter = Field(1, description="quarter recruitment of a hire starts (default 1)")
    hire_recruited: Quarter = Field(2, description="quarter recruitment is completed (default 2)")
    hire_in_post: Quarter = Field(3, description="quarter the hire is in post (default 3)")
    lease_signed: Quarter = Field(1, description="quarter a lease is signed (default 1)")
    build_start: Quarter = Field(1, description="quarter building starts, in the action's year (default 1)")
    build_complete: Quarter = Field(4, description="quarter building completes, in the year the space counts "
                                                   "(default 4)")
    housing_taken: Quarter = Field(1, description="quarter a housing option is taken (default 1)")
    housing_in_use: Quarter = Field(4, description="quarter an option with a lead time is handed over, in the "
                                                   "year its space counts (default 4)")
    facility_ready: Quarter = Field(3, description="quarter a room is set up (default 3)")
    acceptance: Quarter = Field(4, description="quarter of 验收 in the year an office first attains (default 4)")

    @model_validator(mode="after")
    def _order(self) -> "Schedule":
        steps = (("hire_start", "hire_recruited"), ("hire_recruited", "hire_in_post"),
                 ("build_start", "build_complete"), ("housing_taken", "housing_in_use"))
        for first, then in steps:
            late, early = getattr(self, then), getattr(self, first)
            if late < early:
                raise ValueError(tr(f"{then}（第 {late} 季度）早于 {first}（第 {early} 季度）",
                                    f"{then} (quarter {late}) is before {first} (quarter {early})"))
        return self


Area = Annotated[int, Field(ge=1, le=1_000_000_000), NotBool]
_NEEDS = {"hire": ("role", "count"), "lease": ("area_m2",), "build": ("area_m2",), "housing": ("option",),
          "facility": ("facility",)}


class KeptAction(_Strict):
    """One action of the earlier plan (docs/reference.md §5, without its costs)."""

    office: str = Field(min_length=1, description="office id")
    year: Year = Field(description="the year of the action in the earlier plan")
    type: Literal["hire", "lease", "build", "housing", "facility"] = Field(description="action type")
    role: str | None = Field(None, description="hire: the role")
    count: Area | None = Field(None, description="hire: people")
    area_m2: Area | None = Field(None, description="lease, build: m²")
    option: str | None = Field(None, description="housing: the option id")
    facility: str | None = Field(None, description="facility: the room id")

    @model_validator(mode="after")
    def _fields(self) -> "KeptAction":
        missing = [f for f in _NEEDS[self.type] if getattr(self, f) is None]
        if missing:
            raise ValueError(tr(f"{self.type} 行动缺少 {'、'.join(missing)}",
                                f"a {self.type} needs {', '.join(missing)}"))
        return self


class Keep(_Strict):
    """The earlier plan a re-plan stays close to (docs/reference.md §7 level 4); `plan advance` writes it."""

    plan: str = Field(description="the earlier plan.json these actions come from (shown in messages; not read)")
    verified: bool = Field(True, description="false: plan advance used a plan of another version of its "
                                             "scenario (--force)")
    actions: list[KeptAction] = Field(default_factory=list,
                                      description="its actions in this horizon, and its premises under way "
                                                  "taken in the first year")


BudgetShape = dict[Year | str, Money | dict[Year, Money]]
QuotaShape = dict[Year | str, Count | dict[Year, Count]]


class Scenario(_Strict):
    """A planning scenario: the offices, the standard, the horizon and the limits."""

    name: str = Field(min_length=1, description="free text, e.g. 泰州市 2022 年司法所分类建设计划")
    standard: str = Field(min_length=1, description="built-in id (jiangsu-2021, lianyungang-2019) "
                                                     "or a path relative to this file")
    horizon: Horizon = Field(description="planning years, e.g. {start: 2022, end: 2023}")
    targets: dict[Year, dict[TierOrAll, Rate]] | None = Field(
        None, description="year → tier (or all) → attainment rate; default: the standard's")
    target_scope: Literal["county", "city", "province", "all"] | None = Field(
        None, description="each county, city or province must reach the rates, or all offices together; "
                          "city/province without any office carrying one: all offices; default: the standard's")
    targets_mode: Literal["hard", "soft"] = Field("hard", description="hard: must be met; soft: minimise shortfall")
    weights: dict[Tier, Count] = Field(default_factory=dict, description="tier → weight of an attained office-year")
    budget: BudgetShape = Field(description="year → 万元 (scenario-wide) or county/city/province → {year → 万元}")
    quotas: dict[str, QuotaShape] = Field(
        default_factory=dict, description="role → (year → count, or county/city/province → {year → count})")
    costs: Costs = Field(default_factory=Costs, description="prices (万元) of hires, rooms and floor area")
    offices: list[Office] | str = Field(description="a list of offices, or a path to a .csv / .xlsx table")
    schedule: Schedule = Field(default_factory=Schedule,
                               description="quarters of the actions' milestones (时间进度表, 时间安排); "
                                           "default: hires Q1–Q3, leases Q1, builds Q1→Q4, rooms Q3, 验收 Q4")
    keep: Keep | None = Field(None, description="the earlier plan's actions to stay close to (plan advance "
                                                "writes it); plan solve minimises the actions changed "
                                                "against them below cost (level 4)")
