"""Construction standards (建设标准, docs/reference.md §2) as validated data.

Two ship with the planner (`jiangsu-2021`, `lianyungang-2019`); a scenario may name its own file,
validated just as strictly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from planner.i18n import tr

TIERS: tuple[str, ...] = ("large", "medium", "small")
TIER_ZH = {"large": "大型", "medium": "中型", "small": "小型"}
BUILTIN_DIR = Path(__file__).parent
BUILTIN_IDS: tuple[str, ...] = ("jiangsu-2021", "lianyungang-2019")

Tier = Literal["large", "medium", "small"]
Kind = Literal["township", "subdistrict"]
NonNegInt = Annotated[int, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Named(_Strict):
    name_zh: str = Field(description="Chinese name shown in reports")
    name_en: str = Field("", description="English name")


class CaseloadRatio(_Strict):
    field: str = Field(description="caseload field, e.g. correction_subjects")
    per_worker: int = Field(ge=1, description="persons per worker: staff ≥ ceil(caseload / per_worker)")


class SizeThreshold(_Strict):
    min_population: int = Field(ge=0, description="population at or above this (≥)")
    min_area_km2_exclusive: float = Field(ge=0, description="area strictly above this (>)")


class Classification(_Strict):
    match: Literal["all", "any"] = Field("all", description="all: every criterion must hold; any: one decides")
    size: dict[Literal["large", "medium"], SizeThreshold]


class AnyOf(_Strict):
    any_of: list[list[str]] = Field(min_length=1, description="met when every id of one inner list is present")


FacilityItem = str | AnyOf


class TierStandard(_Strict):
    name_zh: str
    min_total_staff: NonNegInt = 0
    min_staff: dict[str, NonNegInt] = Field(default_factory=dict)
    min_floor_area_m2: dict[Kind, NonNegInt]
    facilities: list[FacilityItem] = Field(default_factory=list)
    conditions: dict[str, float] = Field(default_factory=dict,
                                         description="attribute → minimum value (≥)")


class Standard(_Strict):
    id: str
    name: str
    source: str = ""
    roles: dict[str, Named] = Field(min_length=1)
    facilities: dict[str, Named] = Field(default_factory=dict)
    caseload_fields: dict[str, Named] = Field(default_factory=dict)
    attributes: dict[str, Named] = Field(default_factory=dict)
    caseload_ratios: dict[str, CaseloadRatio] = Field(default_factory=dict)
    classification: Classification
    tiers: dict[Tier, TierStandard]
    target_scope: Literal["county", "city", "province", "all"] = "county"
    default_targets: dict[int, dict[Literal["large", "medium", "small", "all"],
                                    Annotated[float, Field(ge=0, le=1)]]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cross_references(self) -> "Standard":
        missing = [t for t in TIERS if t not in self.tiers]
        if missing:
            raise ValueError(tr(f"缺少类别：{'、'.join(missing)}", f"tiers missing: {', '.join(missing)}"))
        for tier, ts in self.tiers.items():
            for role in ts.min_staff:
                if role not in self.roles:
                    raise ValueError(tr(f"tiers.{tier}.min_staff：未知岗位 {role!r}",
                                        f"tiers.{tier}.min_staff: unknown role {role!r}"))
            for fid in facility_ids(ts.facilities):
                if fid not in self.facilities:
                    raise ValueError(tr(f"tiers.{tier}.facilities：未知功能室 {fid!r}",
                                        f"tiers.{tier}.facilities: unknown facility {fid!r}"))
            for attr in ts.conditions:
                if attr not in self.attributes:
                    raise ValueError(tr(f"tiers.{tier}.conditions：未知条件属性 {attr!r}",
                                        f"tiers.{tier}.conditions: unknown attribute {attr!r}"))
        for role, ratio in self.caseload_ratios.items():
            if role not in self.roles:
                raise ValueError(tr(f"caseload_ratios：未知岗位 {role!r}", f"caseload_ratios: unknown role {role!r}"))
            if ratio.field not in self.caseload_fields:
                raise ValueError(tr(f"caseload_ratios.{role}：未知业务量字段 {ratio.field!r}",
                                    f"caseload_ratios.{role}: unknown caseload field {ratio.field!r}"))
        return self

    def role_zh(self, role: str) -> str:
        return self.roles[role].name_zh if role in self.roles else role

    def facility_zh(self, fid: str) -> str:
        return self.facilities[fid].name_zh if fid in self.facilities else fid


def facility_ids(items: list[FacilityItem]) -> list[str]:
    """Every facility id an item list mentions, in order, once."""
    out: list[str] = []
    for item in items:
        ids = [item] if isinstance(item, str) else [f for group in item.any_of for f in group]
        out.extend(f for f in ids if f not in out)
    return out


def builtin_path(standard_id: str) -> Path:
    return BUILTIN_DIR / f"{standard_id}.yaml"


def is_builtin(ref: str) -> bool:
    """Whether a scenario's `standard:` is a built-in id (else a path to a standard file)."""
    return ref in BUILTIN_IDS


def standard_path(ref: str, folder: Path) -> Path:
    """The file a scenario's `standard:` names: a built-in id's shipped file, else the path
    relative to the scenario's folder. The one place that resolves a standard reference."""
    return builtin_path(ref) if is_builtin(ref) else folder / ref
