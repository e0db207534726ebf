"""`plan`: solve, validate, classify, verify and schema for justice-office construction plans."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Literal

import click

from cli.common import (
    EXIT_INFEASIBLE,
    EXIT_INPUT,
    EXIT_NO_PLAN,
    EXIT_VIOLATIONS,
    err,
    force_option,
    out,
    overwrite_option,
    progress_line,
    refuse_overwriting,
    reports_input_errors,
    scenario_argument,
    scenario_inputs,
    solve_options,
    user_text,
)

EPILOG = """\b
Examples:
  plan validate scenarios/2022.yaml
  plan classify scenarios/2022.yaml --csv > tiers.csv
  plan solve scenarios/2022.yaml               # writes out/2022/plan.json
  plan solve scenarios/2022.yaml --soft-targets --time-limit 30
  plan solve scenarios/2022.yaml --explain     # plan.json with each office's path and marginal values
  plan verify scenarios/2022.yaml out/2022/plan.json
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="justice-office-planner")
def cli() -> None:
    """Plan the classified construction of grassroots justice offices (司法所分类建设).

    Reads a scenario file (YAML; offices inline or from a CSV/XLSX table), classifies every office
    as large/medium/small, and finds the plan of hires, premises and rooms that meets the
    attainment targets (达标率) within budgets and post quotas, optimally (OR-Tools CP-SAT).
    """


@cli.command(epilog="\b\nExample:\n  plan validate scenarios/2022.yaml")
@scenario_argument
@reports_input_errors
def validate(scenario: Path) -> None:
    """Check a scenario file and print warnings; solves nothing.

    Exit 0 when valid (warnings do not fail), 1 with file:line: field: message for each error.
    """
    from planner.diagnose import diagnose
    from planner.loading import load_scenario

    loaded = load_scenario(scenario)
    warnings = loaded.warnings + diagnose(loaded)
    for w in warnings:
        err.print(f"[yellow]warning[/yellow] {_esc(str(w))}")
    out.print(f"{_esc(scenario)}: valid — {len(loaded.offices)} offices in {len(loaded.counties)} counties, "
              f"standard {_esc(loaded.standard_ref)}, horizon {loaded.years[0]}–{loaded.years[-1]}, "
              f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")


@cli.command(epilog="\b\nExamples:\n  plan classify scenarios/2022.yaml\n  plan classify scenarios/2022.yaml --json")
@scenario_argument
@click.option("--json", "as_json", is_flag=True, help="Print {\"offices\": [{id, tier, reason, ...}]}.")
@click.option("--csv", "as_csv", is_flag=True, help="Print a CSV table (UTF-8).")
@reports_input_errors
def classify(scenario: Path, as_json: bool, as_csv: bool) -> None:
    """Each office's tier (大型/中型/小型) and the reason, per docs/reference.md §3."""
    from planner.classify import classify_all
    from planner.loading import load_scenario

    loaded = load_scenario(scenario)
    for warning in loaded.warnings:  # e.g. an empty population cell: the tier below may rest on it
        err.print(f"[yellow]warning[/yellow] {_esc(str(warning))}")
    classes = classify_all(loaded.offices, loaded.standard)
    rows = [{"id": o.id, "name": o.name, "county": o.county, "kind": o.kind, "tier": classes[o.id].tier,
             "reason": classes[o.id].reason, "reason_zh": classes[o.id].reason_zh,
             "population": o.population, "area_km2": o.area_km2, "gdp_rank": o.gdp_rank, "demand": o.demand,
             "overridden": classes[o.id].overridden} for o in loaded.offices]
    if as_json:
        click.echo(json.dumps({"offices": rows}, ensure_ascii=False, indent=2))
    elif as_csv:
        from planner.reports.cells import write_csv

        header = list(rows[0]) if rows else ["id"]
        write_csv(sys.stdout, header, ([r[k] for k in header] for r in rows))
    else:
        from collections import Counter

        from cli.common import print_table
        from cli.render import classification_table

        print_table(classification_table(loaded.offices, classes))
        mix = Counter(c.tier for c in classes.values())
        out.print(f"{len(rows)} offices: large {mix['large']}, medium {mix['medium']}, small {mix['small']}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the scenario file (for editor autocompletion; see docs/editors.md)."""
    from planner.scenario import Scenario

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
              help="auto: HiGHS for components coupled across counties, e.g. one city fund; CP-SAT "
                   "for the rest. cpsat: CP-SAT for everything (docs/solver.md).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Solve the independent components on this Dask scheduler, e.g. tcp://10.0.0.5:8786.")
@overwrite_option
@reports_input_errors
def solve(scenario: Path, out_dir: Path | None, time_limit: float, workers: int, seed: int,
          soft_targets: bool, deterministic: bool, as_json: bool, quiet: bool, xlsx: Path | None,
          with_explanations: bool, engine: Literal["auto", "cpsat"], dask_address: str | None,
          overwrite: bool) -> None:
    """Solve a scenario optimally and write plan.json (checked by `plan verify` first).

    Exit 0 with a plan (status optimal or feasible), 1 invalid input, 3 infeasible hard targets
    (the targets in conflict are named), 4 no plan within the time limit, 5 the plan failed
    verification (a bug: please report it).
    """
    from planner.loading import load_scenario
    from planner.plan import reread
    from planner.requirements import derive
    from planner.result import make_plan
    from planner.solve import SolveControl, SolveParams, SolveStatus, solve as run_solve
    from planner.verify import verify_plan

    loaded = load_scenario(scenario)
    target = (out_dir or Path("out") / scenario.stem) / "plan.json"
    refuse_overwriting([target, xlsx], scenario_inputs(loaded), overwrite)
    _check_writable(target.parent)
    req = derive(loaded, soft_targets=True if soft_targets else None)
    from planner.limits import check_model_size
    from planner.solve import components

    check_model_size(req, max(len(c) for c in components(req)), str(scenario))
    control = SolveControl()
    ticker = _Ticker(enabled=not quiet and not as_json and sys.stderr.isatty())
    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic,
                         progress=ticker.update, control=control, engine=engine, dask_address=dask_address)
    from planner.i18n import tr
    from planner.remote import RemoteError

    try:
        with _stop_on_signals(control), ticker:
            outcome = _in_thread(lambda: run_solve(req, params))
    except RemoteError as exc:
        err.print(f"[red]{tr('错误', 'error')}[/red] {_esc(str(exc))}")
        sys.exit(EXIT_INPUT)
    if outcome.status == SolveStatus.INFEASIBLE:
        _report_infeasible(outcome.conflict, loaded, req)
        sys.exit(EXIT_INFEASIBLE)
    if outcome.status == SolveStatus.NO_PLAN:
        err.print(f"no plan found within {time_limit:g} s; try a longer --time-limit")
        sys.exit(EXIT_NO_PLAN)
    plan = reread(make_plan(loaded, req, outcome))  # verified as it will be read back
    violations = verify_plan(loaded, plan)
    if violations:
        for v in violations:
            err.print(f"[red]violation[/red] {_esc(str(v))}")
        err.print("the solver's plan failed verification; nothing was written (please report this)")
        sys.exit(EXIT_VIOLATIONS)
    from planner.plan import write_atomic

    if with_explanations:
        from planner.explain import explain_plan

        if not quiet and not as_json:
            err.print("explaining the plan (each office, marginal values of budgets and quotas) …")
        show = progress_line(enabled=not quiet and not as_json)
        section = explain_plan(loaded, req, plan, replace(params, progress=None, control=None), progress=show)
        show("")
        plan = plan.model_copy(update={"explanations": section})
    text = plan.to_json()
    write_atomic(target, text)
    if xlsx is not None:
        from planner.reports.tables import build_tables
        from planner.reports.xlsx import write_xlsx

        write_xlsx(build_tables(plan, loaded), xlsx)
    if control.stopped and not quiet:
        err.print("interrupted: the best plan found so far was written, status feasible")
    if as_json:
        click.echo(text, nl=False)
    elif not quiet:
        from cli.render import plan_summary

        for part in plan_summary(plan):
            out.print(part)
        out.print(f"plan written to {_esc(target)} (verified)")


@cli.command(epilog="\b\nExample:\n  plan verify scenarios/2022.yaml out/2022/plan.json")
@scenario_argument
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@force_option
@reports_input_errors
def verify(scenario: Path, plan_file: Path, force: bool) -> None:
    """Re-check a plan (also a hand-edited one) against the scenario from scratch (docs/reference.md §4–§6).

    Exit 0 when every rule and every stated figure holds, 5 with each violation listed (also when
    the plan was solved from another version of the scenario, unless --force).
    """
    from planner.loading import load_scenario
    from planner.verify import PlanRefused, check_plan_file

    loaded = load_scenario(scenario)
    try:
        checked = check_plan_file(plan_file, force=force, loaded=loaded)
    except PlanRefused as exc:
        for v in exc.violations:
            out.print(f"[red]violation[/red] {_esc(str(v))}")
        n = len(exc.violations)
        out.print(f"{n} violation{'s' if n != 1 else ''}")
        sys.exit(EXIT_VIOLATIONS)
    for note in checked.notes:
        err.print(f"[yellow]note[/yellow] {_esc(note)}")
    out.print(f"{_esc(str(plan_file))}: verified — {len(checked.plan.actions)} actions, "
              "every rule and stated figure holds")


_esc = user_text


def _check_writable(folder: Path) -> None:
    """Refuse an unwritable output folder before any solving starts."""
    from planner.errors import ScenarioError, ScenarioIssue

    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK):
        raise ScenarioError([ScenarioIssue(str(folder), None, "-o", "output folder cannot be written "
                                           f"({probe} is not a writable folder)")])


def _report_infeasible(conflict: tuple, loaded, req) -> None:  # type: ignore[no-untyped-def,type-arg]
    err.print("[red]infeasible[/red]: the hard targets cannot all be met within the budgets and quotas.")
    if conflict:
        err.print("These targets conflict (together they cannot be met; drop any one and the rest can):")
        for c in conflict:
            err.print(f"  {c.year} {c.tier} offices of {_esc(c.scope)}: {c.required} of {len(c.office_ids)} "
                      f"must attain (target {c.rate:.0%})")
        index = req.office_index()
        offices = {index[i] for c in conflict for i in c.office_ids}
        members = req.scope_members()
        last = max(c.year for c in conflict)
        limits = [f"budget {b.scope} {b.year}" for b in loaded.budgets  # those paying for a conflicting office
                  if b.year <= last and not offices.isdisjoint(members.get(b.scope, ()))]
        if limits:
            err.print("Limits they compete for: " + _esc(", ".join(limits))
                      + (", post quotas" if loaded.quotas else ""))
    err.print("Run with --soft-targets to see the best achievable plan, or `plan explain` for the restoring figures.")


def _in_thread(work):  # type: ignore[no-untyped-def]
    """Run `work` in a thread while the main thread waits in Python, so that SIGINT/SIGTERM
    handlers run at once (they never run while the main thread is inside CP-SAT's C++ code)."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # re-raised in the main thread
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.1)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]


class _Ticker:
    """A live progress line on stderr (terminals only) once a solve takes over a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.stage, self.best, self.bound = "building model", None, None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def update(self, p) -> None:  # type: ignore[no-untyped-def]
        self.stage, self.best, self.bound = p.stage, p.best, p.bound

    def __enter__(self) -> "_Ticker":
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self.enabled and self._thread.is_alive():
            self._thread.join()
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def _run(self) -> None:
        while not self._done.wait(0.25):
            elapsed = time.monotonic() - self.started
            if elapsed < 1.0:
                continue
            gap = ""
            if self.best is not None and self.bound is not None:
                g = abs(self.best - self.bound) / max(1.0, abs(self.best))
                gap = f" gap {g:.2%}"
            best = f" best {self.best:g} bound {self.bound:g}" if self.best is not None else ""
            sys.stderr.write(f"\r\033[Ksolving: {self.stage}{best}{gap} · {elapsed:.1f} s (Ctrl-C keeps the best plan)")
            sys.stderr.flush()


class _stop_on_signals:
    """SIGINT/SIGTERM stop the search; the best plan found so far is still written."""

    def __init__(self, control) -> None:  # type: ignore[no-untyped-def]
        self.control = control
        self.previous: dict[int, object] = {}

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self.control.stop()

    def __enter__(self) -> "_stop_on_signals":
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]


# Commands defined in their own modules register here, one line each.
# (keep this block just above main())
from cli.compare import compare, sweep  # noqa: E402
from cli.explain import explain  # noqa: E402
from cli.export import advance, export, report  # noqa: E402
from cli.generate import generate  # noqa: E402

cli.add_command(generate)
cli.add_command(export)
cli.add_command(report)
cli.add_command(advance)
cli.add_command(explain)
cli.add_command(compare)
cli.add_command(sweep)


def main() -> None:
    cli(prog_name="plan")


if __name__ == "__main__":
    main()
