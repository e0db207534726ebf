"""What every `plan` command shares: error reporting, exit codes, solve options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from planner.errors import ScenarioError
from planner.i18n import LANGS, current_lang, set_lang, tr

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INFEASIBLE, EXIT_NO_PLAN, EXIT_VIOLATIONS = 0, 1, 2, 3, 4, 5

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def reports_input_errors(fn: F) -> F:
    """Invalid input → each issue on stderr (file:line: field: message) and exit 1, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ScenarioError as exc:
            for issue in exc.issues:
                err.print(f"[red]{tr('错误', 'error')}[/red] {_escape(str(issue))}")
            n = len(exc.issues)
            err.print(tr(f"共 {n} 个错误；未求解，也未写入任何文件。",
                         f"{n} error{'s' if n != 1 else ''}; nothing was solved or written."))
            sys.exit(EXIT_INPUT)

    return wrapper  # type: ignore[return-value]


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def no_plan_within(seconds: float | None) -> str:
    return tr(f"{seconds:g} 秒内未找到方案；请加大 --time-limit",
              f"no plan found within {seconds:g} s; try a longer --time-limit")


def print_conflict(conflict: Any) -> None:
    """Hard targets that cannot all be met, as `plan explain` words them (planner/explain.py)."""
    from rich.markup import escape

    from planner.explain import conflict_heading, target_need

    err.print(escape(tr(*conflict_heading(len(conflict))) + tr("：", ":")))
    for c in conflict:
        err.print("  " + escape(tr(*target_need(c))))


def lang_option(fn: F) -> F:
    """`--lang zh|en`, shared by every command: the language of every message the command prints.

    Without it the language comes from PLAN_LANG, else the locale (planner/i18n.py). Handled first
    (eager), so that even errors in the other options are in that language. A command that takes a
    `lang` parameter receives the chosen language ("zh" or "en"), never None.
    """
    import inspect

    def choose(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
        set_lang(value)  # also None: one command's choice never leaks into the next (tests, REPLs)
        return current_lang()

    takes_lang = "lang" in inspect.signature(fn).parameters
    return click.option("--lang", type=click.Choice(LANGS), default=None, is_eager=True,
                        expose_value=takes_lang, callback=choose,
                        help="Language of messages: zh or en [default: PLAN_LANG, else the locale, else zh].",
                        )(fn)


def solve_options(fn: F) -> F:
    """The options every solving command shares."""
    from planner.solve import DEFAULT_WORKERS

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
    return click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))(fn)


def print_table(table: Any) -> None:
    """A table on stdout; piped to a file or a log it is laid out 160 columns wide, not cut to 80."""
    if out.is_terminal:
        out.print(table)
    else:
        Console(file=sys.stdout, highlight=False, soft_wrap=True, width=max(out.width, 160)).print(table)


def progress_line(enabled: bool = True) -> Callable[[str], None]:
    """A one-line status on stderr, redrawn in place (terminals only); "" clears it."""

    def show(text: str) -> None:
        if enabled and sys.stderr.isatty():
            sys.stderr.write(f"\r\033[K{text}")
            sys.stderr.flush()

    return show
