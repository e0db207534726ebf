"""`plan`: solve, validate, classify, verify and schema for justice-office construction plans."""

from __future__ import annotations

import importlib.metadata
import json
import os
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Literal

import click

from cli import click_zh
from cli.common import (
    EXIT_INFEASIBLE,
    EXIT_INPUT,
    EXIT_NO_PLAN,
    EXIT_VIOLATIONS,
    err,
    force_option,
    lang_option,
    no_plan_within,
    out,
    overwrite_option,
    print_conflict,
    print_table,
    print_violation,
    print_warning,
    progress_line,
    refuse_overwriting,
    reports_input_errors,
    scenario_argument,
    scenario_inputs,
    solve_options,
    user_text,
)
from cli.render import classification_table, plan_summary
from cli.replan import earlier_plan, keep_options, print_churn
from cli.running import Ticker, exit_now, in_thread, stop_on_signals
from planner.analysis.diagnose import diagnose
from planner.analysis.explain import explain_plan
from planner.analysis.replan import Earlier
from planner.errors import ScenarioError, ScenarioIssue
from planner.i18n import tr
from planner.io.loading import LoadedScenario, load_scenario
from planner.io.scenario import Scenario
from planner.pipeline import PlanRun, plan_scenario
from planner.plan import PlanResult, write_atomic
from planner.reports.tables import build_tables
from planner.rules.classify import classify_all
from planner.rules.targets import scope_zh
from planner.rules.verify import PlanRefused, check_plan_file
from planner.solver.params import SolveControl, SolveParams
from planner.solver.remote import RemoteError
from planner.solver.status import SolveStatus

click_zh.install()  # Click's own usage errors follow --lang (Chinese by default)

EPILOG = """\b
Examples:
  plan validate scenarios/2022.yaml
  plan classify scenarios/2022.yaml --csv > tiers.csv
  plan solve scenarios/2022.yaml               # writes out/2022/plan.json
  plan solve scenarios/2022.yaml --soft-targets --time-limit 30
  plan solve scenarios/2022.yaml --explain     # with paths and marginal values
  # a cut budget, staying close to the plan already made:
  plan solve my/2022-cut.yaml --keep out/2022/plan.json
  plan verify scenarios/2022.yaml out/2022/plan.json
"""


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`plan --version` in the user's language (Click's own says "version" in English)."""
    if not value or ctx.resilient_parsing:
        return
    version = importlib.metadata.version("justice-office-planner")
    click.echo(tr(f"plan 版本 {version}", f"plan, version {version}"))
    ctx.exit()


@click.group(cls=click_zh.PlanGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and exit.")
@lang_option
def cli() -> None:
    """Plan the classified construction of grassroots justice offices (司法所分类建设).

    Reads a scenario file (YAML; offices inline or from a CSV/XLSX table), classifies every office
    as large/medium/small, and finds the plan of hires, premises and rooms that meets the
    attainment targets (达标率) within budgets and post quotas, optimally (OR-Tools CP-SAT).
    """


@cli.command(epilog="\b\nExample:\n  plan validate scenarios/2022.yaml")
@scenario_argument
@lang_option
@reports_input_errors
def validate(scenario: Path) -> None:
    """Check a scenario file and print warnings; solves nothing.

    Exit 0 when valid (warnings do not fail), 1 with file:line: field: message for each error.
    """

    loaded = load_scenario(scenario)
    warnings = loaded.warnings + diagnose(loaded)
    for w in warnings:
        print_warning(w)
    n = len(warnings)
    out.print(_esc(tr(f"{scenario}：有效 — {len(loaded.counties)} 个县区 {len(loaded.offices)} 个司法所，"
                      f"标准 {loaded.standard_ref}，规划期 {loaded.years[0]}–{loaded.years[-1]}，{n} 个警告",
                      f"{scenario}: valid — {len(loaded.offices)} offices in {len(loaded.counties)} counties, "
                      f"standard {loaded.standard_ref}, horizon {loaded.years[0]}–{loaded.years[-1]}, "
                      f"{n} warning{'s' if n != 1 else ''}")))


@cli.command(epilog="\b\nExamples:\n  plan classify scenarios/2022.yaml\n  plan classify scenarios/2022.yaml --json")
@scenario_argument
@click.option("--json", "as_json", is_flag=True, help="Print {\"offices\": [{id, tier, reason, ...}]}.")
@click.option("--csv", "as_csv", is_flag=True, help="Print a CSV table (UTF-8).")
@lang_option
@reports_input_errors
def classify(scenario: Path, as_json: bool, as_csv: bool) -> None:
    """Each office's tier (大型/中型/小型) and the reason, per docs/reference.md §3."""

    loaded = load_scenario(scenario)
    for warning in loaded.warnings:  # e.g. an empty population cell: the tier below may rest on it
        print_warning(warning)
    classes = classify_all(loaded.offices, loaded.standard)
    rows = [{"id": o.id, "name": o.name, "county": o.county, "kind": o.kind, "tier": classes[o.id].tier,
             "reason": classes[o.id].reason, "reason_zh": classes[o.id].reason_zh,
             "population": o.population, "area_km2": o.area_km2, "gdp_rank": o.gdp_rank, "demand": o.demand,
             "overridden": classes[o.id].overridden} for o in loaded.offices]
    if as_json:
        click.echo(json.dumps({"offices": rows}, ensure_ascii=False, indent=2))
    elif as_csv:
        from planner.reports.cells import write_csv  # lazy: start-up (openpyxl, see _write_xlsx)

        header = list(rows[0]) if rows else ["id"]
        write_csv(sys.stdout, header, ([r[k] for k in header] for r in rows))
    else:
        print_table(classification_table(loaded.offices, classes))
        mix = Counter(c.tier for c in classes.values())
        out.print(tr(f"{len(rows)} 个司法所：大型 {mix['large']}，中型 {mix['medium']}，小型 {mix['small']}",
                     f"{len(rows)} offices: large {mix['large']}, medium {mix['medium']}, small {mix['small']}"))


@cli.command()
@lang_option
def schema() -> None:
    """Print the JSON Schema of the scenario file (for editor autocompletion; see docs/editors.md)."""
    data = Scenario.model_json_schema()
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["title"] = "司法所分类建设 planner scenario"
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command(epilog=EPILOG)
@scenario_argument
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for plan.json [default: out/<scenario stem>/].")
@solve_options
@click.option("--json", "as_json", is_flag=True, help="Print the result JSON on stdout instead of the summary.")
@click.option("--quiet", "-q", is_flag=True, help="No summary and no progress; exit code and plan.json only.")
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the plan as an Excel workbook (as `plan export --xlsx`).")
@click.option("--explain", "with_explanations", is_flag=True,
              help="Add the explanations of `plan explain` (each office's path, marginal values) to plan.json.")
@click.option("--engine", type=click.Choice(["auto", "cpsat"]), default="auto", show_default=True,
              help="auto: HiGHS for a shared fund (a component spanning counties, e.g. one city fund) "
                   "of more than 400 offices; CP-SAT for the rest. cpsat: CP-SAT for everything "
                   "(docs/solver.md).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Solve the independent components on this Dask scheduler, e.g. tcp://10.0.0.5:8786.")
@keep_options
@overwrite_option
@lang_option
@reports_input_errors
def solve(scenario: Path, out_dir: Path | None, time_limit: float, workers: int, seed: int,
          soft_targets: bool, deterministic: bool, as_json: bool, quiet: bool, xlsx: Path | None,
          with_explanations: bool, engine: Literal["auto", "cpsat"], dask_address: str | None,
          keep: Path | None, no_keep: bool, force: bool, overwrite: bool) -> None:
    """Solve a scenario optimally and write plan.json (checked by `plan verify` first).

    With --keep PLAN, or a scenario written by `plan advance` (its `keep:`), the plan stays as
    close to the earlier plan's actions as the optimum allows (level 4, below cost) and reports
    each action kept, moved, changed, dropped or new.

    Exit 0 with a plan (status optimal or feasible), 1 invalid input, 3 infeasible hard targets
    (the targets in conflict are named), 4 no plan within the time limit, 5 the plan failed
    verification (a bug: please report it), or the --keep plan did.
    """
    control = SolveControl()  # signals from here on stop the search and keep the best plan
    with stop_on_signals(control):
        loaded = load_scenario(scenario)
        target = (out_dir or Path("out") / scenario.stem) / "plan.json"
        refuse_overwriting([target, xlsx], [*scenario_inputs(loaded), keep], overwrite)
        _check_writable(target.parent)
        earlier = earlier_plan(keep, no_keep, force, loaded)
        ticker = Ticker(enabled=not quiet and not as_json and sys.stderr.isatty())
        params = SolveParams(time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic,
                             progress=ticker.update, control=control, engine=engine, dask_address=dask_address)
        run, plan = _solved_plan(loaded, earlier, params, soft_targets, str(scenario), ticker)
        talk = not quiet and not as_json
        section = None
        if with_explanations and not control.stopped:
            section = _explanations(run, plan, params, talk)
            if section is not None:
                plan = plan.model_copy(update={"explanations": section})
        text = plan.to_json()
        write_atomic(target, text)
        if xlsx is not None:
            _write_xlsx(plan, loaded, xlsx)
        if control.stopped and not quiet:
            skipped = tr("，未附解释", ", without explanations") if with_explanations and section is None else ""
            err.print(tr("已中断：已写入目前找到的最好方案（已核验）",
                         "interrupted: the best plan found so far was written (verified)") + skipped)
        if as_json:
            click.echo(text, nl=False)
        elif not quiet:
            _print_solved(plan, loaded, target, stopped=control.stopped)
        if control.stopped:  # promptly: the interpreter's clean-up of pools and threads takes seconds
            exit_now(0)  # an abandoned explaining thread's solver processes are ended too


def _solved_plan(loaded: LoadedScenario, earlier: Earlier | None, params: SolveParams, soft_targets: bool,
                 file: str, ticker: Ticker) -> tuple[PlanRun, PlanResult]:
    """The chain (planner/pipeline.py) in a thread that signals can interrupt; exits with the
    conflict (3), no plan (4) or the violations (5) when there is no verified plan."""
    try:
        with ticker:
            run = in_thread(lambda: plan_scenario(loaded, params, soft_targets=True if soft_targets else None,
                                                  earlier=earlier, check_size=file))
    except RemoteError as exc:
        err.print(f"[red]{tr('错误', 'error')}[/red] {_esc(str(exc))}")
        sys.exit(EXIT_INPUT)
    if run.status == SolveStatus.INFEASIBLE:
        _report_infeasible(run)
        sys.exit(EXIT_INFEASIBLE)
    if run.plan is None:
        err.print(no_plan_within(params.time_limit))
        sys.exit(EXIT_NO_PLAN)
    if run.violations:
        for v in run.violations:
            print_violation(v)
        err.print(tr("求解器的方案未通过核验，未写入任何文件（请报告此问题）",
                     "the solver's plan failed verification; nothing was written (please report this)"))
        sys.exit(EXIT_VIOLATIONS)
    return run, run.plan


def _explanations(run: PlanRun, plan: PlanResult, params: SolveParams, talk: bool) -> object:
    """`--explain`: the explanations section, or None when a signal stopped it."""
    if talk:
        err.print(tr("正在解释方案（各司法所路径、预算与名额的边际价值）…",
                     "explaining the plan (each office, marginal values of budgets and quotas) …"))
    show = progress_line(enabled=talk)
    quiet = replace(params, progress=None, control=None)
    section = in_thread(lambda: explain_plan(run.loaded, run.requirements, plan, quiet, progress=show), params.control)
    show("")
    return section


def _print_solved(plan: PlanResult, loaded: LoadedScenario, target: Path, stopped: bool) -> None:
    names = {r: loaded.standard.role_zh(r) for r in loaded.standard.roles}
    for part in [] if stopped else plan_summary(plan, names):  # interrupted: out at once
        out.print(part)
    if not stopped:
        print_churn(plan, loaded)
    out.print(_esc(tr(f"方案已写入 {target}（已核验）", f"plan written to {target} (verified)")))


@cli.command(epilog="\b\nExample:\n  plan verify scenarios/2022.yaml out/2022/plan.json")
@scenario_argument
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@force_option
@lang_option
@reports_input_errors
def verify(scenario: Path, plan_file: Path, force: bool) -> None:
    """Re-check a plan (also a hand-edited one) against the scenario from scratch (docs/reference.md §4–§6).

    Exit 0 when every rule and every stated figure holds, 5 with each violation listed (also when
    the plan was solved from another version of the scenario, unless --force).
    """
    loaded = load_scenario(scenario)
    try:
        checked = check_plan_file(plan_file, force=force, loaded=loaded)
    except PlanRefused as exc:
        for v in exc.violations:
            print_violation(v, out)
        n = len(exc.violations)
        out.print(tr(f"共 {n} 处违规", f"{n} violation{'s' if n != 1 else ''}"))
        sys.exit(EXIT_VIOLATIONS)
    for note in checked.notes:
        err.print(f"[yellow]{tr('注意', 'note')}[/yellow] {_esc(note)}")
    out.print(_esc(tr(f"{plan_file}：核验通过 — {len(checked.plan.actions)} 项行动，所有规则与所列数字均成立",
                      f"{plan_file}: verified — {len(checked.plan.actions)} actions, "
                      "every rule and stated figure holds")))


_esc = user_text


def _write_xlsx(plan: PlanResult, loaded: LoadedScenario, target: Path) -> None:
    """`--xlsx`. openpyxl (180 modules) is imported here, not at start-up: imported with the module,
    `python -c "import cli.main"` took 0.9–1.8 s longer (7 runs each on the shared 2-core machine)."""
    from planner.reports.xlsx import write_xlsx  # lazy: start-up (openpyxl)

    write_xlsx(build_tables(plan, loaded), target)


def _check_writable(folder: Path) -> None:
    """Refuse an unwritable output folder before any solving starts."""
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK):
        raise ScenarioError([ScenarioIssue(str(folder), None, "-o", tr(
            f"输出文件夹无法写入（{probe} 不是可写的文件夹）",
            f"output folder cannot be written ({probe} is not a writable folder)"))])


def _report_infeasible(run: PlanRun) -> None:
    """The targets in conflict, as `plan explain` words them (planner/analysis/explain.py), and the limits
    they compete for (planner/pipeline.py)."""
    err.print(f"[red]{tr('不可行', 'infeasible')}[/red]" + tr(
        "：硬性目标在现有预算与名额下无法全部实现。",
        ": the hard targets cannot all be met within the budgets and quotas."))
    if run.outcome.conflict:
        print_conflict(run.outcome.conflict)
        limits = run.competing_budgets()
        if limits:
            quotas = bool(run.loaded.quotas)
            names = tr("、".join(f"{scope_zh(b.scope)} {b.year} 年预算" for b in limits)
                       + ("、岗位名额" if quotas else ""),
                       ", ".join(f"budget {b.scope} {b.year}" for b in limits) + (", post quotas" if quotas else ""))
            err.print(_esc(tr("它们争用的限额：", "Limits they compete for: ") + names))
    err.print(tr("加 --soft-targets 可查看能达到的最好方案；`plan explain` 给出使目标可行的预算或名额数字。",
                 "Run with --soft-targets to see the best achievable plan, "
                 "or `plan explain` for the restoring figures."))


# Commands defined in their own modules register here, one line each.
# (keep this block just above main())
from cli.compare import compare  # noqa: E402
from cli.document import convert, document, template  # noqa: E402
from cli.explain import explain  # noqa: E402
from cli.export import advance, export, report  # noqa: E402
from cli.generate import generate  # noqa: E402
from cli.serve import serve  # noqa: E402
from cli.sweep import sweep  # noqa: E402

cli.add_command(generate)
cli.add_command(export)
cli.add_command(report)
cli.add_command(advance)
cli.add_command(explain)
cli.add_command(compare)
cli.add_command(sweep)
cli.add_command(document)
cli.add_command(template)
cli.add_command(convert)
cli.add_command(serve)


def main() -> None:
    cli(prog_name="plan")


if __name__ == "__main__":
    main()
