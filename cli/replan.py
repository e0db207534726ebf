"""`plan solve --keep PLAN / --no-keep`: the earlier plan a re-plan stays close to, and its churn
summary (docs/reference.md §7 level 4, §9 `churn`; planner/analysis/replan.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cli.common import (
    EXIT_VIOLATIONS,
    SHOWN_VIOLATIONS,
    err,
    not_both,
    out,
    print_table,
    print_violation,
    user_text,
)
from cli.render import churn_line, churn_rows, churn_table
from planner.analysis.compare import plan_churn
from planner.analysis.replan import from_plan_file, from_scenario
from planner.i18n import current_lang, tr
from planner.reports.tables import Names
from planner.rules.verify import PlanRefused

F = TypeVar("F", bound=Callable[..., Any])


def keep_options(fn: F) -> F:
    options = [
        click.option("--keep", "keep", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="PLAN",
                     help="An earlier plan.json to stay close to: below cost, minimise the actions changed against "
                          "its actions in this horizon (level 4). It is checked against its scenario first; its "
                          "offices must be this scenario's. Overrides the scenario's own `keep:` (plan advance).",
                     ),
        click.option("--no-keep", is_flag=True, help="Ignore the scenario's `keep:` (written by plan advance)."),
        click.option("--force", is_flag=True,
                     help="With --keep: use a plan solved from another version of its scenario, or one whose "
                          "offices differ from this scenario's (the churn section says verified: false)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def earlier_plan(keep: Path | None, no_keep: bool, force: bool, loaded: Any) -> Any:
    """The earlier plan to keep to (planner.analysis.replan.Earlier) or None; a plan that fails verification
    is each violation listed and exit 5."""
    if keep is not None and no_keep:
        raise not_both("--keep", "--no-keep")
    if keep is None:
        return None if no_keep else from_scenario(loaded)
    try:
        earlier = from_plan_file(keep, loaded, force=force)
    except PlanRefused as exc:
        for v in exc.violations[:SHOWN_VIOLATIONS]:
            print_violation(v)
        err.print(user_text(tr(f"--keep {keep} 未通过核验；未求解，也未写入任何文件（不保持原方案可去掉 --keep）",
                               f"--keep {keep} fails verification; nothing was solved or written "
                               "(drop --keep to plan afresh)")))
        sys.exit(EXIT_VIOLATIONS)
    for note in earlier.notes:
        err.print(f"[yellow]{tr('注意', 'note')}[/yellow] {user_text(note)}")
    return earlier


def print_churn(plan: Any, loaded: Any) -> None:
    """The churn line and a table of every action not kept, in the command's language."""
    churn = plan.churn
    if churn is None:
        return
    label = churn.earlier.plan + ("" if churn.earlier.verified else tr("，未核验", ", unverified"))
    out.print(user_text(churn_line(churn, label)))
    if churn.churn:
        print_table(churn_table(churn, Names(loaded, zh=current_lang() == "zh"),
                                tr("方案变动", "Changes against the earlier plan")))
    if churn.churn and churn.earlier.source == "scenario":  # causes need the earlier scenario
        out.print(user_text(tr(f"原因：加 --keep {churn.earlier.plan} 可对照原方案的情景列出引起变动的输入",
                               f"causes: give --keep {churn.earlier.plan} to name the inputs that changed "
                               "against the earlier plan's scenario")))


def print_compare_churn(base: Any, other: Any, b: str, o: str) -> None:
    """`plan compare`: how plan `o` changes plan `b`'s actions in its horizon, with the causes."""
    churn = plan_churn(base, other)
    out.print(user_text(f"{o}: " + churn_line(churn, b)))
    if churn.churn:
        names = Names(other.loaded, zh=current_lang() == "zh")
        print_table(churn_table(churn, names, tr(f"方案变动：{o} 对照 {b}", f"Changes: {o} against {b}")))


def churn_csv_rows(plans: list[Any]) -> list[list[Any]]:
    """`plan compare --csv`: a row per action not kept, section `churn`: the change as metric, the
    office, action and causes as label, the year, then the earlier side under the baseline's
    column and the present side under the other plan's."""
    rows: list[list[Any]] = []
    for k, other in enumerate(plans[1:], start=1):
        churn = plan_churn(plans[0], other)
        names = Names(other.loaded, zh=current_lang() == "zh")
        for item, (office, name, action, earlier, now, change, causes) in zip(
                [i for i in churn.actions if i.change != "kept"], churn_rows(churn, names)):
            cells = [""] * len(plans)
            cells[0], cells[k] = earlier, now
            side = item.now or item.earlier
            assert side is not None  # an item has at least one side
            year = side.year
            rows.append(["churn", item.change, f"{office} {name} {action}: {change} ({causes})", year, *cells])
    return rows
