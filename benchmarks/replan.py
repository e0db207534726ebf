"""Stable re-plans (docs/solver.md, level 4): what keeping an earlier plan costs, and what it saves.

For each instance: solve it (the earlier plan), cut one budget entry of the second year by 10 %
(2022.yaml: 兴化市's, whose 2023 spending is within 10 % of its budget; the fund: the one entry),
then solve the cut scenario afresh and with the earlier plan kept (level 4). Prints, per solve,
the seconds `solve()` took, the levels and the churn against the earlier plan.

    python benchmarks/replan.py [--workers 2] [--time-limit 120]

Instances: scenarios/2022.yaml (per county: one component per county, the combined weighted
solve), and the coupled 60-office fund of benchmarks/shared_fund.py (`shared_instance(60)`, one
component solved by HiGHS; created in benchmarks/instances on first use).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def cut_copy(path: Path, folder: Path, scope: str) -> Path:
    """The scenario with the budget entry of `scope` in the second year cut by 10 % (to whole yuan)."""
    import yaml

    from planner.io.loading import load_scenario
    from planner.io.scenario import to_wan

    loaded = load_scenario(path)
    entry = next(b for b in loaded.budgets if b.year == loaded.years[1] and b.scope == scope)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    amount = to_wan(entry.amount_yuan * 9 // 10)
    if entry.scope == "all":
        data["budget"][entry.year] = amount
    else:
        data["budget"][entry.scope][entry.year] = amount
    out = folder / f"{path.stem}-cut.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"  cut: budget {entry.scope} {entry.year} {to_wan(entry.amount_yuan)} → {amount} 万元")
    return out


def run(path: Path, scope: str, workers: int, time_limit: float, folder: Path) -> None:
    from planner.analysis.replan import from_plan_file
    from planner.io.loading import load_scenario
    from planner.pipeline import plan_scenario
    from planner.solver.params import SolveParams

    params = SolveParams(time_limit=time_limit, workers=workers)
    print(path.name)
    loaded = load_scenario(path)
    plan = plan_scenario(loaded, params, verify=False).plan
    assert plan is not None
    earlier_file = folder / f"{path.stem}.json"
    earlier_file.write_text(plan.to_json(), encoding="utf-8")
    cut = load_scenario(cut_copy(path, folder, scope))
    earlier = from_plan_file(earlier_file, cut)
    for label, keep in (("afresh", False), ("kept", True)):
        started = time.monotonic()
        # churn measured against the earlier plan either way; kept only in the model with `keep`
        run = plan_scenario(cut, params, earlier=earlier, keep=keep, verify=False)
        seconds = time.monotonic() - started
        new, outcome = run.plan, run.outcome
        assert new is not None and new.churn is not None
        levels = ", ".join(f"{s.name} {s.value} ({s.status})" for s in outcome.stages)
        print(f"  {label:6} {seconds:6.1f} s  {levels}; churn {new.churn.churn} (kept {new.churn.kept}, "
              f"moved {new.churn.moved}, changed {new.churn.changed}, dropped {new.churn.dropped}, "
              f"new {new.churn.new})")


def main() -> None:
    from shared_fund import shared_instance

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=120.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for path, scope in ((HERE.parent / "scenarios" / "2022.yaml", "兴化市"), (shared_instance(60), "all")):
            run(path, scope, args.workers, args.time_limit, Path(tmp))


if __name__ == "__main__":
    main()
