"""Budget/quota sweeps (`plan sweep`): solve scaled variants of one scenario, in parallel.

A variant multiplies every budget entry by `budget_scale` (rounded to the nearest whole yuan,
halves up) and every post quota by `quota_scale` (rounded down to whole people: a quota of 3 at
0.5 is 1, since half a post cannot be filled). Variants are built on the loaded scenario
(`dataclasses.replace` of its budgets and quotas), never by rewriting files.

The unit of work is `solve_variant`, a pure, picklable function that re-loads the scenario where
it runs, so a local process pool and a Dask cluster compute the same thing: with the same seed the
objective values, which are proven optima, are identical whichever way the variants ran.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypedDict

from planner.analysis.compare import kpis
from planner.errors import ScenarioError
from planner.i18n import current_lang, set_lang, tr
from planner.io.loading import BudgetEntry, LoadedScenario, QuotaEntry, load_scenario
from planner.io.scenario import to_wan
from planner.io.standards import TIERS
from planner.pipeline import plan_scenario
from planner.rules.scopes import ALL
from planner.solver.params import DEFAULT_WORKERS, SolveParams
from planner.solver.pool import run_each


def dask_missing() -> str:
    """Dask is not installed: how to get it, in the current language."""
    return tr("--dask 需要可选组件 dask：pip install 'justice-office-planner[dask]'（dask[distributed]）",
              "--dask needs the optional Dask extra: pip install 'justice-office-planner[dask]' "
              "(dask[distributed])")


# A sweep point is at most this many variants: each is a full solve.
MAX_VARIANTS = 400


class SweepError(Exception):
    """A sweep that cannot run (bad scale list, unreachable cluster, a worker that cannot load)."""


# ---------------------------------------------------------------- scales


def parse_scales(text: str) -> list[Decimal]:
    """`0.5:1.5:0.1` (start:stop:step, stop included), `0.8,1,1.2`, one value `0.9`, or a comma
    list mixing both (`0.5,0.8:1.2:0.1`); sorted, duplicates dropped.

    Decimal arithmetic, so 0.5:1.5:0.1 has exactly 11 points ending at 1.5 (no 1.4999…)."""
    values: list[Decimal] = []
    for item in (p.strip() for p in text.split(",")):
        if item:
            values += _parse_item(item)
        if len(values) > MAX_VARIANTS:
            raise SweepError(tr(f"{text!r} 的取值超过 {MAX_VARIANTS} 个", f"{text!r} has over {MAX_VARIANTS} values"))
    if not values:
        raise SweepError(tr("未给出系数", "no scale given"))
    return sorted(set(values))


def _parse_item(item: str) -> list[Decimal]:
    try:
        parts = [Decimal(p) for p in item.split(":")]
    except InvalidOperation:
        raise SweepError(tr(f"{item!r}：系数应为数字，例如 0.5:1.5:0.1、0.8,1,1.2 或 0.9",
                            f"{item!r}: scales are numbers, e.g. 0.5:1.5:0.1, 0.8,1,1.2 or 0.9")) from None
    if any(not p.is_finite() for p in parts):
        raise SweepError(tr(f"{item!r}：系数应为有限的数", f"{item!r}: scales are finite numbers"))
    if len(parts) == 1:
        values = parts
    elif len(parts) == 3:
        start, stop, step = parts
        if step <= 0 or stop < start:
            raise SweepError(tr(f"{item!r}：范围 start:stop:step 要求 step > 0 且 stop ≥ start",
                                f"{item!r}: a range start:stop:step needs step > 0 and stop ≥ start"))
        n = int((stop - start) / step) + 1
        if n > MAX_VARIANTS:
            raise SweepError(tr(f"{item!r} 有 {n} 个取值；至多 {MAX_VARIANTS} 个",
                                f"{item!r} has {n} values; at most {MAX_VARIANTS}"))
        values = [start + i * step for i in range(n)]
    else:
        raise SweepError(tr(f"{item!r}：范围应写作 start:stop:step，例如 0.5:1.5:0.1",
                            f"{item!r}: a range is start:stop:step, e.g. 0.5:1.5:0.1"))
    if any(v < 0 for v in values):
        raise SweepError(tr(f"{item!r}：系数须 ≥ 0", f"{item!r}: scales must be ≥ 0"))
    return values


def grid(budget_scales: Sequence[Decimal], quota_scales: Sequence[Decimal]) -> list[tuple[Decimal, Decimal]]:
    """Every (budget scale, quota scale) pair, quota scale outermost."""
    points = [(b, q) for q in quota_scales for b in budget_scales]
    if len(points) > MAX_VARIANTS:
        raise SweepError(tr(f"共 {len(points)} 个变体；一次扫描至多 {MAX_VARIANTS} 个",
                            f"{len(points)} variants; at most {MAX_VARIANTS} per sweep"))
    return points


# ---------------------------------------------------------------- variants


def _dec(x: float | str | Decimal) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def scale_budget(entry: BudgetEntry, scale: Decimal) -> BudgetEntry:
    return replace(entry, amount_yuan=int((entry.amount_yuan * scale).to_integral_value(ROUND_HALF_UP)))


def scale_quota(entry: QuotaEntry, scale: Decimal) -> QuotaEntry:
    return replace(entry, amount=int((entry.amount * scale).to_integral_value(ROUND_FLOOR)))


def make_variant(loaded: LoadedScenario, budget_scale: float | str | Decimal,
                 quota_scale: float | str | Decimal = 1) -> LoadedScenario:
    """The same scenario with every budget and every quota scaled (the original is untouched)."""
    b, q = _dec(budget_scale), _dec(quota_scale)
    return replace(loaded, budgets=[scale_budget(e, b) for e in loaded.budgets],
                   quotas=[scale_quota(e, q) for e in loaded.quotas])


def total_budget_yuan(budgets: Sequence[BudgetEntry],
                      members: Mapping[str, Sequence[int]] | None = None) -> int:
    """Per year, the entries no wider entry holds, summed: the scenario-wide one where there is
    one, else e.g. the city funds plus the budgets of counties outside every funded city.

    `members` (Requirements.scope_members) says which scope holds which offices; without it
    every scope but "all" is taken as disjoint from the others."""
    total = 0
    for year in sorted({b.year for b in budgets}):
        amount = {b.scope: b.amount_yuan for b in budgets if b.year == year}
        total += sum(amount[s] for s in _outermost(amount, members))
    return total


def _outermost(amount: dict[str, int], members: Mapping[str, Sequence[int]] | None) -> list[str]:
    """The scopes of `amount` that no other scope of it holds. Scopes nest (a county lies in one
    city), so only the scopes holding a scope's first office can hold it; of two scopes holding
    the same offices (a city that is its own only county) the smaller amount counts."""
    if members is None:
        return [ALL] if ALL in amount else list(amount)
    first = {s: members[s][0] for s in amount if members.get(s)}
    wanted = set(first.values())
    holders: dict[int, list[str]] = {}
    for s in amount:
        for i in members.get(s, ()):
            if i in wanted:
                holders.setdefault(i, []).append(s)

    def held(s: str) -> bool:
        n = len(members[s])
        return any(len(members[o]) > n or (len(members[o]) == n and (amount[o], o) < (amount[s], s))
                   for o in holders[first[s]] if o != s)

    return [s for s in amount if s not in first or not held(s)]


# ---------------------------------------------------------------- one variant, anywhere


class SweepPoint(TypedDict):
    """One frontier point, plain data (it travels to and from processes and Dask workers, and is
    printed as JSON): the scales, the scaled total budget and, when a plan was found, its figures."""

    budget_scale: float
    quota_scale: float
    status: str
    total_budget: float  # 万元, every budget entry of the variant
    targets_total: int
    last_year: int
    seconds: float
    objective: dict[str, Any] | None  # the plan's objective (plan.json's), None without a plan
    targets_met: int | None
    attainment_last_year: dict[str, float] | None  # tier or "all" → attained rate
    target_last_year: dict[str, float]


@dataclass(frozen=True)
class VariantParams:
    """Solver settings of every variant; plain data so it pickles to processes and Dask workers."""

    time_limit: float | None = 60.0
    workers: int | None = None  # CP-SAT workers per solve; None: decided by `run_sweep`
    seed: int = 0
    deterministic: bool = False
    soft_targets: bool = True  # False: the scenario's targets are hard (`--hard`)
    lang: str | None = None  # of the messages raised where the variant runs; None: that process's default


def solve_variant(scenario_path: str, budget_scale: float | str | Decimal,
                  quota_scale: float | str | Decimal, params: VariantParams) -> SweepPoint:
    """Load the scenario, scale it, solve it: one frontier point as plain data.

    Pure: it depends on its arguments and the file's content only, so it may run in this process,
    a child process or a Dask worker, with the same result."""
    if params.lang is not None and params.lang != current_lang():
        set_lang(params.lang)  # a pool or Dask worker: the language of the command that asked
    try:
        loaded = load_scenario(scenario_path)
    except ScenarioError as exc:  # re-raised plainly: ScenarioError does not survive pickling
        raise SweepError(tr(f"运行变体的进程无法加载情景：{exc}",
                            f"cannot load the scenario where the variant ran: {exc}")) from None
    variant = make_variant(loaded, budget_scale, quota_scale)
    # No process pool of its own for small components: the variants already run one per core
    # (and a Dask worker process, a daemon, may not start children).
    run = plan_scenario(variant, SolveParams(time_limit=params.time_limit, workers=params.workers or 1,
                                             seed=params.seed, deterministic=params.deterministic,
                                             parallel_components=False),
                        soft_targets=params.soft_targets, verify=False)
    req, outcome = run.requirements, run.outcome
    point: SweepPoint = {
        "budget_scale": float(_dec(budget_scale)), "quota_scale": float(_dec(quota_scale)),
        "status": outcome.status, "total_budget": to_wan(total_budget_yuan(variant.budgets, req.scope_members())),
        "targets_total": len(req.targets), "last_year": variant.years[-1],
        "seconds": round(outcome.seconds, 3), "objective": None, "targets_met": None,
        "attainment_last_year": None,
        "target_last_year": dict(variant.targets.get(variant.years[-1], {})),
    }
    plan = run.plan
    if plan is None:
        return point
    k = kpis(plan)
    last = variant.years[-1]
    point["objective"] = plan.objective.model_dump()
    point["targets_met"] = k.targets_met
    point["attainment_last_year"] = {t: round(r.rate, 4) for t in (*TIERS, ALL)
                                     if (r := k.attainment.get((last, t))) is not None and r.rate is not None}
    return point


def meets_all_targets(point: SweepPoint) -> bool:
    return point["objective"] is not None and point["targets_met"] == point["targets_total"]


def cheapest_meeting_targets(points: Sequence[SweepPoint]) -> int | None:
    """Index of the point with the smallest total budget whose plan meets every target."""
    ok = [i for i, p in enumerate(points) if meets_all_targets(p)]
    if not ok:
        return None
    return min(ok, key=lambda i: (points[i]["total_budget"], (points[i]["objective"] or {})["total_cost"],
                                  points[i]["quota_scale"]))


# ---------------------------------------------------------------- running many


OnDone = Callable[[int, int, SweepPoint], None]  # (done, total, point)


def plan_processes(variants: int, workers: int | None, cpus: int | None = None) -> tuple[int, int]:
    """(processes, CP-SAT workers per solve): one process per core up to the variant count; unless
    given, the workers of one `plan solve` (DEFAULT_WORKERS, measured best even on 2 cores) shared
    between them, and at least a core's worth each. A component large enough for a staged solve
    needs the portfolio: with 1 worker a 300-office city-wide variant found no plan in 60 s."""
    cpus = cpus or os.cpu_count() or 1
    processes = max(1, min(variants, cpus))
    return processes, workers or max(1, cpus // processes, DEFAULT_WORKERS // processes)


def run_sweep(scenario_path: str | Path, points: Sequence[tuple[Decimal, Decimal]], params: VariantParams,
              dask_address: str | None = None, on_done: OnDone | None = None) -> list[SweepPoint]:
    """Solve every (budget scale, quota scale) variant; results in the order of `points`."""
    path = str(Path(scenario_path).resolve())  # workers may run elsewhere (another cwd)
    if dask_address:
        return _run_dask(dask_address, path, points, replace(params, workers=params.workers or 1), on_done)
    processes, workers = plan_processes(len(points), params.workers)
    return _run_local(path, points, replace(params, workers=workers), processes, on_done)


def _run_local(path: str, points: Sequence[tuple[Decimal, Decimal]], params: VariantParams,
               processes: int, on_done: OnDone | None) -> list[SweepPoint]:
    finished = 0

    def report(_: int, point: SweepPoint) -> None:
        nonlocal finished
        finished += 1
        if on_done:
            on_done(finished, len(points), point)

    return run_each(solve_variant, [(path, b, q, params) for b, q in points], processes, report)


DASK_CONNECT_SECONDS = 10


def check_scheduler(address: str, seconds: float = DASK_CONNECT_SECONDS) -> None:
    """Refuse, within `seconds`, an address where no Dask scheduler answers.

    `Client(address, timeout=…)` waits forever on a port that accepts connections but does not
    speak Dask's protocol (e.g. a web server), so the scheduler is first asked who it is, with a
    deadline on the whole exchange."""
    import asyncio  # lazy: start-up (~27 ms; this module is in cli/main's chain), needed only with Dask

    from distributed.core import rpc  # lazy: optional extra (dask)

    async def identity() -> Any:
        remote = rpc(address, timeout=seconds)
        try:
            return await remote.identity()
        finally:
            await remote.close_rpc()

    try:
        info = asyncio.run(asyncio.wait_for(identity(), seconds))
    except TimeoutError:
        info = None
    except Exception as exc:  # whatever the handshake runs into, the address is unusable
        raise SweepError(tr(f"无法连接 {address} 上的 Dask 调度器：{exc}",
                            f"cannot reach the Dask scheduler at {address}: {exc}")) from None
    if not isinstance(info, dict) or info.get("type") != "Scheduler":
        raise SweepError(tr(f"{address} 在 {seconds:g} 秒内没有像 Dask 调度器那样应答：该端口上运行的可能是别的服务；"
                            "请核对 --dask 的地址和端口（调度器默认端口 8786）",
                            f"{address} did not answer as a Dask scheduler within {seconds:g} s: something else "
                            "may be listening on that port; check the --dask address and port "
                            "(a scheduler listens on 8786 by default)"))


def _run_dask(address: str, path: str, points: Sequence[tuple[Decimal, Decimal]], params: VariantParams,
              on_done: OnDone | None) -> list[SweepPoint]:
    try:
        from distributed import Client, as_completed  # lazy: optional extra (dask)
    except ImportError:
        raise SweepError(dask_missing()) from None
    check_scheduler(address)
    try:
        client = Client(address, timeout=f"{DASK_CONNECT_SECONDS}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise SweepError(tr(f"无法连接 {address} 上的 Dask 调度器：{exc}",
                            f"cannot reach the Dask scheduler at {address}: {exc}")) from None
    tag = uuid.uuid4().hex[:8]  # our own task keys: never mistaken for another client's cached results
    results: dict[int, SweepPoint] = {}
    with client:
        futures = [client.submit(solve_variant, path, b, q, params, key=f"plan-sweep-{tag}-{i}", pure=False)
                   for i, (b, q) in enumerate(points)]
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in as_completed(futures):
                results[index[fut.key]] = fut.result()
                if on_done:
                    on_done(len(results), len(points), results[index[fut.key]])
        except BaseException:
            client.cancel(futures)
            raise
    return [results[i] for i in range(len(points))]


def sweep_report(points: Sequence[SweepPoint]) -> dict[str, Any]:
    """What `plan sweep --json` prints."""
    best = cheapest_meeting_targets(points)
    return {"points": list(points),
            "cheapest_meeting_targets": None if best is None else
            {"budget_scale": points[best]["budget_scale"], "quota_scale": points[best]["quota_scale"]}}


def eta(done: int, total: int, elapsed: float) -> float | None:
    """Seconds left at the average pace so far (None before the first variant finishes)."""
    return None if done == 0 else elapsed / done * (total - done)
