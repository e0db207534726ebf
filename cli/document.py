"""`plan document` (the Word draft of the annual work plan), `plan template` and `plan convert`
(the Excel scenario template and YAML ↔ XLSX)."""

from __future__ import annotations

from pathlib import Path

import click

from cli.common import (
    allow_outside_option,
    lang_option,
    out,
    overwrite_option,
    refuse_overwriting,
    reports_input_errors,
    scenario_inputs,
    user_text,
)
from cli.export import _context, _inputs
from planner.analysis.advance import _standard_ref
from planner.errors import ScenarioError, ScenarioIssue
from planner.i18n import tr
from planner.io.loading import LoadedScenario, load_scenario
from planner.io.scenario import Scenario
from planner.plan import write_atomic


@click.command(epilog="\b\nExample:\n  plan document out/2022/plan.json -o 2022年司法所建设工作计划.docx "
                      "--unit 泰州市司法局")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .docx file to write.")
@click.option("--title", help="The document's title [default: the scenario's name].")
@click.option("--unit", help="The issuing unit printed under the title, e.g. 泰州市司法局.")
@click.option("--scenario", type=click.Path(dir_okay=False, path_type=Path),
              help="The scenario file (default: the one named in the plan); the plan is verified against it.")
@overwrite_option
@allow_outside_option
@lang_option
@reports_input_errors
def document(plan_file: Path, output: Path, title: str | None, unit: str | None, scenario: Path | None,
             overwrite: bool) -> None:
    """Write a draft 年度工作计划 (.docx, GB/T 9704 layout) from a plan verified against its scenario.

    Sections: 总体目标, 主要任务 per county, 经费保障, 时间安排 by quarter, 保障措施 (to fill in).
    Exit 5 when the plan does not verify against the scenario (there is no --force: a draft is
    only written from a verified plan).
    """
    from planner.reports.document import build_document  # lazy: start-up (python-docx and lxml)

    try:
        plan, ctx = _context(plan_file, scenario, force=False)
    except ScenarioError as exc:  # the scenario cannot be loaded: say how to give it (no --force here)
        raise ScenarioError([i for i in exc.issues if i.field != "scenario"] + [ScenarioIssue(
            str(plan_file), None, "scenario", tr("工作计划草案需要情景文件以核验方案：请用 --scenario 指定",
                                                 "the draft needs the scenario to verify the plan against: "
                                                 "give --scenario"))]) from None
    refuse_overwriting([output], _inputs(plan_file, scenario, ctx), overwrite)
    write_atomic(output, build_document(plan, ctx, title, unit))
    out.print(tr(f"已写入 {user_text(output)}", f"wrote {user_text(output)}"))


@click.command(epilog="\b\nExamples:\n  plan template -o 情景.xlsx\n"
                      "  plan template --from scenarios/2022.yaml -o 2022情景.xlsx")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .xlsx workbook to write.")
@click.option("--from", "source", type=click.Path(dir_okay=False, path_type=Path),
              help="Fill it from this scenario (YAML or XLSX) instead of the example rows.")
@overwrite_option
@allow_outside_option
@lang_option
@reports_input_errors
def template(output: Path, source: Path | None, overwrite: bool) -> None:
    """Write the Excel scenario template: 说明, 基本设置, 达标目标, 预算, 编制, 费用标准, 司法所, 用房方案.

    Fill it in Excel or WPS, then `plan validate|classify|solve` it directly.
    """
    from planner.io.workbook_write import example_scenario, write_workbook  # lazy: start-up (openpyxl)

    if source is None:
        scenario, standard = example_scenario()
    else:
        loaded = load_scenario(source)
        refuse_overwriting([output], scenario_inputs(loaded), overwrite)
        scenario, standard = _portable(loaded, source, output), loaded.standard
    write_workbook(scenario, standard, output)
    out.print(tr(f"已写入 {user_text(output)}", f"wrote {user_text(output)}"))


@click.command(epilog="\b\nExamples:\n  plan convert scenarios/2022.yaml 2022情景.xlsx\n"
                      "  plan convert 2022情景.xlsx 2022.yaml")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@overwrite_option
@allow_outside_option
@lang_option
@reports_input_errors
def convert(source: Path, target: Path, overwrite: bool) -> None:
    """Convert a scenario between YAML and XLSX (either way; the source is validated first)."""
    from planner.io.workbook_write import scenario_yaml, write_workbook  # lazy: start-up (openpyxl)

    if target.suffix.lower() not in (".xlsx", ".yaml", ".yml"):
        raise click.UsageError(tr("目标文件应为 .xlsx、.yaml 或 .yml", "the target must be .xlsx, .yaml or .yml"))
    loaded = load_scenario(source)
    refuse_overwriting([target], scenario_inputs(loaded), overwrite)
    scenario = _portable(loaded, source, target)
    if target.suffix.lower() == ".xlsx":
        write_workbook(scenario, loaded.standard, target)
    else:
        write_atomic(target, scenario_yaml(scenario, source))
    out.print(tr(f"已写入 {user_text(target)}", f"wrote {user_text(target)}"))


def _portable(loaded: LoadedScenario, source: Path, output: Path) -> Scenario:
    """The scenario with a standard path rewritten relative to the output's folder."""
    return loaded.scenario.model_copy(update={"standard": _standard_ref(loaded, source, output)})
