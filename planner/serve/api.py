"""The JSON API of `plan serve` (docs/api.md): submit, poll, download, cancel, compare."""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from planner.analysis.compare import compare
from planner.errors import ScenarioError
from planner.serve import inputs
from planner.serve.app import submit
from planner.serve.db import Run
from planner.serve.runner import QueueFull
from planner.serve.views import compared
from planner.serve.worker import XLSX

router = APIRouter(prefix="/api", tags=["runs"])
Status = Literal["queued", "running", "optimal", "feasible", "infeasible", "failed", "cancelled"]
_NAME = re.compile(r"^[a-z]+(\.[a-z]+)?\.(json|html|xlsx|docx|svg|png|yaml)$")


class Created(BaseModel):
    id: int = Field(description="the new run's id")


class Issue(BaseModel):
    file: str
    line: int | None = None
    sheet: str | None = Field(None, description="worksheet of an Excel scenario")
    cell: str | None = Field(None, description="cell of an Excel scenario, e.g. C5")
    field: str
    message: str


class Invalid(BaseModel):
    errors: list[Issue]


class RunOut(BaseModel):
    id: int
    kind: Literal["solve", "sweep"]
    status: Status
    scenario_name: str
    input_name: str
    input_sha256: str
    params: dict[str, Any]
    progress: dict[str, Any] | None = Field(None, description="phase, stage, best, bound, elapsed, levels, percent")
    objective: dict[str, Any] | None = Field(None, description="shortfall, attained_office_years, total_cost (万元)")
    levels: list[dict[str, Any]] | None = Field(None, description="each objective level: value, bound, status, seconds")
    message: str | None = None
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    parent_id: int | None = None
    edits: dict[str, Any] | None = None
    outputs: dict[str, str] = Field(default_factory=dict, description="output name → URL")


class RunList(BaseModel):
    runs: list[RunOut]


class Cancelled(BaseModel):
    id: int
    status: Status
    cancelled: bool = Field(description="false when the run had already finished")


class Counts(BaseModel):
    running: int
    queued: int
    slots: int
    queue_cap: int


def run_out(run: Run, outputs: list[str]) -> RunOut:
    return RunOut(id=run.id, kind=run.kind, status=run.status, scenario_name=run.scenario_name,  # type: ignore[arg-type]
                  input_name=run.input_name, input_sha256=run.input_sha256, params=run.params,
                  progress=with_percent(run), objective=run.objective, levels=run.levels, message=run.message,
                  created_at=run.created_at, started_at=run.started_at, finished_at=run.finished_at,
                  parent_id=run.parent_id, edits=run.edits,
                  outputs={n: f"/api/runs/{run.id}/{n}" for n in [input_file(run), *outputs]})


def input_file(run: Run) -> str:
    return f"scenario{run.input_suffix}"


def with_percent(run: Run) -> dict[str, Any] | None:
    """The progress with `percent` for a bar: variants done in a sweep, else the time used."""
    p = run.progress
    if p is None:
        return None
    p = dict(p)
    if p.get("total"):
        p["percent"] = round(100 * p.get("done", 0) / p["total"], 1)
    elif run.status == "running":
        p["percent"] = round(min(99.0, 100 * p.get("elapsed", 0) / max(0.1, p.get("time_limit") or 60)), 1)
    return p


def _run_or_404(request: Request, run_id: int) -> Run:
    run = request.app.state.store.get(run_id)
    if run is None:
        raise HTTPException(404, f"no run {run_id}")
    return run


@router.post("/runs", status_code=201, response_model=Created,
             responses={400: {"model": Invalid, "description": "the scenario or a parameter is invalid"},
                        413: {"description": "the upload is over the size limit"},
                        503: {"description": "the queue is full; try again later"}})
async def create_run(request: Request,
                     scenario: UploadFile = File(description="the scenario: YAML, or the Excel template (.xlsx)"),
                     time_limit: float | None = Form(None, description="seconds per solve (per sweep variant)"),
                     soft_targets: bool = Form(False), explain: bool = Form(False),
                     workers: int | None = Form(None, description="CP-SAT workers"), seed: int = Form(0),
                     engine: Literal["auto", "cpsat"] = Form("auto"),
                     budget_scale: str | None = Form(None, description="a sweep: budget scales, e.g. 0.6:1.4:0.2"),
                     quota_scale: str | None = Form(None, description="a sweep: quota scales"),
                     hard: bool = Form(False, description="a sweep with hard targets"),
                     lang: Literal["zh", "en"] = Form("zh", description="language of messages")) -> Any:
    """Queue a solve (or, with budget_scale/quota_scale, a sweep) of the uploaded scenario."""
    data = await scenario.read(inputs.MAX_UPLOAD + 1)
    fields = {"time_limit": time_limit, "soft_targets": soft_targets, "explain": explain, "workers": workers,
              "seed": seed, "engine": engine, "budget_scale": budget_scale, "quota_scale": quota_scale, "hard": hard}
    try:
        run_id = await run_in_threadpool(submit, request.app, scenario.filename, data, fields, lang)
    except ScenarioError as exc:
        return JSONResponse({"errors": [inputs.issue_dict(i) for i in exc.issues]}, status_code=400)
    except QueueFull as exc:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})
    return {"id": run_id}


@router.get("/runs", response_model=RunList)
def list_runs(request: Request, limit: int = 200) -> Any:
    """The history, newest first."""
    store = request.app.state.store
    return {"runs": [run_out(r, store.outputs(r.id)) for r in store.runs(max(1, min(limit, 1000)))]}


@router.get("/runs/{run_id}", response_model=RunOut)
def get_run(request: Request, run_id: int) -> Any:
    """A run's status, progress, objective levels and output links."""
    return run_out(_run_or_404(request, run_id), request.app.state.store.outputs(run_id))


@router.delete("/runs/{run_id}", response_model=Cancelled)
def cancel_run(request: Request, run_id: int) -> Any:
    """Cancel a queued or running run (its solving process is ended at once)."""
    _run_or_404(request, run_id)
    changed = request.app.state.runner.cancel(run_id)
    return {"id": run_id, "status": request.app.state.store.get(run_id).status, "cancelled": changed}


@router.get("/status", response_model=Counts)
def status(request: Request) -> Any:
    """Solving processes running, runs queued, and the limits."""
    return request.app.state.runner.counts()


@router.get("/compare")
def compare_runs(request: Request, a: int, b: int) -> Any:
    """Two solved runs side by side, as `plan compare --json` prints them."""
    plans = [compared(request.app, _run_or_404(request, i), "en") for i in (a, b)]
    return compare(plans)


@router.get("/runs/{run_id}/{name}", response_class=Response,
            responses={200: {"description": "the file: plan.json, report.zh.html, report.en.html, workbook.zh.xlsx, "
                                            "workbook.en.xlsx, document.docx, explanation.json, sweep.json, "
                                            "frontier.svg, frontier.png, or the scenario as uploaded"}})
def get_output(request: Request, run_id: int, name: str, download: bool = False) -> Response:
    """One output of a run, or its scenario (`scenario.yaml` / `scenario.xlsx`) as uploaded."""
    run = _run_or_404(request, run_id)
    store = request.app.state.store
    if not _NAME.match(name):
        raise HTTPException(404, "no such output")
    if name == input_file(run):
        media = inputs_media(run.input_suffix)
        content = store.input(run_id)
    else:
        found = store.output(run_id, name)
        if found is None:
            raise HTTPException(404, f"run {run_id} has no {name}")
        media, content = found
    inline = name.endswith((".html", ".svg", ".png", ".json")) and not download
    filename = f"run-{run_id}-{name}"
    return Response(content, media_type=media, headers={
        "Content-Disposition": f"{'inline' if inline else 'attachment'}; filename=\"{filename}\"; "
                               f"filename*=UTF-8''{quote(filename)}"})


def inputs_media(suffix: str) -> str:
    return XLSX if suffix == ".xlsx" else "application/yaml"
