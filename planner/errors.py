"""Errors that name the file, line and field a user must fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScenarioIssue:
    """One problem (or warning) in an input file, located as precisely as we can."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ScenarioError(Exception):
    """Invalid input: one or more issues, each with file, line and field."""

    def __init__(self, issues: list[ScenarioIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


# Fields whose values are lists: an integer after them is a position, anywhere else it is a year.
LIST_FIELDS = frozenset({"offices", "facilities", "housing_options", "generated", "any_of", "actions"})


def format_path(loc: tuple[object, ...]) -> str:
    """`("offices", 3, "staff", "x")` → `offices[3].staff.x`; `("budget", 2022)` → `budget.2022`."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int) and i > 0 and loc[i - 1] in LIST_FIELDS:
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


EXCERPT_CHARS = 60


def excerpt(value: object) -> str:
    """A value quoted for a message: its first line, at most 60 characters (`'root:x:0:0…'`).

    A file read by mistake (a standard that is /etc/passwd) must not be printed whole."""
    if not isinstance(value, str):
        return repr(value)[:EXCERPT_CHARS]
    first = value.split("\n", 1)[0]
    short = first[:EXCERPT_CHARS]
    return repr(short) + ("…" if short != value else "")
