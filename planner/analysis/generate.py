"""Synthetic scenarios for benchmarks and tests (`plan generate`), on the jiangsu-2021 standard.

Distributions (seeded, so the same arguments give byte-identical files):

| what | distribution |
|---|---|
| counties | ⌈N / 15⌉ counties named 县0001 …, 15 offices each (the last one fewer) |
| cities | consecutive counties grouped evenly into cities 市001 … (default ⌈counties / 6⌉, as in Jiangsu) |
| provinces | consecutive cities grouped evenly into provinces 省01 … (default ⌈cities / 13⌉, as in Jiangsu) |
| kind | 70% township, 30% subdistrict |
| population | log-normal, median ≈ 45,000 (e^10.7), σ 0.5: ~8% reach 100,000 |
| area km² | log-normal, median ≈ 60 (e^4.1), σ 0.6; subdistricts × 0.4 |
| gdp_rank | per county, by population × a uniform factor in [0.7, 1.3] |
| demand | by population: > 65,000 high, > 35,000 medium, else low |
| caseloads | correction subjects ≈ 0.4 per 1,000 residents, +1 a year; released persons ≈ 1 per 1,000 |
| staff | each role at its tier's need minus 0, 1 or 2 (weights 5:4:1) |
| floor area | the tier's need × one of 0.7, 0.8, 0.9, 1.0, 1.0, 1.1, 1.2 |
| rooms | each required room present with probability 0.8 |
| housing options | 15% of offices short of area: an exchange (lead 1–2 years) and/or a lease |
| costs | as docs/reference.md §8's example; facilities 2–15 万元 one-time, some with an annual cost |
| quotas | posts per county and year: 1 + the post deficit of the offices the estimate chooses |
| budgets | per county and year: `tightness` × a greedy lower bound of what that year's targets cost (see below) |

Tightness measured at 300 offices × 3 years, seed 1 (soft shortfall; hard feasible?): 0.8 → 77,
1.0 → 44, 1.2 → 18, 1.5 → 6 (hard infeasible), 2.0 → 0 (hard feasible, budgets binding), 3.0 → 0.

The budget estimate takes the cheapest offices per tier, priced by `planner.solver.model.bounds`, and spreads
their cost evenly over the years they count (county targets, whatever `target_scope` is written).
With `budget_scope` city, province or all, one fund per city, per province or for all offices
replaces the county budgets, each the sum of the county budgets it replaces, so tightness keeps its
meaning. Offices carry `city` and `province` only when a budget or target scope above the county, or
a number of cities or provinces, asks for them (per-county instances stay byte-identical).

Offices are written inline for N ≤ 2,000, else to a CSV beside the YAML (loads ~10× faster). An
office table has no housing-option columns (docs/reference.md §8), so large instances have no candidate
premises: their offices close area gaps by leasing or building.
"""

from __future__ import annotations

import csv
import math
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from planner.io.loading import load_scenario, load_standard_file
from planner.io.scenario import Office
from planner.io.standards import builtin_path
from planner.rules.classify import classify_all
from planner.rules.requirements import derive
from planner.rules.targets import required_count
from planner.solver.model.bounds import pattern_lower_bound

ROLES = ["posts", "mediators", "rule_of_law_sw", "legal_service_sw", "correction_sw", "resettlement_sw"]
NEED = {"large": {"posts": 4, "mediators": 3, "rule_of_law_sw": 1, "legal_service_sw": 1},
        "medium": {"posts": 3, "mediators": 2}, "small": {"posts": 2, "mediators": 2}}
AREA = {"large": (400, 300), "medium": (300, 200), "small": (200, 150)}
ROOMS = {"large": ["correction_branch_center", "public_legal_service_center", "non_litigation_center",
                   "mediation_committee", "governance_room", "publicity_room", "enforcement_supervision_room",
                   "enforcement_management_room", "five_stations"],
         "medium": ["public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
                    "enforcement_management_room", "five_stations"]}
ROOMS["small"] = ROOMS["medium"]
TARGETS = [{"large": 0.9, "medium": 0.3, "small": 0.1}, {"large": 1.0, "medium": 0.9, "small": 0.3},
           {"large": 1.0, "medium": 1.0, "small": 0.6}]
INLINE_MAX = 2000
COUNTIES_PER_CITY = 6  # Jiangsu: 95 county-level units in 13 cities
CITIES_PER_PROVINCE = 13
BUDGET_SCOPES = ("county", "city", "province", "all")
GENERATED_TARGET_SCOPES = ("county", "city")


@dataclass(frozen=True)
class Scopes:
    """Where the generated budgets and targets apply, and how counties group into cities and provinces."""

    budget: str = "county"  # county | city | province | all
    target: str = "county"  # county | city
    cities: int | None = None  # default ⌈counties / COUNTIES_PER_CITY⌉
    provinces: int | None = None  # default ⌈cities / CITIES_PER_PROVINCE⌉

    @property
    def places(self) -> bool:
        """Do offices carry a city and province? Only when something needs them, so that the
        per-county instances of earlier benchmarks stay byte-identical."""
        return (self.budget in ("city", "province") or self.target == "city"
                or self.cities is not None or self.provinces is not None)


def generate(offices: int, seed: int, years: int = 3, tightness: float = 2.0, start_year: int = 2022,
             soft: bool = False, scopes: Scopes = Scopes()) -> dict[str, Any]:
    """A scenario dict (docs/reference.md §8) with `offices` inline."""
    rnd = random.Random(seed)
    horizon = list(range(start_year, start_year + years))
    counties = [f"县{i + 1:04d}" for i in range(math.ceil(offices / 15))]
    rows = [_office(i, counties[i // 15], horizon, rnd) for i in range(offices)]
    if scopes.places:
        rows = _place(rows, counties, scopes)
    _ranks(rows, rnd)
    tiers = _tiers(rows)
    for o in rows:
        _state(o, tiers[o["id"]], horizon, rnd)
    costs = {"roles": {"posts": {"annual": 0}, "mediators": {"one_time": 0.5, "annual": 7.2},
                       "rule_of_law_sw": {"one_time": 0.5, "annual": 8.0},
                       "legal_service_sw": {"one_time": 0.5, "annual": 8.0},
                       "correction_sw": {"one_time": 0.3, "annual": 8.0},
                       "resettlement_sw": {"one_time": 0.3, "annual": 7.5}},
             "facilities": {f: {"one_time": round(rnd.uniform(2, 15), 1),
                                **({"annual": round(rnd.uniform(0.2, 1.5), 1)} if rnd.random() < 0.3 else {})}
                            for f in ROOMS["large"] + ["rule_of_law_room"]},
             "housing": {"lease": {"annual_per_m2": 0.024}, "build": {"one_time_per_m2": 0.45, "lead_years": 1}}}
    shared = {"county": "", "all": ", one budget for all offices"}.get(
        scopes.budget, f", one budget per {scopes.budget}")
    scenario: dict[str, Any] = {
        "name": f"synthetic {offices} offices × {years} years (seed {seed}, tightness {tightness}{shared})",
        "standard": "jiangsu-2021", "horizon": {"start": horizon[0], "end": horizon[-1]},
        "targets": {y: TARGETS[min(i + 3 - years, 2)] if years <= 3 else TARGETS[min(i, 2)]
                    for i, y in enumerate(horizon)},
        "target_scope": scopes.target, "targets_mode": "soft" if soft else "hard",
        "budget": {c: {y: 0 for y in horizon} for c in counties},
        "quotas": {"posts": {c: {y: 0 for y in horizon} for c in counties}},
        "costs": costs, "offices": rows}
    _limits(scenario, tiers, tightness)
    if scopes.budget != "county":
        scenario["budget"] = _shared_funds(scenario["budget"], rows, scopes.budget)
    return scenario


def _place(rows: list[dict[str, Any]], counties: list[str], scopes: Scopes) -> list[dict[str, Any]]:
    """Consecutive counties into cities, consecutive cities into provinces, as evenly as can be;
    each office gets its city and province right after its county."""
    n_cities = min(len(counties), scopes.cities or math.ceil(len(counties) / COUNTIES_PER_CITY))
    n_provinces = min(n_cities, scopes.provinces or math.ceil(n_cities / CITIES_PER_PROVINCE))
    city_of = {c: k * n_cities // len(counties) for k, c in enumerate(counties)}
    placed = []
    for o in rows:
        city = city_of[o["county"]]
        place = {"city": f"市{city + 1:03d}", "province": f"省{city * n_provinces // n_cities + 1:02d}"}
        placed.append({k: v for key, value in o.items()
                       for k, v in ([(key, value)] + (list(place.items()) if key == "county" else []))})
    return placed


def _shared_funds(per_county: dict[str, dict[int, float]], rows: list[dict[str, Any]],
                  scope: str) -> dict[Any, Any]:
    """One fund per city, province or for all offices: the sum of the county budgets it replaces."""
    holder = {o["county"]: (o[scope] if scope != "all" else None) for o in rows}
    funds: dict[Any, dict[int, float]] = {}
    for county, by_year in per_county.items():
        fund = funds.setdefault(holder[county], {})
        for year, amount in by_year.items():
            fund[year] = fund.get(year, 0.0) + amount
    rounded = {k: {y: round(a, 1) for y, a in v.items()} for k, v in funds.items()}
    return rounded[None] if scope == "all" else rounded


def _office(i: int, county: str, horizon: list[int], rnd: random.Random) -> dict[str, Any]:
    kind = "township" if rnd.random() < 0.7 else "subdistrict"
    pop = int(round(rnd.lognormvariate(10.7, 0.5), -2))
    area = round(rnd.lognormvariate(4.1, 0.6) * (1.0 if kind == "township" else 0.4), 1)
    corr = int(pop * rnd.uniform(0.3, 0.5) / 1000)
    return {"id": f"O{i + 1:05d}", "name": f"{county}第{i % 15 + 1}所", "county": county, "kind": kind,
            "population": pop, "area_km2": area,
            "demand": "high" if pop > 65000 else "medium" if pop > 35000 else "low",
            "caseload": {"correction_subjects": {y: corr + k for k, y in enumerate(horizon)},
                         "released_persons": int(pop * rnd.uniform(0.7, 1.3) / 1000)}}


def _ranks(rows: list[dict[str, Any]], rnd: random.Random) -> None:
    by_county: dict[str, list[dict[str, Any]]] = {}
    for o in rows:
        by_county.setdefault(o["county"], []).append(o)
    for mine in by_county.values():
        for rank, o in enumerate(sorted(mine, key=lambda o: -o["population"] * rnd.uniform(0.7, 1.3)), start=1):
            o["gdp_rank"] = rank


def _tiers(rows: list[dict[str, Any]]) -> dict[str, str]:
    std = load_standard_file(builtin_path("jiangsu-2021"), "jiangsu-2021")
    return {k: c.tier for k, c in classify_all([Office.model_validate(o) for o in rows], std).items()}


def _state(o: dict[str, Any], tier: str, horizon: list[int], rnd: random.Random) -> None:
    cs = o["caseload"]["correction_subjects"][horizon[0]]
    needs = dict(NEED[tier], correction_sw=math.ceil(cs / 15),
                 resettlement_sw=math.ceil(o["caseload"]["released_persons"] / 50))
    staff = {r: max(0, needs.get(r, 0) - rnd.choices([0, 1, 2], weights=[5, 4, 1])[0]) for r in ROLES}
    o["staff"] = {r: n for r, n in staff.items() if n}
    need_area = AREA[tier][0 if o["kind"] == "township" else 1]
    o["floor_area_m2"] = int(need_area * rnd.choice([0.7, 0.8, 0.9, 1.0, 1.0, 1.1, 1.2]))
    o["facilities"] = [f for f in ROOMS[tier] if rnd.random() < 0.8]
    gap = need_area - o["floor_area_m2"]
    if gap > 0 and rnd.random() < 0.15:
        options = []
        if rnd.random() < 0.7:
            options.append({"id": "exchange", "area_m2": gap + rnd.randint(20, 120),
                            "one_time": round(gap * rnd.uniform(0.1, 0.4), 1),
                            "annual": round(rnd.uniform(0, 2), 1), "lead_years": rnd.choice([1, 2])})
        if not options or rnd.random() < 0.5:
            options.append({"id": "lease-annex", "area_m2": gap + 10, "one_time": 1.0,
                            "annual": round(gap * rnd.uniform(0.015, 0.03), 2), "from_year": horizon[-1]
                            if len(horizon) > 1 and rnd.random() < 0.3 else horizon[0]})
        o["housing_options"] = options


def _limits(scenario: dict[str, Any], tiers: dict[str, str], tightness: float) -> None:
    """Budgets and post quotas from a greedy lower-bound estimate of meeting each year's targets."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        write_scenario(scenario, path)
        req = derive(load_scenario(path))
    T = len(req.years)
    per_county: dict[str, list[Any]] = {}
    for o in req.offices:
        per_county.setdefault(o.county, []).append(o)
    for county, offices in per_county.items():
        for t, year in enumerate(req.years):
            chosen = []
            for tier in ("large", "medium", "small"):
                mine = [o for o in offices if o.tier == tier and o.conditions_ok]
                rate = scenario["targets"][year].get(tier, 0)
                bounds = sorted(((b, o) for o in mine
                                 if (b := pattern_lower_bound(o, req, tuple(range(t, T)))) is not None),
                                key=lambda pair: (pair[0], pair[1].id))
                chosen += bounds[: required_count(rate, len(mine))]
            # Spread each chosen office's horizon cost evenly over the years from t on.
            spend = sum(b for b, _ in chosen) / max(1, T - t) / 10_000
            scenario["budget"][county][year] = round(max(5.0, tightness * spend), 1)
            posts = sum(max(0, o.needs[t].staff[0] - o.staff0[0]) for _, o in chosen)
            # Posts fill a year's own deficit among the chosen offices, with a little slack.
            scenario["quotas"]["posts"][county][year] = 1 + posts


def write_scenario(scenario: dict[str, Any], path: Path) -> None:
    """YAML, with offices in a CSV beside it when there are many (docs/reference.md §8 table columns)."""
    data = dict(scenario)
    offices = data["offices"]
    if len(offices) > INLINE_MAX:
        table = path.with_suffix(".csv")
        _write_csv(offices, table, list(range(scenario["horizon"]["start"], scenario["horizon"]["end"] + 1)))
        data = {**data, "offices": table.name}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120),
                    encoding="utf-8")


def _write_csv(offices: list[dict[str, Any]], path: Path, years: list[int]) -> None:
    places = [p for p in ("city", "province") if p in offices[0]]
    cols = ["id", "name", "county", *places, "kind", "population", "area_km2", "gdp_rank", "demand",
            "floor_area_m2", "facilities"] + [f"staff.{r}" for r in ROLES] + \
           [f"caseload.correction_subjects.{y}" for y in years] + ["caseload.released_persons"]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for o in offices:
            cs = o["caseload"]["correction_subjects"]
            w.writerow([o["id"], o["name"], o["county"], *(o[p] for p in places), o["kind"], o["population"],
                        o["area_km2"], o["gdp_rank"], o["demand"], o["floor_area_m2"], ";".join(o["facilities"])]
                       + [o["staff"].get(r, "") for r in ROLES] + [cs[y] for y in years]
                       + [o["caseload"]["released_persons"]])
