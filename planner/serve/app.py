"""The `plan serve` web app: FastAPI, Jinja2 pages (api.py, pages.py), a run history in SQLite
(db.py) and solving processes (runner.py, worker.py). Every asset is served by the app itself."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from planner.analysis.sweep import SweepError, grid, parse_scales
from planner.errors import ScenarioError, ScenarioIssue
from planner.i18n import set_lang, tr
from planner.io.loading import load_scenario
from planner.serve import inputs
from planner.serve.db import Store
from planner.serve.runner import Runner
from planner.serve.security import BodyTooLarge, Guard
from planner.solver.params import DEFAULT_WORKERS

HERE = Path(__file__).parent
MAX_TIME_LIMIT = 600.0  # seconds a client may ask for one solve (or one sweep variant)
MAX_SWEEP_POINTS = 41


@dataclass(frozen=True)
class Settings:
    data: Path
    host: str = "127.0.0.1"
    token: str | None = None
    slots: int | None = None  # solving processes at once (None: one per core)
    queue_cap: int = 64
    max_seconds: float = 1800.0  # wall-clock limit of one run, explanations included


def create_app(settings: Settings) -> Any:
    """The ASGI application: the FastAPI app inside the Guard middleware (token, Host, size cap)."""
    store = Store(settings.data)
    runner = Runner(store, settings.data, settings.slots, settings.queue_cap, settings.max_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner.start()
        try:
            yield
        finally:
            runner.stop()

    app = FastAPI(title="司法所分类建设 planner — plan serve", version="1",
                  description="The JSON API of `plan serve` (docs/api.md).", lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # the interactive docs load assets from a CDN
    app.state.store, app.state.runner, app.state.settings = store, runner, settings
    # Autoescape everywhere: an office named <script> stays text.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)
    app.state.templates = Jinja2Templates(env=env)
    app.state.templates.env.filters["when"] = lambda ts: time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts))
    app.state.templates.env.filters["num"] = _num
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=413)

    from planner.serve import api, pages  # lazy: import cycle (both import this module)

    app.include_router(api.router)
    app.include_router(pages.router)
    guarded = Guard(app, settings.token, settings.host, inputs.MAX_UPLOAD + 64 * 1024)
    guarded.fastapi = app  # type: ignore[attr-defined]  # tests and `openapi()` reach the app
    return guarded


def _num(value: Any) -> str:
    """152.0 → 152, 1353.27 → 1353.27, None → —."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(round(value, 4))
    return str(value)


# ---------------------------------------------------------------- submitting a run


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "on", "yes")


def run_params(fields: dict[str, Any], lang: str) -> dict[str, Any]:
    """The parameters of a run from form fields (strings), checked; raises ScenarioError naming the field."""
    def bad(name: str, zh: str, en: str) -> ScenarioError:
        return ScenarioError([ScenarioIssue(name, None, name, tr(zh, en))])

    try:
        time_limit = float(fields.get("time_limit") or 60)
        workers = int(fields.get("workers") or DEFAULT_WORKERS)
        seed = int(fields.get("seed") or 0)
    except ValueError:
        raise bad("time_limit", "时间限制、workers、seed 应为数字",
                  "time_limit, workers and seed are numbers") from None
    if not 0.1 <= time_limit <= MAX_TIME_LIMIT:
        raise bad("time_limit", f"时间限制应在 0.1–{MAX_TIME_LIMIT:g} 秒之间",
                  f"time_limit must be 0.1–{MAX_TIME_LIMIT:g} s")
    if not 1 <= workers <= 64:
        raise bad("workers", "workers 应在 1–64 之间", "workers must be 1–64")
    engine = fields.get("engine") or "auto"
    if engine not in ("auto", "cpsat"):
        raise bad("engine", "engine 应为 auto 或 cpsat", "engine is auto or cpsat")
    params: dict[str, Any] = {"time_limit": time_limit, "workers": workers, "seed": seed, "engine": engine,
                              "soft_targets": _flag(fields.get("soft_targets")),
                              "explain": _flag(fields.get("explain")), "lang": lang}
    if fields.get("budget_scale") or fields.get("quota_scale"):
        params.update(budget_scale=str(fields.get("budget_scale") or "1"),
                      quota_scale=str(fields.get("quota_scale") or "1"), hard=_flag(fields.get("hard")))
        try:
            points = grid(parse_scales(params["budget_scale"]), parse_scales(params["quota_scale"]))
        except SweepError as exc:
            raise bad("budget_scale", str(exc), str(exc)) from None
        if len(points) > MAX_SWEEP_POINTS:
            raise bad("budget_scale", f"一次扫描至多 {MAX_SWEEP_POINTS} 个点",
                      f"at most {MAX_SWEEP_POINTS} points a sweep")
    return params


def submit(app: Any, filename: str | None, data: bytes, fields: dict[str, Any], lang: str,
           parent_id: int | None = None, edits: dict[str, Any] | None = None) -> int:
    """Check the upload and the parameters as the CLI would, then queue the run; returns its id.
    Raises ScenarioError (each issue located) or QueueFull."""
    params = run_params(fields, lang)
    runner: Runner = app.state.runner
    runner.check_room()
    checked = inputs.check(filename, data, lang)
    kind = "sweep" if "budget_scale" in params else "solve"
    run_id = app.state.store.add(kind, checked.label, checked.suffix, checked.data, checked.sha256,
                                 checked.loaded.scenario.name, params, parent_id, edits)
    runner.submitted()
    return int(run_id)


def scenario_of(app: Any, run_id: int, lang: str) -> Any:
    """The loaded scenario of a run (from the bytes in the history)."""
    set_lang(lang)
    run = app.state.store.get(run_id)
    with inputs.as_file(app.state.store.input(run_id), run.input_suffix) as path:
        return load_scenario(path, run.input_name, allow_outside=False)
