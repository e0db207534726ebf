"""`plan export`: the plan as an Excel workbook or CSV files for the annual plan."""

from __future__ import annotations

from pathlib import Path

import click

from cli.common import err, out, reports_input_errors


@click.command(epilog="\b\nExamples:\n  plan export out/2022/plan.json --xlsx 2022年司法所建设计划.xlsx\n"
                      "  plan export out/2022/plan.json --csv out/2022/csv --lang en")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), help="Write an Excel workbook.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one UTF-8 CSV (with BOM) per sheet into this folder.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Header language.")
@click.option("--scenario", type=click.Path(dir_okay=False, path_type=Path),
              help="The scenario file (default: the one named in the plan), for Chinese names and requirements.")
@reports_input_errors
def export(plan_file: Path, xlsx: Path | None, csv_dir: Path | None, lang: str, scenario: Path | None) -> None:
    """Export a solved plan: 汇总, 任务清单, 时间进度表, 达标情况, 经费."""
    from planner.errors import ScenarioError
    from planner.loading import load_scenario
    from planner.plan import read_plan
    from planner.reports.tables import build_tables
    from planner.reports.xlsx import write_csv, write_xlsx

    if xlsx is None and csv_dir is None:
        raise click.UsageError("give --xlsx FILE and/or --csv DIR")
    try:
        plan = read_plan(plan_file)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise click.ClickException(f"{plan_file}: not a plan.json of this planner ({str(exc).splitlines()[0]})")
    source = scenario or Path(plan.scenario.file)
    loaded = None
    try:
        loaded = load_scenario(source)
    except ScenarioError:
        err.print(f"[yellow]note[/yellow] could not load {source}; exporting with ids instead of Chinese "
                  "names and without the requirement each task closes (give --scenario)")
    tables = build_tables(plan, loaded, lang)
    if xlsx is not None:
        write_xlsx(tables, xlsx)
        out.print(f"wrote {xlsx}")
    if csv_dir is not None:
        for path in write_csv(tables, csv_dir):
            out.print(f"wrote {path}")
