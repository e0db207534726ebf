"""`prune_free_surplus`: a free hire or room that changes no attainment is dropped from a plan;
one that an office needs, one with a price, and one the earlier plan had exactly, stay.

The office is jiangsu-2021's small township of tests/test_rules.py: it meets its standard with
2 posts + 2 mediators (total 4), so any further hire is surplus. Posts cost nothing (annual 0),
mediators 0.5 + 7.2 万元.
"""

from __future__ import annotations

from pathlib import Path

from handplan import load
from test_rules import office, scenario

from planner.plan import Action
from planner.rules.actions import ActionType
from planner.solver.result import prune_free_surplus


def _hire(role: str, count: int) -> Action:
    return Action(office="A", year=2022, type=ActionType.HIRE, role=role, count=count)


def test_free_surplus_goes_and_everything_else_stays(tmp_path: Path) -> None:
    loaded = load(scenario(), tmp_path)
    tiers = {"A": "small"}
    # Attained already: 3 surplus posts (free) go whole, a surplus mediator (paid) stays.
    kept = prune_free_surplus(loaded, tiers, [_hire("posts", 3), _hire("mediators", 1)])
    assert [(a.role, a.count) for a in kept] == [("mediators", 1)]
    # The earlier plan had exactly these 3 posts (level 4 kept them): they stay.
    slot = (("A", ActionType.HIRE, "posts", 2022), 3)
    assert [(a.role, a.count) for a in prune_free_surplus(loaded, tiers, [_hire("posts", 3)], {slot})] == [("posts", 3)]


def test_a_free_hire_sheds_only_the_people_no_year_needs(tmp_path: Path) -> None:
    # With 1 post of the 2 the tier needs, 3 posts hired: 1 is needed, 2 are surplus.
    loaded = load(scenario(offices=[office(staff={"posts": 1, "mediators": 2})]), tmp_path)
    kept = prune_free_surplus(loaded, {"A": "small"}, [_hire("posts", 3)])
    assert [(a.role, a.count) for a in kept] == [("posts", 1)]
    # Never attained (no area to speak of): the posts change nothing, so all go.
    bare = load(scenario(offices=[office(staff={"posts": 1, "mediators": 2}, floor_area_m2=10)]), tmp_path)
    assert prune_free_surplus(bare, {"A": "small"}, [_hire("posts", 3)]) == []
