"""Tier classification (docs/reference.md §3): size, economy and demand, each office with a one-line reason."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from planner.io.scenario import Office
from planner.io.standards import TIER_ZH, Standard

DEMAND_ZH = {"high": "量大", "medium": "较大", "low": "一般"}
ECONOMY_ZH = {"top": "前列", "middle": "中等", "low": "靠后"}


@dataclass(frozen=True)
class Classification:
    office_id: str
    tier: str
    size: str  # large-size | medium-size | small-size
    economy: str | None  # top | middle | low | None when gdp_rank is missing
    demand: str | None
    overridden: bool
    reason: str
    reason_zh: str


def size_class(office: Office, std: Standard) -> str:
    """`large-size` / `medium-size` / `small-size` by population (≥) or area (strictly >)."""
    pop = office.population or 0
    area = office.area_km2 or 0.0
    for name in ("large", "medium"):
        t = std.classification.size[name]  # type: ignore[index]
        if pop >= t.min_population or area > t.min_area_km2_exclusive:
            return f"{name}-size"
    return "small-size"


def economy_class(rank: int | None, n: int) -> str | None:
    """`top` when rank ≤ ceil(n/3), `middle` when ≤ ceil(2n/3), else `low`; None if unknown."""
    if rank is None:
        return None
    if rank <= math.ceil(n / 3):
        return "top"
    if rank <= math.ceil(2 * n / 3):
        return "middle"
    return "low"


def classify_office(office: Office, std: Standard, county_size: int) -> Classification:
    size = size_class(office, std)
    economy = economy_class(office.gdp_rank, county_size)
    demand = office.demand
    facts = _facts(office, size, economy, demand, county_size)
    if office.tier is not None:
        tier = office.tier
        return Classification(office.id, tier, size, economy, demand, True,
                              f"{tier}: set in the scenario (override); computed facts: {facts[0]}",
                              f"{TIER_ZH[tier]}：情景文件指定；测算依据：{facts[1]}")
    # A missing criterion does not count against the office (docs/reference.md §3).
    eco_top, eco_mid = economy in (None, "top"), economy in (None, "top", "middle")
    dem_high, dem_mid = demand in (None, "high"), demand in (None, "high", "medium")
    if std.classification.match == "all":
        if size == "large-size" and eco_top and dem_high:
            tier = "large"
        elif size in ("large-size", "medium-size") and eco_mid and dem_mid:
            tier = "medium"
        else:
            tier = "small"
    else:  # `any`: one criterion decides; a missing one is not evidence for a higher tier
        if size == "large-size" or economy == "top" or demand == "high":
            tier = "large"
        elif size == "medium-size" or economy == "middle" or demand == "medium":
            tier = "medium"
        else:
            tier = "small"
    return Classification(office.id, tier, size, economy, demand, False,
                          f"{tier}: {facts[0]}", f"{TIER_ZH[tier]}：{facts[1]}")


def _facts(office: Office, size: str, economy: str | None, demand: str | None, n: int) -> tuple[str, str]:
    pop = f"{office.population:,}" if office.population is not None else None
    area = f"{office.area_km2:g}" if office.area_km2 is not None else "?"
    size_zh = {"large-size": "大", "medium-size": "中", "small-size": "小"}[size]
    rank = f"GDP rank {office.gdp_rank}/{n} ({economy})" if economy else "GDP rank missing (treated as met)"
    rank_zh = (f"GDP 县内第{office.gdp_rank}/{n}（{ECONOMY_ZH[economy]}）" if economy
               else "GDP 排名缺失（视为满足）")
    dem = f"demand {demand}" if demand else "demand missing (treated as met)"
    dem_zh = f"法治需求{DEMAND_ZH[demand]}" if demand else "法治需求缺失（视为满足）"
    # A missing population is said plainly: the size then rests on the area alone (a lower tier, maybe).
    pop_en = f"population {pop}" if pop else "population missing (size by area only)"
    pop_zh = f"常住人口 {pop}" if pop else "常住人口缺失（仅按面积判断规模）"
    en = f"{pop_en}, area {area} km² ({size}); {rank}; {dem}"
    zh = f"{pop_zh}，面积 {area} km²（规模{size_zh}）；{rank_zh}；{dem_zh}"
    return en, zh


def classify_all(offices: list[Office], std: Standard) -> dict[str, Classification]:
    """Every office's classification, keyed by office id; n for economy is per county."""
    per_county = Counter(o.county for o in offices)
    return {o.id: classify_office(o, std, per_county[o.county]) for o in offices}
