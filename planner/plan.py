"""The plan result (docs/reference.md §9): pydantic models for `plan.json`, and its atomic writing."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from planner.i18n import tr
from planner.rules.actions import ActionType

TypeOfAction = Annotated[ActionType, PlainSerializer(str)]  # dumped as its plain string (YAML, CSV, JSON)

FORMAT: Final = "plan-result/1"


class _Rec(BaseModel):
    # NaN/Infinity (which json accepts) are no figures: refused when read, not a traceback later.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


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
    # Both absent when the level has no figure (a time limit or a signal before its first
    # solution); `to_json` drops None, so reading must accept them missing.
    value: float | None = None
    bound: float | None = None
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
    type: TypeOfAction
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


ChangeKind = Literal["kept", "moved", "changed", "dropped", "new"]


class ChurnSide(_Rec):
    """When and how much, on one side of a churn item (the earlier plan's or the new plan's)."""

    year: int
    count: int | None = None  # hires
    area_m2: int | None = None  # leases and builds


class Cause(_Rec):
    """An input that differs between the earlier plan's scenario (rolled on to this horizon) and
    this one, and whose scope holds the action's office (docs/reference.md §9 `churn`)."""

    kind: Literal["budget", "quota", "target", "office", "costs", "settings"]
    scope: str | None = None  # budget, quota
    role: str | None = None  # quota
    year: int | None = None  # budget, quota, target
    tier: str | None = None  # target
    office: str | None = None  # office
    field: str | None = None  # office data, costs, settings: the changed field, dotted
    earlier: Any = None
    now: Any = None
    shared: bool | None = None  # True: the entry holds no office of this action but shares a limit with it


class ChurnItem(_Rec):
    change: ChangeKind
    office: str
    type: TypeOfAction
    role: str | None = None
    option: str | None = None
    facility: str | None = None
    earlier: ChurnSide | None = None  # absent for `new`
    now: ChurnSide | None = None  # absent for `dropped`
    causes: list[Cause] = Field(default_factory=list)


class EarlierRef(_Rec):
    plan: str  # the earlier plan's file, as given (or as plan advance recorded it)
    # --keep PLAN; the scenario's own `keep:` (written by plan advance); plan compare's first plan
    source: Literal["option", "scenario", "compare"]
    verified: bool  # checked against its scenario (False: --force)


class Churn(_Rec):
    """How this plan differs from an earlier plan's actions in its horizon (docs/reference.md §7 level 4)."""

    earlier: EarlierRef
    years: list[int]
    kept: int
    moved: int
    changed: int
    dropped: int
    new: int
    churn: int  # earlier actions not reproduced exactly + actions not in the earlier plan
    actions: list[ChurnItem]


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
    churn: Churn | None = None  # only with --keep / a scenario's `keep:` (docs/reference.md §9)

    def to_json(self) -> str:
        data = self.model_dump(exclude_none=True)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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


# A plan is ~0.4 KB per office-year (300 offices × 3 years, 1,125 actions: 373 KB; docs/robustness.md),
# so the largest scenario benchmarked (40,000 offices × 3 years) needs ~50 MB; a 180 MB file
# is refused.
MAX_PLAN_BYTES = 128 * 2**20


class PlanTooLarge(ValueError):
    """A plan file over MAX_PLAN_BYTES: refused before reading it."""


def read_plan_bytes(path: Path) -> bytes:
    """The plan file's bytes, refusing one over MAX_PLAN_BYTES without reading it whole."""
    with path.open("rb") as f:
        data = f.read(MAX_PLAN_BYTES + 1)
    if len(data) > MAX_PLAN_BYTES:
        raise PlanTooLarge(tr(f"文件超过 {MAX_PLAN_BYTES // 2**20} MiB，不是本工具写出的 plan.json（拒绝读取）",
                              f"over {MAX_PLAN_BYTES // 2**20} MiB, larger than any plan.json this planner "
                              "writes (not read)"))
    return data


def read_plan(path: Path) -> PlanResult:
    return PlanResult.model_validate_json(read_plan_bytes(path))


def reread(plan: PlanResult) -> PlanResult:
    """The plan as `read_plan` will see it after `to_json`: what is written is what gets verified."""
    return PlanResult.model_validate_json(plan.to_json())
