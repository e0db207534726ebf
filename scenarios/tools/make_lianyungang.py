#!/usr/bin/env python3
"""Generate scenarios/lianyungang-2019.yaml: the 90 township-level units of 连云港市 on the
lianyungang-2019 pilot standard (政法专编 + 聘用司法助理, floor area, 标准化建设考核分 ≥ 90/85/80).

Real (scenarios/data/lianyungang_towns.csv): every unit's name, county and kind, and population and
area for the 6 units that have a public figure. Generated, seeded with random.Random(2019) and
marked per office under `generated:`: the other populations and areas (scaled so the city's real +
generated figures sum to about its 2020 census population and its area — the sources give no
county table for 连云港), GDP ranks and legal demand (correlated with population), current staff,
floor area, standardisation scores, and a few candidate premises.

Targets are the standard's defaults (each county: 50% of its offices by end-2019, all by end-2020),
so every office must be able to attain: no action changes a score, so every generated score is at
or above its tier's threshold. Budgets and post quotas per county come from the same greedy
estimate as scenarios/2022.yaml (make_taizhou.py): budget = `--tightness` × greedy cost, whole
万元 up; post quota = greedy posts + `--post-margin`.

Only the standard library and PyYAML.

    python scenarios/tools/make_lianyungang.py                 # writes scenarios/lianyungang-2019.yaml
    python scenarios/tools/make_lianyungang.py --tightness 1.05 -o /tmp/lyg.yaml
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_taizhou import (
    REPO,
    add_args,
    classify,
    demands,
    fill_missing,
    gdp_ranks,
    housing_options,
    kind_of,
    load_standard,
    read_units,
    report,
    requirements,
    set_limits,
    write,
)

HERE = Path(__file__).resolve()
DATA = REPO / "scenarios/data/lianyungang_towns.csv"
OUT = REPO / "scenarios/lianyungang-2019.yaml"
SEED = 2019
YEARS = (2019, 2020)
CITY = ("连云港市", 4_599_360, 7_615.0)  # 2020 census resident population; area km² (approximate)
PREFIX = {"连云区": "LY", "海州区": "HZ", "赣榆区": "GY", "东海县": "DH", "灌云县": "GU", "灌南县": "GN",
          "连云港经济技术开发区": "KF"}
COSTS: dict[str, Any] = {
    "roles": {
        "posts": {"annual": 0},  # 政法专编: salaries are paid outside this budget
        "assistants": {"one_time": 0.3, "annual": 5.5},  # 聘用司法助理
    },
    "housing": {"lease": {"annual_per_m2": 0.02}, "build": {"one_time_per_m2": 0.4, "lead_years": 1}},
}
READINESS = (("ready", 0.10, 0.0), ("near", 0.50, 0.4), ("far", 0.40, 0.7))  # 2019: a pilot year


def current_state(o: dict[str, Any], tier: str, std: dict[str, Any], rnd: random.Random) -> None:
    """Staff and floor area around the office's tier (~10% at standard, ~50% near, ~40% far);
    a score at or above the tier's threshold (ready offices a little higher)."""
    r = rnd.random()
    level = next((name for name, share, _ in READINESS if (r := r - share) < 0), "far")
    p = {name: gap for name, _, gap in READINESS}[level]
    req = requirements(o, tier, YEARS[0], std)
    staff = {}
    for role, need in req["staff"].items():
        short = 0
        if rnd.random() < p:
            short = 2 if level == "far" and rnd.random() < 0.5 else 1
        staff[role] = max(1 if role == "posts" else 0, need - short)
    o["staff"] = {k: v for k, v in staff.items() if v}
    if level == "ready" or rnd.random() >= p:
        factor = rnd.choice([1.0, 1.0, 1.1, 1.2, 1.3])
    else:
        factor = rnd.uniform(0.55, 0.7) if level == "far" else rnd.uniform(0.72, 0.95)
    o["floor_area_m2"] = round(req["area"] * factor / 10.0) * 10
    threshold = int(req["conditions"]["score"])
    o["attributes"] = {"score": min(98, threshold + rnd.randint(0, 4) + (3 if level == "ready" else 0))}


def build(rnd: random.Random, units: list[dict[str, Any]], std: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    unknown = {u["county"] for u in units} - set(PREFIX)
    if unknown:
        raise SystemExit(f"unknown counties in the data: {sorted(unknown)}")
    for u in units:
        u["_city"] = CITY[0]
    fill_missing(units, {CITY[0]: CITY[1:]}, rnd, pop_floor={"街道": 8_000, "镇": 15_000},
                 area_floor={"街道": 5.0, "镇": 30.0}, key="_city",
                 sub_weight=(0.7, 0.3))  # many of 连云港's 街道 are small port, island or suburban ones
    offices: list[dict[str, Any]] = []
    for county, prefix in PREFIX.items():
        for i, u in enumerate((u for u in units if u["county"] == county), start=1):
            offices.append({"id": f"{prefix}-{i:02d}", "name": u["name"], "county": county,
                            "kind": kind_of(u), "population": u["population"], "area_km2": u["area_km2"],
                            "generated": u["_generated"] + ["gdp_rank", "demand", "staff", "floor_area_m2",
                                                            "attributes"]})
    gdp_ranks(offices, rnd)
    demands(offices, rnd, high=0.6, medium=0.3)
    tiers = classify(offices, std)
    for o in offices:
        current_state(o, tiers[o["id"]], std, rnd)
    housing_options(offices, tiers, std, rnd, count=8, first_year=YEARS[0])
    order = ["id", "name", "county", "kind", "population", "area_km2", "gdp_rank", "demand", "staff",
             "floor_area_m2", "attributes", "housing_options", "generated"]
    scenario = {
        "name": "连云港市 2019—2020 年司法所分类建设试点",
        "standard": "lianyungang-2019",
        "horizon": {"start": YEARS[0], "end": YEARS[-1]},
        # targets omitted: the standard's defaults (2019: 50%, 2020: 100% of each county's offices)
        "budget": {},
        "quotas": {"posts": {}},
        "costs": COSTS,
        "offices": [{k: o[k] for k in order if k in o} for o in offices],
    }
    return scenario, tiers


HEADER = """\
# 连云港市 2019—2020 年司法所分类建设试点 — scenario for `plan solve` (docs/reference.md §8), lianyungang-2019 standard.
#
# Produced by scenarios/tools/make_lianyungang.py; do not edit by hand, re-run:
#     {command}
# (seed {seed}, tightness {tightness}, post margin {margin}; data: scenarios/data/lianyungang_towns.csv)
#
# REAL: every office's name, county and kind — all 90 township-level units of 连云港市 (national
#   statistics bureau code list, 2022-10-31, used as the 2019 list) — and population and area for
#   the 6 units with a public figure (sources in the CSV; concepts and years differ).
# GENERATED (seeded; each office lists its generated fields under `generated:`): the other
#   populations and areas, scaled so the city's real + generated figures sum to about its 2020
#   census population (4.6 million) and its area (about 7,615 km²); GDP ranks and legal demand
#   (correlated with population); current staff, floor area, standardisation scores (标准化建设
#   考核分, each at or above its tier's threshold, since targets ask for all offices by 2020 and no
#   action changes a score); candidate premises (housing_options); all unit costs.
# TARGETS: the standard's defaults (each county: 50% by end-2019, all by end-2020).
# LIMITS: each county's budget (万元) per year = {tightness} × a greedy estimate of what meeting that
#   year's targets costs it (cheapest offices lifted; 2019 hires keep costing their annual amount in
#   2020); post quota (政法专编) = the posts that estimate fills + {margin}.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_args(ap, DATA, OUT, SEED)
    args = ap.parse_args()
    std = load_standard("lianyungang-2019")
    scenario, tiers = build(random.Random(args.seed), read_units(args.data), std)
    g = set_limits(scenario, std, tiers, args.tightness, args.post_margin)
    command = "python scenarios/tools/make_lianyungang.py" + (
        f" --tightness {args.tightness:g}" if args.tightness != 1.15 else "") + (
        f" --post-margin {args.post_margin}" if args.post_margin != 1 else "") + (
        f" --seed {args.seed}" if args.seed != SEED else "")
    header = HEADER.format(command=command, seed=args.seed, tightness=f"{args.tightness:g}", margin=args.post_margin)
    write(scenario, header, args.output, std)
    report(scenario, tiers, g, None)
    pop = sum(o["population"] for o in scenario["offices"])
    area = sum(o["area_km2"] for o in scenario["offices"])
    print(f"city: population {pop:,} (census {CITY[1]:,}), area {area:.1f} km² (about {CITY[2]:,.0f})")


if __name__ == "__main__":
    main()
