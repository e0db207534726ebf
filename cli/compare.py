"""`plan compare`: plans side by side (docs/compare-sweep.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from cli.common import (
    EXIT_INFEASIBLE,
    EXIT_NO_PLAN,
    EXIT_VIOLATIONS,
    allow_outside_option,
    err,
    force_option,
    lang_option,
    not_both,
    out,
    print_conflict,
    print_table,
    print_violation,
    reports_input_errors,
    solve_options,
    user_text,
)
from cli.replan import churn_csv_rows, print_compare_churn
from planner.analysis.compare import (
    NoPlanError,
    actions_by_office,
    compare as run_compare,
    kpi_rows,
    kpis,
    load_for_compare,
    office_differences,
    plan_names,
)
from planner.i18n import current_lang, tr
from planner.rules.verify import PlanRefused
from planner.solver.params import SolveParams
from planner.solver.status import SolveStatus

COMPARE_EPILOG = """\b
Examples:
  plan compare scenarios/2022.yaml my/2022-low.yaml
  plan compare out/2022/plan.json my/2022-low.yaml --soft-targets
  plan compare a.yaml b.yaml c.yaml --csv > compare.csv
"""

# ---------------------------------------------------------------- compare


@click.command(epilog=COMPARE_EPILOG)
@click.argument("files", nargs=-1, required=True, metavar="A B [C ...]",
                type=click.Path(dir_okay=False, path_type=Path))
@solve_options
@allow_outside_option
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print one CSV table (UTF-8 with BOM): section, metric, label, year, then a column per plan.")
@force_option
@lang_option
@reports_input_errors
def compare(files: tuple[Path, ...], time_limit: float, workers: int, seed: int, soft_targets: bool,
            deterministic: bool, as_json: bool, as_csv: bool, force: bool) -> None:
    """Compare plans side by side: KPIs, then the offices that differ from the first (A).

    Each argument is a scenario file (solved here with the options below) or a plan.json already
    solved (recognised by its content, and verified against the scenario it names); both may be
    mixed. Exit 3 when a scenario's hard targets are infeasible (use --soft-targets), 4 when no
    plan is found in time, 5 when a plan.json fails verification.
    """
    if len(files) < 2:
        raise click.UsageError(tr("至少给出两个要对比的文件（情景文件或 plan.json）",
                                  "give at least two files to compare (scenario files or plan.json)"))
    if as_json and as_csv:
        raise not_both("--json", "--csv")
    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic)
    plans = []
    for f in files:
        try:
            plans.append(load_for_compare(f, params, soft_targets=True if soft_targets else None, force=force))
        except PlanRefused as exc:
            for v in exc.violations:
                print_violation(v)
            err.print(user_text(tr(f"{f} 未通过核验；未作对比", f"{f} fails verification; nothing compared")))
            sys.exit(EXIT_VIOLATIONS)
        except NoPlanError as exc:
            err.print(f"[red]{tr('无方案', 'no plan')}[/red] {user_text(str(exc))}")
            if exc.conflict:
                print_conflict(exc.conflict)
            sys.exit(EXIT_INFEASIBLE if exc.status == SolveStatus.INFEASIBLE else EXIT_NO_PLAN)
    if as_json:
        click.echo(json.dumps(run_compare(plans), ensure_ascii=False, indent=2))
    elif as_csv:
        _compare_csv(plans)
    else:
        _compare_terminal(plans)


def _labels(plans: list[Any]) -> list[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [f"{letters[i % 26]}{'' if i < 26 else i // 26}: {_label(p)}" for i, p in enumerate(plans)]


def _label(p: Any) -> str:
    """The plan's path, and 未核验/unverified for a plan.json let through by --force."""
    return p.label if p.verified else f"{p.label} ({tr('未核验', 'unverified')})"


def _compare_terminal(plans: list[Any]) -> None:
    labels = _labels(plans)
    t = Table(title="对比 Comparison (A is the baseline)")
    t.add_column("指标 KPI")
    t.add_column("年份 year", justify="right")
    for lab in labels:
        t.add_column(user_text(lab), justify="right")
    for row in kpi_rows([kpis(p.plan) for p in plans], plan_names(plans[0], current_lang() == "zh")):
        cells = list(row.text)
        if len({str(v) for v in row.values}) > 1:  # a differing figure stands out
            cells = [f"[bold]{c}[/bold]" for c in cells]
        t.add_row(user_text(row.label), "" if row.year is None else str(row.year), *cells)
    print_table(t)
    for lab, other in zip(labels[1:], plans[1:]):
        diffs = office_differences(plans[0], other, zh=current_lang() == "zh")
        b, o = labels[0].split(":")[0], lab.split(":")[0]
        print_compare_churn(plans[0], other, b, o)
        if not diffs:
            out.print(tr(f"{b} 对比 {o}（{user_text(other.label)}）：每个司法所的达标年份和行动都相同",
                         f"{b} vs {o} ({user_text(other.label)}): "
                         "every office attains in the same years with the same actions"))
            continue
        d = Table(title=f"各所差异 Differences per office: {b} vs {user_text(lab)}")
        for col in (tr("司法所", "office"), "名称 name", f"only {b} attains 仅{b}达标", f"only {o} attains 仅{o}达标",
                    tr(f"仅{b}有的行动", f"actions only in {b}"), tr(f"仅{o}有的行动", f"actions only in {o}")):
            d.add_column(col)
        for x in diffs:
            if x.missing_in:
                absent = b if x.missing_in == "base" else o
                note = tr(f"（{absent} 中没有）", f"(not in {absent})")
                d.add_row(user_text(x.office), user_text(x.name), note, note, "", "")
                continue
            d.add_row(user_text(x.office), user_text(x.name), ", ".join(map(str, x.only_in_base)) or "—",
                      ", ".join(map(str, x.only_in_other)) or "—", user_text("\n".join(x.actions_base)) or "—",
                      user_text("\n".join(x.actions_other)) or "—")
        print_table(d)
        gained = sum(len(x.only_in_other) for x in diffs)
        lost = sum(len(x.only_in_base) for x in diffs)
        out.print(tr(f"{o} 对比 {b}：仅 {o} 达标的所·年 {gained} 个，仅 {b} 达标的 {lost} 个；"
                     f"{len(diffs)} 个司法所有差异",
                     f"{o} vs {b}: {gained} office-years attained only in {o}, {lost} only in {b}; "
                     f"{len(diffs)} office{'s' if len(diffs) != 1 else ''} differ{'s' if len(diffs) == 1 else ''}"))


def _compare_csv(plans: list[Any]) -> None:
    """One rectangular table: KPI rows, then every (office, year) whose attainment differs between
    any plans and every office whose actions differ, with each plan's value in its column, then
    the churn of each plan against the first (cli/replan.py)."""
    from planner.reports.cells import write_csv  # lazy: start-up (openpyxl, ~0.2 s for every command)

    rows: list[list[Any]] = []
    zh = current_lang() == "zh"
    for row in kpi_rows([kpis(p.plan) for p in plans], plan_names(plans[0], zh)):
        rows.append(["kpi", row.metric, row.label, "" if row.year is None else row.year,
                     *["" if v is None else v for v in row.values]])
    offices: dict[str, str] = {}
    for p in plans:
        for o in p.plan.offices:
            offices.setdefault(o.id, o.name)
    attained = [{o.id: o.attained for o in p.plan.offices} for p in plans]
    actions = [actions_by_office(p.plan, plan_names(p, zh)) for p in plans]
    for oid, name in offices.items():
        years = sorted({int(y) for a in attained for y in a.get(oid, {})})
        for y in years:
            vals = ["" if oid not in a else ("yes" if a[oid].get(str(y)) else "no") for a in attained]
            if len(set(vals)) > 1:
                rows.append(["attained", oid, name, y, *vals])
        acts = ["; ".join(a.get(oid, [])) for a in actions]
        if len(set(acts)) > 1:
            rows.append(["actions", oid, name, "", *acts])
    rows += churn_csv_rows(plans)
    write_csv(sys.stdout, ["section", "metric", "label", "year", *(_label(p) for p in plans)], rows)
