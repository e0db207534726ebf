"""Rolling re-planning (`plan advance`): the scenario for the years after a plan's first year(s).

Given a scenario, a plan of it and a year `through`, the new scenario starts at `through + 1` with:

* each office's staff, floor area and rooms as they stand at the end of `through` under the plan's
  actions of the years up to `through` (`evaluate.price(...).effective` and `evaluate.apply`),
  plus premises taken by then that count from the end of `through + 1` (the new first year-end
  sees them either way, and folding them in means no later plan can drop them);
* housing options taken by then removed from the office's candidates;
* premises taken by then that count later still (a `build` or option with 2+ lead years) carried
  as a free housing option `underway-…` the new plan may take from `through + 1`, with the lead
  time still to run: their one-time cost is spent, their running cost is committed (below);
* targets and quotas of the remaining years as they were;
* budgets of the remaining years less the recurring costs already committed by the actions up to
  `through` (hires' annual pay, leases, options' and rooms' running costs), which fall in those
  years (docs/reference.md §5) but belong to no action of the new plan.

The result is written only after it loads back as a valid scenario.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planner.errors import ScenarioError
from planner.io.loading import LoadedScenario, load_scenario
from planner.io.scenario import HousingOption, Office, to_wan
from planner.io.standards import is_builtin, standard_path
from planner.plan import Action, PlanResult, write_atomic
from planner.rules.actions import ActionType, Priced, price
from planner.rules.attainment import initial_state
from planner.rules.evaluate import apply
from planner.rules.scopes import ALL, scopes_of
from planner.rules.verify import verify_plan

UNDERWAY = "underway-"  # id prefix of carried premises
ROLLED = re.compile(r"（\d{4}年执行后，\d{4}–\d{4}）$")  # the suffix an earlier advance added to the name


class AdvanceError(ValueError):
    """The plan cannot be rolled on from this scenario (wrong year, plan of another scenario, ...)."""


@dataclass
class Advanced:
    """The new scenario's text and what went into it."""

    text: str
    applied: int  # actions folded into the offices
    carried: int  # premises carried as underway options
    committed: dict[tuple[str, int], int]  # (scope, year) of each remaining budget entry → yuan taken off
    notes: list[str] = field(default_factory=list)
    kept: list[Action] = field(default_factory=list)  # the new scenario's `keep:` actions (level 4)


def advance_scenario(loaded: LoadedScenario, plan: PlanResult, through: int, source: Path, output: Path,
                     plan_name: str = "plan.json", verified: bool = True) -> Advanced:
    """Build, validate (by loading it back) and write the rolled-on scenario to `output`.

    `verified` False (a plan of another version of the scenario, used with --force) is said in
    the new file's header."""
    years = loaded.years
    if not years[0] <= through < years[-1]:
        raise AdvanceError(f"--through {through}: give a year from {years[0]} to {years[-1] - 1} "
                           f"(the horizon is {years[0]}–{years[-1]} and at least one year must remain)")
    notes = _check_plan(loaded, plan)
    offices = {o.id: o for o in loaded.offices}
    done: dict[str, list[tuple[Action, Priced]]] = {}
    for a in plan.actions:
        if a.year <= through:
            done.setdefault(a.office, []).append((a, price(loaded, offices[a.office], a)))
    rolled = [_advance_office(o, done.get(o.id, []), through, loaded.years[-1]) for o in loaded.offices]
    new_offices = [entry for entry, _ in rolled]
    # Level 4's reference (docs/reference.md §7): the plan's later actions, and its premises under
    # way taken at once (free, counting when the plan had them count).
    kept = [a for a in plan.actions if a.year > through] + [
        Action(office=o.id, year=through + 1, type=ActionType.HOUSING, option=h.id, area_m2=h.area_m2)
        for o, (_, carried) in zip(loaded.offices, rolled) for h in carried]
    committed = _committed(loaded, done, through)
    budget, budget_notes = _budget(loaded, committed, through)
    notes += budget_notes
    data = _scenario_data(loaded, through, source, output, new_offices, budget)
    data["keep"] = {"plan": plan_name, **({} if verified else {"verified": False}),
                    "actions": [_kept(a) for a in kept]}
    text = (_header(loaded, source, plan_name, through, verified)
            + _dump(data, {"budget": _budget_comment(loaded, committed, through), "keep": _keep_comment(through)}))
    _validate(text, output)
    write_atomic(output, text)
    applied = sum(p.effective <= through + 1 for acts in done.values() for _, p in acts)
    carried_n = sum(p.effective > through + 1 for acts in done.values() for _, p in acts)
    return Advanced(text, applied, carried_n, committed, notes, kept)


def roll_on(loaded: LoadedScenario, plan: PlanResult, through: int) -> tuple[LoadedScenario, list[Action]]:
    """The scenario `plan advance` would write for `through`, loaded (written only to a temporary
    folder), and its `keep:` actions. What a re-plan's churn is measured against (planner/analysis/replan.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rolled.yaml"
        adv = advance_scenario(loaded, plan, through, Path(loaded.file), out)
        rolled = load_scenario(out, display=f"{loaded.file} → {through + 1}", allow_outside=True)
    return rolled, adv.kept


def _kept(a: Action) -> dict[str, Any]:
    """An action as a `keep:` entry: what it is, without its costs (the area of an option is the option's)."""
    entry = a.model_dump(exclude_none=True, exclude={"one_time", "annual"})
    if a.type == ActionType.HOUSING:
        entry.pop("area_m2", None)
    return entry


def _keep_comment(through: int) -> str:
    return (f"# keep: the plan's actions from {through + 1} on, and its premises under way taken in {through + 1}.\n"
            "# `plan solve` stays as close to them as the optimum allows: below cost it minimises the actions\n"
            "# changed against them (docs/reference.md §7, level 4). Delete this block to plan afresh.\n")


def _check_plan(loaded: LoadedScenario, plan: PlanResult) -> list[str]:
    """A plan that does not hold for this scenario would roll on nonsense: refuse it. (The command
    checks it first with verify.check_plan_file; this guards callers of the library.)"""
    notes: list[str] = []
    violations = verify_plan(loaded, plan)
    if violations:
        shown = "; ".join(str(v) for v in violations[:3])
        more = f" (and {len(violations) - 3} more)" if len(violations) > 3 else ""
        raise AdvanceError(f"the plan does not hold for {loaded.file} (check with `plan verify`): {shown}{more}")
    return notes


def _advance_office(o: Office, done: list[tuple[Action, Priced]], through: int,
                    end: int) -> tuple[dict[str, Any], list[HousingOption]]:
    """The office at the end of `through`, as a scenario entry, and the premises it carries."""
    state = initial_state(o)
    carried: list[HousingOption] = []
    for a, p in done:
        # Premises counting from the end of through+1 are folded in: the new scenario's first
        # year-end sees them either way, and no later plan can drop them.
        if p.effective <= through + 1:  # hires, leases and rooms count from their own year
            apply(state, o, a)
        else:
            carried.append(_carry(o, a, p, through, end))
    taken = {a.option for a, _ in done if a.type == ActionType.HOUSING}
    rooms = list(o.facilities) + [f for f in sorted(state.facilities) if f not in o.facilities]
    entry = o.model_dump(exclude_none=True, exclude_defaults=True)
    entry.update(staff=state.staff, floor_area_m2=state.floor_area_m2, facilities=rooms)
    entry["housing_options"] = [h.model_dump(exclude_none=True, exclude_defaults=True)
                                for h in o.housing_options if h.id not in taken] + \
                               [h.model_dump(exclude_none=True, exclude_defaults=True) for h in carried]
    entry["caseload"] = {k: ({y: n for y, n in v.items() if y > through} if isinstance(v, dict) else v)
                         for k, v in o.caseload.items()}
    return {k: v for k, v in entry.items() if v not in ({}, [])}, carried


def _carry(o: Office, a: Action, p: Priced, through: int, end: int) -> HousingOption:
    """Premises under way: free to take from through+1, counting at the same year-end as planned.

    Taking it at through+1 gives effective = through+1 + lead = p.effective, as in the plan. A
    lead running past the new horizon is kept as it is (the space then never counts within it).
    The new plan takes it whenever the office needs the space (it costs nothing).
    """
    base = f"build-{a.year}" if a.type == ActionType.BUILD else str(a.option)
    ids = {h.id for h in o.housing_options}
    oid, n = UNDERWAY + base, 2
    while oid in ids:
        oid, n = f"{UNDERWAY}{base}-{n}", n + 1
    taken = next((h for h in o.housing_options if h.id == a.option), None) if a.type == ActionType.HOUSING else None
    area = taken.area_m2 if taken is not None else a.area_m2
    assert area is not None
    return HousingOption(id=oid, name=taken.name if taken is not None else None, area_m2=area, one_time=0.0,
                         annual=0.0, from_year=through + 1, lead_years=p.effective - (through + 1))


def _committed(loaded: LoadedScenario, done: dict[str, list[tuple[Action, Priced]]],
               through: int) -> dict[tuple[str, int], int]:
    """Recurring costs of the actions up to `through` in each later year, per budget scope (yuan)."""
    holding = {o.id: scopes_of(o) for o in loaded.offices}
    by_scope: dict[tuple[str, int], int] = {}
    for oid, acts in done.items():
        annual = sum(p.annual for _, p in acts)
        for y in loaded.years:
            if y > through and annual:
                for scope in holding[oid]:
                    by_scope[(scope, y)] = by_scope.get((scope, y), 0) + annual
    return {(b.scope, b.year): by_scope.get((b.scope, b.year), 0) for b in loaded.budgets if b.year > through}


def _budget(loaded: LoadedScenario, committed: dict[tuple[str, int], int],
            through: int) -> tuple[dict[Any, Any], list[str]]:
    shape: dict[Any, Any] = {}
    notes = []
    for b in loaded.budgets:
        if b.year <= through:
            continue
        left = b.amount_yuan - committed[(b.scope, b.year)]
        if left < 0:  # only when the plan overspent, which verification rules out; kept as a guard
            notes.append(f"budget {b.scope} {b.year}: committed costs exceed it; set to 0")
            left = 0
        if b.scope == ALL:
            shape[b.year] = to_wan(left)
        else:
            shape.setdefault(b.scope, {})[b.year] = to_wan(left)
    return shape, notes


def _quotas(loaded: LoadedScenario, through: int) -> dict[str, Any]:
    shape: dict[str, Any] = {}
    for q in loaded.quotas:
        if q.year > through:
            role = shape.setdefault(q.role, {})
            if q.scope == ALL:
                role[q.year] = q.amount
            else:
                role.setdefault(q.scope, {})[q.year] = q.amount
    return shape


def _standard_ref(loaded: LoadedScenario, source: Path, output: Path) -> str:
    """A built-in id stays; a path is rewritten relative to the new file's folder."""
    ref = loaded.standard_ref
    if is_builtin(ref):
        return ref
    return Path(os.path.relpath(standard_path(ref, source.parent).resolve(), output.parent.resolve())).as_posix()


def _scenario_data(loaded: LoadedScenario, through: int, source: Path, output: Path,
                   offices: list[dict[str, Any]], budget: dict[Any, Any]) -> dict[str, Any]:
    sc = loaded.scenario
    data: dict[str, Any] = {
        "name": f"{ROLLED.sub('', sc.name)}（{through}年执行后，{through + 1}–{loaded.years[-1]}）",
        "standard": _standard_ref(loaded, source, output),
        "horizon": {"start": through + 1, "end": loaded.years[-1]},
    }
    if sc.targets is not None:
        data["targets"] = {y: dict(rates) for y, rates in sc.targets.items() if y > through}
    if sc.target_scope is not None:
        data["target_scope"] = sc.target_scope
    data["targets_mode"] = sc.targets_mode
    if sc.weights:
        data["weights"] = dict(sc.weights)
    data["budget"] = budget
    quotas = _quotas(loaded, through)
    if quotas:
        data["quotas"] = quotas
    data["costs"] = sc.costs.model_dump(exclude_none=True)
    data["offices"] = offices
    return data


def _header(loaded: LoadedScenario, source: Path, plan_name: str, through: int, verified: bool = True) -> str:
    nxt = through + 1
    # File names are user text: a line break in one would end the comment and inject YAML.
    src, name = (re.sub(r"[\x00-\x1f\x7f]", "?", t) for t in (source.as_posix(), plan_name))
    mark = ("" if verified else "# 未核验 UNVERIFIED: the plan was solved from another version of the scenario "
            "(used with --force).\n")
    return (mark + f"# Rolled on by `plan advance` from {src} and {name} (--through {through}).\n"
            f"# Offices: staff, floor area and rooms as they stand at the end of {through} under the plan's\n"
            f"# actions up to {through}, plus premises taken by then that count from the end of {nxt}.\n"
            f"# Housing options taken are removed; premises taken that count later still are the free\n"
            f"# options '{UNDERWAY}…', from {nxt} with the lead time left (one-time cost spent, running\n"
            "# cost committed).\n")


def _budget_comment(loaded: LoadedScenario, committed: dict[tuple[str, int], int], through: int) -> str:
    lines = [f"# Budgets: the original amounts less the recurring costs already committed by actions up to {through}",
             "# (hires' annual pay, leases, housing options' and rooms' running costs): they fall in these",
             "# years (docs/reference.md §5) but are no action of the new plan. 万元:"]
    for b in loaded.budgets:
        if b.year > through:
            c = committed[(b.scope, b.year)]
            scope = "scenario-wide" if b.scope == ALL else b.scope
            lines.append(f"#   {b.year} {scope}: {to_wan(b.amount_yuan):g} - {to_wan(c):g} = "
                         f"{to_wan(max(0, b.amount_yuan - c)):g}")
    return "\n".join(lines) + "\n"


def _dump(data: dict[str, Any], comments: dict[str, str]) -> str:
    """Top-level keys one by one, so that a key (the budget, keep) carries its comment."""
    parts = []
    for key, value in data.items():
        flow = None if isinstance(value, (dict, list)) else False  # None: leaf collections inline
        text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=120)
        parts.append(comments.get(key, "") + text)
    return "".join(parts)


def _validate(text: str, output: Path) -> None:
    """Load the text back from the output's folder (the standard path is relative to it)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.parent / f".{output.name}.check.yaml"
    try:
        tmp.write_text(text, encoding="utf-8")
        load_scenario(tmp, display=str(output), allow_outside=True)  # the standard may now be ../
    except ScenarioError as exc:
        raise AdvanceError("the rolled-on scenario does not validate (please report this): "
                           + "; ".join(str(i) for i in exc.issues[:3])) from None
    finally:
        tmp.unlink(missing_ok=True)
