#!/usr/bin/env python3
"""Generate scenarios/2022.yaml: all 88 township-level units of 泰州市 on the jiangsu-2021 standard.

Real (scenarios/data/taizhou_towns.csv): every unit's name, county and kind (镇/乡 → township,
街道 → subdistrict), and population and area for the 24 units that have a public figure.
Generated, seeded with random.Random(2022) and marked per office under `generated:`: the other
populations and areas (scaled so each county's real + generated figures sum to about its 2020
census population and its area), GDP ranks and legal demand (both correlated with population),
current staff, floor area, rooms, caseloads and a few candidate premises (housing_options).

Budgets and post quotas come from a cheap greedy estimate, not from the solver: for each county
and year, the offices of each tier that are cheapest to bring up to standard are lifted until the
year's targets are met (2022 hires keep costing their annual amount in 2023). Each county's
budget for a year is `--tightness` × what that greedy plan spends there, rounded up to whole 万元;
its post quota is the posts that plan fills + `--post-margin`. The greedy plan is itself a
feasible plan, so any tightness ≥ 1 keeps the scenario feasible; the optimum is usually cheaper,
so a factor somewhat below 1 may still be feasible (tune it against `plan solve`).

Only the standard library and PyYAML; the standard is read from planner/io/standards/*.yaml.

    python scenarios/tools/make_taizhou.py                      # writes scenarios/2022.yaml
    python scenarios/tools/make_taizhou.py --tightness 1.05 -o /tmp/2022-tight.yaml
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve()
REPO = HERE.parents[2]
DATA = REPO / "scenarios/data/taizhou_towns.csv"
OUT = REPO / "scenarios/2022.yaml"
STANDARDS = REPO / "planner/io/standards"
SEED = 2022
YEARS = (2022, 2023)

# county → (id prefix, 2020 census resident population, area km²)   (scenarios/data/SOURCES.md)
COUNTIES: dict[str, tuple[str, int, float]] = {
    "海陵区": ("HL", 577_016, 375.31),
    # 凤凰、寺巷、明珠、沿江街道 and 野徐镇 are partly run by the 医药高新区 but listed under 高港区,
    # so 高港区's units carry the 医药高新区's residents too (258,590 + 222,691).
    "高港区": ("GG", 258_590 + 222_691, 286.84),
    "姜堰区": ("JY", 668_408, 857.75),
    "兴化市": ("XH", 1_128_204, 2_393.35),
    "靖江市": ("JJ", 663_408, 655.58),
    "泰兴市": ("TX", 994_445, 1_172.27),
}

TARGETS = {2022: {"large": 1.0, "medium": 0.9, "small": 0.3},
           2023: {"large": 1.0, "medium": 1.0, "small": 0.6}}

COSTS: dict[str, Any] = {
    "roles": {
        "posts": {"annual": 0},  # 政法专项编制: salaries are paid outside this budget
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

# ---------------------------------------------------------------------------------------------
# Shared helpers (make_lianyungang.py imports these)
# ---------------------------------------------------------------------------------------------


def read_units(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_standard(std_id: str) -> dict[str, Any]:
    return yaml.safe_load((STANDARDS / f"{std_id}.yaml").read_text(encoding="utf-8"))


def kind_of(unit: dict[str, str]) -> str:
    return "subdistrict" if unit["kind"] == "街道" else "township"


def spread(total: float, weights: list[float], floors: list[float]) -> list[float]:
    """Split `total` in proportion to `weights`, no share below its floor (water-filling).
    When total < sum(floors) every share is its floor and the sum overshoots."""
    shares = list(floors)
    free = list(range(len(weights)))
    rest = total
    while free:
        wsum = sum(weights[i] for i in free)
        low = [i for i in free if rest * weights[i] / wsum < floors[i]]
        if not low:
            for i in free:
                shares[i] = rest * weights[i] / wsum
            break
        for i in low:
            rest -= floors[i]
            free.remove(i)
        rest = max(rest, 0.0)
    return shares


def fill_missing(units: list[dict[str, Any]], totals: dict[str, tuple[int, float]], rnd: random.Random,
                 pop_floor: dict[str, int], area_floor: dict[str, float], key: str = "county",
                 sub_weight: tuple[float, float] = (1.5, 0.3)) -> None:
    """Give every unit without a public figure a generated population and area, so that each
    group's (u[key], default its county) real + generated figures sum to about `totals[group]`.
    Population weights are log-normal (× sub_weight[0] for subdistricts); area weights follow
    population (× sub_weight[1] for subdistricts); no generated figure falls below its kind's
    floor (±25%)."""
    for group, (pop_total, area_total) in totals.items():
        mine = [u for u in units if u[key] == group]
        for u in mine:
            sub = u["kind"] == "街道"
            u["_w"] = rnd.lognormvariate(0.0, 0.45) * (sub_weight[0] if sub else 1.0)
            u["_a"] = u["_w"] ** 0.8 * rnd.lognormvariate(0.0, 0.3) * (sub_weight[1] if sub else 1.0)
            u["_generated"] = []
        for field, total, weight, floors in (("population", pop_total, "_w", pop_floor),
                                             ("area_km2", area_total, "_a", area_floor)):
            known = sum(float(u[field]) for u in mine if u[field])
            missing = [u for u in mine if not u[field]]
            values = spread(total - known, [u[weight] for u in missing],
                            [floors["街道" if u["kind"] == "街道" else "镇"] * rnd.uniform(0.8, 1.25)
                             for u in missing])
            for u, v in zip(missing, values):
                u[field] = int(round(v, -2)) if field == "population" else round(v, 1)
                u["_generated"].append(field)
        for u in mine:
            u["population"] = int(u["population"])
            u["area_km2"] = float(u["area_km2"])


def gdp_ranks(offices: list[dict[str, Any]], rnd: random.Random, noise: float = 0.3) -> None:
    """A permutation 1..n per county: GDP ≈ population × log-normal noise, 1 = largest."""
    for county in dict.fromkeys(o["county"] for o in offices):
        mine = [o for o in offices if o["county"] == county]
        gdp = {o["id"]: o["population"] * rnd.lognormvariate(0.0, noise) for o in mine}
        for rank, o in enumerate(sorted(mine, key=lambda o: -gdp[o["id"]]), start=1):
            o["gdp_rank"] = rank


def demands(offices: list[dict[str, Any]], rnd: random.Random, high: float, medium: float) -> None:
    """high / medium / low from the office's population percentile (half city-wide, half within its
    county) plus noise."""
    def percentiles(group: list[dict[str, Any]]) -> dict[str, float]:
        order = sorted(group, key=lambda o: o["population"])
        return {o["id"]: i / max(1, len(order) - 1) for i, o in enumerate(order)}
    city = percentiles(offices)
    county: dict[str, float] = {}
    for c in dict.fromkeys(o["county"] for o in offices):
        county.update(percentiles([o for o in offices if o["county"] == c]))
    for o in offices:
        score = (city[o["id"]] + county[o["id"]]) / 2 + rnd.gauss(0.0, 0.15)
        o["demand"] = "high" if score > high else "medium" if score > medium else "low"


def classify(offices: list[dict[str, Any]], std: dict[str, Any]) -> dict[str, str]:
    """docs/reference.md §3 (match: all), as the planner does it; `tier:` overrides win."""
    size_t = std["classification"]["size"]
    n = Counter(o["county"] for o in offices)
    tiers = {}
    for o in offices:
        if o.get("tier"):
            tiers[o["id"]] = o["tier"]
            continue
        pop, area = o.get("population") or 0, o.get("area_km2") or 0.0
        size = next((s for s in ("large", "medium") if pop >= size_t[s]["min_population"]
                     or area > size_t[s]["min_area_km2_exclusive"]), "small")
        rank, cnt = o.get("gdp_rank"), n[o["county"]]
        eco = None if rank is None else "top" if rank <= math.ceil(cnt / 3) else \
            "middle" if rank <= math.ceil(2 * cnt / 3) else "low"
        dem = o.get("demand")
        if size == "large" and eco in (None, "top") and dem in (None, "high"):
            tiers[o["id"]] = "large"
        elif size in ("large", "medium") and eco in (None, "top", "middle") and dem in (None, "high", "medium"):
            tiers[o["id"]] = "medium"
        else:
            tiers[o["id"]] = "small"
    return tiers


def caseload_in(o: dict[str, Any], field: str, year: int) -> int:
    v = o.get("caseload", {}).get(field, 0)
    return v.get(year, 0) if isinstance(v, dict) else v


def requirements(o: dict[str, Any], tier: str, year: int, std: dict[str, Any]) -> dict[str, Any]:
    """What tier `tier` asks of office `o` at the end of `year`."""
    ts = std["tiers"][tier]
    staff = dict(ts.get("min_staff", {}))
    for role, ratio in std.get("caseload_ratios", {}).items():
        staff[role] = max(staff.get(role, 0), math.ceil(caseload_in(o, ratio["field"], year) / ratio["per_worker"]))
    return {"staff": staff, "total": ts.get("min_total_staff", 0),
            "area": ts["min_floor_area_m2"][o["kind"]], "facilities": ts.get("facilities", []),
            "conditions": ts.get("conditions", {})}


def yuan(wan: float) -> int:
    return round(wan * 10_000)


class Greedy:
    """A cheap feasible plan: per year, per scope and target, lift the offices cheapest to bring up
    to standard (costs summed over the rest of the horizon, each action as late as it can be)."""

    def __init__(self, scenario: dict[str, Any], std: dict[str, Any], tiers: dict[str, str]) -> None:
        self.sc, self.std, self.tiers = scenario, std, tiers
        self.years = list(range(scenario["horizon"]["start"], scenario["horizon"]["end"] + 1))
        self.costs = scenario["costs"]
        self.state = {o["id"]: {"staff": dict(o.get("staff", {})), "area": {self.years[0] - 1: o.get("floor_area_m2", 0)},
                                "fac": set(o.get("facilities", [])), "taken": set()} for o in scenario["offices"]}
        self.actions: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (office, action)

    # -- costs of one action, year → yuan
    def cost(self, a: dict[str, Any]) -> dict[int, int]:
        y, later = a["year"], [t for t in self.years if t > a["year"]]
        out: dict[int, int] = defaultdict(int)
        if a["type"] == "hire":
            rc = self.costs["roles"][a["role"]]
            out[y] += a["count"] * (yuan(rc.get("one_time", 0)) + yuan(rc.get("annual", 0)))
            for t in later:
                out[t] += a["count"] * yuan(rc.get("annual", 0))
        elif a["type"] == "lease":
            for t in [y, *later]:
                out[t] += a["area_m2"] * yuan(self.costs["housing"]["lease"]["annual_per_m2"])
        elif a["type"] == "build":
            out[y] += a["area_m2"] * yuan(self.costs["housing"]["build"]["one_time_per_m2"])
        else:  # housing option or facility: one_time + annual, then annual
            c = a["_option"] if a["type"] == "housing" else self.costs["facilities"][a["facility"]]
            out[y] += yuan(c.get("one_time", 0)) + yuan(c.get("annual", 0))
            for t in later:
                out[t] += yuan(c.get("annual", 0))
        return out

    def total(self, actions: list[dict[str, Any]]) -> int:
        return sum(sum(self.cost(a).values()) for a in actions)

    def area_at(self, oid: str, year: int) -> int:
        return sum(v for t, v in self.state[oid]["area"].items() if t <= year)

    def lift(self, o: dict[str, Any], year: int) -> list[dict[str, Any]] | None:
        """The cheapest actions that make `o` attain at the end of `year`; None if nothing can."""
        st, req = self.state[o["id"]], requirements(o, self.tiers[o["id"]], year, self.std)
        roles = self.costs.get("roles", {})
        for attr, thr in req["conditions"].items():
            if o.get("attributes", {}).get(attr) is None or o["attributes"][attr] < thr:
                return None
        acts: list[dict[str, Any]] = []
        staff = dict(st["staff"])
        for role, need in req["staff"].items():
            gap = need - staff.get(role, 0)
            if gap > 0:
                if role not in roles:
                    return None
                acts.append({"type": "hire", "year": year, "role": role, "count": gap})
                staff[role] = need
        gap = req["total"] - sum(staff.values())
        if gap > 0:
            quota_roles = set(self.sc.get("quotas", {}))
            paid = [r for r in roles if r not in quota_roles] or list(roles)
            if not paid:
                return None
            role = min(paid, key=lambda r: (self.total([{"type": "hire", "year": year, "role": r, "count": 1}]), r))
            acts.append({"type": "hire", "year": year, "role": role, "count": gap})
        short = req["area"] - self.area_at(o["id"], year)
        if short > 0:
            best = self.cheapest_area(o, year, short)
            if best is None:
                return None
            acts += best
        for item in req["facilities"]:
            groups = [[item]] if isinstance(item, str) else item["any_of"]
            options = []
            for g in groups:
                missing = [f for f in g if f not in st["fac"]]
                if all(f in self.costs.get("facilities", {}) for f in missing):
                    fa = [{"type": "facility", "year": year, "facility": f} for f in missing]
                    options.append((self.total(fa), fa))
            if not options:
                return None
            acts += min(options, key=lambda x: x[0])[1]
        return acts

    def cheapest_area(self, o: dict[str, Any], year: int, short: int) -> list[dict[str, Any]] | None:
        housing = self.costs.get("housing", {})
        cands: list[list[dict[str, Any]]] = []
        if housing.get("lease"):
            cands.append([{"type": "lease", "year": year, "area_m2": short}])
        if housing.get("build"):
            t = year - housing["build"].get("lead_years", 1)
            if t >= self.years[0]:
                cands.append([{"type": "build", "year": t, "area_m2": short, "_lead": year - t}])
        for opt in o.get("housing_options", []):
            t = year - opt.get("lead_years", 0)
            if opt["id"] in self.state[o["id"]]["taken"] or t < max(self.years[0], opt.get("from_year") or 0):
                continue
            acts = [{"type": "housing", "year": t, "option": opt["id"], "_option": opt, "area_m2": opt["area_m2"],
                     "_lead": year - t}]
            if opt["area_m2"] < short:
                if not housing.get("lease"):
                    continue
                acts.append({"type": "lease", "year": year, "area_m2": short - opt["area_m2"]})
            cands.append(acts)
        return min(cands, key=self.total) if cands else None

    def apply(self, o: dict[str, Any], acts: list[dict[str, Any]]) -> None:
        st = self.state[o["id"]]
        for a in acts:
            if a["type"] == "hire":
                st["staff"][a["role"]] = st["staff"].get(a["role"], 0) + a["count"]
            elif a["type"] == "facility":
                st["fac"].add(a["facility"])
            else:
                eff = a["year"] + a.get("_lead", 0)
                st["area"][eff] = st["area"].get(eff, 0) + a["area_m2"]
                if a["type"] == "housing":
                    st["taken"].add(a["option"])
            self.actions.append((o, a))

    def run(self) -> None:
        targets = self.sc.get("targets") or self.std.get("default_targets", {})
        scope = self.sc.get("target_scope") or self.std.get("target_scope", "county")
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for o in self.sc["offices"]:
            groups[o["county"] if scope == "county" else "all"].append(o)
        for year in self.years:
            for _, offices in sorted(groups.items()):
                cells = targets.get(year, {})
                for tier in sorted(cells, key=lambda t: t == "all"):  # tier cells first, `all` last
                    mine = [o for o in offices if tier == "all" or self.tiers[o["id"]] == tier]
                    need = math.ceil(cells[tier] * len(mine) - 1e-9) if mine else 0
                    priced = []
                    for o in mine:
                        acts = self.lift(o, year)
                        if acts is not None:
                            priced.append((self.total(acts), o["id"], o, acts))
                    priced.sort(key=lambda x: (x[0], x[1]))
                    if len(priced) < need:
                        raise SystemExit(f"greedy: {year} {tier}: only {len(priced)} of {need} offices can attain")
                    for _, _, o, acts in priced[:need]:
                        self.apply(o, acts)

    def spending(self) -> dict[tuple[str, int], int]:
        out: dict[tuple[str, int], int] = defaultdict(int)
        for o, a in self.actions:
            for y, c in self.cost(a).items():
                out[(o["county"], y)] += c
        return out

    def hires(self, role: str) -> dict[tuple[str, int], int]:
        out: dict[tuple[str, int], int] = defaultdict(int)
        for o, a in self.actions:
            if a["type"] == "hire" and a["role"] == role:
                out[(o["county"], a["year"])] += a["count"]
        return out


def set_limits(scenario: dict[str, Any], std: dict[str, Any], tiers: dict[str, str], tightness: float,
               post_margin: int) -> Greedy:
    """Per-county budgets (tightness × greedy spend, whole 万元 up, but never below what one hire of
    the cheapest paid role costs in its first year) and post quotas (greedy posts + margin)."""
    scenario.setdefault("quotas", {"posts": {}})  # so the greedy fills totals with paid roles
    g = Greedy(scenario, std, tiers)
    g.run()
    spend, posts = g.spending(), g.hires("posts")
    first_year = [yuan(c.get("one_time", 0)) + yuan(c.get("annual", 0)) for c in scenario["costs"]["roles"].values()]
    floor = min((c for c in first_year if c > 0), default=0)
    counties = list(dict.fromkeys(o["county"] for o in scenario["offices"]))
    scenario["budget"] = {c: {y: math.ceil(max(tightness * spend[(c, y)], floor) / 10_000 - 1e-9) for y in g.years}
                          for c in counties}
    scenario["quotas"] = {"posts": {c: {y: posts[(c, y)] + post_margin for y in g.years} for c in counties}}
    return g


class _Dumper(yaml.SafeDumper):
    """Block style for the document and office entries; flow style for flat maps and lists."""


def _flat(values: Any) -> bool:
    return all(not isinstance(v, (dict, list)) for v in values)


_Dumper.add_representer(dict, lambda d, data: d.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=_flat(data.values()) and len(data) <= 8))
_Dumper.add_representer(list, lambda d, data: d.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=_flat(data)))


def dump(scenario: dict[str, Any], header: str) -> str:
    return header + yaml.dump(scenario, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


def add_args(ap: argparse.ArgumentParser, data: Path, out: Path, seed: int) -> None:
    ap.add_argument("--data", type=Path, default=data, help=f"unit table (default {data})")
    ap.add_argument("-o", "--output", type=Path, default=out, help=f"scenario to write (default {out})")
    ap.add_argument("--seed", type=int, default=seed, help=f"random seed (default {seed})")
    ap.add_argument("--tightness", type=float, default=1.15,
                    help="budget = tightness × greedy cost estimate per county and year (default 1.15)")
    ap.add_argument("--post-margin", type=int, default=1,
                    help="post quota = greedy posts + this, per county and year (default 1)")


def report(scenario: dict[str, Any], tiers: dict[str, str], g: Greedy,
           totals: dict[str, tuple[int, float]] | None) -> None:
    offices = scenario["offices"]
    print(f"offices: {len(offices)}; tier mix: "
          + ", ".join(f"{t} {n}" for t, n in sorted(Counter(tiers.values()).items())))
    print(f"{'county':<12}{'n':>4}{'large':>6}{'med':>5}{'small':>6}{'population':>12}{'census':>11}"
          f"{'area':>9}{'census':>9}   budget / greedy spend (万元) per year;  post quota")
    spend = g.spending()
    for c in dict.fromkeys(o["county"] for o in offices):
        mine = [o for o in offices if o["county"] == c]
        mix = Counter(tiers[o["id"]] for o in mine)
        pop, area = sum(o["population"] for o in mine), sum(o["area_km2"] for o in mine)
        cp, ca = totals[c] if totals and c in totals else ("", "")
        money = "  ".join(f"{y}: {scenario['budget'][c][y]} / {spend[(c, y)] / 10_000:.1f}" for y in g.years)
        quota = ", ".join(str(scenario["quotas"]["posts"][c][y]) for y in g.years)
        print(f"{c:<12}{len(mine):>4}{mix['large']:>6}{mix['medium']:>5}{mix['small']:>6}{pop:>12,}"
              f"{cp if cp == '' else f'{cp:,}':>11}{area:>9.1f}{ca:>9}   {money};  {quota}")
    per_year = {y: sum(v for (c, t), v in spend.items() if t == y) / 10_000 for y in g.years}
    print("greedy spend, city:", ", ".join(f"{y}: {v:.1f}" for y, v in per_year.items()),
          "| budget, city:", ", ".join(f"{y}: {sum(b[y] for b in scenario['budget'].values())}" for y in g.years))


def check(scenario: dict[str, Any], std: dict[str, Any]) -> None:
    """Sanity checks on the written scenario: it parses, ids unique, ranks are permutations,
    roles/facilities exist in the standard, money has ≤ 4 decimals."""
    ids = [o["id"] for o in scenario["offices"]]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for c in dict.fromkeys(o["county"] for o in scenario["offices"]):
        ranks = sorted(o["gdp_rank"] for o in scenario["offices"] if o["county"] == c)
        assert ranks == list(range(1, len(ranks) + 1)), f"{c}: gdp_rank not a permutation"
    for o in scenario["offices"]:
        assert set(o.get("staff", {})) <= set(std["roles"]), o["id"]
        assert set(o.get("facilities", [])) <= set(std["facilities"]), o["id"]
        assert set(o.get("caseload", {})) <= set(std["caseload_fields"]), o["id"]
    for role in scenario["costs"]["roles"]:
        assert role in std["roles"], role

    def money(x: Any) -> None:
        if isinstance(x, dict):
            for v in x.values():
                money(v)
        elif isinstance(x, float):
            assert abs(x * 10_000 - round(x * 10_000)) < 1e-6, x
    money(scenario["costs"])
    money(scenario["budget"])
    money([h for o in scenario["offices"] for h in o.get("housing_options", [])])


def write(scenario: dict[str, Any], header: str, path: Path, std: dict[str, Any]) -> None:
    text = dump(scenario, header)
    assert yaml.safe_load(text) == scenario, "YAML round trip changed the scenario"
    check(yaml.safe_load(text), std)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(scenario['offices'])} offices)")


# ---------------------------------------------------------------------------------------------
# 泰州市
# ---------------------------------------------------------------------------------------------

ROOMS_STD = {  # the rooms each tier asks for (the small tier's merged room is handled separately)
    "large": ["correction_branch_center", "public_legal_service_center", "non_litigation_center",
              "mediation_committee", "governance_room", "publicity_room", "enforcement_supervision_room",
              "enforcement_management_room", "five_stations"],
    "medium": ["public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
               "enforcement_management_room", "five_stations"],
    "small": ["public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
              "enforcement_management_room", "five_stations"],
}
# how far an office is from its tier's standard: share of offices, chance each item falls short
READINESS = (("ready", 0.30, 0.0), ("near", 0.50, 0.22), ("far", 0.20, 0.6))


def current_state(o: dict[str, Any], tier: str, std: dict[str, Any], rnd: random.Random) -> None:
    """Staff, floor area and rooms around the office's own tier: ~30% already at standard, ~50% a
    few items short, ~20% far (many items short, some by two staff or 30-45% of the floor area)."""
    r = rnd.random()
    level = next(name for name, share, _ in READINESS if (r := r - share) < 0) if r < 1 else "far"
    p = {name: gap for name, _, gap in READINESS}[level]
    req = requirements(o, tier, YEARS[0], std)
    staff: dict[str, int] = {}
    for role in std["roles"]:
        need = req["staff"].get(role, 0)
        short = 0
        if need and rnd.random() < p:
            short = 2 if level == "far" and need >= 2 and rnd.random() < 0.4 else 1
        extra = 1 if role == "mediators" and short == 0 and rnd.random() < 0.15 else 0
        floor = 1 if role == "posts" else 0  # the head (司法所长) holds a post
        if staff_n := max(floor, need - short + extra):
            staff[role] = staff_n
    if level == "ready" and sum(staff.values()) < req["total"]:
        staff["mediators"] = staff.get("mediators", 0) + req["total"] - sum(staff.values())
    o["staff"] = staff
    need_area = req["area"]
    if level == "ready" or rnd.random() >= p:
        factor = rnd.choice([1.0, 1.0, 1.05, 1.1, 1.2, 1.3])
    else:
        factor = rnd.uniform(0.55, 0.7) if level == "far" else rnd.uniform(0.72, 0.95)
    o["floor_area_m2"] = round(need_area * factor / 10.0) * 10
    rooms = list(ROOMS_STD[tier])
    if tier == "small" and rnd.random() < 0.4:
        rooms = [x for x in rooms if x not in ("governance_room", "publicity_room")] + ["rule_of_law_room"]
    o["facilities"] = [x for x in rooms if level == "ready" or rnd.random() >= p]


def housing_options(offices: list[dict[str, Any]], tiers: dict[str, str], std: dict[str, Any],
                    rnd: random.Random, count: int, first_year: int = YEARS[0]) -> None:
    """Candidate premises for the `count` offices furthest short of floor area: an annex lease
    (a public building's annex, below the market rent; for some only from 2023), for some also an
    exchanged building (置换) that takes a year to fit out."""
    short = sorted(((requirements(o, tiers[o["id"]], first_year, std)["area"] - o["floor_area_m2"], o["id"], o)
                    for o in offices), key=lambda x: (-x[0], x[1]))
    for gap, _, o in [s for s in short if s[0] >= 40][:count]:
        area = math.ceil((gap + rnd.choice([0, 10, 20])) / 10.0) * 10
        opts = [{"id": "annex-lease", "area_m2": area, "one_time": round(rnd.uniform(0.3, 1.0), 1),
                 "annual": round(area * rnd.uniform(0.010, 0.015), 2)}]
        if rnd.random() < 0.4:
            opts[0]["from_year"] = first_year + 1
        if rnd.random() < 0.6:
            big = math.ceil((gap + rnd.choice([60, 100, 150])) / 10.0) * 10
            opts.append({"id": "exchange-building", "area_m2": big, "one_time": round(rnd.uniform(2.0, 6.0), 1),
                         "annual": round(rnd.uniform(0.2, 0.6), 1), "from_year": first_year, "lead_years": 1})
        o["housing_options"] = opts
        o["generated"].append("housing_options")


def build(rnd: random.Random, units: list[dict[str, Any]], std: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    fill_missing(units, {c: (p, a) for c, (_, p, a) in COUNTIES.items()}, rnd,
                 pop_floor={"街道": 15_000, "镇": 12_000}, area_floor={"街道": 6.0, "镇": 20.0})
    offices: list[dict[str, Any]] = []
    for county, (abbr, _, _) in COUNTIES.items():
        for i, u in enumerate((u for u in units if u["county"] == county), start=1):
            offices.append({"id": f"{abbr}-{i:02d}", "name": u["name"], "county": county, "kind": kind_of(u),
                            "population": u["population"], "area_km2": u["area_km2"],
                            "generated": u["_generated"] + ["gdp_rank", "demand", "staff", "floor_area_m2",
                                                            "facilities", "caseload"]})
    unknown = {u["county"] for u in units} - set(COUNTIES)
    if unknown:
        raise SystemExit(f"unknown counties in the data: {sorted(unknown)}")
    gdp_ranks(offices, rnd)
    demands(offices, rnd, high=0.58, medium=0.33)
    for o in offices:
        per_k = o["population"] / 1000
        a = max(1, round(per_k * rnd.uniform(0.3, 0.5)))
        b = a + max(0, round(a * rnd.uniform(0.0, 0.1)) + rnd.choice([0, 0, 1]))
        o["caseload"] = {"correction_subjects": {2022: a, 2023: b},
                         "released_persons": max(1, round(per_k * rnd.uniform(0.5, 1.0)))}
    tiers = classify(offices, std)
    for o in offices:
        current_state(o, tiers[o["id"]], std, rnd)
    housing_options(offices, tiers, std, rnd, count=10)
    # key order as docs/reference.md §8; `generated` last
    order = ["id", "name", "county", "kind", "population", "area_km2", "gdp_rank", "demand", "staff",
             "floor_area_m2", "facilities", "caseload", "housing_options", "generated"]
    offices = [{k: o[k] for k in order if k in o} for o in offices]
    scenario = {
        "name": "泰州市 2022—2023 年司法所分类建设计划",
        "standard": "jiangsu-2021",
        "horizon": {"start": YEARS[0], "end": YEARS[-1]},
        "targets": TARGETS,
        "target_scope": "county",
        "budget": {},
        "quotas": {"posts": {}},
        "costs": COSTS,
        "offices": offices,
    }
    return scenario, tiers


HEADER = """\
# 泰州市 2022—2023 年司法所分类建设计划 — scenario for `plan solve` (docs/reference.md §8), jiangsu-2021 standard.
#
# Produced by scenarios/tools/make_taizhou.py; do not edit by hand, re-run:
#     {command}
# (seed {seed}, tightness {tightness}, post margin {margin}; data: scenarios/data/taizhou_towns.csv)
#
# REAL: every office's name, county and kind — all 88 township-level units of 泰州市 (national
#   statistics bureau code list, 2022-10-31; the 5 units partly run by 医药高新区 kept under 高港区)
#   — and population and area for the 24 units with a public figure (sources in the CSV; concepts
#   and years differ, several are old). Targets are the Taizhou 2021 scheme's (2022, 2023).
# GENERATED (seeded; each office lists its generated fields under `generated:`): the other
#   populations and areas, scaled so each county's real + generated figures sum to about its 2020
#   census population (高港区 incl. 医药高新区) and its area; GDP ranks and legal demand (both
#   correlated with population); current staff, floor area, rooms, caseloads (≈0.4 community-
#   correction subjects per 1,000 residents); candidate premises (housing_options); all unit costs.
# LIMITS: each county's budget (万元) per year = {tightness} × a greedy estimate of what meeting that
#   year's targets costs it (cheapest offices of each tier lifted; 2022 hires keep costing their
#   annual amount in 2023); post quota (政法专编) = the posts that estimate fills + {margin}.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_args(ap, DATA, OUT, SEED)
    args = ap.parse_args()
    std = load_standard("jiangsu-2021")
    units = read_units(args.data)
    scenario, tiers = build(random.Random(args.seed), units, std)
    g = set_limits(scenario, std, tiers, args.tightness, args.post_margin)
    command = "python scenarios/tools/make_taizhou.py" + (
        f" --tightness {args.tightness:g}" if args.tightness != 1.15 else "") + (
        f" --post-margin {args.post_margin}" if args.post_margin != 1 else "") + (
        f" --seed {args.seed}" if args.seed != SEED else "")
    header = HEADER.format(command=command, seed=args.seed, tightness=f"{args.tightness:g}", margin=args.post_margin)
    write(scenario, header, args.output, std)
    report(scenario, tiers, g, {c: (p, a) for c, (_, p, a) in COUNTIES.items()})


if __name__ == "__main__":
    main()
