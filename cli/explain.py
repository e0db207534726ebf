"""`plan explain`: why hard targets cannot be met (with restoring figures), each office's path,
and the marginal value of every budget and quota entry."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from cli.common import (
    EXIT_NO_PLAN,
    err,
    lang_option,
    no_plan_within,
    out,
    print_table,
    progress_line,
    read_checked_plan,
    reports_input_errors,
    scenario_argument,
    solve_options,
    user_text as escape,
)
from planner.analysis.explain import explain_infeasible, explain_plan
from planner.i18n import tr
from planner.io.loading import load_scenario
from planner.pipeline import plan_requirements, prepare
from planner.rules.scopes import ALL
from planner.rules.targets import scope_zh
from planner.solver.params import SolveParams

EPILOG = """\b
Examples:
  plan explain scenarios/2022.yaml
  plan explain scenarios/2022.yaml --office TX-01 --office TX-02
  plan explain scenarios/2022.yaml --plan out/2022/plan.json --json > explain.json
  plan explain scenarios/2022.yaml --soft-targets --lang en
"""


@click.command(epilog=EPILOG)
@scenario_argument
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Explain this plan.json (verified first) instead of solving the scenario.")
@click.option("--office", "office_ids", multiple=True, metavar="ID",
              help="Explain only this office (repeatable); marginal values are then skipped.")
@click.option("--no-marginal", is_flag=True, help="Skip the marginal values (they re-solve twice per limit).")
@solve_options
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@lang_option
@reports_input_errors
def explain(scenario: Path, plan_file: Path | None, office_ids: tuple[str, ...], no_marginal: bool,
            time_limit: float, workers: int, seed: int, soft_targets: bool, deterministic: bool,
            lang: str, as_json: bool) -> None:
    """Explain a scenario: infeasibility, each office's path, marginal values of budgets and quotas.

    \b
    1. Hard targets that cannot all be met: the targets and limits in conflict, and for each limit
       alone the figure that restores feasibility (checked both ways).
    2. Each office: tier and reason, requirements per year and the gaps at the start, the cheapest
       way to attain from each year, and, where the plan leaves it unattained, what binds.
    3. Marginal values: what 10% more of each budget entry and one more unit of each quota buy,
       and what 10% less (one less) costs, ranked (re-solves run in parallel).
    The same content goes into plan.json with `plan solve --explain`.
    """
    loaded = load_scenario(scenario)
    _check_offices(office_ids, [o.id for o in loaded.offices])
    plan = _read_plan(plan_file, loaded) if plan_file else None
    soft = True if soft_targets or (plan is not None and plan.targets_mode == "soft") else None
    req = prepare(loaded, soft_targets=soft)
    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic)
    message: dict[str, Any] = {"feasible": True, "text_zh": "全部硬性目标均可实现。" if not req.soft_targets else
                               "软目标模式：目标缺口计入目标函数，不会不可行。",
                               "text_en": "Every hard target can be met." if not req.soft_targets else
                               "Soft targets: shortfalls are minimised, never infeasible."}
    ids: list[str] | None
    infeasible = None if req.soft_targets or plan is not None else explain_infeasible(
        req, params, loaded.standard.role_zh)
    if infeasible is not None:
        message = _infeasibility(infeasible)
        ids = list(office_ids) or sorted({i for c in infeasible.targets for i in c.office_ids})
    else:
        plan = plan or _solve(loaded, req, params)
        ids = list(office_ids) or None
    if not as_json:
        n = len(ids) if ids is not None else len(req.offices)
        marginal = not (office_ids or no_marginal or plan is None)
        b, q = len(req.budgets), len(req.quotas)
        err.print(tr(f"正在解释 {n} 个司法所" + (f"及 {b} 项预算、{q} 项名额的边际价值" if marginal else "") + " …",
                     f"explaining {n} offices" + (f" and the marginal value of {b} budget and {q} quota entries"
                                                  if marginal else "") + " …"))
    show = progress_line(enabled=not as_json)
    message["explanations"] = explain_plan(loaded, req, plan, params, ids, marginal=not (office_ids or no_marginal),
                                           progress=show)
    show("")  # clears the line
    if as_json:
        click.echo(json.dumps(message, ensure_ascii=False, indent=2))
    else:
        roles = {r: loaded.standard.role_zh(r) for r in loaded.standard.roles} if lang == "zh" else {}
        _print(message, lang, shown_all=not office_ids, role_names=roles)


def _check_offices(asked: tuple[str, ...], known: list[str]) -> None:
    for oid in asked:
        if oid not in known:
            lower = {k.lower(): k for k in known}  # ids differ from what was typed mostly in case
            close = [lower[c] for c in difflib.get_close_matches(oid.lower(), list(lower), n=3)]
            hint = tr(f"（是否应为 {'、'.join(close)}？）", f" (did you mean {', '.join(close)}?)") if close else ""
            raise click.BadParameter(tr(f"情景中没有司法所 {oid!r}", f"no office {oid!r} in the scenario") + hint,
                                     param_hint="--office")


def _read_plan(plan_file: Path, loaded: Any) -> Any:
    """A plan to explain must be this scenario's and pass `verify` (its figures are relied on)."""
    return read_checked_plan(plan_file, loaded=loaded).plan


def _solve(loaded: Any, req: Any, params: Any) -> Any:
    run = plan_requirements(loaded, req, params, verify=False)
    if run.plan is None:
        err.print(no_plan_within(params.time_limit))
        sys.exit(EXIT_NO_PLAN)
    return run.plan


def _infeasibility(result: Any) -> dict[str, Any]:
    return {
        "feasible": False, "text_zh": result.text_zh, "text_en": result.text_en,
        "targets": [{"year": c.year, "tier": c.tier, "scope": c.scope, "required": c.required,
                     "offices": len(c.office_ids)} for c in result.targets],
        "limits": [{"kind": "budget" if hasattr(r.limit, "amount_yuan") else "quota",
                    "scope": r.limit.scope, "year": r.limit.year,
                    "role": getattr(r.limit, "role", None), "current": r.current, "restoring_figure": r.figure}
                   for r in result.restores]}


# ---------------------------------------------------------------- printing


def _print(message: dict[str, Any], lang: str, shown_all: bool, role_names: dict[str, str]) -> None:
    zh = lang == "zh"
    if not message["feasible"]:
        out.rule("不可行原因" if zh else "Why the hard targets cannot be met")
    out.print(escape(message["text_zh"] if zh else message["text_en"]))
    section = message["explanations"]
    offices = section["offices"]
    shown = [o for o in offices if not shown_all or o["not_attained"] or o["attained"] is None]
    out.rule("各司法所" if zh else "Offices")
    for o in shown:
        for line in o["text_zh" if zh else "text_en"]:
            out.print(escape(line))
    rest = len(offices) - len(shown)
    if rest:
        out.print(f"另有 {rest} 个司法所在方案中每年均达标（用 --office ID 查看）" if zh else
                  f"{rest} other offices attain in every year of the plan (see one with --office ID)")
    if "marginal" in section:
        _print_marginal(section["marginal"], zh, role_names)


def _print_marginal(m: dict[str, Any], zh: bool, role_names: dict[str, str]) -> None:
    for key, title in (("gains", ("边际价值：增加哪项限额最值得（依次争取）",
                                  "Marginal value: what more buys (argue for the first)")),
                       ("losses", ("边际代价：削减哪项限额损失最大", "Marginal cost: what a cut loses (worst first)"))):
        t = Table(title=title[0] if zh else title[1], title_justify="left")
        soft = m["soft_targets"]  # with hard targets the shortfall is always 0: no column
        for col in ("#", "限额 limit", "变化 change", "达标所·年 Δ", *(["缺口 Δ"] if soft else []), "费用 Δ 万元",
                    "状态 status"):
            t.add_column(col, justify="right" if "Δ" in col or col == "#" else "left", no_wrap=True)
        for i, v in enumerate(m[key], 1):
            t.add_row(str(i), escape(_limit_label(v, zh, role_names)),
                      f"{v['change']} ({_fmt(v['before'])} → {_fmt(v['after'])})",
                      _signed(v["delta_attained_office_years"]), *([_signed(v["delta_shortfall"])] if soft else []),
                      _signed(v["delta_total_cost"], money=True), v["status"])
        print_table(t)


def _limit_label(v: dict[str, Any], zh: bool, role_names: dict[str, str]) -> str:
    scope = scope_zh(v["scope"]) if zh else ("scenario-wide" if v["scope"] == ALL else v["scope"])
    if v["kind"] == "budget":
        return f"{scope} {v['year']} 年预算" if zh else f"{scope} {v['year']} budget"
    role = role_names.get(v["role"], v["role"])
    return f"{scope} {v['year']} 年{role}名额" if zh else f"{scope} {v['year']} {v['role']} quota"


def _fmt(x: float | int) -> str:
    return f"{x:,.2f}" if isinstance(x, float) else str(x)


def _signed(x: float | int | None, money: bool = False) -> str:
    if x is None:
        return "—"
    text = f"{x:+,.2f}" if money else f"{x:+d}"
    return text.replace("-", "−")
