"""The only CpSolver user: a staged lexicographic solve (docs/reference.md §7) → `SolveOutcome`.

Level 1 (soft targets only) minimises shortfall; level 2 maximises weighted attained office-years
with level 1 fixed; level 3 minimises total cost with levels 1–2 fixed. Each stage is hinted with
the previous stage's solution. A level not proven optimal (time limit, interrupt) is fixed at the
best value found and the outcome is `feasible`. Infeasible hard targets yield the target cells in
conflict, found with CP-SAT assumptions.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

import ortools
from ortools.sat.python import cp_model

from planner.loading import BudgetEntry, QuotaEntry
from planner.model import BuiltModel, OfficeDecisions, Solution, build_model
from planner.pool import ignore_sigint, stop_now
from planner.requirements import Requirements
from planner.targets import TargetCell

# Measured on the 2-core reference machine (docs/solver.md): 8 portfolio workers beat 2 on every
# scenario we tried, because the extra LNS/core workers find the level-2 bound much sooner.
DEFAULT_WORKERS = 8


class SolveStatus:
    """Outcome statuses; `optimal` only when every level was proven optimal."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_PLAN = "no_plan_found"  # nothing found within the time limit


@dataclass(frozen=True)
class Progress:
    stage: str
    best: float | None
    bound: float | None
    elapsed: float


@dataclass
class SolveControl:
    """Lets another thread (a signal handler) stop the search; the best plan so far is kept."""

    _stopped: threading.Event = field(default_factory=threading.Event)
    _solver: cp_model.CpSolver | None = None

    def stop(self) -> None:
        self._stopped.set()
        if self._solver is not None:
            self._solver.stop_search()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()


@dataclass(frozen=True)
class SolveParams:
    time_limit: float | None = 60.0
    workers: int = DEFAULT_WORKERS
    seed: int = 0
    deterministic: bool = False  # deterministic time limit: reproducible even when it bites
    progress: Callable[[Progress], None] | None = None
    control: SolveControl | None = None
    # False: never start the process pool for many small components (e.g. when the caller already
    # runs one solve per core, or inside a daemonic Dask worker that may not have children).
    parallel_components: bool = True
    # Tests force one solver path on every component (the oracle checks each against brute force):
    # "auto" picks by size (SMALL_COMPONENT), "combined" one weighted solve, "staged" one per level,
    # "mip" the HiGHS model of coupled components (CP-SAT staged when highspy is missing).
    path: Literal["auto", "combined", "staged", "mip"] = "auto"
    pattern_bounds: bool = True  # the redundant per-office cost bounds (model/constraints.py)
    # "auto": HiGHS for components coupled across counties (unless `deterministic`), CP-SAT for the
    # rest; "cpsat": CP-SAT for everything (docs/solver.md says which engine does what, measured).
    engine: Literal["auto", "cpsat"] = "auto"
    dask_address: str | None = None  # send the components to this Dask scheduler (planner/remote.py)


@dataclass(frozen=True)
class StageReport:
    name: str
    status: str  # optimal | feasible | infeasible | unknown
    value: int | None
    bound: float | None
    seconds: float


@dataclass(frozen=True)
class SolveOutcome:
    status: str
    solution: Solution | None
    stages: tuple[StageReport, ...]
    seconds: float
    workers: int
    seed: int
    solver_version: str = ortools.__version__
    conflict: tuple[TargetCell, ...] = ()  # hard target cells in conflict when infeasible


_CP_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


def map_status(code: int, model: cp_model.CpModel) -> str:
    """Every CP-SAT status, explicitly; an invalid model is a bug and raises with its reason."""
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model: {model.Validate()}")
    if code not in _CP_STATUS:
        raise RuntimeError(f"unknown CP-SAT status {code}")
    return _CP_STATUS[code]


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, stage: str, started: float, progress: Callable[[Progress], None]) -> None:
        super().__init__()
        self.stage, self.started, self.progress = stage, started, progress

    def on_solution_callback(self) -> None:
        # CP-SAT states a maximised objective as it is (not negated): attained office-years count up.
        self.progress(Progress(self.stage, self.ObjectiveValue(), self.BestObjectiveBound(),
                               time.monotonic() - self.started))


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
    remaining = _remaining(params, started)
    if sub.soft_targets and remaining is not None and remaining <= 0:
        return _do_nothing(sub)
    if params.control is not None and params.control.stopped:
        if sub.soft_targets:  # interrupted: not solved yet, so its best plan so far is doing nothing
            return _do_nothing(sub)
        # Hard targets have no plan without a search: just enough time for a first one.
        params, started = replace(params, time_limit=0.5), time.monotonic()
    if params.path == "combined" or params.path == "auto" and len(sub.offices) <= SMALL_COMPONENT:
        return _solve_combined(sub, params, started, label)
    # HiGHS has no deterministic time limit, so --deterministic keeps CP-SAT's promise.
    if params.path == "mip" or (params.path == "auto" and params.engine == "auto" and not params.deterministic
                                and len({o.county for o in sub.offices}) > 1):
        from planner.shared_fund import solve_coupled

        outcome = solve_coupled(sub, params, _remaining(params, started))
        if outcome is not None:
            return outcome
    return _solve_staged(sub, params, started, params.workers, label)


def _solve_parts(req: Requirements, parts: list[list[int]], params: SolveParams,
                 started: float) -> list[SolveOutcome]:
    """Every component's outcome, in order; small components go to a process pool when many."""
    subs = split_requirements(req, parts)
    if params.dask_address:
        from planner.remote import solve_on_dask

        return solve_on_dask(params.dask_address, subs, params, _remaining(params, started))
    small = [k for k, idx in enumerate(parts)
             if len(idx) <= SMALL_COMPONENT and params.path in ("auto", "combined")]
    done: dict[int, SolveOutcome] = {}
    if (params.parallel_components and len(small) >= PARALLEL_MIN_COMPONENTS
            and (os.cpu_count() or 1) > 1):
        from concurrent.futures.process import BrokenProcessPool

        try:
            done.update(_solve_small_in_pool([subs[k] for k in small], small, params, started))
        except (BrokenProcessPool, OSError):
            done.clear()  # e.g. a caller's script without a __main__ guard: solve them in turn
    for k, idx in enumerate(parts):
        if k not in done:
            done[k] = _solve_part(subs[k], params, started, f"{k + 1}/{len(parts)} ")
            if done[k].status in (SolveStatus.INFEASIBLE, SolveStatus.NO_PLAN):
                break
    return [done[k] for k in sorted(done)]


# Below this many small components, process start-up costs more than it saves.
PARALLEL_MIN_COMPONENTS = 16


def _solve_small_in_pool(parts: list[Requirements], keys: list[int],
                         params: SolveParams, started: float) -> dict[int, SolveOutcome]:
    """Solve small components in one process per core, in chunks; each is single-worker and
    seeded, so the result is the same as solving them in turn. Interrupted: what finished."""
    import concurrent.futures as cf
    import multiprocessing

    procs = min(os.cpu_count() or 1, 8)
    chunk = max(1, min(64, len(parts) // (procs * 4)))
    plain = replace(params, progress=None, control=None)
    remaining = _remaining(params, started)
    deadline = None if remaining is None else time.time() + remaining
    out: dict[int, SolveOutcome] = {}
    ctx = multiprocessing.get_context("forkserver")
    with cf.ProcessPoolExecutor(procs, mp_context=ctx, initializer=ignore_sigint) as pool:
        futures = {}
        for i in range(0, len(parts), chunk):
            # Components still queued from this chunk on, per process: for a fair time share.
            left = (len(parts) - i) / procs
            futures[pool.submit(_solve_chunk, parts[i:i + chunk], plain, deadline, left)] = keys[i:i + chunk]
        pending = set(futures)
        while pending:
            finished, pending = cf.wait(pending, timeout=0.1, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                for k, outcome in zip(futures[fut], fut.result()):
                    out[k] = outcome
            if finished and params.progress is not None:
                params.progress(Progress(f"components {len(out)}/{len(parts)}", None, None,
                                         time.monotonic() - started))
            if pending and params.control is not None and params.control.stopped:
                stop_now(pool)  # interrupted: keep what finished, never wait for the running chunks
                break
    return out


def _solve_chunk(subs: list[Requirements], params: SolveParams, deadline: float | None,
                 queued: float) -> list[SolveOutcome]:
    """Solve a chunk in a worker. Under a time limit each component gets at most twice its fair
    share of the time left, so a hard one cannot starve those queued behind it: it keeps its
    best plan so far and the outcome is `feasible`."""
    out = []
    for n, sub in enumerate(subs):
        share = None if deadline is None else 2 * (deadline - time.time()) / max(1.0, queued - n)
        if sub.soft_targets and deadline is not None and time.time() >= deadline:
            out.append(_do_nothing(sub))
            continue
        limit = None if deadline is None else max(0.05, min(share or math.inf, deadline - time.time()))
        out.append(_solve_combined(sub, replace(params, time_limit=limit), time.monotonic(), ""))
    return out


def _do_nothing(req: Requirements) -> SolveOutcome:
    """Past the time limit with soft targets: no actions is always a plan (status feasible)."""
    from planner.model import OfficeDecisions

    T = len(req.years)
    empty = tuple(OfficeDecisions({}, {}, {}, {}, {}, (False,) * T) for _ in req.offices)
    short = sum(c.required for c in req.targets)
    stages = (StageReport("shortfall", "feasible", short, None, 0.0),
              StageReport("attained_office_years", "feasible", 0, None, 0.0),
              StageReport("total_cost", "feasible", 0, None, 0.0))
    return SolveOutcome(SolveStatus.FEASIBLE, Solution(empty), stages, 0.0, 1, 0)


# Components this small are solved in one weighted solve with one worker: thread start-up and
# three solver calls would cost more than the search itself.
SMALL_COMPONENT = 40


def components(req: Requirements) -> list[list[int]]:
    """Groups of office indices linked by a shared budget entry, quota entry or target cell."""
    parent = list(range(len(req.offices)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def link(members: list[int]) -> None:
        for j in members[1:]:
            a, b = find(members[0]), find(j)
            if a != b:
                parent[b] = a

    members = req.scope_members()
    index = req.office_index()
    for scope in {b.scope for b in req.budgets} | {q.scope for q in req.quotas}:
        link(list(members.get(scope, ())))
    for cell in req.targets:
        link([index[i] for i in cell.office_ids])
    groups: dict[int, list[int]] = {}
    for i in range(len(req.offices)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def split_requirements(req: Requirements, parts: list[list[int]]) -> list[Requirements]:
    """Each component's requirements: its offices and the limits and cells that touch them.

    One pass over budgets, quotas and cells (grouped by scope), not one pass per component."""
    comp_of_office = {req.offices[i].id: k for k, idx in enumerate(parts) for i in idx}
    comp_of_index = {i: k for k, idx in enumerate(parts) for i in idx}
    comps_of_scope = {scope: sorted({comp_of_index[i] for i in members if i in comp_of_index})
                      for scope, members in req.scope_members().items()}
    budgets: list[list[BudgetEntry]] = [[] for _ in parts]
    quotas: list[list[QuotaEntry]] = [[] for _ in parts]
    cells: list[list[TargetCell]] = [[] for _ in parts]
    for b in req.budgets:
        for k in comps_of_scope.get(b.scope, ()):
            budgets[k].append(b)
    for q in req.quotas:
        for k in comps_of_scope.get(q.scope, ()):
            quotas[k].append(q)
    for c in req.targets:
        kc = comp_of_office.get(c.office_ids[0])  # a cell never spans components
        if kc is not None:
            cells[kc].append(c)
    return [replace(req, offices=tuple(req.offices[i] for i in idx), budgets=tuple(budgets[k]),
                    quotas=tuple(quotas[k]), targets=tuple(cells[k])) for k, idx in enumerate(parts)]


def _sum_stages(parts: list[SolveOutcome]) -> tuple[StageReport, ...]:
    out = []
    for level in range(min(len(p.stages) for p in parts)):
        reports = [p.stages[level] for p in parts]
        known = all(r.value is not None for r in reports)
        out.append(StageReport(
            reports[0].name,
            "optimal" if all(r.status == "optimal" for r in reports) else "feasible",
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
    built = build_model(req, params.pattern_bounds)
    m = built.model
    for lit in built.target_literals:
        m.add(lit == 1)
    C = sum(b.amount_yuan for b in req.budgets) + 1
    A = sum(o.weight for o in req.offices) * len(req.years) + 1
    m.minimize(built.shortfall * A * C + (A - 1 - built.attained) * C + built.total_cost)
    remaining = _remaining(params, started)
    if remaining is not None and remaining <= 0:
        remaining = 0.01
    solver, code = _run(m, params, label + "all levels", remaining, started, 1, presolve=False)
    status = map_status(code, m)
    wall = solver.WallTime()
    if status == "infeasible":
        return SolveOutcome(SolveStatus.INFEASIBLE, None, (), wall, params.workers, params.seed,
                            conflict=find_conflict(req, params))
    if status == "unknown":
        # Soft targets always have a plan (doing nothing); hard ones have none yet.
        return _do_nothing(req) if req.soft_targets else SolveOutcome(
            SolveStatus.NO_PLAN, None, (), wall, params.workers, params.seed)
    value = lambda e: int(solver.Value(e)) if not isinstance(e, int) else e  # noqa: E731
    levels = ([("shortfall", built.shortfall)] if req.soft_targets else []) + [
        ("attained_office_years", built.attained), ("total_cost", built.total_cost)]
    # One solve proves every level at once; its time is reported on the first level.
    stages = [StageReport(name, status, value(expr), float(value(expr)) if status == "optimal" else None,
                          wall if i == 0 else 0.0) for i, (name, expr) in enumerate(levels)]
    return SolveOutcome(SolveStatus.OPTIMAL if status == "optimal" else SolveStatus.FEASIBLE,
                        built.extract(solver), tuple(stages), wall, params.workers, params.seed)


def _solve_staged(req: Requirements, params: SolveParams, started: float, workers: int,
                  label: str = "") -> SolveOutcome:
    built = build_model(req, params.pattern_bounds)
    m = built.model
    for lit in built.target_literals:
        m.add(lit == 1)
    levels: list[tuple[str, cp_model.LinearExprT, int]] = []
    if req.soft_targets:
        levels.append(("shortfall", built.shortfall, +1))
    levels.append(("attained_office_years", built.attained, -1))
    levels.append(("total_cost", built.total_cost, +1))
    stages: list[StageReport] = []
    solution: Solution | None = None
    proven = True
    for name, expr, sign in levels:
        remaining = _remaining(params, started)
        if remaining is not None and remaining <= 0 or (params.control and params.control.stopped
                                                          and solution is not None):
            proven = False
            break
        if sign > 0:
            m.minimize(expr)
        else:
            m.maximize(expr)
        solver, code = _run(m, params, label + name, remaining, started, workers)
        status = map_status(code, m)
        if status == "infeasible":
            conflict = find_conflict(req, params) if not req.soft_targets else ()
            return SolveOutcome(SolveStatus.INFEASIBLE, None, tuple(stages), time.monotonic() - started,
                                params.workers, params.seed, conflict=conflict)
        if status == "unknown":
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
        proven = proven and status == "optimal"
        # Fix this level (at the best value found) before optimising the next one.
        if sign > 0:
            m.add(expr <= value)
        else:
            m.add(expr >= value)
        _hint(m, solver)
    if solution is None:  # the time was gone before the first level
        return _do_nothing(req) if req.soft_targets else SolveOutcome(
            SolveStatus.NO_PLAN, None, tuple(stages), time.monotonic() - started, params.workers, params.seed)
    status = SolveStatus.OPTIMAL if proven and len(stages) == len(levels) else SolveStatus.FEASIBLE
    return SolveOutcome(status, solution, tuple(stages), time.monotonic() - started,
                        params.workers, params.seed)


def _remaining(params: SolveParams, started: float) -> float | None:
    if params.time_limit is None:
        return None
    return params.time_limit - (time.monotonic() - started)


def _solver(params: SolveParams, remaining: float | None, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = params.seed
    # Interrupts are ours to handle (SolveControl); CP-SAT's own SIGINT hook aborts the process.
    solver.parameters.catch_sigint_signal = False
    # Full LP relaxation with cuts: the cost level is a knapsack-like problem where the default
    # (level 1) crawls down in tiny steps; level 2 proves it in a fraction of the time (docs/solver.md).
    solver.parameters.linearization_level = 2
    if remaining is not None:
        if params.deterministic:
            solver.parameters.max_deterministic_time = max(0.01, remaining)
        else:
            solver.parameters.max_time_in_seconds = max(0.01, remaining)
    # Several workers are reproducible only interleaved, which cost 6–8× on a coupled 60-office
    # fund (docs/solver.md), so only on request; one worker, and HiGHS, are deterministic anyway.
    if params.deterministic:
        solver.parameters.interleave_search = True
    return solver


def _run(m: cp_model.CpModel, params: SolveParams, name: str, remaining: float | None,
         started: float, workers: int, presolve: bool = True) -> tuple[cp_model.CpSolver, int]:
    solver = _solver(params, remaining, workers)
    # On small components presolve and probing cost more than they save (measured 2.3x and 1.15x,
    # same optima; docs/solver.md).
    solver.parameters.cp_model_presolve = presolve
    if not presolve:
        solver.parameters.cp_model_probing_level = 0
    if params.control is not None:
        params.control._solver = solver
        if params.control.stopped:  # stopped before this search began (stop_search has no effect
            # until it runs): time only for a first plan
            solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds, 0.5)
    callback = _Reporter(name, started, params.progress) if params.progress else None
    code = solver.Solve(m, callback)
    if params.control is not None:
        params.control._solver = None
    return solver, code


def _hint(m: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint the next stage with this stage's whole solution."""
    m.clear_hints()
    values = list(solver.ResponseProto().solution)
    hint = m.Proto().solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def check_solver(time_limit: float, workers: int = 1) -> cp_model.CpSolver:
    """A solver for the small checks around a plan (feasibility, explanations, conflicts): a time
    limit, and CP-SAT's own SIGINT hook off (it aborts the process; interrupts are ours)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.catch_sigint_signal = False
    return solver


def find_conflict(req: Requirements, params: SolveParams) -> tuple[TargetCell, ...]:
    """Hard target cells that cannot all be met together, shrunk to a minimal set.

    CP-SAT returns a sufficient set of failed assumptions; each cell is then dropped in turn and
    kept out when the rest stays infeasible (deletion filter), so every cell named matters.
    """
    if not req.targets:
        return ()
    built = build_model(req)
    lits = built.target_literals
    core = _core(built, list(range(len(lits))), params)
    for c in list(core):
        trial = [x for x in core if x != c]
        if trial and _infeasible_with(req, trial, params):
            core = trial
    return tuple(req.targets[i] for i in core)


def _core(built: BuiltModel, idx: list[int], params: SolveParams) -> list[int]:
    m = built.model
    m.clear_assumptions()
    m.add_assumptions([built.target_literals[i] for i in idx])
    solver = check_solver(30.0)  # one worker: cores come from the sequential search
    code = solver.Solve(m)
    if code != cp_model.INFEASIBLE:
        return idx
    found = set(solver.SufficientAssumptionsForInfeasibility())
    core = [i for i in idx if built.target_literals[i].Index() in found]
    return core or idx


def _infeasible_with(req: Requirements, idx: list[int], params: SolveParams) -> bool:
    built = build_model(req)
    for i in idx:
        built.model.add(built.target_literals[i] == 1)
    return check_solver(10.0, params.workers).Solve(built.model) == cp_model.INFEASIBLE
