"""Scenario file → validated `LoadedScenario`, every error naming file, line and field (docs/reference.md §8).

Order: YAML with line map → standard (built-in id or file) → office table if `offices` is a path →
pydantic validation → cross-references to the standard and within the scenario → normalised
budgets, quotas, targets and weights.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import ScenarioError, ScenarioIssue, excerpt
from planner.i18n import tr
from planner.io.crosscheck import BudgetEntry, CrossChecker, QuotaEntry
from planner.io.office_table import read_office_table
from planner.io.scenario import Office, Scenario
from planner.io.standards import BUILTIN_IDS, TIERS, Standard, is_builtin, standard_path
from planner.io.validation import did_you_mean, locate, validate
from planner.io.yamlsrc import SourceMap, load_yaml


@dataclass
class LoadedScenario:
    """A scenario that passed every check, with the standard it names and its limits normalised."""

    scenario: Scenario
    standard: Standard
    standard_ref: str  # the built-in id or the path as written
    file: str  # as the user gave it
    sha256: str
    offices: list[Office]
    years: list[int]
    targets: dict[int, dict[str, float]]
    target_scope: str
    weights: dict[str, int]
    budgets: list[BudgetEntry]
    quotas: list[QuotaEntry]
    warnings: list[ScenarioIssue] = field(default_factory=list)
    source: SourceMap | None = None
    table_source: SourceMap | None = None  # the office table's, when offices come from one

    def issue(self, loc: tuple[Any, ...], message: str) -> ScenarioIssue:
        """A problem at `loc` (e.g. ("offices", 3, "population")) located in the YAML or the office table."""
        if self.source is None:
            return ScenarioIssue(self.file, None, "", message)
        return locate(loc, message, self.source, self.table_source)

    @property
    def counties(self) -> list[str]:
        return sorted({o.county for o in self.offices})


ALLOW_OUTSIDE_ENV = "PLAN_ALLOW_OUTSIDE"  # "1": as `--allow-outside` (set by it, so pool workers see it too)


def load_scenario(path: str | Path, display: str | None = None, allow_outside: bool | None = None) -> LoadedScenario:
    """Read and validate a scenario file; raises `ScenarioError` listing every problem found.

    A standard or office table outside the scenario's folder tree is refused unless `allow_outside`
    (default: the PLAN_ALLOW_OUTSIDE environment variable is "1").
    """
    allow_outside = _outside_allowed(allow_outside)
    path = Path(path)
    display = display or str(path)
    if not _is_file(path):
        raise ScenarioError([ScenarioIssue(display, None, "", tr("找不到文件", "file not found"))])
    if path.suffix.lower() == ".xlsx":  # the Excel scenario template (`plan template`)
        # lazy: import cycle (workbook_read imports this module); start-up (it pulls in openpyxl)
        from planner.io.workbook_read import read_workbook

        raw, smap = read_workbook(path, display, allow_outside)
    else:
        raw, smap = load_yaml(path, display)
    if not isinstance(raw, dict):
        raise ScenarioError([smap.issue((), tr("情景文件应为字段映射（name、standard、horizon、budget、offices 等）",
                                               "a scenario file is a mapping of fields "
                                               "(name, standard, horizon, budget, offices, ...)"), "")])
    standard, standard_ref = load_standard(raw, path.parent, smap, allow_outside)
    table_map: SourceMap | None = None
    if isinstance(raw.get("offices"), str):
        if not allow_outside:
            _refuse_outside(path.parent, raw["offices"], ("offices",), smap)
        table_path = (path.parent / raw["offices"]).resolve()
        if not _is_file(table_path):
            raise ScenarioError([smap.issue(("offices",), tr(
                f"找不到司法所表 {raw['offices'][:80]!r}（请给出司法所列表，或相对本文件的 .csv/.xlsx 路径）",
                f"office table {raw['offices'][:80]!r} not found "
                "(give a list of offices, or a .csv/.xlsx path relative to this file)"))])
        rows, table_map = read_office_table(table_path, str(Path(display).parent / raw["offices"]), standard)
        raw = {**raw, "offices": rows}
    scenario = validate(Scenario, raw, smap, table_map)
    assert isinstance(scenario.offices, list)
    checker = CrossChecker(scenario, standard, smap, table_map)
    checker.run()
    if checker.errors:
        raise ScenarioError(checker.errors)
    return LoadedScenario(
        scenario=scenario, standard=standard, standard_ref=standard_ref, file=display,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(), offices=list(scenario.offices),
        years=scenario.horizon.years, targets=checker.targets(),
        target_scope=scenario.target_scope or standard.target_scope,
        weights={t: scenario.weights.get(t, 1) for t in TIERS},  # type: ignore[call-overload]
        budgets=checker.budgets, quotas=checker.quotas, source=smap, table_source=table_map,
        warnings=(table_map.warnings if table_map else []) + checker.warnings)


def load_standard_file(path: Path, display: str) -> Standard:
    raw, smap = load_yaml(path, display)
    return validate(Standard, raw, smap, None)


def _outside_allowed(allow_outside: bool | None) -> bool:
    """The caller's choice, else PLAN_ALLOW_OUTSIDE (which `--allow-outside` sets)."""
    return os.environ.get(ALLOW_OUTSIDE_ENV) == "1" if allow_outside is None else allow_outside


def load_standard(raw: dict[str, Any], base: Path, smap: SourceMap,
                  allow_outside: bool | None = None) -> tuple[Standard, str]:
    """The standard a raw scenario's `standard:` names (a built-in id or a file beside it), and the reference."""
    ref = raw.get("standard")
    if not isinstance(ref, str) or not ref.strip():
        raise ScenarioError([smap.issue(("standard",), tr(
            f"必填：内置标准编号（{'、'.join(BUILTIN_IDS)}）或标准文件路径",
            f"required: a built-in standard id ({', '.join(BUILTIN_IDS)}) or a path to a standard file"))])
    if is_builtin(ref):
        return load_standard_file(standard_path(ref, base), f"<built-in standard {ref}>"), ref
    if not _outside_allowed(allow_outside):
        _refuse_outside(base, ref, ("standard",), smap)
    candidate = standard_path(ref, base)
    if not _is_file(candidate):
        hint = difflib.get_close_matches(ref, BUILTIN_IDS, n=1)
        extra = did_you_mean(hint[0]) if hint else tr(f"；内置标准：{'、'.join(BUILTIN_IDS)}",
                                                      f"; built-in ids: {', '.join(BUILTIN_IDS)}")
        raise ScenarioError([smap.issue(("standard",), tr(f"没有内置标准或标准文件 {excerpt(ref)}{extra}",
                                                          f"no built-in standard or file {excerpt(ref)}{extra}"))])
    return load_standard_file(candidate, str(Path(smap.file).parent / ref)), ref


def _refuse_outside(base: Path, ref: str, loc: tuple[Any, ...], smap: SourceMap) -> None:
    """A file the scenario names must lie in its folder tree (after `..` and links are resolved):
    `standard: /etc/passwd` must not make `plan validate` read, let alone print, another file."""
    try:
        inside = (base / ref).resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte …: not a file we read
        inside = False
    if not inside:
        folder = base.resolve()
        raise ScenarioError([smap.issue(loc, tr(
            f"{excerpt(ref)} 不在情景文件所在文件夹 {folder} 内；请移到该文件夹，或加 --allow-outside 仍然读取",
            f"{excerpt(ref)} is outside the scenario's folder {folder}; move it there, or give "
            "--allow-outside to read it anyway"))])


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # e.g. a name too long for the file system
        return False
