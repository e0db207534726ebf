"""HiGHS's time, value and bound per level of a scenario's largest components (the direct MIP of
planner/solver/mip.py, one thread), optionally stopping each level at a relative gap.

    python benchmarks/highs_levels.py benchmarks/instances/all_n1300_y3_s1_t1.2.yaml --rel-gap 0.001

Each level is fixed at the value found before the next, as `plan solve` fixes it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver import mip
    from planner.solver.components import components, split_requirements

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--rel-gap", type=float, default=0.0, help="HiGHS mip_rel_gap per level (default: prove)")
    ap.add_argument("--first", type=int, default=1, help="the N largest components")
    args = ap.parse_args()
    req = derive(load_scenario(args.scenario))
    subs = sorted(split_requirements(req, components(req)), key=lambda s: -len(s.offices))[: args.first]
    started = time.monotonic()
    for sub in subs:
        t = time.monotonic()
        h = mip._quiet_highs()
        mip._use_threads(h, 1)
        mip.set_options(h, **{**mip.EXACT, "mip_rel_gap": args.rel_gap})
        _, levels = mip._build(h, sub, False)
        print(f"{len(sub.offices)} offices: model built in {time.monotonic() - t:.1f} s", flush=True)
        for sense, expr in levels:
            t = time.monotonic()
            h.minimize(expr) if sense == "min" else h.maximize(expr)
            info = h.getInfo()
            value = round(info.objective_function_value)
            print(f"  {sense} {value:,} (bound {info.mip_dual_bound:,.0f}, gap {info.mip_gap:.5f}, "
                  f"{h.getModelStatus()}) {time.monotonic() - t:.1f} s", flush=True)
            mip._constr(h, expr <= value) if sense == "min" else mip._constr(h, expr >= value)
    print(f"total {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
