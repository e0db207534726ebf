"""Independent solves side by side, one process per core: how sweep variants and marginal-value
re-solves run (and whose worker set-up the component pool of `solve` shares)."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import signal
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

R = TypeVar("R")


def ignore_sigint() -> None:
    """Pool workers ignore Ctrl-C: the parent decides what an interrupt means."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_each(fn: Callable[..., R], jobs: Sequence[tuple[Any, ...]], processes: int,
             on_result: Callable[[int, R], None] | None = None) -> list[R]:
    """`fn(*job)` for every job, results in the jobs' order; `on_result(i, result)` as each ends.

    With 1 process the jobs run in turn here. Otherwise in a forkserver pool (children do not
    inherit this process's threads: rich, a progress ticker). When anything raises (an interrupt,
    or `on_result` stopping early) the queued jobs are cancelled and the running ones terminated at
    once, rather than waited for up to their time limits. A pool that cannot start (e.g. a
    caller's script without a `__main__` guard) leaves the rest to run in turn."""
    results: dict[int, R] = {}

    def done(i: int, result: R) -> None:
        results[i] = result
        if on_result is not None:
            on_result(i, result)

    if processes > 1:
        ctx = multiprocessing.get_context("forkserver")
        try:
            with cf.ProcessPoolExecutor(processes, mp_context=ctx, initializer=ignore_sigint) as pool:
                futures = {pool.submit(fn, *job): i for i, job in enumerate(jobs)}
                try:
                    for fut in cf.as_completed(futures):
                        done(futures[fut], fut.result())
                except BaseException:
                    stop_now(pool)
                    raise
        except (BrokenProcessPool, OSError):
            pass
    for i, job in enumerate(jobs):
        if i not in results:
            done(i, fn(*job))
    return [results[i] for i in range(len(jobs))]


def stop_now(pool: Any) -> None:
    """Cancel the queued jobs and terminate the running ones, without waiting for them."""
    running = list((getattr(pool, "_processes", None) or {}).values())  # no public API for this
    pool.shutdown(wait=False, cancel_futures=True)
    for process in running:
        process.terminate()


def end_tree(pid: int, with_root: bool) -> None:
    """End the descendants of process `pid` (solver processes), and `pid` itself `with_root`.

    Each is stopped (SIGSTOP) before any is ended, and we look again until a look finds none new:
    a pool's fork server may fork a worker while we look, and a worker forked after a single look
    searched on, up to its time limit, holding our stdout and stderr open. Then SIGTERM and SIGCONT
    to each: the resource tracker ignores SIGTERM, and cleans up the pool's semaphores once its
    parent is gone (SIGKILL would leave them in /dev/shm)."""
    import psutil  # lazy: ~28 ms, and only a stop needs it

    held: dict[int, psutil.Process] = {}

    def hold(p: psutil.Process) -> None:
        held[p.pid] = p
        with contextlib.suppress(psutil.Error):
            p.suspend()

    with contextlib.suppress(psutil.Error):
        root = psutil.Process(pid)
        if with_root:
            hold(root)
        for _ in range(100):  # a bound, not a wait: each pass stops every process it finds
            new = [p for p in root.children(recursive=True) if p.pid not in held]
            if not new:
                break
            for p in new:
                hold(p)
    for p in held.values():
        with contextlib.suppress(psutil.Error):
            p.terminate()
            p.resume()
