"""The plan result (docs/reference.md §9): pydantic models for `plan.json`, and its atomic writing."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT: Final = "plan-result/1"
ActionType = Literal["hire", "lease", "build", "housing", "facility"]


class _Rec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScenarioRef(_Rec):
    name: str
    file: str
    sha256: str


class Objective(_Rec):
    shortfall: int
    attained_office_years: int
    total_cost: float  # 万元


class StageInfo(_Rec):
    level: str
    status: str
    value: float | None
    bound: float | None
    seconds: float


class SolverInfo(_Rec):
    name: str = "cp-sat"
    version: str
    seconds: float
    workers: int
    seed: int
    stages: list[StageInfo] = Field(default_factory=list)


class OfficeRecord(_Rec):
    id: str
    name: str
    county: str
    kind: str
    tier: str
    tier_reason: str
    tier_reason_zh: str = ""
    attained: dict[str, bool]


class Action(_Rec):
    office: str
    year: int
    type: ActionType
    role: str | None = None
    count: int | None = None
    area_m2: int | None = None
    option: str | None = None
    facility: str | None = None
    one_time: float = 0.0  # 万元, the action's total
    annual: float = 0.0  # 万元, the action's total


class AttainmentRecord(_Rec):
    year: int
    scope: str
    tier: str
    offices: int
    attained: int
    target: float
    required: int
    met: bool


class SpendingRecord(_Rec):
    year: int
    scope: str
    budget: float
    spent: float


class PlanResult(_Rec):
    format: Literal["plan-result/1"] = FORMAT
    scenario: ScenarioRef
    standard: str
    status: Literal["optimal", "feasible"]
    targets_mode: Literal["hard", "soft"] = "hard"
    objective: Objective
    solver: SolverInfo
    offices: list[OfficeRecord]
    actions: list[Action]
    attainment: list[AttainmentRecord]
    spending: list[SpendingRecord]
    explanations: dict[str, Any] | None = None

    def to_json(self) -> str:
        data = self.model_dump(exclude_none=True)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def action_dict(a: Action) -> dict[str, Any]:
    return a.model_dump(exclude_none=True)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a whole file or nothing: a temp file in the same folder, fsync, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_plan(path: Path) -> PlanResult:
    return PlanResult.model_validate_json(path.read_bytes())
