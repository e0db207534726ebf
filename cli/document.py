"""`plan document` (the Word draft of the annual work plan), `plan template` and `plan convert`
(the Excel scenario template and YAML ↔ XLSX)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.common import EXIT_VIOLATIONS, err, out, reports_input_errors
from planner.i18n import tr


@click.command(epilog="\b\nExample:\n  plan document out/2022/plan.json -o 2022年司法所建设工作计划.docx "
                      "--unit 泰州市司法局")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .docx file to write.")
@click.option("--title", help="The document's title [default: the scenario's name].")
@click.option("--unit", help="The issuing unit printed under the title, e.g. 泰州市司法局.")
@click.option("--scenario", type=click.Path(dir_okay=False, path_type=Path),
              help="The scenario file (default: the one named in the plan); the plan is verified against it.")
@reports_input_errors
def document(plan_file: Path, output: Path, title: str | None, unit: str | None, scenario: Path | None) -> None:
    """Write a draft 年度工作计划 (.docx, GB/T 9704 layout) from a plan verified against its scenario.

    Sections: 总体目标, 主要任务 per county, 经费保障, 时间安排 by quarter, 保障措施 (to fill in).
    Exit 5 when the plan does not verify against the scenario.
    """
    from cli.export import _context, _read_plan
    from planner.document import build_document
    from planner.plan import write_atomic
    from planner.verify import verify_plan

    plan = _read_plan(plan_file)
    ctx = _context(plan, scenario)
    if ctx.loaded is None:
        raise click.ClickException(tr("工作计划草案需要情景文件以核验方案：请用 --scenario 指定",
                                      "the draft needs the scenario to verify the plan against: give --scenario"))
    violations = verify_plan(ctx.loaded, plan)
    if violations:
        for v in violations:
            err.print(f"[red]violation[/red] {_esc(str(v))}")
        err.print(tr(f"{plan_file} 未通过核验，未生成文档", f"{plan_file} does not verify; no document written"))
        sys.exit(EXIT_VIOLATIONS)
    write_atomic(output, build_document(plan, ctx, title, unit))
    out.print(tr(f"已写入 {output}", f"wrote {output}"))


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@click.command()
def template() -> None:
    """Write the Excel scenario template."""


@click.command()
def convert() -> None:
    """Convert a scenario between YAML and XLSX."""
