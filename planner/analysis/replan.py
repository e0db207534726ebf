"""Stable re-plans: the earlier plan a solve stays close to (docs/reference.md §7 level 4).

It comes from `plan solve --keep PLAN` (the plan is checked against its scenario first, as every
command that reads a plan does, and its offices must be this scenario's), from the scenario's own
`keep:` (which `plan advance` writes), or from the first plan of `plan compare`. Its reference
actions are its actions in this horizon's years; when this horizon starts later than the earlier
one, the earlier scenario is rolled on to this start exactly as `plan advance` does (`roll_on`),
which also gives the carried premises' taking in the first year and the baseline the input
changes are named against (planner/analysis/churn_causes.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from planner.analysis.advance import roll_on
from planner.analysis.churn import churn_items, counts, slots
from planner.analysis.churn_causes import attribute, input_changes
from planner.errors import ScenarioError, ScenarioIssue
from planner.i18n import tr
from planner.io.loading import LoadedScenario
from planner.plan import Action, Churn, EarlierRef, PlanResult
from planner.rules.actions import ActionType
from planner.rules.requirements import KeptOffice, Requirements
from planner.rules.verify import check_plan_file


@dataclass(frozen=True)
class Earlier:
    ref: EarlierRef
    actions: tuple[Action, ...]  # the reference: its actions in this horizon (+ premises under way taken)
    baseline: LoadedScenario | None  # its scenario as of this horizon (None: causes are not named)
    notes: tuple[str, ...] = ()


def from_plan_file(plan_file: Path, loaded: LoadedScenario, force: bool = False) -> Earlier:
    """`--keep PLAN`: checked against its scenario (PlanRefused / ScenarioError, as `plan verify`),
    and its offices must be this scenario's (ScenarioError naming those that differ) unless `force`."""
    checked = check_plan_file(plan_file, force=force)
    notes = list(checked.notes)
    theirs, ours = {o.id for o in checked.plan.offices}, {o.id for o in loaded.offices}
    if theirs != ours:
        then, now = _ids(theirs - ours), _ids(ours - theirs)
        message = tr(f"原方案与本情景的司法所不一致：仅在原方案中 {then[0]}；仅在本情景中 {now[0]}",
                     f"the earlier plan's offices differ from this scenario's: only in the plan {then[1]}; "
                     f"only in the scenario {now[1]}")
        if not force:
            raise ScenarioError([ScenarioIssue(str(plan_file), None, "--keep", message + tr(
                "（确认无误可加 --force：原方案中多出的司法所的行动不计入）",
                " (give --force to go on: the actions of offices not in this scenario are left out)"))])
        notes.append(message)
    ref = EarlierRef(plan=str(plan_file), source="option", verified=checked.verified)
    earlier = earlier_of(checked.plan, checked.loaded, loaded.years, {o.id for o in loaded.offices}, ref)
    return Earlier(earlier.ref, earlier.actions, earlier.baseline, tuple(notes))


def _ids(ids: set[str], shown: int = 10) -> tuple[str, str]:
    """Office ids as listed in a message (zh, en): the first ten, then how many in all."""
    first = sorted(ids)[:shown]
    more = len(ids) - len(first)
    return (("、".join(first) + (f" 等 {len(ids)} 个" if more else "")) or "无",
            (", ".join(first) + (f" … ({len(ids)} in all)" if more else "")) or "none")


def from_scenario(loaded: LoadedScenario) -> Earlier | None:
    """The scenario's own `keep:` (plan advance checked that plan when it wrote the block, or says
    `verified: false` when --force let it through)."""
    keep = loaded.scenario.keep
    if keep is None:
        return None
    actions = tuple(Action(**a.model_dump(exclude_none=True)) for a in keep.actions)
    return Earlier(EarlierRef(plan=keep.plan, source="scenario", verified=keep.verified), actions, None)


def earlier_of(plan: PlanResult, then: LoadedScenario | None, years: list[int], offices: set[str],
               ref: EarlierRef) -> Earlier:
    """`plan` (of scenario `then`, None when unknown) as the reference for a plan over `years` of
    the offices `offices`."""
    baseline, actions = then, list(plan.actions)
    if then is not None and then.years[0] < years[0] <= then.years[-1]:
        baseline, actions = _rolled(then, plan, years[0])
    kept = tuple(a for a in actions if a.year in years and a.office in offices)
    return Earlier(ref, kept, baseline)


def _rolled(then: LoadedScenario, plan: PlanResult, start: int) -> tuple[LoadedScenario, list[Action]]:
    return roll_on(then, plan, start - 1)


def kept_offices(req: Requirements, actions: tuple[Action, ...]) -> dict[str, KeptOffice]:
    """The reference in model indices, per office of `req` (planner/solver/model/churn.py)."""
    years = {y: t for t, y in enumerate(req.years)}
    roles = {r: i for i, r in enumerate(req.roles)}
    parts: dict[str, tuple[dict, dict, dict, dict, dict, list[int]]] = {
        o.id: ({}, {}, {}, {}, {}, [0]) for o in req.offices}
    options = {o.id: {h.id: i for i, h in enumerate(o.housing_options)} for o in req.offices}
    for (office, kind, item, year), q in slots(actions).items():
        if office not in parts or year not in years:
            continue
        hires, lease, build, opts, rooms, unreachable = parts[office]
        t = years[year]
        if kind == ActionType.HIRE and item in roles:
            hires[(roles[item], t)] = q
        elif kind in (ActionType.LEASE, ActionType.BUILD):
            (lease if kind == ActionType.LEASE else build)[t] = q
        elif kind == ActionType.HOUSING and item in options[office] and options[office][item] not in opts:
            opts[options[office][item]] = t
        elif kind == ActionType.FACILITY and item not in rooms:
            rooms[item] = t
        else:  # an unknown role or option, or a second taking of an option or room: never reproduced
            unreachable[0] += 1
    return {oid: KeptOffice(h, le, b, op, ro, un[0]) for oid, (h, le, b, op, ro, un) in parts.items()}


def with_keep(req: Requirements, earlier: Earlier | None) -> Requirements:
    """`req` with level 4 against `earlier` (unchanged without one)."""
    return req if earlier is None else replace(req, keep=kept_offices(req, earlier.actions))


def churn_section(earlier: Earlier, actions: list[Action], years: list[int], loaded: LoadedScenario | None,
                  req: Requirements | None) -> Churn:
    """plan.json's `churn` (docs/reference.md §9): every earlier and present action, its change,
    and the input changes that hold its office (when both scenarios are known)."""
    items = churn_items(earlier.actions, actions)
    if earlier.baseline is not None and loaded is not None and req is not None:
        items = attribute(items, input_changes(earlier.baseline, loaded, req), req)
    return Churn(earlier=earlier.ref, years=list(years), **counts(items), actions=items)


def protected(earlier: Earlier | None) -> set[tuple[tuple[str, str, str, int], int | None]]:
    """Slots (with quantities) of the reference: a free action there is kept, not pruned as surplus."""
    return set() if earlier is None else set(slots(earlier.actions).items())
