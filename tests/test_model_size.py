"""A solve the machine cannot hold is refused before anything is built (planner/solver/limits.py):
the estimate, where the memory available is read from, and the message's figures."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import planner.solver.limits as limits
from planner.errors import ScenarioError
from planner.i18n import set_lang

MEMINFO = "MemTotal:       24000000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n"


def with_meminfo(monkeypatch: pytest.MonkeyPatch, text: str | None) -> list[str]:
    """`text` as the contents of every file limits.py opens (None: it cannot be read); the paths
    it opened are returned."""
    def read_text() -> str:
        if text is None:
            raise OSError("no /proc here")
        return text
    opened: list[str] = []

    def path(name: str) -> Any:
        opened.append(name)
        return SimpleNamespace(read_text=read_text)
    monkeypatch.setattr(limits, "Path", path)
    return opened


def test_the_memory_available_is_memavailable_in_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = with_meminfo(monkeypatch, MEMINFO)
    assert limits.available_bytes() == 20_000_000 * 1024  # not MemFree, not MemTotal
    assert opened == ["/proc/meminfo"]
    with_meminfo(monkeypatch, "MemTotal: 1 kB\n")  # an old kernel: no MemAvailable
    assert limits.available_bytes() is None
    with_meminfo(monkeypatch, None)  # not Linux
    assert limits.available_bytes() is None


def test_the_real_meminfo_is_read() -> None:
    if not Path("/proc/meminfo").exists():
        pytest.skip("no /proc/meminfo")
    free = limits.available_bytes()
    assert free is not None and 2**20 < free < 2**50


# 40,000 offices × 3 years, the largest fund 1,300 offices: 40,000 × 3 × 11,000 + 1,300 × 3 × 60,000
# = 1,320,000,000 + 234,000,000 = 1,554,000,000 bytes = 1.447 GiB.
PROVINCE = SimpleNamespace(offices=[None] * 40_000, years=[2022, 2023, 2024])
NEED = 1_554_000_000


def test_the_estimate_counts_every_office_and_the_largest_component() -> None:
    assert limits.estimate_bytes(PROVINCE, 1_300) == NEED  # type: ignore[arg-type]


def test_refused_only_above_the_memory_available_with_both_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "available_bytes", lambda: NEED)
    limits.check_model_size(PROVINCE, 1_300, "p.yaml")  # type: ignore[arg-type]  # exactly enough
    monkeypatch.setattr(limits, "available_bytes", lambda: None)
    limits.check_model_size(PROVINCE, 1_300, "p.yaml")  # type: ignore[arg-type]  # unknown: try
    monkeypatch.setattr(limits, "available_bytes", lambda: 2**30)
    set_lang("en")
    try:
        with pytest.raises(ScenarioError) as caught:
            limits.check_model_size(PROVINCE, 1_300, "p.yaml")  # type: ignore[arg-type]
    finally:
        set_lang(None)
    (issue,) = caught.value.issues
    assert (issue.file, issue.line, issue.field) == ("p.yaml", None, "offices")
    assert issue.message == ("too large for this machine: 40,000 offices × 3 years (largest group sharing limits: "
                             "1,300 offices) need about 1.4 GB, 1.0 GB is available; split the scenario or give "
                             "budgets per county")
