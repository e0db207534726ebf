"""`plan export`, `plan report`, `plan advance`: what a solved plan becomes for the annual plan.

The workbook/CSV (任务清单, 时间进度表, ...), the self-contained HTML report for leadership, and the
next year's scenario (rolling re-planning).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.common import err, lang_option, out, reports_input_errors

if TYPE_CHECKING:
    from planner.plan import PlanResult
    from planner.reports.tables import Context

PLAN_ARG = click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, exists=True, path_type=Path))
SCENARIO_OPT = click.option("--scenario", type=click.Path(dir_okay=False, path_type=Path),
                            help="The scenario file (default: the one named in the plan), "
                                 "for Chinese names and requirements.")


def _read_plan(path: Path) -> PlanResult:
    from planner.plan import read_plan

    try:
        return read_plan(path)
    except ValueError as exc:  # pydantic's ValidationError and JSON errors are ValueErrors
        raise click.ClickException(f"{path}: not a plan.json of this planner ({str(exc).splitlines()[0]})")


def _context(plan: PlanResult, scenario: Path | None) -> Context:
    from planner.reports.tables import load_context

    ctx = load_context(plan, scenario)
    for note in ctx.notes:
        err.print(f"[yellow]note[/yellow] {_esc(note)}")
    return ctx


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@click.command(epilog="\b\nExamples:\n  plan export out/2022/plan.json --xlsx 2022年司法所建设计划.xlsx\n"
                      "  plan export out/2022/plan.json --csv out/2022/csv --lang en")
@PLAN_ARG
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), help="Write an Excel workbook.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one UTF-8 CSV (with BOM) per sheet into this folder.")
@SCENARIO_OPT
@lang_option
@reports_input_errors
def export(plan_file: Path, xlsx: Path | None, csv_dir: Path | None, lang: str, scenario: Path | None) -> None:
    """Export a solved plan: 汇总, 任务清单, 时间进度表, 达标情况, 经费."""
    from planner.reports.tables import build_tables
    from planner.reports.xlsx import write_csv, write_xlsx

    if xlsx is None and csv_dir is None:
        raise click.UsageError("give --xlsx FILE and/or --csv DIR")
    plan = _read_plan(plan_file)
    tables = build_tables(plan, _context(plan, scenario), lang)
    if xlsx is not None:
        write_xlsx(tables, xlsx)
        out.print(f"wrote {xlsx}")
    if csv_dir is not None:
        for path in write_csv(tables, csv_dir):
            out.print(f"wrote {path}")


@click.command(epilog="\b\nExample:\n  plan report out/2022/plan.json -o 2022年司法所建设报告.html")
@PLAN_ARG
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write (one file, no network needed to view or print it).")
@SCENARIO_OPT
@lang_option
@reports_input_errors
def report(plan_file: Path, output: Path, lang: str, scenario: Path | None) -> None:
    """Write a self-contained HTML report: summary, charts, office table, explanations."""
    from planner.plan import write_atomic
    from planner.reports.html import render_report

    plan = _read_plan(plan_file)
    write_atomic(output, render_report(plan, _context(plan, scenario), lang))
    out.print(f"wrote {output}")


@click.command(epilog="\b\nExample:\n  plan advance scenarios/2022.yaml out/2022/plan.json --through 2022 "
                      "-o scenarios/2023.yaml")
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@PLAN_ARG
@click.option("--through", type=int, required=True, help="Last year carried out: its actions and earlier ones apply.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The new scenario file (YAML, offices inline).")
@lang_option
@reports_input_errors
def advance(scenario: Path, plan_file: Path, through: int, output: Path) -> None:
    """Roll a scenario on: apply the plan's actions up to --through, start the horizon the year after.

    Staff, floor area and rooms become what the plan made them; premises taken but not yet usable
    are carried as free housing options; recurring costs already committed are taken off the
    remaining budgets (see docs/outputs.md).
    """
    from planner.advance import AdvanceError, advance_scenario
    from planner.loading import load_scenario

    loaded = load_scenario(scenario)
    plan = _read_plan(plan_file)
    try:
        result = advance_scenario(loaded, plan, through, source=scenario, output=output,
                                  plan_name=plan_file.as_posix())
    except AdvanceError as exc:
        raise click.ClickException(str(exc))
    for note in result.notes:
        err.print(f"[yellow]note[/yellow] {_esc(note)}")
    out.print(f"wrote {output}: horizon {through + 1}–{loaded.years[-1]}, {len(loaded.offices)} offices, "
              f"{result.applied} actions applied, {result.carried} premises carried")
