"""`plan sweep`: solves a scenario at each budget/quota scale and prints the frontier (docs/compare-sweep.md)."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import Self

import click
from rich.cells import cell_len
from rich.table import Table

from cli.common import (
    EXIT_INPUT,
    err,
    lang_option,
    not_both,
    out,
    print_table,
    print_warning,
    reports_input_errors,
    scenario_argument,
    user_text,
)
from cli.running import command_thread
from planner.analysis.sweep import (
    SweepError,
    SweepPoint,
    VariantParams,
    cheapest_meeting_targets,
    eta,
    grid,
    parse_scales,
    plan_processes,
    run_sweep,
    sweep_report,
)
from planner.i18n import current_lang, tr
from planner.io.loading import load_scenario
from planner.io.standards import TIER_ZH
from planner.reports.charts import ChartUnavailable, chart_missing, frontier_chart
from planner.solver.status import SolveStatus

SWEEP_EPILOG = """\b
Examples:
  plan sweep scenarios/2022.yaml --budget-scale 0.6:1.4:0.1
  plan sweep scenarios/2022.yaml --budget-scale 0.8,1,1.2 --quota-scale 0.5:1:0.25
  plan sweep scenarios/2022.yaml --budget-scale 0.5:1.5:0.05 --dask tcp://10.0.0.5:8786
"""


# ---------------------------------------------------------------- sweep


@click.command(epilog=SWEEP_EPILOG)
@scenario_argument
@click.option("--budget-scale", default="1", show_default=True, metavar="SCALES",
              help="Budget multipliers: start:stop:step (stop included), a comma list, or one value.")
@click.option("--quota-scale", default="1", show_default=True, metavar="SCALES",
              help="Post-quota multipliers, same forms; quotas are rounded down to whole people.")
@click.option("--hard", is_flag=True,
              help="Keep the targets hard (a variant that cannot meet them is `infeasible`). "
                   "Default: soft, so every point has a plan and a shortfall.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds per variant.")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=None,
              help="CP-SAT workers per variant [default: cores ÷ parallel variants, at least 1; "
                   "1 on a Dask cluster].")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of every search.")
@click.option("--deterministic", is_flag=True, help="Deterministic search even under a time limit.")
@click.option("--dask", "dask_address", metavar="tcp://HOST:PORT",
              help="Run the variants on this existing Dask distributed scheduler instead of local processes.")
@click.option("--chart", "chart_prefix", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the chart to PREFIX.png and PREFIX.svg [default: out/<scenario stem>/sweep].")
@click.option("--no-chart", is_flag=True, help="Draw no chart.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"points": [{"budget_scale", "quota_scale", "status", "objective", ...}]}.')
@click.option("--csv", "as_csv", is_flag=True, help="Print the frontier as one CSV table (UTF-8 with BOM).")
@lang_option
@reports_input_errors
def sweep(scenario: Path, budget_scale: str, quota_scale: str, hard: bool, time_limit: float,
          workers: int | None, seed: int, deterministic: bool, dask_address: str | None,
          chart_prefix: Path | None, no_chart: bool, as_json: bool, as_csv: bool) -> None:
    """Solve the scenario at many budget (and quota) scales and print the frontier.

    Each variant scales every budget entry (to the nearest yuan) and every post quota (down to whole
    people) of the scenario. The frontier shows, per scale, the total budget, attained office-years,
    last-year attainment per tier, cost, targets met and shortfall, and marks (★) the cheapest scale
    that meets every target. Variants run in parallel, one per core, or on a Dask cluster (--dask).
    """
    if as_json and as_csv:
        raise not_both("--json", "--csv")
    scales = []
    for name, text in (("--budget-scale", budget_scale), ("--quota-scale", quota_scale)):
        try:
            scales.append(parse_scales(text))
        except SweepError as exc:
            raise click.BadParameter(str(exc), param_hint=name) from None
    try:
        points = grid(*scales)
    except SweepError as exc:
        raise click.UsageError(str(exc)) from None
    loaded = load_scenario(scenario)  # invalid input is reported here, once, before any solving
    prefix = None if no_chart else (chart_prefix or Path("out") / scenario.stem / "sweep")
    if prefix is not None:
        _check_chart_possible(explicit=chart_prefix is not None)
    params = VariantParams(time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic,
                           soft_targets=not hard, lang=current_lang())
    if dask_address:
        where = tr(f"Dask 集群 {dask_address}", f"Dask cluster {dask_address}")
    else:
        procs, threads = plan_processes(len(points), workers)
        where = tr(f"{procs} 个本地进程 × 每进程 {threads} 个 CP-SAT 求解线程",
                   f"{procs} local processes × {threads} CP-SAT workers")
    name = user_text(str(scenario))
    err.print(tr(f"扫描：{name} 的 {len(points)} 个变体，使用 {user_text(where)}",
                 f"sweep: {len(points)} variants of {name} on {user_text(where)}"))
    progress = _SweepProgress(len(points), enabled=sys.stderr.isatty())
    try:
        with progress:
            results = run_sweep(scenario, points, params, dask_address, on_done=progress.done)
    except SweepError as exc:
        err.print(f"[red]{tr('错误', 'error')}[/red] {user_text(str(exc))}")
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        err.print(tr(f"已中断：{len(points)} 个变体中完成了 {progress.finished} 个；未写入任何文件",
                     f"interrupted after {progress.finished} of {len(points)} variants; nothing was written"))
        sys.exit(130)
    _finish_sweep(results, loaded.scenario.name, prefix, as_json, progress.elapsed(), as_csv)


def _finish_sweep(results: list[SweepPoint], title: str, prefix: Path | None, as_json: bool,
                  seconds: float, as_csv: bool = False) -> None:
    best = cheapest_meeting_targets(results)
    if as_json:
        click.echo(json.dumps(sweep_report(results), ensure_ascii=False, indent=2))
    elif as_csv:
        _sweep_csv(results, best)
    else:
        print_table(_frontier_table(results, best))
        out.print(_cheapest_line(results, best))
        if all(p["status"] == SolveStatus.OPTIMAL for p in results):
            out.print(tr("每个点均已证明最优", "every point is proven optimal (最优)"))
        out.print(tr(f"{len(results)} 个变体求解完毕，用时 {seconds:.1f} 秒",
                     f"{len(results)} variants solved in {seconds:.1f} s"))
    if prefix is not None:
        _write_chart(results, best, title, prefix)


def _sweep_csv(results: list[SweepPoint], best: int | None) -> None:
    """The frontier, one row per variant, figures unformatted (cells.write_csv: BOM, neutralised)."""
    from planner.reports.cells import write_csv  # lazy: start-up (openpyxl, ~0.2 s for every command)

    tiers = [t for t in ("large", "medium", "small", "all")
             if any(t in (p["attainment_last_year"] or {}) for p in results)]
    header = ["budget_scale", "quota_scale", "total_budget", "status", "shortfall", "attained_office_years",
              *(f"attainment_last_year.{t}" for t in tiers), "total_cost", "targets_met", "targets_total",
              "cheapest_meeting_targets"]
    rows = []
    for i, p in enumerate(results):
        obj = p["objective"] or {}
        rates = p["attainment_last_year"] or {}
        rows.append([p["budget_scale"], p["quota_scale"], p["total_budget"], p["status"], obj.get("shortfall", ""),
                     obj.get("attained_office_years", ""), *(rates.get(t, "") for t in tiers),
                     obj.get("total_cost", ""), "" if p["targets_met"] is None else p["targets_met"],
                     p["targets_total"], "yes" if i == best else ""])
    write_csv(sys.stdout, header, rows)


def _check_chart_possible(explicit: bool) -> None:
    try:
        import matplotlib  # noqa: F401  # lazy: optional extra (chart)
    except ImportError:
        if explicit:
            raise click.UsageError(chart_missing()) from None
        print_warning(chart_missing())


def _write_chart(results: list[SweepPoint], best: int | None, title: str, prefix: Path) -> None:
    try:
        chart = frontier_chart(results, best, title, prefix)
    except ChartUnavailable:
        return  # already warned before solving
    for w in chart.warnings:
        print_warning(w)
    paths = [user_text(str(p)) for p in chart.paths]
    err.print(tr("图表已写入 " + "、".join(paths), "chart written to " + ", ".join(paths)))


def _pct(rates: dict[str, float] | None, tier: str) -> str:
    if not rates or tier not in rates:
        return "—"
    return f"{rates[tier]:.0%}"


def _frontier_table(results: list[SweepPoint], best: int | None) -> Table:
    several_q = len({p["quota_scale"] for p in results}) > 1 or any(p["quota_scale"] != 1 for p in results)
    show_status = {p["status"] for p in results} != {SolveStatus.OPTIMAL}  # all optimal: said once below
    last = results[0]["last_year"]
    tiers = [t for t in ("large", "medium", "small", "all")
             if any(t in (p["attainment_last_year"] or {}) for p in results)]
    headers = ["", "预算系数\nbudget ×", *(["配额系数\nquota ×"] if several_q else []), "总预算\n万元",
               *(["状态\nstatus"] if show_status else []), "缺口\nshortfall", "达标所·年\noffice-yrs",
               *(f"{TIER_ZH.get(x, '全部')}\n{x}" for x in tiers), "总费用\n万元", "目标\nmet"]
    rows = []
    for i, p in enumerate(results):
        obj = p["objective"]
        rows.append(["★" if i == best else "", f"{p['budget_scale']:g}",
                     *([f"{p['quota_scale']:g}"] if several_q else []), f"{p['total_budget']:,.2f}",
                     *([p["status"]] if show_status else []),
                     "—" if obj is None else str(obj["shortfall"]),
                     "—" if obj is None else str(obj["attained_office_years"]),
                     *(_pct(p["attainment_last_year"], tier) for tier in tiers),
                     "—" if obj is None else f"{obj['total_cost']:,.2f}",
                     "—" if p["targets_met"] is None else f"{p['targets_met']}/{p['targets_total']}"])
    t = Table(title=f"预算—达标前沿 Budget frontier (达标率 = attainment in {last})")
    for k, h in enumerate(headers):
        # Figures and header words are never cut: a header wraps only between its lines.
        width = max(max(cell_len(r[k]) for r in rows), *(cell_len(line) for line in h.split("\n")))
        t.add_column(h, justify="left" if "status" in h else "right", min_width=width, no_wrap=True)
    for i, r in enumerate(rows):
        t.add_row(*r, style="bold green" if i == best else None)
    return t


def _cheapest_line(results: list[SweepPoint], best: int | None) -> str:
    if best is None:
        with_plan = [p for p in results if p["objective"] is not None]
        if not with_plan:
            infeasible = all(p["status"] == SolveStatus.INFEASIBLE for p in results)
            why = (tr("各系数下硬性目标均不可行", "hard targets infeasible at every scale") if infeasible
                   else tr("不可行，或在 --time-limit 内未找到方案", "infeasible or no plan found within --time-limit"))
            return tr(f"所有变体均无方案（{why}）", f"no variant has a plan ({why})")
        top = max(with_plan, key=lambda p: p["total_budget"])
        scale, budget = f"{top['budget_scale']:g}", f"{top['total_budget']:,.2f}"
        shortfall = (top["objective"] or {})["shortfall"]
        return tr(f"没有哪个系数能满足全部目标；预算 ×{scale}（{budget} 万元）时缺口仍为 {shortfall}",
                  f"no scale meets every target; at ×{scale} ({budget} 万元) the shortfall is still {shortfall}")
    p = results[best]
    q = f"{p['quota_scale']:g}" if p["quota_scale"] != 1 else None
    b, total = f"{p['budget_scale']:g}", f"{p['total_budget']:,.2f}"
    cost = f"{(p['objective'] or {})['total_cost']:,.2f}"
    return tr(f"★ 最低达标预算：预算 ×{b}" + (f"，名额 ×{q}" if q else "") + f" = {total} 万元（方案费用 {cost} 万元）",
              f"★ cheapest scale meeting every target 最低达标预算: budget ×{b}" + (f", quota ×{q}" if q else "")
              + f" = {total} 万元 (plan cost {cost} 万元)")


class _SweepProgress:
    """`扫描：3/9 个变体 · 已用 12.1 秒 · 约剩 24 秒` / `sweep: 3/9 variants · 12.1 s elapsed · ~24 s left`
    on stderr, for terminals only."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.finished = total, enabled, 0
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = command_thread(self._run)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def done(self, finished: int, total: int, point: SweepPoint) -> None:
        self.finished = finished
        self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        left, elapsed = eta(self.finished, self.total, self.elapsed()), self.elapsed()
        rest = "" if left is None else tr(f" · 约剩 {left:.0f} 秒", f" · ~{left:.0f} s left")
        with self._lock:
            sys.stderr.write(tr(f"\r\033[K扫描：{self.finished}/{self.total} 个变体 · 已用 {elapsed:.1f} 秒{rest}",
                                f"\r\033[Ksweep: {self.finished}/{self.total} variants · "
                                f"{elapsed:.1f} s elapsed{rest}"))
            sys.stderr.flush()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._draw()

    def __enter__(self) -> Self:
        self.started = time.monotonic()
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.enabled and self._thread.is_alive():
            self._thread.join()
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
