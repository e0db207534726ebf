"""Tier classification on the boundaries of docs/reference.md §3, through the library and through `plan classify`.

Thresholds (both shipped standards): large-size when population ≥ 100,000 or area > 100 km²;
medium-size when population ≥ 50,000 or area > 20 km². Economy: rank ≤ ceil(n/3) top, ≤ ceil(2n/3)
middle, else low, n = offices of the same county. The expected tiers below are worked by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cli.main import cli
from planner.io.loading import load_standard_file
from planner.io.scenario import Office
from planner.io.standards import builtin_path
from planner.rules.classify import classify_all, classify_office, economy_class, size_class

JIANGSU = load_standard_file(builtin_path("jiangsu-2021"), "jiangsu-2021")
LIANYUNGANG = load_standard_file(builtin_path("lianyungang-2019"), "lianyungang-2019")
ANY = JIANGSU.model_copy(update={"classification": JIANGSU.classification.model_copy(update={"match": "any"})})

# n → (last top rank, last middle rank) = (ceil(n/3), ceil(2n/3)), by hand.
RANK_BOUNDS = {3: (1, 2), 4: (2, 3), 7: (3, 5), 14: (5, 10)}
BIG = {"population": 200_000}  # large-size, so economy and demand decide


def office(**fields: Any) -> Office:
    base = {"id": "X", "name": "某镇", "county": "甲县", "kind": "township", "population": 1000,
            "area_km2": 1.0, "gdp_rank": 1, "demand": "high"}
    return Office.model_validate({**base, **fields})


def tier(n: int = 3, std: Any = JIANGSU, **fields: Any) -> str:
    return classify_office(office(**fields), std, n).tier


# ------------------------------------------------------------------ size


@pytest.mark.parametrize(("population", "area", "size", "expected"), [
    (100_000, 1.0, "large-size", "large"),  # exactly 10万: ≥, so large-size
    (99_999, 1.0, "medium-size", "medium"),
    (50_000, 1.0, "medium-size", "medium"),  # exactly 5万
    (49_999, 1.0, "small-size", "small"),
    (1000, 100.0, "medium-size", "medium"),  # exactly 100 km² is not "超过100平方公里"
    (1000, 100.01, "large-size", "large"),
    (1000, 20.0, "small-size", "small"),  # exactly 20 km² is not > 20
    (1000, 20.01, "medium-size", "medium"),
    (None, None, "small-size", "small"),  # nothing known: small-size
])
@pytest.mark.parametrize("std", [JIANGSU, LIANYUNGANG], ids=["jiangsu", "lianyungang"])
def test_size_boundaries(std: Any, population: int | None, area: float | None, size: str, expected: str) -> None:
    o = office(population=population, area_km2=area)
    assert size_class(o, std) == size
    assert classify_office(o, std, 3).tier == expected


# ------------------------------------------------------------------ economy


@pytest.mark.parametrize("n", sorted(RANK_BOUNDS))
def test_gdp_rank_boundaries(n: int) -> None:
    top, middle = RANK_BOUNDS[n]
    assert economy_class(top, n) == "top" and economy_class(top + 1, n) == "middle"
    assert economy_class(middle, n) == "middle"
    assert economy_class(middle + 1, n) == "low" and economy_class(n, n) == "low"
    assert tier(n, gdp_rank=top, **BIG) == "large"
    assert tier(n, gdp_rank=top + 1, **BIG) == "medium"
    assert tier(n, gdp_rank=middle, **BIG) == "medium"
    assert tier(n, gdp_rank=middle + 1, **BIG) == "small"


def test_missing_rank_is_unknown_not_low() -> None:
    assert economy_class(None, 7) is None


# ------------------------------------------------------------------ the combined rule (match: all)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"population": 100_000, "gdp_rank": 1, "demand": "high"}, "large"),
    ({"population": 100_000, "gdp_rank": 2, "demand": "high"}, "medium"),  # economy middle (n = 3)
    ({"population": 100_000, "gdp_rank": 1, "demand": "medium"}, "medium"),
    ({"population": 100_000, "gdp_rank": 3, "demand": "high"}, "small"),  # economy low
    ({"population": 100_000, "gdp_rank": 1, "demand": "low"}, "small"),
    ({"population": 60_000, "gdp_rank": 1, "demand": "high"}, "medium"),  # medium-size caps at medium
    ({"population": 10_000, "area_km2": 20.5, "gdp_rank": 1, "demand": "high"}, "medium"),
    ({"population": 10_000, "gdp_rank": 1, "demand": "high"}, "small"),  # small-size
    ({"population": 100_000, "gdp_rank": None, "demand": None}, "large"),  # missing = met
    ({"population": 100_000, "gdp_rank": None, "demand": "medium"}, "medium"),
    ({"population": 100_000, "gdp_rank": 3, "demand": None}, "small"),  # a known low still counts
    ({"population": 50_000, "gdp_rank": None, "demand": None}, "medium"),
])
def test_match_all_rule(fields: dict[str, Any], expected: str) -> None:
    assert tier(3, **fields) == expected


def test_missing_criteria_are_said_in_the_reason() -> None:
    c = classify_office(office(population=100_000, gdp_rank=None, demand=None), JIANGSU, 3)
    assert c.tier == "large" and c.economy is None and c.demand is None
    assert "GDP rank missing (treated as met)" in c.reason and "demand missing (treated as met)" in c.reason
    assert "GDP 排名缺失（视为满足）" in c.reason_zh and "法治需求缺失（视为满足）" in c.reason_zh


def test_reason_states_the_facts_in_one_line_each_language() -> None:
    c = classify_office(office(population=120_000, area_km2=35.5, gdp_rank=2, demand="medium"), JIANGSU, 4)
    assert c.reason == ("medium: population 120,000, area 35.5 km² (large-size); GDP rank 2/4 (top); "
                        "demand medium")
    assert c.reason_zh == "中型：常住人口 120,000，面积 35.5 km²（规模大）；GDP 县内第2/4（前列）；法治需求较大"
    assert "\n" not in c.reason + c.reason_zh


# ------------------------------------------------------------------ override and match: any


@pytest.mark.parametrize("override", ["large", "medium", "small"])
def test_override_always_wins(override: str) -> None:
    for fields in ({"population": 1000, "gdp_rank": 3, "demand": "low"}, {"population": 500_000}):
        c = classify_office(office(tier=override, **fields), JIANGSU, 3)
        assert c.tier == override and c.overridden
        assert "set in the scenario (override)" in c.reason and "情景文件指定" in c.reason_zh


@pytest.mark.parametrize(("fields", "expected"), [
    ({"population": 1000, "gdp_rank": 3, "demand": "high"}, "large"),  # demand alone
    ({"population": 1000, "gdp_rank": 1, "demand": "low"}, "large"),  # economy alone
    ({"population": 100_000, "gdp_rank": 3, "demand": "low"}, "large"),  # size alone
    ({"population": 1000, "gdp_rank": 2, "demand": "low"}, "medium"),
    ({"population": 1000, "area_km2": 20.5, "gdp_rank": 3, "demand": "low"}, "medium"),
    ({"population": 1000, "gdp_rank": 3, "demand": "medium"}, "medium"),
    ({"population": 1000, "gdp_rank": 3, "demand": "low"}, "small"),
    # Under `any` a missing criterion is no evidence for a higher tier (else every office with a
    # missing demand would be large): only the known criteria decide.
    ({"population": 1000, "gdp_rank": None, "demand": None}, "small"),
])
def test_match_any_lets_one_criterion_decide(fields: dict[str, Any], expected: str) -> None:
    assert tier(3, ANY, **fields) == expected


def test_economy_counts_offices_of_the_same_county_only() -> None:
    offices = [office(id=f"A{i}", county="甲县", gdp_rank=i, **BIG) for i in (1, 2, 3, 4)]
    offices += [office(id="B1", county="乙县", gdp_rank=1, **BIG)]
    tiers = {k: c.tier for k, c in classify_all(offices, JIANGSU).items()}
    # 甲县: n = 4 → top ≤ 2, middle ≤ 3; 乙县: n = 1.
    assert tiers == {"A1": "large", "A2": "large", "A3": "medium", "A4": "small", "B1": "large"}


# ------------------------------------------------------------------ through `plan classify --json`


def scenario_file(tmp: Path, offices: list[dict[str, Any]], standard: str = "jiangsu-2021") -> Path:
    data = {"name": "分类边界", "standard": standard, "horizon": {"start": 2022, "end": 2023},
            "budget": {2022: 10, 2023: 10}, "offices": offices}
    path = tmp / "classify.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def classify_json(path: Path) -> dict[str, dict[str, Any]]:
    result = CliRunner().invoke(cli, ["classify", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return {o["id"]: o for o in json.loads(result.stdout)["offices"]}


def test_plan_classify_json_on_every_boundary(tmp_path: Path) -> None:
    offices: list[dict[str, Any]] = []
    expected: dict[str, str] = {}
    for n, (top, middle) in RANK_BOUNDS.items():  # one county per n, ranks 1..n, all large-size, high demand
        for rank in range(1, n + 1):
            oid = f"N{n}-{rank}"
            offices.append({"id": oid, "name": oid, "county": f"县{n}", "kind": "township",
                            "population": 150_000, "gdp_rank": rank, "demand": "high"})
            expected[oid] = "large" if rank <= top else "medium" if rank <= middle else "small"
    size_cases = {"P100k": ({"population": 100_000}, "large"), "P99999": ({"population": 99_999}, "medium"),
                  "P50k": ({"population": 50_000}, "medium"), "P49999": ({"population": 49_999}, "small"),
                  "A100": ({"area_km2": 100}, "medium"), "A100.5": ({"area_km2": 100.5}, "large"),
                  "A20": ({"area_km2": 20}, "small"), "A20.5": ({"area_km2": 20.5}, "medium")}
    for oid, (fields, t) in size_cases.items():  # no gdp_rank / demand: treated as met
        offices.append({"id": oid, "name": oid, "county": "边界县", "kind": "subdistrict", **fields})
        expected[oid] = t
    offices.append({"id": "OVR", "name": "OVR", "county": "边界县", "kind": "township",
                    "population": 500_000, "tier": "small"})
    expected["OVR"] = "small"
    got = classify_json(scenario_file(tmp_path, offices))
    assert {k: o["tier"] for k, o in got.items()} == expected
    assert got["OVR"]["overridden"] is True and "override" in got["OVR"]["reason"]
    assert got["N7-3"]["reason"].endswith("GDP rank 3/7 (top); demand high")
    assert got["N7-4"]["reason_zh"].startswith("中型：") and "GDP 县内第4/7（中等）" in got["N7-4"]["reason_zh"]
    assert set(got["P100k"]) >= {"id", "name", "county", "kind", "tier", "reason", "reason_zh", "population",
                                 "area_km2", "gdp_rank", "demand"}


def test_plan_classify_with_a_match_any_standard(tmp_path: Path) -> None:
    text = builtin_path("jiangsu-2021").read_text(encoding="utf-8").replace("match: all", "match: any")
    (tmp_path / "any.standard.yaml").write_text(text, encoding="utf-8")
    offices = [{"id": "D", "name": "D", "county": "丙县", "kind": "township", "population": 1000, "gdp_rank": 3,
                "demand": "high"},
               {"id": "E", "name": "E", "county": "丙县", "kind": "township", "population": 1000, "gdp_rank": 2,
                "demand": "low"},
               {"id": "F", "name": "F", "county": "丙县", "kind": "township", "population": 1000, "gdp_rank": 1,
                "demand": "low"}]
    got = classify_json(scenario_file(tmp_path, offices, "any.standard.yaml"))
    assert {k: o["tier"] for k, o in got.items()} == {"D": "large", "E": "medium", "F": "large"}


def test_plan_classify_csv_and_table(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, [{"id": "X1", "name": "黄桥镇", "county": "泰兴市", "kind": "township",
                                     "population": 100_000, "gdp_rank": 1, "demand": "high"}])
    csv = CliRunner().invoke(cli, ["classify", str(path), "--csv"])
    assert csv.exit_code == 0 and csv.output.splitlines()[0].startswith("\ufeffid,name,county,kind,tier,reason")
    assert csv.output.splitlines()[1].startswith("X1,黄桥镇,泰兴市,township,large,")
    table = CliRunner().invoke(cli, ["classify", str(path)])
    assert table.exit_code == 0 and "1 个司法所：大型 1，中型 0，小型 0" in table.output
