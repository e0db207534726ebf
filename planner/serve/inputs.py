"""What `plan serve` takes from a client: an uploaded scenario (YAML or the Excel template), checked
exactly as `plan validate` checks a file, and edits of a run's budgets and quotas.

The client's file name is a label only: the bytes are written under a name of our own in a fresh
temporary folder, and a standard or office table outside that folder is refused (as the CLI does
without --allow-outside), so nothing the client sends can name a file on the server.
"""

from __future__ import annotations

import copy
import hashlib
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import ScenarioError, ScenarioIssue
from planner.i18n import set_lang, tr
from planner.io.loading import load_scenario
from planner.io.scenario import to_wan
from planner.io.workbook_write import scenario_yaml, write_workbook
from planner.rules.scopes import ALL

MAX_UPLOAD = 10 * 1024 * 1024  # bytes; a filled-in template of a whole province is well under 2 MB
SUFFIXES = {".yaml": ".yaml", ".yml": ".yaml", ".xlsx": ".xlsx"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069/\\]")
_CELL = re.compile(r"^(?P<sheet>[^!]+)!(?P<cell>[A-Z]{1,3}\d+)(?::\s*(?P<field>.*))?$")


@dataclass(frozen=True)
class Checked:
    label: str
    suffix: str
    data: bytes
    sha256: str
    loaded: Any  # planner.io.loading.LoadedScenario


def label(filename: str | None) -> str:
    """The uploaded file's name as a label: its last part, no control characters, ≤ 100 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name).strip()[:100]
    return name or "scenario.yaml"


def suffix_of(name: str, data: bytes) -> str:
    ext = Path(name).suffix.lower()
    if ext in SUFFIXES:
        return SUFFIXES[ext]
    return ".xlsx" if data[:2] == b"PK" else ".yaml"  # a zip is the workbook


@contextmanager
def as_file(data: bytes, suffix: str) -> Iterator[Path]:
    """The bytes as `scenario.yaml|.xlsx`, alone in a fresh temporary folder."""
    with tempfile.TemporaryDirectory(prefix="plan-serve-") as tmp:
        path = Path(tmp) / f"scenario{suffix}"
        path.write_bytes(data)
        yield path


def check(filename: str | None, data: bytes, lang: str) -> Checked:
    """Load the upload as the CLI would; raises ScenarioError with every issue found."""
    set_lang(lang)
    name = label(filename)
    if len(data) > MAX_UPLOAD:
        raise ScenarioError([ScenarioIssue(name, None, "", tr(
            f"文件超过 {MAX_UPLOAD // 2**20} MB 上限", f"the file is over the {MAX_UPLOAD // 2**20} MB limit"))])
    if not data:
        raise ScenarioError([ScenarioIssue(name, None, "", tr("文件为空", "the file is empty"))])
    suffix = suffix_of(name, data)
    with as_file(data, suffix) as path:
        loaded = load_scenario(path, name, allow_outside=False)
    return Checked(name, suffix, data, hashlib.sha256(data).hexdigest(), loaded)


def issue_dict(issue: ScenarioIssue) -> dict[str, Any]:
    """An issue with the workbook's `sheet!cell: field` split into sheet, cell and field."""
    out: dict[str, Any] = {"file": issue.file, "line": issue.line, "sheet": None, "cell": None,
                           "field": issue.field, "message": issue.message}
    m = _CELL.match(issue.field or "")
    if m:
        out.update(sheet=m["sheet"], cell=m["cell"], field=m["field"] or "")
    return out


# ---------------------------------------------------------------- edits of budgets and quotas


def limit_rows(loaded: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The budget (万元) and quota entries a result page lets the user edit."""
    budgets = [{"key": f"b|{b.scope}|{b.year}", "scope": b.scope, "year": b.year, "value": to_wan(b.amount_yuan)}
               for b in loaded.budgets]
    quotas = [{"key": f"q|{q.role}|{q.scope}|{q.year}", "role": q.role, "role_zh": loaded.standard.role_zh(q.role),
               "scope": q.scope, "year": q.year, "value": q.amount} for q in loaded.quotas]
    return budgets, quotas


def apply_edits(loaded: Any, form: dict[str, str]) -> tuple[Any, dict[str, Any]]:
    """The scenario with the edited entries (form fields `b|scope|year`, `q|role|scope|year`), and
    what changed ({"budget": [...], "quotas": [...]}, old and new figures)."""
    budgets, quotas = limit_rows(loaded)
    sc = loaded.scenario
    budget, quota = copy.deepcopy(sc.budget), copy.deepcopy(sc.quotas)
    changes: dict[str, list[dict[str, Any]]] = {"budget": [], "quotas": []}
    for row in budgets:
        new = _number(form.get(row["key"]), row["value"], row["key"])
        if new != row["value"]:
            _put(budget, row["scope"], row["year"], new)
            changes["budget"].append({"scope": row["scope"], "year": row["year"], "old": row["value"], "new": new})
    for row in quotas:
        new = _number(form.get(row["key"]), row["value"], row["key"])
        if new != row["value"]:
            _put(quota[row["role"]], row["scope"], row["year"], new)
            changes["quotas"].append({"role": row["role"], "scope": row["scope"], "year": row["year"],
                                      "old": row["value"], "new": new})
    return sc.model_copy(update={"budget": budget, "quotas": quota}), changes


def _number(text: str | None, old: float | int, key: str) -> Any:
    if text is None or not text.strip():
        return old
    try:
        value = float(text)
    except ValueError:
        raise ScenarioError([ScenarioIssue(key.split("|", 1)[1], None, "", tr(
            f"{text[:40]!r} 不是数字", f"{text[:40]!r} is not a number"))]) from None
    return int(value) if value == int(value) and isinstance(old, int) else value


def _put(shape: dict[Any, Any], scope: str, year: int, value: Any) -> None:
    if scope == ALL and year in shape:
        shape[year] = value
    else:
        shape[scope][year] = value


def scenario_bytes(scenario: Any, loaded: Any, suffix: str, source_name: str) -> bytes:
    """The edited scenario as a file of the same kind as the upload (YAML, or the Excel template)."""
    if suffix == ".xlsx":
        with tempfile.TemporaryDirectory(prefix="plan-serve-") as tmp:
            path = Path(tmp) / "scenario.xlsx"
            write_workbook(scenario, loaded.standard, path)
            return path.read_bytes()
    text = scenario_yaml(scenario, Path(source_name)).split("\n", 1)[1]  # its first line names `plan convert`
    return (f"# {source_name} with budgets or quotas edited in `plan serve` (docs/workbench.md).\n" + text).encode()
