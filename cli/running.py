"""Running a long solve from the command line: in a thread that signals can interrupt, with a live
progress line, and a prompt exit that ends the solver processes left behind."""

from __future__ import annotations

import contextlib
import contextvars
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

from cli.render import LEVEL_WORDS
from planner.i18n import tr
from planner.solver.pool import end_tree


def command_thread(target: Callable[[], None]) -> threading.Thread:
    """A daemon thread that speaks the command's --lang: a new thread starts with a context of its
    own, so it runs in a copy of the caller's."""
    return threading.Thread(target=contextvars.copy_context().run, args=(target,), daemon=True)


def in_thread(work, abandon_on=None):  # type: ignore[no-untyped-def]
    """Run `work` in a thread while the main thread waits in Python, so that SIGINT/SIGTERM
    handlers run at once (they never run while the main thread is inside CP-SAT's C++ code).
    With `abandon_on` (a SolveControl), a stop returns None at once and leaves the thread behind."""

    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # re-raised in the main thread
            box["error"] = exc

    thread = command_thread(target)
    thread.start()
    while thread.is_alive():
        thread.join(0.1)
        if abandon_on is not None and abandon_on.stopped:
            return None
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]


def _stage_zh(stage: str) -> str:
    """A solve's stage as the progress line names it: a level of the objective (cli/render.py's
    names), the same in one of several components searched in turn (`2/3 total_cost`), or
    `components 3/10` (the pool)."""
    if stage == "building model":
        return "建立模型"
    if stage.startswith("components "):
        return "分量 " + stage.removeprefix("components ")
    part, _, level = stage.rpartition(" ")
    if level in LEVEL_WORDS:
        return (f"分量 {part} " if part else "") + LEVEL_WORDS[level][0]
    return stage


class Ticker:
    """A live progress line on stderr (terminals only) once a solve takes over a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.stage, self.best, self.bound = "building model", None, None
        self._done = threading.Event()
        self._thread = command_thread(self._run)

    def update(self, p) -> None:  # type: ignore[no-untyped-def]
        self.stage, self.best, self.bound = p.stage, p.best, p.bound

    def __enter__(self) -> "Ticker":
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self.enabled and self._thread.is_alive():
            self._thread.join()
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def _run(self) -> None:
        while not self._done.wait(0.25):
            elapsed = time.monotonic() - self.started
            if elapsed < 1.0:
                continue
            gap = ""
            if self.best is not None and self.bound is not None:
                g = abs(self.best - self.bound) / max(1.0, abs(self.best))
                gap = tr(f" 差距 {g:.2%}", f" gap {g:.2%}")
            best = (tr(f" 当前最好 {self.best:g} 界 {self.bound:g}", f" best {self.best:g} bound {self.bound:g}")
                    if self.best is not None else "")
            stage = tr(_stage_zh(self.stage), self.stage)
            sys.stderr.write(tr(f"\r\033[K求解中：{stage}{best}{gap} · {elapsed:.1f} 秒（Ctrl-C 保留目前最好的方案）",
                                f"\r\033[Ksolving: {stage}{best}{gap} · {elapsed:.1f} s (Ctrl-C keeps the best plan)"))
            sys.stderr.flush()


def exit_now(code: int, flush: bool = True) -> None:
    """Exit without waiting for threads or process pools; their solver processes are ended first
    (a pool worker inside CP-SAT would otherwise search on, up to its time limit). From a signal
    handler, `flush=False`: the interrupted thread may hold a stream's lock."""
    with contextlib.suppress(Exception):  # nothing may stand between a second Ctrl-C and the exit
        end_tree(os.getpid(), with_root=False)
    if flush:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


QUIET_TRACKER = "ignore:resource_tracker:UserWarning"  # a -W option: action:message:category


class stop_on_signals:
    """SIGINT/SIGTERM stop the search; the best plan found so far is still written (explanations
    not yet made are skipped). A second signal exits at once."""

    def __init__(self, control) -> None:  # type: ignore[no-untyped-def]
        self.control = control
        self.previous: dict[int, object] = {}

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        if self.control.stopped:  # the second signal: no more waiting
            # Raw write: rich and the buffered stream may be mid-write in the interrupted thread.
            os.write(2, (tr("再次中断：立即退出，未写入方案", "interrupted again: exiting at once, no plan written")
                         + "\n").encode())
            exit_now(128 + signum, flush=False)
        self.control.stop()

    def __enter__(self) -> "stop_on_signals":
        # Now, not in the handler (end_tree): an import half done when the second signal lands is
        # not finished by the handler's own, which gets a half-made module. ~28 ms: solve only.
        import psutil  # noqa: F401

        # The pool's resource tracker outlives a second signal's exit and unlinks the semaphores
        # we left, warning "leaked semaphore objects" (English, alarming, harmless). It starts
        # with our -W options, so it is told here, before any pool, to clean up without the warning.
        if QUIET_TRACKER not in sys.warnoptions:
            sys.warnoptions.append(QUIET_TRACKER)
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]


