"""The solving processes of `plan serve`: at most N at once (N = cores), the rest queued in the
database (bounded), each with a wall-clock limit, cancellable, and watched: a process that dies
without a result makes its run `failed`, and the server serves on.

The queue lives in the history itself (status `queued`), so a restarted server picks up the runs
still queued; a run that was `running` when its server stopped is marked failed on restart.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

from planner.i18n import tr
from planner.serve import worker
from planner.serve.db import ACTIVE, Store
from planner.solver.pool import end_tree

TICK = 0.1  # seconds between looks at the processes
PRELOAD = ["planner.serve.worker", "planner.io.loading", "planner.solver.solve", "planner.solver.result",
           "planner.rules.verify", "planner.analysis.explain", "planner.reports.html", "planner.reports.xlsx",
           "planner.reports.document", "planner.analysis.sweep", "planner.analysis.compare", "planner.reports.charts",
           "matplotlib.figure"]  # a module that is missing is skipped


class QueueFull(Exception):
    """More runs waiting than the queue holds: the client should try again later."""


@dataclass
class _Job:
    process: Any  # multiprocessing.Process
    deadline: float


class Runner:
    def __init__(self, store: Store, folder: Path, slots: int | None = None, queue_cap: int = 64,
                 max_seconds: float = 1800.0) -> None:
        self.store, self.folder = store, folder
        self.slots = slots or os.cpu_count() or 1
        self.queue_cap, self.max_seconds = queue_cap, max_seconds
        self.jobs: dict[int, _Job] = {}
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="plan-serve-runner", daemon=True)
        self.ctx = multiprocessing.get_context("forkserver")
        # Each worker forks from a process that has imported what a run needs: quick to start.
        self.ctx.set_forkserver_preload(PRELOAD)

    # ------------------------------------------------------------ life cycle

    def start(self) -> None:
        for run_id in self.store.ids_with("running"):  # their server stopped: no process is solving them
            self.store.finish(run_id, "failed", tr("服务在求解过程中停止；请重新提交", "the server stopped during "
                                                   "this run; submit it again"), only_from=("running",))
        self.thread.start()

    def stop(self) -> None:
        """Stop the loop and end every running process; their runs are marked failed."""
        self.stopping.set()
        self.wake.set()
        if self.thread.is_alive():
            self.thread.join(5)
        with self.lock:
            for run_id, job in list(self.jobs.items()):
                _kill_tree(job.process)
                self.store.finish(run_id, "failed", tr("服务已停止", "the server was stopped"), only_from=("running",))
            self.jobs.clear()

    # ------------------------------------------------------------ requests

    def check_room(self) -> None:
        if self.store.count("queued") >= self.queue_cap:
            raise QueueFull(tr(f"排队的运行已达 {self.queue_cap} 个上限，请稍后再试",
                               f"{self.queue_cap} runs are already queued; try again later"))

    def submitted(self) -> None:
        self.wake.set()

    def cancel(self, run_id: int) -> bool:
        """Queued or running → cancelled (its process ended at once); False when already finished."""
        with self.lock:
            changed = self.store.finish(run_id, "cancelled", tr("已取消", "cancelled"), only_from=ACTIVE)
            job = self.jobs.pop(run_id, None)
        if job is not None:
            _kill_tree(job.process)
        self.wake.set()
        return changed

    def counts(self) -> dict[str, int]:
        with self.lock:
            running = len(self.jobs)
        return {"running": running, "queued": self.store.count("queued"), "slots": self.slots,
                "queue_cap": self.queue_cap}

    # ------------------------------------------------------------ the loop

    def _loop(self) -> None:
        with contextlib.suppress(Exception):  # here, not at the first run: it imports PRELOAD (seconds)
            forkserver.ensure_running()
        while not self.stopping.is_set():
            try:
                self._reap()
                self._launch()
            except Exception:  # the database busy beyond its timeout, a fork refused: try again
                traceback.print_exc()
            self.wake.wait(TICK)
            self.wake.clear()

    def _reap(self) -> None:
        now = time.monotonic()
        with self.lock:
            for run_id, job in list(self.jobs.items()):
                if not job.process.is_alive():
                    job.process.join()
                    del self.jobs[run_id]
                    code = job.process.exitcode
                    self.store.finish(run_id, "failed", tr(
                        f"求解进程意外结束（退出码 {code}），未留下结果", f"the solving process ended unexpectedly "
                        f"(exit code {code}) without a result"), only_from=("running",))
                elif now > job.deadline:
                    _kill_tree(job.process)
                    del self.jobs[run_id]
                    self.store.finish(run_id, "failed", tr(
                        f"超过服务的单次运行时限 {self.max_seconds:g} 秒，已终止",
                        f"ended: over the server's limit of {self.max_seconds:g} s per run"), only_from=("running",))

    def _launch(self) -> None:
        with self.lock:
            free = self.slots - len(self.jobs)
            if free <= 0 or self.stopping.is_set():
                return
            for run_id in self.store.ids_with("queued")[:free]:
                if not self.store.start(run_id):
                    continue  # cancelled meanwhile
                process = self.ctx.Process(target=worker.main, args=(str(self.folder), run_id),
                                           name=f"plan-serve-run-{run_id}", daemon=False)
                try:
                    process.start()
                except OSError as exc:
                    self.store.finish(run_id, "failed", str(exc), only_from=("running",))
                    continue
                self.store.set_pid(run_id, process.pid)
                self.jobs[run_id] = _Job(process, time.monotonic() + self.max_seconds)


def _kill_tree(process: Any) -> None:
    """The process and everything it started (a component pool, marginal re-solves)."""
    end_tree(process.pid, with_root=True)
    with contextlib.suppress(Exception):
        process.join(5)
        process.kill()  # still there after 5 s (SIGTERM ended every run so far)
        process.join(5)
