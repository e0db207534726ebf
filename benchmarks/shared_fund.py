"""Shared-fund benchmarks (issue 12): one budget a year over all offices, county quotas and targets.

Instances: `plan generate` per-county scenarios with the county budgets pooled into one budget a
year equal to their sum (`pooled_budget`), so only the yearly budget rows couple the counties.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def pooled_budget(scenario: dict[str, Any]) -> dict[str, Any]:
    """The scenario with its county budgets replaced by one scenario-wide budget a year (their sum)."""
    total: dict[int, float] = {}
    for per_year in scenario["budget"].values():
        for year, amount in per_year.items():
            total[year] = total.get(year, 0.0) + amount
    return {**scenario, "budget": {y: round(a, 1) for y, a in sorted(total.items())}}


def shared_instance(n: int, seed: int = 1, years: int = 3, tightness: float = 1.2,
                    folder: Path = HERE / "instances") -> Path:
    """A generated shared-fund scenario file (made once, then reused)."""
    from planner.generate import generate, write_scenario

    path = folder / f"shared_n{n}_y{years}_s{seed}_t{tightness}.yaml"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_scenario(pooled_budget(generate(n, seed, years, tightness, soft=True)), path)
    return path


if __name__ == "__main__":
    for n in map(int, sys.argv[1:]):
        print(shared_instance(n))
