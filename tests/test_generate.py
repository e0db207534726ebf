"""`plan generate`: deterministic, valid, distributions within the documented ranges."""

from __future__ import annotations

import statistics
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from planner.loading import load_scenario


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
