"""Refuse a solve the machine cannot hold, before building anything.

Measured (docs/benchmarks.md): the planner's own data costs about 11 KB per office-year, and a
CP-SAT model about 60 KB per office-year of its largest component (components are built one at a
time). A scenario whose estimate exceeds the memory available now is refused with its size.
"""

from __future__ import annotations

from pathlib import Path

from planner.errors import ScenarioError, ScenarioIssue
from planner.i18n import tr
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
        offices, years, need_gb, have_gb = len(req.offices), len(req.years), need / 2**30, have / 2**30
        raise ScenarioError([ScenarioIssue(file, None, "offices", tr(
            f"超出本机内存：{offices:,} 个司法所 × {years} 年（共用限额的最大一组：{largest_component:,} 个司法所）"
            f"约需 {need_gb:.1f} GB，本机可用 {have_gb:.1f} GB；请拆分情景，或按县区设预算",
            f"too large for this machine: {offices:,} offices × {years} years "
            f"(largest group sharing limits: {largest_component:,} offices) need about {need_gb:.1f} GB, "
            f"{have_gb:.1f} GB is available; split the scenario or give budgets per county"))])
