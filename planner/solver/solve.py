"""The solve: a staged lexicographic solve (docs/reference.md §7) → `SolveOutcome`, per component,
by CP-SAT (its set-up in planner/solver/cpsat.py) or, for shared funds of > COUPLED_BY_LEVEL offices,
HiGHS (shared_fund.py).

Level 1 (soft targets only) minimises shortfall; level 2 maximises weighted attained office-years
with level 1 fixed; level 3 minimises total cost with levels 1–2 fixed; with an earlier plan to
keep, level 4 minimises the churn against it with levels 1–3 fixed (planner/solver/solve_churn.py). Each
stage is hinted with the previous stage's solution. A level not proven optimal (time limit, interrupt) is fixed at the
best value found and the outcome is `feasible`. Infeasible hard targets yield the target cells in
conflict, found with CP-SAT assumptions.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing
import os
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.rules.requirements import Requirements
from planner.solver.components import components, split_requirements
from planner.solver.conflict import find_conflict
from planner.solver.county_split import CountySolver
from planner.solver.cpsat import hint_next, level_share, remaining_time, run_search
from planner.solver.model import BuiltModel, OfficeDecisions, Solution, build_model
from planner.solver.params import Progress, SolveOutcome, SolveParams, StageReport
from planner.solver.pool import ignore_sigint, stop_now
from planner.solver.remote import solve_on_dask
from planner.solver.shared_fund import lexicographic, solve_coupled
from planner.solver.solve_churn import churn_stage
from planner.solver.status import Level, SolveStatus, map_status


def solve(req: Requirements, params: SolveParams = SolveParams()) -> SolveOutcome:
    """Solve the three levels in order; never prints, never returns None.

    Offices that share no budget entry, quota entry or target cell form independent components
    (e.g. per-county limits). The lexicographic optimum of the whole is the sum of the components'
    lexicographic optima (each level is a sum of per-component terms, and a sum is at its optimum
    only when every term is), so each component is solved on its own (many small ones in a process pool).
    """
    started = time.monotonic()
    parts = components(req)
    outcomes = _solve_parts(req, parts, params, started)
    for outcome in outcomes:
        if outcome.status in (SolveStatus.INFEASIBLE, SolveStatus.NO_PLAN):
            return replace(outcome, seconds=time.monotonic() - started, workers=params.workers)
    merged: list[OfficeDecisions | None] = [None] * len(req.offices)
    for idx, outcome in zip(parts, outcomes):
        assert outcome.solution is not None  # optimal or feasible outcomes carry one
        for i, d in zip(idx, outcome.solution.offices):
            merged[i] = d
    proven = all(o.status == SolveStatus.OPTIMAL for o in outcomes)
    return SolveOutcome(SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
                        Solution(tuple(d for d in merged if d is not None)), _sum_stages(outcomes),
                        time.monotonic() - started, params.workers, params.seed,
                        solver_version=max((o.solver_version for o in outcomes), key=len))


def _solve_part(sub: Requirements, params: SolveParams, started: float, label: str) -> SolveOutcome:
    remaining = remaining_time(params, started)
    if sub.soft_targets and remaining is not None and remaining <= 0:
        return _do_nothing(sub)
    if params.stopped:
        if sub.soft_targets:  # interrupted: not solved yet, so its best plan so far is doing nothing
            return _do_nothing(sub)
        # Hard targets have no plan without a search: just enough time for a first one.
        params, started = replace(params, time_limit=0.5), time.monotonic()
    if params.path == "combined":
        return _solve_combined(sub, params, started, label)
    if _by_level(sub, params):
        return _solve_staged(sub, params, started, 1, label, small=True,
                             presolve=len(sub.offices) > PRESOLVE_FROM)
    if _goes_to_mip(sub, params):
        by_county = _county_solver(params, label) if params.path == "auto" else None
        outcome = solve_coupled(sub, params, remaining_time(params, started), by_county)
        if outcome is not None:
            return outcome
        if sub.soft_targets and params.stopped:
            return _do_nothing(sub)  # interrupted before HiGHS had a plan: as above, not solved yet
    return _solve_staged(sub, params, started, params.workers, label)


def _county_solver(params: SolveParams, label: str) -> CountySolver:
    """How the county split (planner/solver/county_split.py) solves one county in its time share."""
    def solve_county(county: Requirements, limit: float | None) -> SolveOutcome:
        outcome = _solve_part(county, replace(params, time_limit=limit), time.monotonic(), label)
        if outcome.solution is None and county.soft_targets:
            return _do_nothing(county)  # no plan found in its share: doing nothing fits the share
        return outcome
    return solve_county


def _coupled(sub: Requirements) -> bool:
    """Whether a component spans counties (a shared fund: one budget over several counties)."""
    return len({o.county for o in sub.offices}) > 1


def _by_level(sub: Requirements, params: SolveParams) -> bool:
    """A small component, or a shared fund of up to COUPLED_BY_LEVEL offices, whatever the engine:
    a search per level, one worker, the small components' settings."""
    n = len(sub.offices)
    return params.path == "auto" and (n <= SMALL_COMPONENT or (n <= COUPLED_BY_LEVEL and _coupled(sub)))


def _goes_to_mip(sub: Requirements, params: SolveParams) -> bool:
    """A larger shared fund goes to HiGHS under `--engine auto`. HiGHS has no deterministic time
    limit, so --deterministic keeps CP-SAT's promise."""
    return params.path == "mip" or (params.path == "auto" and params.engine == "auto" and not params.deterministic
                                    and len(sub.offices) > COUPLED_BY_LEVEL and _coupled(sub))


def _solve_parts(req: Requirements, parts: list[list[int]], params: SolveParams,
                 started: float) -> list[SolveOutcome]:
    """Every component's outcome, in order; small components go to a process pool when many."""
    subs = split_requirements(req, parts)
    if params.dask_address:
        return solve_on_dask(params.dask_address, subs, params, remaining_time(params, started))
    small = [k for k, idx in enumerate(parts)
             if len(idx) <= SMALL_COMPONENT and params.path in ("auto", "combined")]
    # Shared funds (city or province) take seconds each, by level in CP-SAT or in HiGHS, one
    # thread each: two or more of them are worth a process each (measured in docs/solver.md).
    small_set = set(small)
    coupled = [k for k, sub in enumerate(subs)
               if k not in small_set and (_by_level(sub, params) or _goes_to_mip(sub, params))]
    done: dict[int, SolveOutcome] = {}
    if (params.parallel_components and (len(small) >= PARALLEL_MIN_COMPONENTS or len(coupled) >= 2)
            and (os.cpu_count() or 1) > 1):
        small = sorted(small + coupled)
        try:
            done.update(_solve_small_in_pool([subs[k] for k in small], small, params, started))
            _solve_again_with_time_left(subs, done, params, started)
        except (BrokenProcessPool, OSError):
            done.clear()  # e.g. a caller's script without a __main__ guard: solve them in turn
    for k, idx in enumerate(parts):
        if k not in done:
            done[k] = _solve_part(subs[k], params, started, f"{k + 1}/{len(parts)} ")
            if done[k].status in (SolveStatus.INFEASIBLE, SolveStatus.NO_PLAN):
                break
    return [done[k] for k in sorted(done)]


def _solve_again_with_time_left(subs: list[Requirements], done: dict[int, SolveOutcome], params: SolveParams,
                                started: float) -> None:
    """The pool's second pass: components their time share left unproven are solved again, from
    the start, with the time the others left over, and keep the better outcome. A fund's first
    share (`fund_cap`) is kept small enough that none queued last goes without time, so a slow
    fund may need this pass for its proof."""
    again = sorted(k for k, outcome in done.items() if outcome.status == SolveStatus.FEASIBLE)
    remaining = remaining_time(params, started)
    if not again or remaining is None or remaining < 1.0 or params.stopped:
        return
    # Solved again from the start with no more time than it took the first time, a component gets
    # no further: that time goes to the others (the 40,000-office funds' county split took ~10 s
    # each, and re-running them in the last seconds overran the limit).
    share = remaining * min(len(again), os.cpu_count() or 1) / len(again)
    again = [k for k in again if done[k].seconds < share]
    if not again:
        return
    for k, outcome in _solve_small_in_pool([subs[k] for k in again], again, params, started).items():
        if outcome.status == SolveStatus.OPTIMAL or lexicographic(outcome) < lexicographic(done[k]):
            done[k] = outcome


# Below this many small components, process start-up costs more than it saves.
PARALLEL_MIN_COMPONENTS = 16


def _solve_small_in_pool(parts: list[Requirements], keys: list[int],
                         params: SolveParams, started: float) -> dict[int, SolveOutcome]:
    """Solve components in one process per core, in chunks; each is single-worker (CP-SAT, or HiGHS
    with one thread) and seeded, so the result is the same as solving them in turn. Interrupted:
    what finished."""
    procs = min(os.cpu_count() or 1, 8)
    # One shared fund (seconds each) a task, so the processes stay evenly loaded.
    chunk = 1 if any(len(p.offices) > SMALL_COMPONENT for p in parts) else max(1, min(64, len(parts) // (procs * 4)))
    remaining = remaining_time(params, started)
    deadline = None if remaining is None else time.time() + remaining
    out: dict[int, SolveOutcome] = {}
    ctx = multiprocessing.get_context("forkserver")
    with cf.ProcessPoolExecutor(procs, mp_context=ctx, initializer=ignore_sigint) as pool:
        tasks = _Tasks(pool, parts, keys, replace(params, progress=None, control=None), deadline, chunk, procs)
        pending = tasks.start()
        while pending:
            finished, pending = cf.wait(pending, timeout=0.1, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                out.update(tasks.finished(fut))
                pending |= tasks.more()
            if finished and params.progress is not None:
                params.progress(Progress(f"components {len(out)}/{len(parts)}", None, None,
                                         time.monotonic() - started))
            if pending and params.stopped:
                stop_now(pool)  # interrupted: keep what finished, never wait for the running chunks
                break
    return out


class _Tasks:
    """The pool's tasks. Chunks of small components are all queued at once, each worker taking its
    time share as it starts one (`_solve_chunk`). Under a time limit, components of one a task
    (shared funds) are handed out as processes free up, each with `fund_cap`: its fair share at
    least, more when those solved so far took less."""

    def __init__(self, pool: cf.ProcessPoolExecutor, parts: list[Requirements], keys: list[int],
                 params: SolveParams, deadline: float | None, chunk: int, procs: int) -> None:
        self.pool, self.parts, self.keys, self.params = pool, parts, keys, params
        self.deadline, self.chunk, self.procs = deadline, chunk, procs
        self.lazy = chunk == 1 and deadline is not None
        self.next = 0
        self.keys_of: dict[cf.Future[list[SolveOutcome]], list[int]] = {}
        self.began: dict[cf.Future[list[SolveOutcome]], float] = {}
        self.seconds: list[float] = []

    def start(self) -> set[cf.Future[list[SolveOutcome]]]:
        if not self.lazy:
            while self.next < len(self.parts):
                i = self.next
                # Components still queued from this chunk on, per process: for a fair time share.
                self._submit(self.parts[i:i + self.chunk], self.deadline, (len(self.parts) - i) / self.procs)
            return set(self.keys_of)
        return set().union(*(self.more() for _ in range(self.procs)))

    def more(self) -> set[cf.Future[list[SolveOutcome]]]:
        """The next component, when handed out one at a time and one is left."""
        if not self.lazy or self.next >= len(self.parts):
            return set()
        assert self.deadline is not None
        cap = fund_cap(self.deadline - time.time(), len(self.parts) - self.next, self.procs, self.seconds)
        return {self._submit(self.parts[self.next:self.next + 1], min(self.deadline, time.time() + cap), 1.0)}

    def finished(self, fut: cf.Future[list[SolveOutcome]]) -> dict[int, SolveOutcome]:
        self.seconds.append(time.monotonic() - self.began.pop(fut))
        return dict(zip(self.keys_of[fut], fut.result()))

    def _submit(self, subs: list[Requirements], deadline: float | None,
                queued: float) -> cf.Future[list[SolveOutcome]]:
        fut = self.pool.submit(_solve_chunk, subs, self.params, deadline, queued)
        self.keys_of[fut] = self.keys[self.next:self.next + len(subs)]
        self.began[fut] = time.monotonic()
        self.next += len(subs)
        return fut


def fund_cap(left: float, queued: int, procs: int, seconds: list[float]) -> float:
    """The time a component handed out alone may take, `queued` (itself included) not yet started:
    its fair share of the time left at least (twice it before any has finished: a slow first fund
    was cut and solved again, as the 80 city funds' first two were); more when those solved so far took less on average,
    up to the time left less that average for each still to come in its process. Funds all alike
    get their fair share (none queued last is left without time); a slow fund among fast ones gets
    the time they leave (80 city funds in 200 s: proven, where fair shares alone cut a few)."""
    per_process = max(1.0, queued / procs)
    fair = left / per_process
    if not seconds:  # the first of each process: twice the fair share, as a small component
        return min(left, 2 * fair)
    return max(fair, min(left, left - (per_process - 1) * sum(seconds) / len(seconds)))


def _solve_chunk(subs: list[Requirements], params: SolveParams, deadline: float | None,
                 queued: float) -> list[SolveOutcome]:
    """Solve a chunk in a worker. Under a time limit each component gets at most twice its fair
    share of the time left, so a hard one cannot starve those queued behind it: it keeps its
    best plan so far and the outcome is `feasible`. (A fund comes alone, `queued` 1, with a
    deadline of its own: `fund_cap`.)"""
    out = []
    for n, sub in enumerate(subs):
        share = None if deadline is None else 2 * (deadline - time.time()) / max(1.0, queued - n)
        if sub.soft_targets and deadline is not None and time.time() >= deadline:
            out.append(_do_nothing(sub))
            continue
        limit = None if deadline is None else max(0.05, min(share or math.inf, deadline - time.time()))
        out.append(_solve_part(sub, replace(params, time_limit=limit, workers=1), time.monotonic(), ""))
    return out


def _do_nothing(req: Requirements) -> SolveOutcome:
    """Past the time limit with soft targets: no actions is always a plan (status feasible)."""
    T = len(req.years)
    empty = tuple(OfficeDecisions({}, {}, {}, {}, {}, (False,) * T) for _ in req.offices)
    short = sum(c.required for c in req.targets)
    stages: tuple[StageReport, ...] = (StageReport(Level.SHORTFALL, SolveStatus.FEASIBLE, short, None, 0.0),
              StageReport(Level.ATTAINED, SolveStatus.FEASIBLE, 0, None, 0.0),
              StageReport(Level.TOTAL_COST, SolveStatus.FEASIBLE, 0, None, 0.0))
    if req.keep is not None:  # every earlier action dropped
        dropped = sum(req.keep[o.id].size for o in req.offices if o.id in req.keep)
        stages += (StageReport(Level.CHURN, SolveStatus.FEASIBLE, dropped, None, 0.0),)
    return SolveOutcome(SolveStatus.FEASIBLE, Solution(empty), stages, 0.0, 1, 0)


# Components this small are solved with one worker (thread start-up would cost more than the
# search itself), a search per level without presolve, probing, LP cuts or pattern bounds: measured
# 1.2–1.7× less CPU than one weighted search (`path="combined"`, kept as the oracle's cross-check)
# and 3× less than the staged solve's defaults (docs/solver.md, Parameters).
SMALL_COMPONENT = 40

# A shared fund (a component spanning counties) of up to this many offices is solved the same way,
# whatever the engine: measured 2× faster than HiGHS on 60- and 120–135-office funds and 1.2–3× on
# 300 offices; at 600 offices HiGHS was 3.6× faster, and at 1,300 CP-SAT did not prove level 1 in
# 300 s (docs/solver.md, Shared funds and engines).
COUPLED_BY_LEVEL = 400

# A shared fund of more than this many offices searched by level keeps CP-SAT's presolve (probing
# and cuts stay off): measured 21.1–23.5 s against 25.5–33.6 s on 300 offices, but 10 % slower on
# the 80 city funds of 120–135 offices (303.8 s against 276.8 s) and the same on 60 (docs/solver.md).
PRESOLVE_FROM = 200


def _sum_stages(parts: list[SolveOutcome]) -> tuple[StageReport, ...]:
    out = []
    for level in range(min(len(p.stages) for p in parts)):
        reports = [p.stages[level] for p in parts]
        known = all(r.value is not None for r in reports)
        out.append(StageReport(
            reports[0].name,
            SolveStatus.OPTIMAL if all(r.status == SolveStatus.OPTIMAL for r in reports) else SolveStatus.FEASIBLE,
            sum(r.value or 0 for r in reports) if known else None,
            sum(r.bound or 0.0 for r in reports) if all(r.bound is not None for r in reports) else None,
            sum(r.seconds for r in reports)))
    return tuple(out)


def _solve_combined(req: Requirements, params: SolveParams, started: float, label: str) -> SolveOutcome:
    """All levels in one solve with exact integer weights, for small components.

    minimise  shortfall·A·C + (A−1−attained)·C + cost, where C−1 ≥ any plan's cost (every
    office-year's cost is bounded by a budget entry covering it) and A−1 ≥ any weighted attained
    count; so one unit of a higher level outweighs every lower level: the lexicographic optimum.
    """
    built = build_model(req, params.pattern_bounds is True)
    m = built.model
    built.require_targets()
    C = sum(b.amount_yuan for b in req.budgets) + 1
    A = sum(o.weight for o in req.offices) * len(req.years) + 1
    m.minimize(built.shortfall * A * C + (A - 1 - built.attained) * C + built.total_cost)
    remaining = remaining_time(params, started)
    if remaining is not None and remaining <= 0:
        remaining = 0.01
    solver, code = run_search(m, params, label + "all levels", remaining, started, 1, presolve=False)
    status = map_status(code, m)
    wall = solver.WallTime()
    if status == SolveStatus.INFEASIBLE:
        return SolveOutcome(SolveStatus.INFEASIBLE, None, (), wall, params.workers, params.seed,
                            conflict=find_conflict(req, params))
    if status == SolveStatus.UNKNOWN:
        # Soft targets always have a plan (doing nothing); hard ones have none yet.
        return _do_nothing(req) if req.soft_targets else SolveOutcome(
            SolveStatus.NO_PLAN, None, (), wall, params.workers, params.seed)
    value = lambda e: int(solver.Value(e)) if not isinstance(e, int) else e  # noqa: E731
    levels = ([(Level.SHORTFALL, built.shortfall, +1)] if req.soft_targets else []) + [
        (Level.ATTAINED, built.attained, -1), (Level.TOTAL_COST, built.total_cost, +1)]
    # One solve proves every level at once; its time is reported on the first level.
    stages = [StageReport(name, status, value(expr), float(value(expr)) if status == SolveStatus.OPTIMAL else None,
                          wall if i == 0 else 0.0) for i, (name, expr, _) in enumerate(levels)]
    solution = built.extract(solver)
    if built.churn is not None:  # level 4 in a stage of its own, levels 1–3 fixed (planner/solver/solve_churn.py)
        fixed = [(expr, sign, value(expr)) for _, expr, sign in levels]
        kept, stage = churn_stage(built, fixed, solver, params, started, label, 1, presolve=False)
        solution, status = kept or solution, status if stage.status == SolveStatus.OPTIMAL else SolveStatus.FEASIBLE
        stages.append(stage)
        wall += stage.seconds
    return SolveOutcome(SolveStatus.OPTIMAL if status == SolveStatus.OPTIMAL else SolveStatus.FEASIBLE,
                        solution, tuple(stages), wall, params.workers, params.seed)


def _solve_staged(req: Requirements, params: SolveParams, started: float, workers: int,
                  label: str = "", small: bool = False, presolve: bool | None = None) -> SolveOutcome:
    """A search per level, each level fixed at its value before the next. `small`: a small
    component's settings (pattern bounds only when asked for, no probing or cuts, and no presolve
    unless `presolve` says so)."""
    bounds = params.pattern_bounds if params.pattern_bounds is not None else not small
    presolve = not small if presolve is None else presolve
    built = build_model(req, bounds)
    m = built.model
    built.require_targets()
    levels: list[tuple[str, cp_model.LinearExprT, int]] = []
    if req.soft_targets:
        levels.append((Level.SHORTFALL, built.shortfall, +1))
    levels.append((Level.ATTAINED, built.attained, -1))
    levels.append((Level.TOTAL_COST, built.total_cost, +1))
    stages: list[StageReport] = []
    solution: Solution | None = None
    proven = True
    for i, (name, expr, sign) in enumerate(levels):
        remaining = remaining_time(params, started)
        if remaining is not None and remaining <= 0 or (params.stopped and solution is not None):
            proven = False
            break
        if sign > 0:
            m.minimize(expr)
        else:
            m.maximize(expr)
        share = level_share(remaining, len(levels) - i + (built.churn is not None))
        solver, code = run_search(m, params, label + name, share, started, workers, presolve=presolve, light=small)
        status = map_status(code, m)
        if status == SolveStatus.UNKNOWN and share != remaining:  # no plan at all in its share: all the time left
            solver, code = run_search(m, params, label + name, remaining_time(params, started), started, workers,
                                      presolve=presolve, light=small)
            status = map_status(code, m)
        if status == SolveStatus.INFEASIBLE:
            conflict = find_conflict(req, params) if not req.soft_targets else ()
            return SolveOutcome(SolveStatus.INFEASIBLE, None, tuple(stages), time.monotonic() - started,
                                params.workers, params.seed, conflict=conflict)
        if status == SolveStatus.UNKNOWN:
            stages.append(StageReport(name, status, None, None, solver.WallTime()))
            if solution is None:
                # Soft targets always have a plan (doing nothing); hard ones have none yet.
                return _do_nothing(req) if req.soft_targets else SolveOutcome(
                    SolveStatus.NO_PLAN, None, tuple(stages), time.monotonic() - started, params.workers, params.seed)
            proven = False
            break
        value = int(round(solver.ObjectiveValue()))
        stages.append(StageReport(name, status, value, solver.BestObjectiveBound(), solver.WallTime()))
        solution = built.extract(solver)
        proven = proven and status == SolveStatus.OPTIMAL
        # Fix this level (at the best value found) before optimising the next one.
        if sign > 0:
            m.add(expr <= value)
        else:
            m.add(expr >= value)
        hint_next(m, solver)
    if solution is None:  # the time was gone before the first level
        return _do_nothing(req) if req.soft_targets else SolveOutcome(
            SolveStatus.NO_PLAN, None, tuple(stages), time.monotonic() - started, params.workers, params.seed)
    complete = len(stages) == len(levels)
    if built.churn is not None and complete:  # level 4 (planner/solver/solve_churn.py); levels 1–3 are fixed
        solution, proven = _churn_last(built, solver, params, started, label, workers, stages, solution, proven,
                                       presolve=presolve, light=small)
    status = SolveStatus.OPTIMAL if proven and complete else SolveStatus.FEASIBLE
    return SolveOutcome(status, solution, tuple(stages), time.monotonic() - started,
                        params.workers, params.seed)


def _churn_last(built: BuiltModel, solver: cp_model.CpSolver, params: SolveParams, started: float, label: str,
                workers: int, stages: list[StageReport], solution: Solution,
                proven: bool, presolve: bool, light: bool) -> tuple[Solution, bool]:
    """The staged solve's level 4, levels 1–3 already fixed: (its plan, whether all is proven)."""
    kept, stage = churn_stage(built, [], solver, params, started, label, workers, presolve=presolve, light=light)
    stages.append(stage)
    return kept or solution, proven and stage.status == SolveStatus.OPTIMAL
