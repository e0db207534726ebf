"""Level 4, the churn against an earlier plan (docs/reference.md §7), on a hand-worked office: each
kind of change the churn counts, every solver path, and a stop or a time limit before level 4.

Each churn figure is worked out by hand in the comments and checked twice more: against the
plan's own `churn` section (planner/analysis/churn.py counts it from the actions, not the model)
and against `churn_value`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from handplan import load
from test_rules import ROOMS, office, scenario

from planner.analysis.churn import churn_value
from planner.analysis.replan import Earlier, with_keep
from planner.plan import Action, EarlierRef, PlanResult
from planner.rules.requirements import derive
from planner.rules.verify import verify_plan
from planner.solver.params import Progress, SolveControl, SolveOutcome, SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import solve
from planner.solver.status import SolveStatus

# A small township office (jiangsu-2021) over 2022–2023, one mediator short (2 needed), 10 m² short
# (190 of 200) and without five_stations; no target binds, so level 2 attains both years.
# Prices: a mediator 0.5 once + 7.2 a year (from 2022: 14.9); five_stations 0.5 + 0.2 a year (0.9);
# 10 m² leased from 2022 at 0.1 per m² a year (2.0), or the annex (10 m², 2.0 once): a tie; a build
# (lead 1) counts only from 2023. Levels 1–3: 2 office-years at 17.8 万元, by hire + room + lease
# or annex, all in 2022: two optimal plans, and level 4 picks between them.
CHURN = scenario(
    horizon={"start": 2022, "end": 2023}, targets={2023: {"all": 0.0}}, budget={2022: 100, 2023: 100},
    costs={"roles": {"mediators": {"one_time": 0.5, "annual": 7.2}},
           "facilities": {"five_stations": {"one_time": 0.5, "annual": 0.2}},
           "housing": {"lease": {"annual_per_m2": 0.1}, "build": {"one_time_per_m2": 0.3, "lead_years": 1}}},
    offices=[office(staff={"posts": 2, "mediators": 1}, floor_area_m2=190, facilities=ROOMS[:-1],
                    housing_options=[{"id": "annex", "area_m2": 10, "one_time": 2.0}])])


def hire(year: int, count: int = 1, role: str = "mediators") -> dict[str, Any]:
    return {"office": "A", "year": year, "type": "hire", "role": role, "count": count}


def room(year: int, facility: str = "five_stations") -> dict[str, Any]:
    return {"office": "A", "year": year, "type": "facility", "facility": facility}


def area(kind: str, year: int, m2: int = 10) -> dict[str, Any]:
    return {"office": "A", "year": year, "type": kind, "area_m2": m2}


def option(year: int, name: str = "annex") -> dict[str, Any]:
    return {"office": "A", "year": year, "type": "housing", "option": name}


def earlier(actions: list[dict[str, Any]]) -> Earlier:
    return Earlier(EarlierRef(plan="earlier.json", source="option", verified=True),
                   tuple(Action(**a) for a in actions), None)


def stages(outcome: SolveOutcome) -> list[tuple[str, str, int | None, float | None]]:
    return [(s.name, s.status, s.value, s.bound) for s in outcome.stages]


LEVELS_1_TO_3 = [("attained_office_years", "optimal", 2, 2.0), ("total_cost", "optimal", 178_000, 178_000.0)]

CASES = {
    # Nothing earlier: every action of the plan is new (hire, room, lease or annex).
    "nothing_earlier": ([], 3, None),
    # The very actions of either optimal plan: nothing changes, and the tie goes the earlier way.
    "the_annex_plan": ([hire(2022), room(2022), option(2022)], 0, "housing"),
    "the_lease_plan": ([hire(2022), room(2022), area("lease", 2022)], 0, "lease"),
    # All a year late: each moves (2 apiece: the 2023 action dropped, the 2022 one new; the room
    # and the annex, taken once, count 1 − x[2023] + x[2022] = 2; leasing instead of the annex is
    # 1 dropped + 1 new).
    "a_year_late": ([hire(2023), room(2023), option(2023)], 6, None),
    # Other quantities: 2 mediators (the plan hires 1) and 5 m² leased (the plan leases 10 or takes
    # the annex): 2 changed, 2 apiece; the room is kept.
    "other_quantities": ([hire(2022, 2), area("lease", 2022, 5), room(2022)], 4, None),
    # Four actions no plan can reproduce: a role with no price, a build counting after the horizon
    # (2023 + lead 1), a room with no price, an option the office does not have: 1 each; the
    # annex plan's three actions are kept.
    "unreachable": ([hire(2022, 1, "rule_of_law_sw"), area("build", 2023), room(2022, "rule_of_law_room"),
                     option(2022, "gone"), hire(2022), room(2022), option(2022)], 4, "housing"),
}


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
@pytest.mark.parametrize("case", list(CASES))
def test_level_4_counts_every_kind_of_change(case: str, path: str, tmp_path: Path) -> None:
    actions, churn, area_kind = CASES[case]
    loaded = load(CHURN, tmp_path)
    before = earlier(actions)
    req = with_keep(derive(loaded), before)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    assert outcome.status == SolveStatus.OPTIMAL
    assert stages(outcome) == LEVELS_1_TO_3 + [("churn", "optimal", churn, float(churn))]
    plan = make_plan(loaded, req, outcome, before)
    assert plan.churn is not None and plan.churn.churn == churn == churn_value(before.actions, plan.actions)
    assert (plan.objective.attained_office_years, plan.objective.total_cost) == (2, 17.8)
    kinds = sorted(a.type for a in plan.actions)
    assert kinds in (["facility", "hire", "housing"], ["facility", "hire", "lease"])
    if area_kind is not None:
        assert area_kind in kinds


# The same office with its 200 m² already: no lease, build or option variables at all.
FULL = {**CHURN, "offices": [{**CHURN["offices"][0], "floor_area_m2": 200}]}


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_earlier_actions_with_no_variable_count_one_each(path: str, tmp_path: Path) -> None:
    loaded = load(FULL, tmp_path)
    # A lease, a build and the annex the office no longer needs: 1 each; the hire and room kept.
    before = earlier([hire(2022), room(2022), area("lease", 2022), area("build", 2022, 5), option(2022)])
    req = with_keep(derive(loaded), before)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    assert stages(outcome) == [("attained_office_years", "optimal", 2, 2.0),
                               ("total_cost", "optimal", 158_000, 158_000.0), ("churn", "optimal", 3, 3.0)]
    plan = make_plan(loaded, req, outcome, before)
    assert plan.churn is not None and plan.churn.churn == 3 == churn_value(before.actions, plan.actions)


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_a_churn_nothing_can_change_is_its_own_proof(path: str, tmp_path: Path) -> None:
    # The office lacks nothing: no variable at all but its attainment. The earlier lease cannot be
    # reproduced: churn 1 whatever the plan, reported at once as proven (no search, 0 s).
    sc = {**CHURN, "offices": [office(housing_options=[{"id": "annex", "area_m2": 10, "one_time": 2.0}])]}
    loaded = load(sc, tmp_path)
    before = earlier([area("lease", 2022)])
    req = with_keep(derive(loaded), before)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    assert outcome.status == SolveStatus.OPTIMAL
    assert stages(outcome) == [("attained_office_years", "optimal", 2, 2.0), ("total_cost", "optimal", 0, 0.0),
                               ("churn", "optimal", 1, 1.0)]
    assert outcome.stages[-1].seconds == 0.0


def stop_at(stage_suffix: str, control: SolveControl):  # type: ignore[no-untyped-def]
    def progress(p: Progress) -> None:
        if p.stage.endswith(stage_suffix):
            control.stop()
    return progress


@pytest.mark.parametrize("path, last", [("combined", "all levels"), ("staged", "total_cost")],
                         ids=["combined", "staged"])
def test_a_stop_before_level_4_keeps_the_plan_found_and_its_churn(path: str, last: str, tmp_path: Path) -> None:
    # Stopped at level 3's first plan: level 4 does not search; it reports (unproven) the churn
    # CP-SAT's last solution gives, which is the plan's or more (the churn's indicators are free
    # below level 4): `plan verify` asks no more. The outcome is feasible. The earlier plan is a
    # year late: whatever plan the stop leaves, its churn is at least the optimum's 6.
    loaded = load(CHURN, tmp_path)
    before = earlier([hire(2023), room(2023), option(2023)])
    req = with_keep(derive(loaded), before)
    control = SolveControl()
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path,  # type: ignore[arg-type]
                                     control=control, progress=stop_at(last, control)))
    assert control.stopped and outcome.status == SolveStatus.FEASIBLE
    plan = make_plan(loaded, req, outcome, before)
    assert plan.churn is not None
    name, status, stated, bound = stages(outcome)[-1]
    assert (name, status, bound, outcome.stages[-1].seconds) == ("churn", "feasible", None, 0.0)
    assert stated is not None and stated >= plan.churn.churn == churn_value(before.actions, plan.actions) >= 6
    assert verify_plan(loaded, plan) == []


def test_out_of_time_soft_targets_drop_every_earlier_action(tmp_path: Path) -> None:
    # No time: the soft-target plan is to do nothing, and level 4 counts every earlier action of
    # this scenario's offices as dropped (the unreachable case's 7 actions).
    loaded = load({**CHURN, "targets_mode": "soft", "targets": {2023: {"all": 1.0}}}, tmp_path)
    before = earlier(CASES["unreachable"][0])
    req = with_keep(derive(loaded), before)
    outcome = solve(req, SolveParams(workers=1, time_limit=0))
    assert outcome.status == SolveStatus.FEASIBLE
    assert stages(outcome) == [("shortfall", "feasible", 1, None), ("attained_office_years", "feasible", 0, None),
                               ("total_cost", "feasible", 0, None), ("churn", "feasible", 7, None)]
    assert [s.seconds for s in outcome.stages] == [0.0] * 4  # no search ran


@pytest.mark.parametrize("path, slow_at, limit, searched", [
    ("staged", "total_cost", 1.0, False),  # level 3 outlasts the limit: no time left for level 4
    ("staged", "total_cost", 2.0, True),  # ~0.6 s left: level 4 still searches, and proves its level
    ("combined", "churn", 1.0, True),  # level 4 itself outlasts the limit: its search is cut short
], ids=["no-time-left", "some-time-left", "cut-short"])
def test_level_4_gets_the_time_left(path: str, slow_at: str, limit: float, searched: bool, tmp_path: Path) -> None:
    # A year-late earlier plan; the first report of one level takes 1.4 s (a slow progress
    # callback) within a time limit of 1 or 2 s. Whatever stops it, the outcome is feasible and
    # its plan verifies.
    loaded = load(CHURN, tmp_path)
    before = earlier([hire(2023), room(2023), option(2023)])
    req = with_keep(derive(loaded), before)
    slowed: list[str] = []

    def slow(p: Progress) -> None:
        if p.stage.endswith(slow_at) and not slowed:
            slowed.append(p.stage)
            time.sleep(1.4)

    outcome = solve(req, SolveParams(workers=1, path=path, time_limit=limit, progress=slow))  # type: ignore[arg-type]
    plan = make_plan(loaded, req, outcome, before)
    assert plan.churn is not None and verify_plan(loaded, plan) == []
    assert outcome.status == SolveStatus.FEASIBLE and slowed
    name, status, stated, bound = stages(outcome)[-1]
    assert name == "churn" and stated is not None and stated >= plan.churn.churn
    if not searched:  # level 3 cut short; level 4: the churn of the plan found, unproven, and no search
        assert outcome.stages[1].status == "feasible"
        assert (status, bound, outcome.stages[-1].seconds) == ("feasible", None, 0.0)
    elif path == "staged":  # searched and proven within the 0.6 s left (level 3 was cut short)
        assert (status, stated, bound) == ("optimal", plan.churn.churn, float(plan.churn.churn))
        assert outcome.stages[1].status == "feasible"
    else:  # the search stopped at its limit, after its first (slow) report
        assert status == "feasible" and outcome.stages[-1].seconds >= 1.4


def test_verify_checks_the_churn_section_and_level(tmp_path: Path) -> None:
    # The year-late earlier plan: churn 6, each of its 3 actions moved (2 apiece).
    # A plan whose churn section lists an action in another year, states other counts, or is gone
    # while its churn level stays, is refused, each with exactly what is wrong.
    loaded = load(CHURN, tmp_path)
    before = earlier([hire(2023), room(2023), option(2023)])
    req = with_keep(derive(loaded), before)
    good = make_plan(loaded, req, solve(req, SolveParams(workers=1, time_limit=30, path="combined")), before)
    assert good.churn is not None and (good.churn.moved, good.churn.churn) == (3, 6)
    assert verify_plan(loaded, good) == []
    data = json.loads(good.to_json())
    moved, lied, dropped = (json.loads(json.dumps(data)) for _ in range(3))
    moved["churn"]["actions"][0]["now"]["year"] = 2023
    lied["churn"]["churn"] = 0
    lied["solver"]["stages"][-1]["value"] = 0
    del dropped["churn"]
    found = {name: [str(v) for v in verify_plan(loaded, PlanResult(**plan))]
             for name, plan in (("moved", moved), ("lied", lied), ("dropped", dropped))}
    (wrong,) = found["moved"]  # the room listed in 2023, taken in 2022
    assert wrong.startswith("churn.actions: the present side does not list the plan's actions exactly (unlisted: ")
    assert "'five_stations', 2022, None" in wrong.split("not in the plan")[0] and "'five_stations', 2023" in wrong
    assert found["lied"] == [
        "solver.stages[2] (churn): states the value 0, the actions give 6",
        "churn: counts stated {'kept': 0, 'moved': 3, 'changed': 0, 'dropped': 0, 'new': 0, 'churn': 0}, "
        "the items give {'kept': 0, 'moved': 3, 'changed': 0, 'dropped': 0, 'new': 0, 'churn': 6}"]
    assert found["dropped"] == ["solver.stages[2] (churn): a churn level without the plan's churn section"]


def test_an_option_that_would_count_after_the_horizon_is_never_taken(tmp_path: Path) -> None:
    # A free shed (5 m², lead 1 year) counts within the horizon only if taken in 2022. The earlier
    # plan took it in 2023, where it would count only after the horizon: no plan takes it there, so
    # it is dropped (churn 1), even though it is free; the annex plan's actions are kept.
    shed = {"id": "shed", "area_m2": 5, "one_time": 0, "lead_years": 1}
    sc = {**CHURN, "offices": [{**CHURN["offices"][0],
                                "housing_options": CHURN["offices"][0]["housing_options"] + [shed]}]}
    loaded = load(sc, tmp_path)
    before = earlier([hire(2022), room(2022), option(2022), option(2023, "shed")])
    req = with_keep(derive(loaded), before)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path="combined"))
    assert stages(outcome) == LEVELS_1_TO_3 + [("churn", "optimal", 1, 1.0)]
    plan = make_plan(loaded, req, outcome, before)
    assert sorted((a.type, a.year, a.option or "") for a in plan.actions) == [
        ("facility", 2022, ""), ("hire", 2022, ""), ("housing", 2022, "annex")]


@pytest.mark.parametrize("path", ["combined", "staged", "mip"])  # mip: HiGHS, as a large fund
def test_level_4_never_trades_a_target_for_less_churn(path: str, tmp_path: Path) -> None:
    # Soft 100 % targets for medium offices only; 8 万元 lifts one of X (medium, a mediator short:
    # meets 甲县's cell) or Z (small, a mediator short: in no cell). Both give one office-year at
    # 7.7; X also removes the shortfall. The earlier plan lifted Z: level 4 keeps X all the same
    # (churn 2: Z's hire dropped, X's new), with shortfall 0.
    sc = scenario(targets_mode="soft", targets={2022: {"medium": 1.0}}, weights={"medium": 1, "small": 1},
                  budget={2022: 8},
                  offices=[office(id="X", tier="medium", staff={"posts": 4, "mediators": 1}, floor_area_m2=300),
                           office(id="Z", staff={"posts": 2, "mediators": 1})])
    loaded = load(sc, tmp_path)
    before = Earlier(EarlierRef(plan="earlier.json", source="option", verified=True),
                     (Action(office="Z", year=2022, type="hire", role="mediators", count=1),), None)
    req = with_keep(derive(loaded), before)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    assert stages(outcome) == [("shortfall", "optimal", 0, 0.0), ("attained_office_years", "optimal", 1, 1.0),
                               ("total_cost", "optimal", 77_000, 77_000.0), ("churn", "optimal", 2, 2.0)]
    plan = make_plan(loaded, req, outcome, before)
    assert [(a.office, a.type) for a in plan.actions] == [("X", "hire")] and plan.objective.shortfall == 0


@pytest.mark.parametrize("path", ["auto", "combined", "staged"])
def test_a_free_roles_earlier_surplus_is_kept(path: str, tmp_path: Path) -> None:
    # Mediators free here; the office needs 1 more (levels 1–3: the room 0.9 + the annex or the
    # lease 2.0 = 2.9 万元, the hire costs nothing). The earlier plan hired 3: keeping all 3 costs
    # nothing more, so level 4 keeps them (churn 0), which needs hire variables up to the earlier
    # plan's count, not just the deficit of 1.
    sc = {**CHURN, "costs": {**CHURN["costs"], "roles": {"mediators": {"one_time": 0, "annual": 0}}}}
    loaded = load(sc, tmp_path)
    before = earlier([hire(2022, 3), room(2022), option(2022)])
    req = with_keep(derive(loaded), before)
    outcome = solve(req, SolveParams(workers=1, time_limit=30, path=path))  # type: ignore[arg-type]
    assert stages(outcome) == [("attained_office_years", "optimal", 2, 2.0), ("total_cost", "optimal", 29_000, 29_000.0),
                               ("churn", "optimal", 0, 0.0)]
    plan = make_plan(loaded, req, outcome, before)
    assert [(a.type, a.year, a.count) for a in plan.actions if a.type == "hire"] == [("hire", 2022, 3)]
    assert plan.churn is not None and plan.churn.churn == 0 == churn_value(before.actions, plan.actions)


def test_with_an_earlier_plan_the_cost_level_gets_half_the_time_left(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Level 4 (churn) comes after the cost level, so the cost level is not the last: half the time
    # left, as every level before the last (planner/solver/cpsat.py, level_share); level 4 all of it.
    import planner.solver.solve as solve_module
    import planner.solver.solve_churn as churn_module

    given: list[tuple[str, float | None]] = []

    def recording(real: Any) -> Any:
        def record(m: Any, params: SolveParams, name: str, remaining: float | None, *args: Any, **kw: Any) -> Any:
            given.append((name, remaining))
            return real(m, params, name, remaining, *args, **kw)
        return record

    monkeypatch.setattr(solve_module, "run_search", recording(solve_module.run_search))
    monkeypatch.setattr(churn_module, "run_search", recording(churn_module.run_search))
    req = with_keep(derive(load(CHURN, tmp_path)), earlier([hire(2022), room(2022), option(2022)]))
    outcome = solve(req, SolveParams(workers=1, time_limit=100))
    assert stages(outcome) == [*LEVELS_1_TO_3, ("churn", "optimal", 0, 0.0)]
    assert [(name, round(t or 0)) for name, t in given] == [
        ("1/1 attained_office_years", 50), ("1/1 total_cost", 50), ("1/1 churn", 100)]
