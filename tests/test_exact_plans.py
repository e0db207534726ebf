"""Exact optima and solver figures on hand-worked scenarios (issue 13's mutation run: each test
here kills mutants of the model and the solve that the oracle's drawn examples rarely reach).

Every figure is worked out by hand in the comments, from docs/reference.md §4–§7.
"""

from __future__ import annotations

from pathlib import Path

from handplan import load
from test_rules import office, scenario

from planner.requirements import derive
from planner.solve import components, split_requirements


def test_offices_are_split_only_where_nothing_links_them(tmp_path: Path) -> None:
    # A1, A2 in 甲县 share 甲县's budget; B1 in 乙县 has its own budget and target cells. A
    # scenario-wide quota of mediators links all three.
    apart = scenario(targets={2022: {"all": 0.5}}, budget={"甲县": {2022: 10}, "乙县": {2022: 20}},
                     offices=[office(id="A1"), office(id="A2"), office(id="B1", county="乙县")])
    req = derive(load(apart, tmp_path))
    assert components(req) == [[0, 1], [2]]
    subs = split_requirements(req, components(req))
    assert [[o.id for o in s.offices] for s in subs] == [["A1", "A2"], ["B1"]]
    assert [[(b.scope, b.amount_yuan) for b in s.budgets] for s in subs] == [[("甲县", 100_000)], [("乙县", 200_000)]]
    assert [[(c.scope, c.required) for c in s.targets] for s in subs] == [[("甲县", 1)], [("乙县", 1)]]
    linked = derive(load({**apart, "quotas": {"mediators": {2022: 1}}}, tmp_path))
    assert components(linked) == [[0, 1, 2]]
    (whole,) = split_requirements(linked, components(linked))
    assert [(q.scope, q.amount) for q in whole.quotas] == [("all", 1)]
    assert len(whole.budgets) == 2 and len(whole.targets) == 2
