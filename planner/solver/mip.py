"""The same model as `planner.solver.model`, as a direct MIP for HiGHS (`highspy`, optional).

Used two ways:
 * by `planner.solver.solve` for a component coupled by shared limits (a city or province fund) under
   `--engine auto` when highspy is installed: measured faster there than CP-SAT's staged search
   (docs/solver.md); the plan then goes through the same verification as every plan;
 * as the benchmark peer (benchmarks/mip_peer.py), the formulation a modeller would write first.

Mirrors planner/solver/model/constraints.py term by term: hires per office × year × role, lease and build
m² per year, a binary per housing option × year and room × year, an attainment binary per office ×
year; `supply ≥ gap · att`; budgets with recurring costs; quotas; hard or soft targets; with an
earlier plan to keep, level 4's churn rows (planner/solver/model/churn.py). Levels are solved in stages,
each optimum fixed before the next (no start: see `_solve_mip`).
Every objective is an integer (yuan, counts), so an absolute gap below 1 proves a level.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from planner.rules.requirements import OfficeReq, Requirements
from planner.solver.cpsat import level_share
from planner.solver.model.bounds import pattern_lower_bound
from planner.solver.model.churn import office_churn
from planner.solver.model.constraints import MAX_PATTERN_YEARS, office_cost
from planner.solver.model.variables import OfficeDecisions, OfficeVars, Solution, _upper_bounds
from planner.solver.status import SolveStatus


def available() -> bool:
    try:
        # lazy: optional (CP-SAT solves without it, docs/solver.md); and start-up: ~35 ms, cli/main's chain
        import highspy  # noqa: F401
    except ImportError:
        return False
    return True


def _quiet_highs() -> Any:
    """A Highs instance; its one-time banner goes to the C-level stdout, which `plan solve
    --json` owns, so that stream is pointed at /dev/null while the first one is made."""
    import highspy  # lazy: see available()

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    set_options(h, output_flag=False)
    h.HandleUserInterrupt = True  # else cancelSolve (Ctrl-C, SIGTERM via SolveControl) is ignored
    return h


_scheduler_threads: int | None = None


def _use_threads(h: Any, threads: int) -> None:
    """HiGHS's task scheduler is global and keeps the thread count of its first solve; a later solve
    asking for another count fails with no solution. Start it afresh when the count changes."""
    global _scheduler_threads
    if _scheduler_threads is not None and _scheduler_threads != threads:
        h.resetGlobalScheduler(True)
    _scheduler_threads = threads
    set_options(h, threads=threads)


def set_options(h: Any, **options: Any) -> None:
    """Set HiGHS options, or raise: HiGHS ignores an option it does not know, or a value of the
    wrong type, with no more than an error status, and a gap left at its default (a relative
    1e-4) would call a plan optimal that is not."""
    import highspy  # lazy: see available()

    for name, value in options.items():
        if h.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise ValueError(f"HiGHS did not take the option {name}={value!r}")


@dataclass(frozen=True)
class _Cancel:
    h: Any

    def stop_search(self) -> None:
        self.h.cancelSolve()


@contextmanager
def _cancellable(h: Any, control: Any) -> Iterator[None]:
    """Within it, SolveControl.stop() (Ctrl-C, SIGTERM) cancels HiGHS's solve; a stop that came
    before it is the caller's to check (`control.stopped`), as stop() reached no HiGHS then."""
    if control is not None:
        control._solver = _Cancel(h)
    try:
        yield
    finally:
        if control is not None:
            control._solver = None


@dataclass(frozen=True)
class MipResult:
    status: str  # optimal | feasible | infeasible | time_limit
    levels: tuple[int, ...]  # (shortfall?, attained, total cost yuan, churn?), as far as solved
    proven: tuple[bool, ...]  # per level in `levels`
    bounds: tuple[float | None, ...]  # per level in `levels`: its value when proven, else HiGHS's dual bound
    solution: Solution | None
    seconds: float
    build_seconds: float


# Every objective is an integer (yuan, counts): a gap below 1 proves a level, and no relative gap
# may end the search earlier. A fixed seed: the same plan on every run.
EXACT = {"mip_rel_gap": 0.0, "mip_abs_gap": 0.5, "random_seed": 0}


class _Infeasible(Exception):
    """A row with no variables left that cannot hold (e.g. a target no office can reach)."""


def _constr(h: Any, row: Any) -> None:
    """Add a row; a row whose variables were all fixed to numbers is a plain bool: checked, not added."""
    if isinstance(row, bool):
        if not row:
            raise _Infeasible
        return
    h.addConstr(row)


class _OfficeCols(OfficeVars):
    """An office's HiGHS columns, in the CP-SAT model's own layout (`OfficeVars`), so the model's
    expressions (cost per year, hires by a year) build the same sums over HiGHS variables."""


def solve_mip(req: Requirements, time_limit: float | None = 600.0, threads: int = 2,
              patterns: bool = False, control: Any = None) -> MipResult:
    """All levels in stages. `patterns`: add the CP-SAT model's redundant pattern rows too."""
    t0 = time.monotonic()
    try:
        return _solve_mip(req, time_limit, threads, patterns, control, t0)
    except _Infeasible:
        return MipResult(SolveStatus.INFEASIBLE, (), (), (), None, time.monotonic() - t0, time.monotonic() - t0)


def _solve_mip(req: Requirements, time_limit: float | None, threads: int, patterns: bool, control: Any,
               t0: float) -> MipResult:
    h = _quiet_highs()
    _use_threads(h, threads)
    set_options(h, **EXACT)
    cols, levels = _build(h, req, patterns)
    build_seconds = time.monotonic() - t0
    try:
        with _cancellable(h, control):
            if control is not None and control.stopped:  # before the search, as CP-SAT (cpsat.py): a first plan
                time_limit = min(time_limit if time_limit is not None else math.inf, 0.5 + (time.monotonic() - t0))
            values, proven, bounds, last = _solve_levels(h, levels, time_limit, control, t0)
    except _Infeasible:
        return MipResult(SolveStatus.INFEASIBLE, (), (), (), None, time.monotonic() - t0, build_seconds)
    if last is None:
        return MipResult("time_limit", (), (), (), None, time.monotonic() - t0, build_seconds)
    solution = Solution(tuple(_extract(c, last) for c in cols))
    status = SolveStatus.OPTIMAL if len(values) == len(levels) and all(proven) else SolveStatus.FEASIBLE
    return MipResult(status, tuple(values), tuple(proven), tuple(bounds), solution, time.monotonic() - t0,
                     build_seconds)


def _build(h: Any, req: Requirements, patterns: bool) -> tuple[list[_OfficeCols], list[tuple[str, Any]]]:
    """The offices' columns and rows, the shared limits' rows, and the levels' objectives in order."""
    cols, costs, shorts = _rows(h, req, patterns)
    levels = ([("min", sum(shorts))] if req.soft_targets else []) + [
        ("max", _attained(req, cols)), ("min", sum(costs.values()))]
    if req.keep is not None:  # level 4
        levels.append(("min", _churn(h, req, cols)))
    return cols, levels


def _rows(h: Any, req: Requirements, patterns: bool) -> tuple[list[_OfficeCols], dict[tuple[int, int], Any], list[Any]]:
    """Every column and row: the offices' columns, each office-year's cost and the shortfall columns."""
    cols: list[_OfficeCols] = []
    costs: dict[tuple[int, int], Any] = {}
    for k, o in enumerate(req.offices):
        c, office_costs = _office(h, req, o)
        cols.append(c)
        if patterns:
            _pattern_rows(h, req, o, c.att, sum(office_costs))
        for t, cost in enumerate(office_costs):
            costs[(k, t)] = cost
    _limit_rows(h, req, cols, costs)
    return cols, costs, _target_rows(h, req, cols)


def _attained(req: Requirements, cols: list[_OfficeCols]) -> Any:
    return sum(o.weight * a for o, c in zip(req.offices, cols) for a in c.att)


@dataclass(frozen=True)
class LpRelaxation:
    """The LP relaxation of levels 1–2: where it spends, and the bound it proves on level 1."""

    spending: list[list[float]]  # office × year, yuan
    shortfall_bound: int  # no plan falls short by fewer target places


def lp_relaxation(req: Requirements, time_limit: float, threads: int = 1,
                  control: Any = None) -> LpRelaxation | None:
    """The LP relaxation of levels 1–2 (soft targets) in one LP, min A·shortfall − attained with A
    above any attained count, or None when HiGHS does not solve it within `time_limit` or
    `control` is stopped (Ctrl-C, SIGTERM: at 1,300 offices the LP takes 3–4 s).

    Its lexicographic order is not exact in an LP, but its value V bounds level 1 all the same:
    every plan has A·shortfall − attained ≥ V and attained ≥ 0, so shortfall ≥ V / A. Where it
    spends is what planner/solver/county_split.py needs."""
    import highspy  # lazy: see available()

    h = _quiet_highs()
    _use_threads(h, threads)
    set_options(h, solve_relaxation=True, time_limit=max(time_limit, 0.01))
    try:
        cols, costs, shorts = _rows(h, req, False)
    except _Infeasible:
        return None
    A = 1 + sum(o.weight for o in req.offices) * len(req.years)
    with _cancellable(h, control):
        if control is not None and control.stopped:
            return None
        h.minimize(A * sum(shorts) - _attained(req, cols))
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = h.getSolution().col_value
    bound = max(0, math.ceil(h.getInfo().objective_function_value / A - 1e-6))  # 1e-6: the LP's tolerance
    return LpRelaxation([[_value(costs[(k, t)], x) for t in range(len(req.years))] for k in range(len(req.offices))],
                        bound)


def _value(expr: Any, x: Any) -> float:
    """A linear expression's value at columns x (a cost that is a plain number has no columns)."""
    if not hasattr(expr, "idxs"):
        return float(expr)
    return float(expr.constant or 0.0) + sum(v * x[i] for i, v in zip(expr.idxs, expr.vals))


def _limit_rows(h: Any, req: Requirements, cols: list[_OfficeCols], costs: dict[tuple[int, int], Any]) -> None:
    """Every budget and quota over the offices of its scope."""
    members = req.scope_members()
    for b in req.budgets:
        t = req.years.index(b.year)
        _constr(h, sum(costs[(k, t)] for k in members.get(b.scope, ())) <= b.amount_yuan)
    for q in req.quotas:
        t, r = req.years.index(q.year), req.roles.index(q.role)
        terms = [cols[k].hires[r][t] for k in members.get(q.scope, ()) if r in cols[k].hires]
        if terms:
            _constr(h, sum(terms) <= q.amount)


def _target_rows(h: Any, req: Requirements, cols: list[_OfficeCols]) -> list[Any]:
    """Each target cell's row; with soft targets, its shortfall column (returned)."""
    import highspy  # lazy: see available()

    index = req.office_index()
    shorts = []
    for cell in req.targets:
        t = req.years.index(cell.year)
        attained = sum(cols[index[i]].att[t] for i in cell.office_ids)
        if req.soft_targets:
            s = h.addVariable(lb=0, ub=cell.required, type=highspy.HighsVarType.kInteger)
            _constr(h, attained + s >= cell.required)
            shorts.append(s)
        else:
            _constr(h, attained >= cell.required)
    return shorts


def _solve_levels(h: Any, levels: list[tuple[str, Any]], time_limit: float | None, control: Any,
                  t0: float) -> tuple[list[int], list[bool], list[float | None], list[float] | None]:
    """Each level in turn, its value fixed before the next: the optimum, or under a time limit the
    best found (each level but the last gets at most half the time left, as in CP-SAT). Returns the
    levels' values, whether each is proven, their bounds and the last solution's columns."""
    import highspy  # lazy: see available()

    values: list[int] = []
    proven: list[bool] = []
    bounds: list[float | None] = []
    last = None
    for i, (sense, expr) in enumerate(levels):
        if control is not None and control.stopped and last is not None:
            break
        left = None if time_limit is None else time_limit - (time.monotonic() - t0)
        if left is not None and left <= 0:
            break
        share = level_share(left, len(levels) - i)
        set_options(h, time_limit=float("inf") if share is None else share)
        # No start from the previous level: HiGHS 1.16 given one (set after the objective, else it
        # is dropped) sometimes reported the optimum's value with the start's columns (a
        # tests/test_bruteforce.py case: cost 60,000 claimed, 80,000 returned); it saved < 0.3 s.
        # No second try when a level finds no plan in its half (as CP-SAT has): HiGHS restarts
        # from scratch, and at 40,000 offices the try took the time CP-SAT's fallback had used
        # to find a plan (shortfall 28,582 against 17,927; docs/benchmarks.md).
        h.minimize(expr) if sense == "min" else h.maximize(expr)
        ms = h.getModelStatus()
        if ms == highspy.HighsModelStatus.kInfeasible:
            raise _Infeasible
        info = h.getInfo()
        if info.primal_solution_status != 2:  # no feasible solution
            break
        value = round(info.objective_function_value)
        values.append(value)
        proven.append(ms == highspy.HighsModelStatus.kOptimal)
        bound = float(value) if proven[-1] else float(info.mip_dual_bound)
        bounds.append(bound if math.isfinite(bound) else None)
        last = list(h.getSolution().col_value)
        _constr(h, expr <= value) if sense == "min" else _constr(h, expr >= value)
    return values, proven, bounds, last


def _churn(h: Any, req: Requirements, cols: list[_OfficeCols]) -> Any:
    """Level 4: the model's own churn rows and expression (planner/solver/model/churn.py), as HiGHS columns."""
    import highspy  # lazy: see available()

    def new_bool(name: str) -> Any:
        return h.addVariable(lb=0, ub=1, type=highspy.HighsVarType.kInteger)

    return sum(office_churn(c, req, new_bool, lambda row: _constr(h, row), k) for k, c in enumerate(cols))


def _office(h: Any, req: Requirements, o: OfficeReq) -> tuple[_OfficeCols, list[Any]]:
    """One office's columns, attainment rows and cost per year (constraints.py, term by term)."""
    import highspy  # lazy: see available()

    INT, T = highspy.HighsVarType.kInteger, len(req.years)

    def var(ub: float) -> Any:
        return h.addVariable(lb=0, ub=ub, type=INT)

    c = _OfficeCols(o, att=[var(1 if o.conditions_ok else 0) for _ in range(T)])
    for r, ub in enumerate(_upper_bounds(o, req)):
        if ub > 0:
            c.hires[r] = [var(ub) for _ in range(T)]
    gap = max(max(0, n.floor_area_m2 - o.area0) for n in o.needs)
    if gap:
        if req.lease_per_m2 is not None:
            c.lease = [var(gap) for _ in range(T)]
        if req.build_per_m2 is not None:
            c.build = [var(gap if t + req.build_lead_years < T else 0) for t in range(T)]
        for i, opt in enumerate(o.housing_options):
            xs = [var(1 if opt.takeable(req.years, t) else 0) for t in range(T)]
            _constr(h, sum(xs) <= 1)
            c.options[i] = xs
    needed = {f for item in o.rooms for alt in item for f in alt} - o.facilities0
    for f in sorted(needed & set(req.facility_price)):
        c.rooms[f] = [var(1) for _ in range(T)]
        _constr(h, sum(c.rooms[f]) <= 1)
    for t in range(T):
        _attainment_rows(h, req, o, c, t, var)
    # The cost terms are the CP-SAT model's own (one definition of what an office-year costs).
    office_costs = [office_cost(c, req, t) for t in range(T)]  # type: ignore[arg-type]
    return c, office_costs


def _attainment_rows(h: Any, req: Requirements, o: OfficeReq, c: _OfficeCols, t: int,
                     var: Callable[[float], Any]) -> None:
    """Year t's rows: attained only when staff, total staff, floor area and rooms are met."""
    T = len(req.years)
    for r, n in enumerate(o.needs[t].staff):
        g = n - o.staff0[r]
        if g > 0:
            _constr(h, (sum(c.hires[r][: t + 1]) if r in c.hires else 0) - g * c.att[t] >= 0)
    g = o.needs[t].total_staff - sum(o.staff0)
    if g > 0:
        _constr(h, sum(x for xs in c.hires.values() for x in xs[: t + 1]) - g * c.att[t] >= 0)
    g = o.needs[t].floor_area_m2 - o.area0
    if g > 0:
        supply = sum(c.lease[: t + 1]) + sum(c.build[: max(0, t - req.build_lead_years + 1)]) + sum(
            o.housing_options[i].area_m2 * xs[s] for i, xs in c.options.items() for s in range(T)
            if s + o.housing_options[i].lead_years <= t)
        _constr(h, supply - g * c.att[t] >= 0)
    for item in o.rooms:
        if any(set(alt) <= o.facilities0 for alt in item):
            continue
        picks = []
        for alt in item:
            if not all(f in o.facilities0 or f in c.rooms for f in alt):
                continue
            z = var(1)
            for f in alt:
                if f not in o.facilities0:
                    _constr(h, sum(c.rooms[f][: t + 1]) - z >= 0)
            picks.append(z)
        _constr(h, sum(picks) - c.att[t] >= 0)


def _extract(c: _OfficeCols, x: list[float]) -> OfficeDecisions:
    def val(v: Any) -> int:
        return round(x[v.index])

    T = len(c.att)
    return OfficeDecisions(
        hires={(r, t): n for r, xs in c.hires.items() for t in range(T) if (n := val(xs[t]))},
        lease={t: n for t, v in enumerate(c.lease) if (n := val(v))},
        build={t: n for t, v in enumerate(c.build) if (n := val(v))},
        options={i: t for i, xs in c.options.items() for t, v in enumerate(xs) if val(v)},
        rooms={f: t for f, xs in c.rooms.items() for t, v in enumerate(xs) if val(v)},
        att=tuple(bool(val(a)) for a in c.att))


def _pattern_rows(h: Any, req: Requirements, o: OfficeReq, att: list[Any], total_cost: Any) -> None:
    """The CP-SAT model's redundant pattern rows (constraints.pattern_cost_bounds), as a MIP
    disaggregation: one binary per set of attained years, att[t] = Σ patterns holding t, and the
    office's total cost ≥ Σ pattern · its lower bound (the convex hull of the pattern choice)."""
    import highspy  # lazy: see available()

    T = len(req.years)
    if T > MAX_PATTERN_YEARS or not o.conditions_ok:
        return
    picks = []
    for size in range(1, T + 1):
        for years in itertools.combinations(range(T), size):
            bound = pattern_lower_bound(o, req, years)
            p = h.addVariable(lb=0, ub=0 if bound is None else 1, type=highspy.HighsVarType.kInteger)
            picks.append((years, p, bound or 0))
    _constr(h, sum(p for _, p, _ in picks) <= 1)
    for t in range(T):
        _constr(h, att[t] - sum(p for years, p, _ in picks if t in years) == 0)
    if any(b for _, _, b in picks):
        _constr(h, total_cost - sum(b * p for _, p, b in picks if b) >= 0)
