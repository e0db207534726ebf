"""`plan explain`: why hard targets cannot be met, and what figure would restore feasibility."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.common import out, reports_input_errors, scenario_argument


@click.command(epilog="\b\nExample:\n  plan explain scenarios/2022.yaml --json")
@scenario_argument
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@reports_input_errors
def explain(scenario: Path, as_json: bool) -> None:
    """Explain infeasible hard targets: the targets and limits in conflict, with restoring figures.

    (Per-office paths and marginal values are not built yet.)
    """
    from planner.explain import explain_infeasible
    from planner.loading import load_scenario
    from planner.requirements import derive

    result = explain_infeasible(derive(load_scenario(scenario)))
    if result is None:
        message = {"feasible": True, "text_zh": "全部硬性目标均可实现。", "text_en": "Every hard target can be met."}
    else:
        message = {
            "feasible": False, "text_zh": result.text_zh, "text_en": result.text_en,
            "targets": [{"year": c.year, "tier": c.tier, "scope": c.scope, "required": c.required,
                         "offices": len(c.office_ids)} for c in result.targets],
            "limits": [{"kind": "budget" if hasattr(r.limit, "amount_yuan") else "quota",
                        "scope": r.limit.scope, "year": r.limit.year,
                        "role": getattr(r.limit, "role", None), "current": r.current, "restoring_figure": r.figure}
                       for r in result.restores]}
    if as_json:
        click.echo(json.dumps(message, ensure_ascii=False, indent=2))
    else:
        out.print(message["text_zh"])
        out.print(message["text_en"])
