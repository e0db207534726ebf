"""The scenario's `keep:` in the Excel scenario (planner/io/workbook_scenario.py): the sheet 原方案行动.

`plan advance` writes `keep:` (the earlier plan's actions a re-plan stays close to, docs/reference.md
§7 level 4); `plan convert` carries it both ways: the plan's path in 基本设置 (原方案), its actions
one a row in 原方案行动, a sheet that is written only when there is a `keep:` and read when present.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.rules.actions import SPECS

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from planner.io.scenario import Scenario

KEEP_SHEET = "原方案行动"
KEEP_HEADER = ["司法所编号", "年度", "类型", "岗位、用房方案或功能室编号", "数量（人或m²）"]
TYPE_ZH = {str(t): s.zh for t, s in SPECS.items()}
ITEM = {str(t): s.item for t, s in SPECS.items() if s.item}  # the column of what it is about
AMOUNT = {str(t): s.amount for t, s in SPECS.items() if s.amount}  # the column of how much


def read_keep(reader: Any) -> None:
    """The 原方案行动 rows into raw["keep"]["actions"] (the reader's cells located for errors)."""
    if KEEP_SHEET not in reader.sheets:
        return
    kinds = {zh: k for k, zh in TYPE_ZH.items()} | {k: k for k in TYPE_ZH}
    actions = reader.raw.setdefault("keep", {}).setdefault("actions", [])
    for row, cells in reader.rows(KEEP_SHEET, KEEP_HEADER):
        j = len(actions)
        kind = kinds.get(cells[2], cells[2])
        action: dict[str, Any] = {"office": None if cells[0] is None else str(cells[0]), "year": cells[1],
                                  "type": kind}
        if kind in ITEM and cells[3] is not None:
            action[ITEM[kind]] = str(cells[3])
        if kind in AMOUNT and cells[4] is not None:
            action[AMOUNT[kind]] = cells[4]
        for col, name in enumerate(("office", "year", "type", ITEM.get(kind, "type"), AMOUNT.get(kind, "type"))):
            reader.at(("keep", "actions", j, name), KEEP_SHEET, col, row)
        reader.at(("keep", "actions", j), KEEP_SHEET, 0, row)
        actions.append({k: v for k, v in action.items() if v is not None})


def write_keep(wb: Workbook, scenario: Scenario, sheet: Any) -> None:
    """The 原方案行动 sheet, when the scenario has a `keep:` (`sheet` is workbook_write._sheet)."""
    if scenario.keep is None:
        return
    rows = [[a.office, a.year, TYPE_ZH[a.type], getattr(a, ITEM[a.type]) if a.type in ITEM else None,
             getattr(a, AMOUNT[a.type]) if a.type in AMOUNT else None] for a in scenario.keep.actions]
    sheet(wb, KEEP_SHEET, KEEP_HEADER, rows, numbers=(1, 4), whole=(1, 4), choices={2: list(TYPE_ZH.values())})
