"""`plan generate`: deterministic, valid, distributions within the documented ranges."""

from __future__ import annotations

import statistics
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from planner.io.loading import load_scenario


def test_same_seed_same_bytes_and_valid(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        result = CliRunner().invoke(cli, ["generate", "--offices", "150", "--seed", "7", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yaml").read_bytes()
    loaded = load_scenario(tmp_path / "a.yaml")
    offices = loaded.offices
    assert len(offices) == 150 and len(loaded.counties) == 10
    townships = sum(o.kind == "township" for o in offices) / len(offices)
    assert 0.55 <= townships <= 0.85
    median = statistics.median(o.population or 0 for o in offices)
    assert 35_000 <= median <= 57_000  # log-normal around e^10.7 ≈ 44,000
    assert any(o.housing_options for o in offices)
    assert all(o.caseload_in("correction_subjects", 2024) >= o.caseload_in("correction_subjects", 2022)
               for o in offices)


def test_large_instances_use_an_office_table(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", "--offices", "2100", "--seed", "1", "--years", "2",
                                      "-o", str(tmp_path / "big.yaml")])
    assert result.exit_code == 0
    assert (tmp_path / "big.csv").exists()
    assert len(load_scenario(tmp_path / "big.yaml").offices) == 2100


def _generated(tmp_path: Path, name: str, *args: str) -> Path:
    path = tmp_path / name
    result = CliRunner().invoke(cli, ["generate", "--offices", "300", "--seed", "3", "--tightness", "1.2",
                                      *args, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _per_year(budgets) -> dict[int, float]:  # type: ignore[no-untyped-def]
    out: dict[int, float] = {}
    for b in budgets:
        out[b.year] = out.get(b.year, 0) + b.amount_yuan / 10_000
    return out


def test_shared_funds_are_the_sum_of_the_county_budgets_they_replace(tmp_path: Path) -> None:
    county = load_scenario(_generated(tmp_path, "county.yaml"))
    assert {o.city for o in county.offices} == {None}  # per-county instances stay as they were
    by_scope = {scope: load_scenario(_generated(tmp_path, f"{scope}.yaml", "--budget-scope", scope))
                for scope in ("city", "province", "all")}
    city = by_scope["city"]
    # 300 offices: 20 counties of 15, 6 counties a city → 4 cities, 13 cities a province → 1 province.
    assert sorted({o.city for o in city.offices}) == ["市001", "市002", "市003", "市004"]
    assert {o.province for o in city.offices} == {"省01"}
    assert sorted({b.scope for b in city.budgets}) == ["市001", "市002", "市003", "市004"]
    assert {b.scope for b in by_scope["province"].budgets} == {"省01"}
    assert {b.scope for b in by_scope["all"].budgets} == {"all"}
    assert {q.scope for q in city.quotas} == set(city.counties)  # quotas stay per county
    for loaded in by_scope.values():
        for year, total in _per_year(loaded.budgets).items():
            assert abs(total - _per_year(county.budgets)[year]) <= 0.05 * 4  # each fund rounded to 0.1
    assert [o.id for o in city.offices] == [o.id for o in county.offices]  # the same offices


def test_target_scope_city_and_counts_of_cities_and_provinces(tmp_path: Path) -> None:
    from planner.rules.requirements import derive

    loaded = load_scenario(_generated(tmp_path, "s.yaml", "--target-scope", "city", "--cities", "5",
                                      "--provinces", "2", "--budget-scope", "province"))
    assert len({o.city for o in loaded.offices}) == 5
    assert sorted({o.province for o in loaded.offices}) == ["省01", "省02"]
    assert sorted({b.scope for b in loaded.budgets}) == ["省01", "省02"]
    assert {c.scope for c in derive(loaded).targets} == {o.city for o in loaded.offices}


def test_an_office_table_carries_city_and_province(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import planner.analysis.generate

    monkeypatch.setattr(planner.analysis.generate, "INLINE_MAX", 10)
    path = _generated(tmp_path, "t.yaml", "--budget-scope", "city")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").startswith("id,name,county,city,province,kind,")
    assert len({o.city for o in load_scenario(path).offices}) == 4
