"""What every `plan` command shares: error reporting, exit codes, solve options."""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from planner.analysis.explain import conflict_heading, target_need
from planner.errors import ScenarioError
from planner.i18n import LANGS, current_lang, set_lang, tr
from planner.io.loading import ALLOW_OUTSIDE_ENV
from planner.io.standards import is_builtin, standard_path
from planner.rules.verify import PlanRefused, check_plan_file
from planner.solver.params import DEFAULT_WORKERS

EXIT_INPUT, EXIT_INFEASIBLE, EXIT_NO_PLAN, EXIT_VIOLATIONS = 1, 3, 4, 5  # 2: usage, click's own

# emoji=False: a name containing `:x:` is printed as typed, not as an emoji.
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

F = TypeVar("F", bound=Callable[..., Any])


def reports_input_errors(fn: F) -> F:
    """Invalid input → each issue on stderr (file:line: field: message) and exit 1, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ScenarioError as exc:
            for issue in exc.issues:
                err.print(f"[red]{tr('错误', 'error')}[/red] {user_text(issue)}")
            n = len(exc.issues)
            err.print(tr(f"共 {n} 个错误；未求解，也未写入任何文件。",
                         f"{n} error{'s' if n != 1 else ''}; nothing was solved or written."))
            sys.exit(EXIT_INPUT)

    return wrapper  # type: ignore[return-value]


# C0/C1 control characters and the bidirectional overrides that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def user_text(value: object) -> str:
    """User data (names, ids, file names, messages quoting them) made safe to print with rich:
    control characters shown as `\\x1b` (no escape sequence reaches the terminal), rich markup
    such as `[red]` or `[/]` shown literally. Every command prints user text through this."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", str(value))
    return escape(text)


def no_plan_within(seconds: float | None) -> str:
    return tr(f"{seconds:g} 秒内未找到方案；请加大 --time-limit",
              f"no plan found within {seconds:g} s; try a longer --time-limit")


def not_both(a: str, b: str) -> click.UsageError:
    """The usage error for two options that exclude each other, e.g. `--json` and `--csv`."""
    return click.UsageError(tr(f"{a} 与 {b} 不能同时使用", f"{a} and {b} cannot be combined"))


def print_violation(violation: object, console: Console | None = None) -> None:
    """One verification failure after the red 违规/violation label, on stderr unless `console` says."""
    (console or err).print(f"[red]{tr('违规', 'violation')}[/red] {user_text(violation)}")


def print_warning(warning: object) -> None:
    """One warning on stderr, after the yellow 警告/warning label."""
    err.print(f"[yellow]{tr('警告', 'warning')}[/yellow] {user_text(warning)}")


def print_conflict(conflict: Any) -> None:
    """Hard targets that cannot all be met, as `plan explain` words them (planner/analysis/explain.py)."""
    err.print(escape(tr(*conflict_heading(len(conflict))) + tr("：", ":")))
    for c in conflict:
        err.print("  " + escape(tr(*target_need(c))))


def lang_option(fn: F) -> F:
    """`--lang zh|en`, shared by every command and by `plan` itself: the language of every message
    the command prints.

    Without it the language comes from PLAN_LANG, else the locale (planner/i18n.py). Handled first
    (eager), so that even errors in the other options are in that language. A command that takes a
    `lang` parameter receives the chosen language ("zh" or "en"), never None.
    """
    def choose(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
        # `plan --lang en solve …` holds for the command too (the contexts share `meta`); None
        # also resets, so one command's choice never leaks into the next (tests, REPLs)
        chosen = value if value is not None else ctx.meta.get("plan.lang")
        ctx.meta["plan.lang"] = chosen
        set_lang(chosen)
        return current_lang()

    takes_lang = "lang" in inspect.signature(fn).parameters
    return click.option("--lang", type=click.Choice(LANGS), default=None, is_eager=True,
                        expose_value=takes_lang, callback=choose,
                        help="Language of messages: zh or en [default: PLAN_LANG, else the locale, else zh].",
                        )(fn)


def solve_options(fn: F) -> F:
    """The options every solving command shares."""
    options = [
        click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
                     help="Seconds for the whole solve, model build included."),
        click.option("--workers", type=click.IntRange(min=1, max=64), default=DEFAULT_WORKERS, show_default=True,
                     help="CP-SAT search workers (8 measured best on 2 cores; see docs/solver.md)."),
        click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the search."),
        click.option("--soft-targets", is_flag=True,
                     help="Treat targets as soft: minimise the shortfall instead of failing."),
        click.option("--deterministic", is_flag=True,
                     help="Deterministic search even under a time limit (deterministic time)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def scenario_argument(fn: F) -> F:
    fn = allow_outside_option(fn)
    return click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))(fn)


def allow_outside_option(fn: F) -> F:
    """`--allow-outside`: read a standard or office table outside the scenario's folder tree.

    Sets PLAN_ALLOW_OUTSIDE for the command's duration (so pool workers that load the scenario
    again see it too) and restores it when the command ends."""
    def choose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if not value:
            return
        old = os.environ.get(ALLOW_OUTSIDE_ENV)
        os.environ[ALLOW_OUTSIDE_ENV] = "1"
        ctx.call_on_close(lambda: os.environ.pop(ALLOW_OUTSIDE_ENV) if old is None
                          else os.environ.__setitem__(ALLOW_OUTSIDE_ENV, old))

    return click.option("--allow-outside", is_flag=True, expose_value=False, callback=choose,
                        help="Read a standard or office table from outside the scenario's folder "
                             "(refused by default).")(fn)


def print_table(table: Any) -> None:
    """A table on stdout; piped to a file or a log it is laid out 160 columns wide, not cut to 80."""
    if out.is_terminal:
        out.print(table)
    else:
        Console(file=sys.stdout, highlight=False, soft_wrap=True, emoji=False,
                width=max(out.width, 160)).print(table)


def progress_line(enabled: bool = True) -> Callable[[str], None]:
    """A one-line status on stderr, redrawn in place (terminals only); "" clears it."""

    def show(text: str) -> None:
        if enabled and sys.stderr.isatty():
            sys.stderr.write(f"\r\033[K{text}")
            sys.stderr.flush()

    return show


def force_option(fn: F) -> F:
    return click.option("--force", is_flag=True, help=(
        "Use a plan solved from another version of the scenario, or whose scenario cannot be loaded; "
        "the output then says 未核验/unverified on every page. A plan that fails verification is "
        "refused even so."))(fn)


def overwrite_option(fn: F) -> F:
    return click.option("--overwrite", is_flag=True,
                        help="Allow an output file to replace one of the command's input files.")(fn)


SHOWN_VIOLATIONS = 20  # the rest are counted; `plan verify` lists them all


def read_checked_plan(plan_file: Path, scenario: Path | None = None, force: bool = False,
                      loaded: Any = None) -> Any:
    """`planner.rules.verify.check_plan_file` for a command: notes on stderr; a plan that fails is each
    violation listed and exit 5, nothing written."""
    try:
        checked = check_plan_file(plan_file, scenario, force=force, loaded=loaded)
    except PlanRefused as exc:
        for v in exc.violations[:SHOWN_VIOLATIONS]:
            print_violation(v)
        n = len(exc.violations)
        if n > SHOWN_VIOLATIONS:
            err.print(tr(f"……另有 {n - SHOWN_VIOLATIONS} 处", f"… and {n - SHOWN_VIOLATIONS} more"))
        err.print(user_text(tr(f"{plan_file} 未通过核验（{n} 处违规，可用 plan verify 查看）；未写出任何文件",
                               f"{plan_file} fails verification ({n} violation{'s' if n != 1 else ''}, "
                               "see `plan verify`); nothing was written")))
        sys.exit(EXIT_VIOLATIONS)
    for note in checked.notes:
        err.print(f"[yellow]{tr('注意', 'note')}[/yellow] {user_text(note)}")
    return checked


def refuse_overwriting(outputs: Sequence[Path | None], inputs: Sequence[Path | None], overwrite: bool) -> None:
    """An output that is one of the inputs (same file after resolving links and `..`) is refused
    unless --overwrite: `plan advance S P -o S` would replace the scenario it reads."""
    if overwrite:
        return
    given = {p.resolve(): p for p in inputs if p is not None}
    for path in outputs:
        if path is not None and path.resolve() in given:
            raise click.UsageError(tr(
                f"输出文件 {path} 就是输入文件 {given[path.resolve()]}，会覆盖输入；换一个输出路径，或加 --overwrite",
                f"the output {path} is the input {given[path.resolve()]} and would replace it; "
                "choose another output path, or give --overwrite"))


def scenario_inputs(loaded: Any) -> list[Path]:
    """The files a loaded scenario was read from: itself, its office table, its standard file."""
    folder = Path(loaded.file).parent
    files = [Path(loaded.file)]
    if isinstance(loaded.scenario.offices, str):
        files.append(folder / loaded.scenario.offices)
    if not is_builtin(loaded.standard_ref):
        files.append(standard_path(loaded.standard_ref, folder))
    return files
