"""Refuse a solve the machine cannot hold, before building anything.

Measured (docs/benchmarks.md): the planner's own data costs about 11 KB per office-year, and a
CP-SAT model about 60 KB per office-year of its largest component (components are built one at a
time). A scenario whose estimate exceeds the memory available now is refused with its size.
"""

from __future__ import annotations

from pathlib import Path

from planner.errors import ScenarioError, ScenarioIssue
from planner.rules.requirements import Requirements

BYTES_PER_OFFICE_YEAR = 11_000
MODEL_BYTES_PER_OFFICE_YEAR = 60_000


def available_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def estimate_bytes(req: Requirements, largest_component: int) -> int:
    years = len(req.years)
    return (len(req.offices) * years * BYTES_PER_OFFICE_YEAR
            + largest_component * years * MODEL_BYTES_PER_OFFICE_YEAR)


def check_model_size(req: Requirements, largest_component: int, file: str) -> None:
    """Raise ScenarioError when the estimate exceeds the memory available."""
    need, have = estimate_bytes(req, largest_component), available_bytes()
    if have is not None and need > have:
        raise ScenarioError([ScenarioIssue(
            file, None, "offices",
            f"too large for this machine: {len(req.offices):,} offices × {len(req.years)} years "
            f"(largest group sharing limits: {largest_component:,} offices) need about {need / 2**30:.1f} GB, "
            f"{have / 2**30:.1f} GB is available; split the scenario or give budgets per county")])
