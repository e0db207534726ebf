"""The workbench's pages (Jinja2, autoescaped; Chinese by default, `?lang=en` switches): upload and
history, a run (progress, report, downloads, explanations, re-solve with edited limits), sweep, compare."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from planner.errors import ScenarioError, ScenarioIssue
from planner.io.workbook_write import example_scenario, write_workbook
from planner.serve import inputs, views
from planner.serve.api import (
    _run_or_404 as _run,  # one 404 rule for the pages and the API
    input_file,
    with_percent,
)
from planner.serve.app import scenario_of, submit
from planner.serve.runner import QueueFull
from planner.serve.worker import XLSX

router = APIRouter(include_in_schema=False)
LANG_COOKIE = "plan_lang"
OUTPUT_NAMES = {"plan.json": ("方案 plan.json", "plan.json"), "workbook": ("Excel 工作簿", "Excel workbook"),
                "document.docx": ("Word 工作计划草案", "Word draft"), "report": ("HTML 报告", "HTML report"),
                "scenario": ("情景文件（上传的）", "scenario file (as uploaded)"),
                "sweep.json": ("扫描结果 sweep.json", "sweep.json"),
                "frontier.png": ("前沿图 PNG", "frontier chart PNG"),
                "explanation.json": ("不可行说明 explanation.json", "explanation.json")}


def lang_of(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in ("zh", "en"):
        return asked
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    lang = lang_of(request)
    zh = lang == "zh"
    context.update(request=request, lang=lang, zh=zh, t=lambda z, e: z if zh else e,
                   status_name=lambda s: views.status_name(s, zh), level_name=lambda s: views.level_name(s, zh),
                   path=request.url.path)
    response = request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 86400)
    return response




def _issues(exc: ScenarioError) -> list[dict[str, Any]]:
    return [inputs.issue_dict(i) for i in exc.issues]


@router.get("/")
def index(request: Request) -> Response:
    return _index(request)


def _index(request: Request, errors: list[dict[str, Any]] | None = None, status_code: int = 200) -> Response:
    runs = request.app.state.store.runs()
    return render(request, "index.html", status_code, runs=runs, errors=errors or [],
                  solved=[r for r in runs if r.has_plan], counts=request.app.state.runner.counts())


async def _form(request: Request) -> tuple[dict[str, Any], UploadFile | None]:
    form = await request.form()
    upload = form.get("scenario")
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return fields, upload if isinstance(upload, UploadFile) and upload.filename else None


async def _submit(request: Request, filename: str | None, data: bytes, fields: dict[str, Any],
                  parent_id: int | None = None, edits: dict[str, Any] | None = None) -> int:
    return int(await run_in_threadpool(submit, request.app, filename, data, fields, lang_of(request),
                                       parent_id, edits))


def _no_file(lang: str) -> ScenarioError:
    zh = lang == "zh"
    return ScenarioError([ScenarioIssue("scenario", None, "", "请选择情景文件（YAML 或 Excel 模板）" if zh
                                        else "choose a scenario file (YAML or the Excel template)")])


@router.post("/runs")
async def upload(request: Request) -> Response:
    fields, upload = await _form(request)
    fields.pop("budget_scale", None), fields.pop("quota_scale", None)
    try:
        if upload is None:
            raise _no_file(lang_of(request))
        run_id = await _submit(request, upload.filename, await upload.read(inputs.MAX_UPLOAD + 1), fields)
    except ScenarioError as exc:
        return _index(request, _issues(exc), 400)
    except QueueFull as exc:
        return _index(request, [{"field": "", "message": str(exc)}], 503)
    return RedirectResponse(f"/runs/{run_id}", status_code=303)


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: int, errors: list[dict[str, Any]] | None = None,
             status_code: int = 200) -> Response:
    run = _run(request, run_id)
    lang = lang_of(request)
    store = request.app.state.store
    outputs = store.outputs(run_id)
    names = ["plan.json", f"workbook.{lang}.xlsx", "document.docx", f"report.{lang}.html", "explanation.json",
             "sweep.json", "frontier.png"]
    downloads = [(name, _output_label(name, lang)) for name in names if name in outputs]
    downloads.append((input_file(run), _output_label("scenario", lang)))
    editable = run.kind == "solve" and run.status in ("optimal", "feasible", "infeasible")
    budgets, quotas = views.edit_rows(request.app, run, lang) if editable else ([], [])
    return render(request, "run.html", status_code, run=run, progress=with_percent(run), downloads=downloads,
                  report=f"report.{lang}.html" if f"report.{lang}.html" in outputs else None,
                  tables=views.explanation_tables(request.app, run, lang),
                  infeasible=views.infeasibility(request.app, run, lang), sweep=views.sweep_view(request.app, run),
                  budgets=budgets, quotas=quotas, errors=errors or [], solved=[
                      r for r in store.runs() if r.has_plan and r.id != run.id])


def _output_label(name: str, lang: str) -> str:
    key = name if name in OUTPUT_NAMES else name.split(".")[0]
    pair = OUTPUT_NAMES.get(key, (name, name))
    return pair[0] if lang == "zh" else pair[1]


@router.post("/runs/{run_id}/cancel")
def cancel(request: Request, run_id: int) -> Response:
    _run(request, run_id)
    request.app.state.runner.cancel(run_id)
    return RedirectResponse(f"/runs/{run_id}", status_code=303)


@router.post("/runs/{run_id}/resolve")
async def resolve(request: Request, run_id: int) -> Response:
    """Re-solve as a new run with the budgets and quotas edited on the result page."""
    run = _run(request, run_id)
    fields, _ = await _form(request)
    lang = lang_of(request)
    try:
        loaded = await run_in_threadpool(scenario_of, request.app, run_id, lang)
        scenario, changes = inputs.apply_edits(loaded, fields)
        data = await run_in_threadpool(inputs.scenario_bytes, scenario, loaded, run.input_suffix, run.input_name)
        new_id = await _submit(request, run.input_name, data, dict(run.params), run_id, changes)
    except ScenarioError as exc:
        return run_page(request, run_id, _issues(exc), 400)
    except QueueFull as exc:
        return run_page(request, run_id, [{"field": "", "message": str(exc)}], 503)
    return RedirectResponse(f"/runs/{new_id}", status_code=303)


@router.get("/sweep")
def sweep_page(request: Request) -> Response:
    return _sweep_page(request)


def _sweep_page(request: Request, errors: list[dict[str, Any]] | None = None, status_code: int = 200) -> Response:
    store = request.app.state.store
    runs = [r for r in store.runs() if r.kind == "solve"]
    sweeps = [r for r in store.runs() if r.kind == "sweep"]
    return render(request, "sweep.html", status_code, runs=runs, sweeps=sweeps, errors=errors or [],
                  chosen=request.query_params.get("from_run", ""))


@router.post("/sweep")
async def start_sweep(request: Request) -> Response:
    fields, upload = await _form(request)
    store = request.app.state.store
    fields.setdefault("budget_scale", "")
    if not fields["budget_scale"].strip():
        fields["budget_scale"] = "1"
    try:
        if upload is not None:
            name, data = upload.filename, await upload.read(inputs.MAX_UPLOAD + 1)
        elif fields.get("from_run", "").isdigit() and store.get(int(fields["from_run"])) is not None:
            source = store.get(int(fields["from_run"]))
            name, data = source.input_name, store.input(source.id)
        else:
            raise _no_file(lang_of(request))
        run_id = await _submit(request, name, data, fields)
    except ScenarioError as exc:
        return _sweep_page(request, _issues(exc), 400)
    except QueueFull as exc:
        return _sweep_page(request, [{"field": "", "message": str(exc)}], 503)
    return RedirectResponse(f"/runs/{run_id}", status_code=303)


@router.get("/compare")
def compare_page(request: Request, a: int | None = None, b: int | None = None) -> Response:
    store = request.app.state.store
    solved = [r for r in store.runs() if r.has_plan]
    view = None
    if a is not None and b is not None:
        ra, rb = _run(request, a), _run(request, b)
        if not (ra.has_plan and rb.has_plan):
            raise HTTPException(404, "both runs need a plan")
        view = views.compare_view(request.app, ra, rb, lang_of(request))
    return render(request, "compare.html", solved=solved, view=view, a=a, b=b)


@router.get("/template.xlsx")
def template() -> Response:
    """The Excel scenario template (`plan template`), with its example rows."""
    with tempfile.TemporaryDirectory(prefix="plan-serve-") as tmp:
        path = Path(tmp) / "template.xlsx"
        write_workbook(*example_scenario(), path)
        data = path.read_bytes()
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": "attachment; filename=\"template.xlsx\"; filename*=UTF-8''%E6%83%85%E6%99%AF.xlsx"})
