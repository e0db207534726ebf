"""`plan solve --dask ADDRESS`: independent components solved on an existing Dask cluster.

Each component is one task running the same function as the local solve (`solve._solve_part`),
with the same parameters, so the plan is the same as solving here (docs/solver.md). Tasks carry
no progress callback or stop control (they do not cross processes); the time limit left when
they are sent is theirs.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from planner.i18n import tr
from planner.solver.params import Progress

if TYPE_CHECKING:
    from planner.rules.requirements import Requirements
    from planner.solver.params import SolveOutcome, SolveParams


class RemoteError(Exception):
    """The cluster cannot be used (Dask missing, scheduler unreachable); the message says which."""


def solve_component(sub: Requirements, params: SolveParams, label: str) -> SolveOutcome:
    """One component, on a worker (daemonic: no process pool of its own)."""
    from planner.solver.solve import _solve_part  # lazy: import cycle (solve imports this module)

    return _solve_part(sub, params, time.monotonic(), label)


def solve_on_dask(address: str, subs: list[Requirements], params: SolveParams,
                  time_limit: float | None) -> list[SolveOutcome]:
    try:
        from distributed import Client, as_completed  # lazy: optional extra (dask)
    except ImportError:
        raise RemoteError(tr("--dask 需要可选的 Dask 组件：pip install 'justice-office-planner[dask]'",
                             "--dask needs the optional Dask extra: pip install "
                             "'justice-office-planner[dask]' (dask[distributed])")) from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise RemoteError(tr(f"无法连接 Dask 调度器 {address}：{exc}",
                             f"cannot reach the Dask scheduler at {address}: {exc}")) from None
    plain = replace(params, progress=None, control=None, parallel_components=False, dask_address=None,
                    time_limit=time_limit)
    tag = uuid.uuid4().hex[:8]  # our own task keys: never another client's cached results
    out: dict[int, SolveOutcome] = {}
    with client:
        futures = [client.submit(solve_component, sub, plain, f"{k + 1}/{len(subs)} ",
                                 key=f"plan-solve-{tag}-{k}", pure=False) for k, sub in enumerate(subs)]
        index = {f.key: k for k, f in enumerate(futures)}
        try:
            for fut in as_completed(futures):
                out[index[fut.key]] = fut.result()
                if params.progress is not None:
                    params.progress(Progress(f"components {len(out)}/{len(subs)}", None, None, 0.0))
                if params.stopped:
                    client.cancel(futures)
                    break
        except BaseException:
            client.cancel(futures)
            raise
    from planner.solver.solve import _solve_part  # lazy: import cycle (solve imports this module)

    for k, sub in enumerate(subs):  # interrupted: the rest here, a first plan each
        if k not in out:
            out[k] = _solve_part(sub, params, time.monotonic(), f"{k + 1}/{len(subs)} ")
    return [out[k] for k in range(len(subs))]
