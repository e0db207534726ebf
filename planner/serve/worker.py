"""One run of `plan serve`, in its own process: load → derive → solve → make_plan → verify
(planner/pipeline.py, as `plan solve`), then explanations and every output, written to the history in one transaction.

The process reads the run from the database, writes its progress there as the search goes, and
sets the final status. It never prints a traceback to the user: an unexpected error is the run's
`failed` message (the traceback goes to the server's log). It ends itself when the server that
started it is gone, so a killed server leaves no solver running on.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.analysis.explain import conflict_heading, explain_infeasible, explain_plan, target_need
from planner.analysis.sweep import (
    VariantParams,
    cheapest_meeting_targets,
    grid,
    parse_scales,
    solve_variant,
    sweep_report,
)
from planner.errors import ScenarioError
from planner.i18n import set_lang, tr
from planner.io.loading import load_scenario
from planner.pipeline import plan_requirements, prepare
from planner.reports.charts import ChartUnavailable, frontier_chart
from planner.reports.html import render_report
from planner.reports.tables import Context, build_tables
from planner.reports.xlsx import write_xlsx
from planner.serve.db import Store
from planner.solver.params import SolveParams
from planner.solver.pool import ignore_sigint, run_each
from planner.solver.status import SolveStatus

PROGRESS_EVERY = 0.25  # seconds between progress writes
_LABEL = re.compile(r"^(\d+)/(\d+) (.*)$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
Outputs = dict[str, tuple[str, bytes]]


def main(folder: str, run_id: int) -> None:
    """The worker process's entry point (planner/serve/runner.py starts it)."""
    ignore_sigint()  # Ctrl-C on the server reaches the whole group: the server decides
    _leave_with_parent()
    store = Store(Path(folder))
    run = store.get(run_id)
    if run is None:
        return
    set_lang(run.params.get("lang", "zh"))
    try:
        with tempfile.TemporaryDirectory(prefix="plan-serve-") as tmp:
            path = Path(tmp) / f"scenario{run.input_suffix}"  # our name: the client's is only a label
            path.write_bytes(store.input(run_id))
            if run.kind == "sweep":
                _sweep(store, run_id, path, run.input_name, run.params)
            else:
                _solve(store, run_id, path, run.input_name, run.params)
    except ScenarioError as exc:
        store.finish(run_id, "failed", "\n".join(str(i) for i in exc.issues))
    except Exception as exc:  # a bug: the run says what, the server's log has the traceback
        traceback.print_exc(file=sys.stderr)
        store.finish(run_id, "failed", tr(f"内部错误：{type(exc).__name__}: {exc}",
                                          f"internal error: {type(exc).__name__}: {exc}"))


def _leave_with_parent() -> None:
    """Exit when the parent goes (the server was killed): no orphaned solve searches on."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class Progress:
    """The search's progress, written to the run at most every PROGRESS_EVERY seconds."""

    def __init__(self, store: Store, run_id: int, time_limit: float) -> None:
        self.store, self.run_id = store, run_id
        self.state: dict[str, Any] = {"phase": "solving", "time_limit": time_limit, "levels": {},
                                      "started": time.time()}
        self.last = 0.0
        self.lock = threading.Lock()

    def solver(self, p: Any) -> None:
        """A planner.solver.solve.Progress: the level (and component) searched, best value and bound."""
        label = _LABEL.match(p.stage)
        level = label.group(3) if label else p.stage
        with self.lock:
            self.state.update(stage=level, component=f"{label.group(1)}/{label.group(2)}" if label else None,
                              best=p.best, bound=p.bound, elapsed=round(p.elapsed, 2))
            if p.best is not None:
                self.state["levels"][level] = {"best": p.best, "bound": p.bound}
        self.write()

    def phase(self, phase: str, detail: str = "", **extra: Any) -> None:
        with self.lock:
            self.state.update(phase=phase, detail=detail, **extra)
        self.write(force=True)

    def write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        with self.lock:
            state = json.loads(json.dumps(self.state))
        state["elapsed"] = round(time.time() - state["started"], 2)
        self.store.progress(self.run_id, state)


def _solve(store: Store, run_id: int, path: Path, display: str, p: dict[str, Any]) -> None:
    progress = Progress(store, run_id, p["time_limit"])
    progress.phase("loading")
    loaded = load_scenario(path, display, allow_outside=False)
    req = prepare(loaded, soft_targets=True if p.get("soft_targets") else None, check_size=display)
    params = SolveParams(time_limit=p["time_limit"], workers=p["workers"], seed=p.get("seed", 0),
                         progress=progress.solver, engine=p.get("engine", "auto"), parallel_components=False)
    progress.phase("solving")
    run = plan_requirements(loaded, req, params)
    quiet = replace(params, progress=None)
    if run.status == SolveStatus.INFEASIBLE:
        progress.phase("explaining")
        _infeasible(store, run_id, run.outcome.conflict, loaded, req, quiet if p.get("explain") else None)
        return
    if run.plan is None:
        store.finish(run_id, "failed", tr(f"{p['time_limit']:g} 秒内未找到方案；请加大时间限制",
                                          f"no plan found within {p['time_limit']:g} s; give a longer time limit"))
        return
    plan = run.plan
    if run.violations:
        store.finish(run_id, "failed", "\n".join(map(str, run.violations)))
        return
    if p.get("explain"):
        progress.phase("explaining")
        section = explain_plan(loaded, req, plan, quiet, processes=1,
                               progress=lambda text: progress.phase("explaining", text))
        plan = plan.model_copy(update={"explanations": section})
    progress.phase("writing")
    store.finish(run_id, plan.status, None, plan.objective.model_dump(),
                 [s.model_dump() for s in plan.solver.stages], plan_outputs(plan, loaded))


def plan_outputs(plan: Any, loaded: Any) -> Outputs:
    """plan.json, the HTML report and the workbook in Chinese and English, the Word draft."""
    # lazy: child process (python-docx and lxml, ~50 ms: the forkserver imports them, runner.PRELOAD,
    # and the server, which imports this module for `main`, never needs them)
    from planner.reports.document import build_document

    ctx = Context(loaded, loaded.standard)
    out: Outputs = {"plan.json": ("application/json", plan.to_json().encode("utf-8"))}
    with tempfile.TemporaryDirectory(prefix="plan-serve-") as tmp:
        for lang in ("zh", "en"):
            out[f"report.{lang}.html"] = ("text/html; charset=utf-8",
                                          render_report(plan, ctx, lang).encode("utf-8"))
            book = Path(tmp) / f"{lang}.xlsx"
            write_xlsx(build_tables(plan, ctx, lang), book)
            out[f"workbook.{lang}.xlsx"] = (XLSX, book.read_bytes())
    out["document.docx"] = (DOCX, build_document(plan, ctx))
    return out


def _infeasible(store: Store, run_id: int, conflict: Any, loaded: Any, req: Any, params: Any) -> None:
    """The targets in conflict, as `plan solve` names them; with explanations, also the figure of
    each limit that restores feasibility (`plan explain`)."""
    lines = [tr(*conflict_heading(len(conflict))) + tr("：", ":")] + ["  " + tr(*target_need(c)) for c in conflict]
    explanation: dict[str, Any] = {"conflict_zh": [conflict_heading(len(conflict))[0]]
                                   + [target_need(c)[0] for c in conflict],
                                   "conflict_en": [conflict_heading(len(conflict))[1]]
                                   + [target_need(c)[1] for c in conflict]}
    if params is not None:
        found = explain_infeasible(req, params, loaded.standard.role_zh)
        if found is not None:
            explanation.update(text_zh=found.text_zh, text_en=found.text_en)
    store.finish(run_id, "infeasible", "\n".join(lines), outputs={
        "explanation.json": ("application/json", json.dumps(explanation, ensure_ascii=False, indent=2).encode())})


def _sweep(store: Store, run_id: int, path: Path, display: str, p: dict[str, Any]) -> None:
    """The variants in turn in this one process (the server runs at most N processes at once)."""
    progress = Progress(store, run_id, p["time_limit"])
    loaded = load_scenario(path, display, allow_outside=False)
    points = grid(parse_scales(p["budget_scale"]), parse_scales(p.get("quota_scale", "1")))
    params = VariantParams(time_limit=p["time_limit"], workers=p["workers"], seed=p.get("seed", 0),
                           soft_targets=not p.get("hard"))
    progress.phase("sweeping", done=0, total=len(points))
    results = run_each(solve_variant, [(str(path), b, q, params) for b, q in points], 1,
                       lambda i, _: progress.phase("sweeping", done=i + 1, total=len(points)))
    best = cheapest_meeting_targets(results)
    out: Outputs = {"sweep.json": ("application/json",
                                   json.dumps(sweep_report(results), ensure_ascii=False, indent=2).encode())}
    message = None
    try:
        chart = frontier_chart(results, best, loaded.scenario.name, path.parent / "frontier")
        out["frontier.svg"] = ("image/svg+xml", (path.parent / "frontier.svg").read_bytes())
        out["frontier.png"] = ("image/png", (path.parent / "frontier.png").read_bytes())
        message = "; ".join(chart.warnings) or None
    except ChartUnavailable as exc:
        message = str(exc)
    statuses = {r["status"] for r in results}
    status = ("optimal" if statuses == {"optimal"} else "infeasible" if all(r["objective"] is None for r in results)
              else "feasible")
    store.finish(run_id, status, message, None, None, out)
