"""Generate scenarios/2022.yaml: all 88 township-level units of 泰州市 on the jiangsu-2021 standard.

Real: every unit's name, county and kind (镇/乡 → township, 街道 → subdistrict), and population
and area for the 24 units with a public figure (shared/data/taizhou_towns.csv). Generated (seeded,
marked per office in `generated:`): the other populations and areas, scaled so that each county's
real + generated figures sum to about its 2020 census population and its area; GDP ranks and
legal demand (correlated with population); current staff, floor area, rooms and caseloads.

Budgets and post quotas are set from the planner's own optimum: the scenario is first solved with
ample budgets and no weight on attainment (the cheapest plan that meets the targets), then each
county's budget for each year is `--tightness` × what that plan spends there (and each quota the posts it fills, + 1), so the real plan is tight but feasible.

    python scenarios/tools/make_taizhou.py            # writes scenarios/2022.yaml
    python scenarios/tools/make_taizhou.py --tightness 1.05 -o /tmp/2022-tight.yaml
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve()
REPO = HERE.parents[2]
DATA = HERE.parents[3] / "shared" / "data" / "taizhou_towns.csv"
sys.path.insert(0, str(REPO))

COUNTIES = {  # 2020 census resident population, area km² (shared/data/README.md)
    "海陵区": ("HL", 577_016, 375.31),
    "高港区": ("GG", 258_590 + 222_691, 286.84),  # incl. 医药高新区, whose units sit under 高港区
    "姜堰区": ("JY", 668_408, 857.75),
    "兴化市": ("XH", 1_128_204, 2_393.35),
    "靖江市": ("JJ", 663_408, 655.58),
    "泰兴市": ("TX", 994_445, 1_172.27),
}
ROLES = ["posts", "mediators", "rule_of_law_sw", "legal_service_sw", "correction_sw", "resettlement_sw"]
ROOMS = {
    "large": ["correction_branch_center", "public_legal_service_center", "non_litigation_center",
              "mediation_committee", "governance_room", "publicity_room", "enforcement_supervision_room",
              "enforcement_management_room", "five_stations"],
    "medium": ["public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
               "enforcement_management_room", "five_stations"],
    "small": ["public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
              "enforcement_management_room", "five_stations"],
}
COSTS = {
    "roles": {
        "posts": {"annual": 0},  # 政法专项编制 salaries are paid outside this budget
        "mediators": {"one_time": 0.5, "annual": 7.2},
        "rule_of_law_sw": {"one_time": 0.5, "annual": 8.0},
        "legal_service_sw": {"one_time": 0.5, "annual": 8.0},
        "correction_sw": {"one_time": 0.3, "annual": 8.0},
        "resettlement_sw": {"one_time": 0.3, "annual": 7.5},
    },
    "facilities": {
        "correction_branch_center": {"one_time": 12.0, "annual": 1.0},
        "public_legal_service_center": {"one_time": 15.0, "annual": 1.0},
        "non_litigation_center": {"one_time": 6.0},
        "mediation_committee": {"one_time": 2.0},
        "governance_room": {"one_time": 3.0},
        "publicity_room": {"one_time": 3.5},
        "enforcement_supervision_room": {"one_time": 3.0},
        "enforcement_management_room": {"one_time": 3.0},
        "five_stations": {"one_time": 5.0, "annual": 0.5},
        "rule_of_law_room": {"one_time": 4.0},
    },
    "housing": {"lease": {"annual_per_m2": 0.024}, "build": {"one_time_per_m2": 0.45, "lead_years": 1}},
}
TARGETS = {2022: {"large": 1.0, "medium": 0.9, "small": 0.3}, 2023: {"large": 1.0, "medium": 1.0, "small": 0.6}}


def read_units(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fill_figures(units: list[dict], rnd: random.Random) -> None:
    """Generated population/area for units without a public figure, matching county totals."""
    for county, (_, pop_total, area_total) in COUNTIES.items():
        mine = [u for u in units if u["county"] == county]
        for field, total, cast in (("population", pop_total, int), ("area_km2", area_total, float)):
            known = sum(float(u[field]) for u in mine if u[field])
            missing = [u for u in mine if not u[field]]
            weights = [rnd.lognormvariate(0, 0.45) * (0.6 if u["kind"] == "街道" and field == "area_km2" else 1.0)
                       for u in missing]
            rest = max(total - known, 0.25 * total)
            for u, w in zip(missing, weights):
                value = rest * w / sum(weights)
                u[field] = str(int(round(value, -2))) if cast is int else f"{value:.1f}"
                u.setdefault("_generated", []).append(field)


def office_entry(u: dict, index: int, rank: int, demand: str, rnd: random.Random) -> dict:
    abbr = COUNTIES[u["county"]][0]
    pop, area = int(u["population"]), float(u["area_km2"])
    corr = max(0, round(pop * rnd.uniform(0.25, 0.45) / 1000))
    released = max(0, round(pop * rnd.uniform(0.5, 1.1) / 1000))
    return {
        "id": f"{abbr}-{index:02d}", "name": u["name"], "county": u["county"],
        "kind": "subdistrict" if u["kind"] == "街道" else "township",
        "population": pop, "area_km2": area, "gdp_rank": rank, "demand": demand,
        "caseload": {"correction_subjects": {2022: corr, 2023: corr + rnd.choice([0, 1, 2, 3])},
                     "released_persons": released},
        "generated": u.get("_generated", []) + ["gdp_rank", "demand", "staff", "floor_area_m2",
                                                 "facilities", "caseload"],
    }


def current_state(o: dict, tier: str, rnd: random.Random) -> None:
    """Staff, floor area and rooms near the tier's standard: some offices meet it, most lack a little."""
    need = {"large": {"posts": 4, "mediators": 3, "rule_of_law_sw": 1, "legal_service_sw": 1},
            "medium": {"posts": 3, "mediators": 2}, "small": {"posts": 2, "mediators": 2}}[tier]
    corr = math.ceil(o["caseload"]["correction_subjects"][2022] / 15)
    res = math.ceil(o["caseload"]["released_persons"] / 50)
    staff = {}
    for role in ROLES:
        target = need.get(role, 0) if role not in ("correction_sw", "resettlement_sw") else \
            (corr if role == "correction_sw" else res)
        short = rnd.choices([0, 1, 2], weights=[5, 4, 1])[0]
        staff[role] = max(0, target - short)
    o["staff"] = {r: n for r, n in staff.items() if n}
    area_need = {"large": (400, 300), "medium": (300, 200), "small": (200, 150)}[tier]
    base = area_need[0] if o["kind"] == "township" else area_need[1]
    o["floor_area_m2"] = int(base * rnd.choice([0.7, 0.8, 0.9, 1.0, 1.0, 1.1, 1.2]))
    rooms = [r for r in ROOMS[tier] if rnd.random() < 0.8]
    o["facilities"] = rooms
    if o["floor_area_m2"] < base and rnd.random() < 0.35:
        gap = base - o["floor_area_m2"]
        o["housing_options"] = [
            {"id": "annex-lease", "area_m2": gap + 20, "one_time": 2.0, "annual": round(gap * 0.02, 2)},
            {"id": "exchange", "area_m2": gap + 100, "one_time": round(gap * 0.3, 1), "lead_years": 1,
             "from_year": 2022},
        ]


def build(rnd: random.Random, units: list[dict]) -> dict:
    from planner.classify import classify_all
    from planner.scenario import Office
    from planner.standards import Standard, builtin_path
    from planner.yamlsrc import load_yaml

    fill_figures(units, rnd)
    offices: list[dict] = []
    pops = sorted(int(u["population"]) for u in units)
    for county, (abbr, _, _) in COUNTIES.items():
        mine = [u for u in units if u["county"] == county]
        by_gdp = sorted(mine, key=lambda u: -int(u["population"]) * rnd.uniform(0.7, 1.3))
        rank = {u["name"]: i + 1 for i, u in enumerate(by_gdp)}
        for i, u in enumerate(mine, start=1):
            share = pops.index(int(u["population"])) / len(pops)  # city-wide population percentile
            demand = "high" if share + rnd.uniform(-0.1, 0.1) > 0.7 else \
                "medium" if share + rnd.uniform(-0.1, 0.1) > 0.3 else "low"
            offices.append(office_entry(u, i, rank[u["name"]], demand, rnd))
    std = Standard.model_validate(load_yaml(builtin_path("jiangsu-2021"), "jiangsu-2021")[0])
    tiers = classify_all([Office.model_validate({k: v for k, v in o.items() if k != "generated"})
                          for o in offices], std)
    for o in offices:
        current_state(o, tiers[o["id"]].tier, rnd)
    return {
        "name": "泰州市 2022—2023 年司法所分类建设计划",
        "standard": "jiangsu-2021",
        "horizon": {"start": 2022, "end": 2023},
        "targets": TARGETS,
        "target_scope": "county",
        "budget": {c: {2022: 10_000, 2023: 10_000} for c in COUNTIES},
        "quotas": {"posts": {c: {2022: 50, 2023: 50} for c in COUNTIES}},
        "costs": COSTS,
        "offices": offices,
    }


def calibrate(scenario: dict, tightness: float) -> dict:
    """Budgets and post quotas from the cheapest plan that meets the targets under ample limits
    (weights 0, so the solve only minimises cost once the hard targets hold)."""
    from planner.loading import load_scenario
    from planner.requirements import derive
    from planner.result import make_plan
    from planner.solve import SolveParams, solve

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ample.yaml"
        cheapest = {**scenario, "weights": {"large": 0, "medium": 0, "small": 0}}
        path.write_text(yaml.safe_dump(cheapest, allow_unicode=True, sort_keys=False), encoding="utf-8")
        loaded = load_scenario(path)
        req = derive(loaded)
        outcome = solve(req, SolveParams(time_limit=120, seed=0))
        plan = make_plan(loaded, req, outcome)
    spent = {(s.scope, s.year): s.spent for s in plan.spending}
    posts: dict[tuple[str, int], int] = {}
    county_of = {o["id"]: o["county"] for o in scenario["offices"]}
    for a in plan.actions:
        if a.type == "hire" and a.role == "posts":
            key = (county_of[a.office], a.year)
            posts[key] = posts.get(key, 0) + (a.count or 0)
    counties, years = sorted({o["county"] for o in scenario["offices"]}), loaded.years
    scenario["budget"] = {c: {y: math.ceil(spent[(c, y)] * tightness) for y in years} for c in counties}
    scenario["quotas"] = {"posts": {c: {y: posts.get((c, y), 0) + 1 for y in years} for c in counties}}
    return scenario


HEADER = """\
# 泰州市 2022—2023 年司法所分类建设计划 (scenario for `plan solve`, SPEC §8)
#
# Generated by scenarios/tools/make_taizhou.py (seed {seed}, tightness {tightness}); do not edit by
# hand, re-run the script:  python scenarios/tools/make_taizhou.py
#
# REAL figures: every office's name, county and kind (all 88 township-level units of 泰州市, the
#   national statistics bureau's code list of 2022-10-31), and population and area for the 24 units
#   that have a public figure (shared/data/taizhou_towns.csv, with sources).
# GENERATED figures (listed per office under `generated:`): the other populations and areas, scaled
#   so each county sums to about its 2020 census population and area; GDP ranks, legal demand,
#   current staff, floor area, rooms and caseloads. Targets are Taizhou's (2021 scheme).
# Budgets (万元) per county and year = {tightness} × what the cheapest target-meeting plan spends;
#   post quotas (政法专编) = the posts that plan fills + 1. Tight but feasible.
"""


def run(doc: str, build_fn, data: Path, out: Path, seed: int, header: str) -> None:  # type: ignore[no-untyped-def]
    """The command line both generators share: build, calibrate, write with the header."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data)
    ap.add_argument("-o", "--out", type=Path, default=out)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--tightness", type=float, default=1.10)
    args = ap.parse_args()
    scenario = calibrate(build_fn(random.Random(args.seed), read_units(args.data)), args.tightness)
    text = header.format(seed=args.seed, tightness=args.tightness) + yaml.safe_dump(
        scenario, allow_unicode=True, sort_keys=False, width=120)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {len(scenario['offices'])} offices")


if __name__ == "__main__":
    run(__doc__, build, DATA, REPO / "scenarios" / "2022.yaml", 2022, HEADER)
