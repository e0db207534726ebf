"""`plan export`, `plan report`, `plan advance`: what a solved plan becomes for the annual plan.

The workbook/CSV (任务清单, 时间进度表, ...), the self-contained HTML report for leadership, and the
next year's scenario (rolling re-planning).
"""

from __future__ import annotations

from pathlib import Path

import click

from cli.common import (
    allow_outside_option,
    err,
    force_option,
    lang_option,
    out,
    overwrite_option,
    read_checked_plan,
    refuse_overwriting,
    reports_input_errors,
    scenario_inputs,
    user_text,
)
from planner.analysis.advance import AdvanceError, advance_scenario
from planner.i18n import tr
from planner.io.loading import load_scenario
from planner.plan import PlanResult, write_atomic
from planner.reports.html import render_report
from planner.reports.tables import Context, build_tables, load_context

PLAN_ARG = click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, exists=True, path_type=Path))
SCENARIO_OPT = click.option("--scenario", type=click.Path(dir_okay=False, path_type=Path),
                            help="The scenario file (default: the one named in the plan), "
                                 "against which it is verified, and for Chinese names and requirements.")


def _context(plan_file: Path, scenario: Path | None, force: bool) -> tuple[PlanResult, Context]:
    """The plan, checked against its scenario (refused when it fails), and what the tables draw on."""
    checked = read_checked_plan(plan_file, scenario, force)
    ctx = load_context(checked.plan, checked.loaded, checked.verified, scenario)
    for note in ctx.notes:
        err.print(f"[yellow]{tr('注意', 'note')}[/yellow] {user_text(note)}")
    return checked.plan, ctx


def _inputs(plan_file: Path, scenario: Path | None, ctx: Context) -> list[Path | None]:
    return [plan_file, scenario, *(scenario_inputs(ctx.loaded) if ctx.loaded else [])]


@click.command(epilog="\b\nExamples:\n  plan export out/2022/plan.json --xlsx 2022年司法所建设计划.xlsx\n"
                      "  plan export out/2022/plan.json --csv out/2022/csv --lang en")
@PLAN_ARG
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), help="Write an Excel workbook.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one UTF-8 CSV (with BOM) per sheet into this folder.")
@SCENARIO_OPT
@allow_outside_option
@force_option
@overwrite_option
@lang_option
@reports_input_errors
def export(plan_file: Path, xlsx: Path | None, csv_dir: Path | None, lang: str, scenario: Path | None,
           force: bool, overwrite: bool) -> None:
    """Export a solved plan: 汇总, 任务清单, 时间进度表, 达标情况, 经费.

    The plan is verified against its scenario first (exit 5 with the violations when it fails)."""
    from planner.reports.xlsx import csv_paths, write_csv, write_xlsx  # lazy: start-up (openpyxl)

    if xlsx is None and csv_dir is None:
        raise click.UsageError(tr("请给出 --xlsx 文件和/或 --csv 文件夹", "give --xlsx FILE and/or --csv DIR"))
    plan, ctx = _context(plan_file, scenario, force)
    tables = build_tables(plan, ctx, lang)
    refuse_overwriting([xlsx, *(csv_paths(tables, csv_dir) if csv_dir else [])],
                       _inputs(plan_file, scenario, ctx), overwrite)
    if xlsx is not None:
        write_xlsx(tables, xlsx)
        out.print(tr(f"已写入 {user_text(xlsx)}", f"wrote {user_text(xlsx)}"))
    if csv_dir is not None:
        for path in write_csv(tables, csv_dir):
            out.print(tr(f"已写入 {user_text(path)}", f"wrote {user_text(path)}"))


@click.command(epilog="\b\nExample:\n  plan report out/2022/plan.json -o 2022年司法所建设报告.html")
@PLAN_ARG
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write (one file, no network needed to view or print it).")
@SCENARIO_OPT
@allow_outside_option
@force_option
@overwrite_option
@lang_option
@reports_input_errors
def report(plan_file: Path, output: Path, lang: str, scenario: Path | None, force: bool, overwrite: bool) -> None:
    """Write a self-contained HTML report: summary, charts, office table, explanations.

    The plan is verified against its scenario first (exit 5 with the violations when it fails)."""
    plan, ctx = _context(plan_file, scenario, force)
    refuse_overwriting([output], _inputs(plan_file, scenario, ctx), overwrite)
    write_atomic(output, render_report(plan, ctx, lang))
    out.print(tr(f"已写入 {user_text(output)}", f"wrote {user_text(output)}"))


@click.command(epilog="\b\nExample:\n  plan advance scenarios/2022.yaml out/2022/plan.json --through 2022 "
                      "-o scenarios/2023.yaml")
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@allow_outside_option
@PLAN_ARG
@click.option("--through", type=int, required=True, help="Last year carried out: its actions and earlier ones apply.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The new scenario file (YAML, offices inline).")
@force_option
@overwrite_option
@lang_option
@reports_input_errors
def advance(scenario: Path, plan_file: Path, through: int, output: Path, force: bool, overwrite: bool) -> None:
    """Roll a scenario on: apply the plan's actions up to --through, start the horizon the year after.

    Staff, floor area and rooms become what the plan made them; premises taken but not yet usable
    are carried as free housing options; recurring costs already committed are taken off the
    remaining budgets (see docs/outputs.md).
    """
    loaded = load_scenario(scenario)
    refuse_overwriting([output], [plan_file, *scenario_inputs(loaded)], overwrite)
    checked = read_checked_plan(plan_file, loaded=loaded, force=force)
    try:
        result = advance_scenario(loaded, checked.plan, through, source=scenario, output=output,
                                  plan_name=plan_file.as_posix(), verified=checked.verified)
    except AdvanceError as exc:
        raise click.ClickException(str(exc))
    for note in result.notes:
        err.print(f"[yellow]{tr('注意', 'note')}[/yellow] {user_text(note)}")
    horizon, offices = f"{through + 1}–{loaded.years[-1]}", len(loaded.offices)
    out.print(tr(f"已写入 {user_text(output)}：规划期 {horizon} 年，{offices} 个司法所，"
                 f"已落实 {result.applied} 项行动，结转 {result.carried} 处在建或待用房屋",
                 f"wrote {user_text(output)}: horizon {horizon}, {offices} offices, "
                 f"{result.applied} actions applied, {result.carried} premises carried"))
