"""Each county of a shared fund alone, with the whole fund as its budget: a relaxation by county.

    python benchmarks/county_relaxation.py benchmarks/instances/all_n300_y3_s1_t1.2.yaml

Solves every county of the largest component by level (its own quotas and targets, the fund's
yearly budgets all to itself) and prints the sums: a bound on each level of the fund that a
decomposition by county could prove at once. On the 300-office fund the sums are shortfall 0 and
831 attained office-years against the fund's optimum of 4 and 618 (docs/solver.md, What limits
the cost level): the fund's budgets bind, so no level decomposes by county.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from dw_bound import _search  # noqa: E402 (the by-level search settings of a fund, one worker)


def main() -> None:
    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver.components import components, split_requirements
    from planner.solver.model import build_model, constraints as c

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", type=Path)
    args = ap.parse_args()
    req = derive(load_scenario(args.scenario))
    fund = max(split_requirements(req, components(req)), key=lambda r: len(r.offices))
    at = fund.office_index()
    counties = sorted({o.county for o in fund.offices})
    members = [[i for i, o in enumerate(fund.offices) if o.county == k] for k in counties]
    t0 = time.monotonic()
    shortfall = attained = 0
    spent = [0] * len(fund.years)
    for county, sub in zip(counties, split_requirements(fund, members)):
        sub = replace(sub, targets=tuple(x for x in sub.targets if fund.offices[at[x.office_ids[0]]].county == county))
        built = build_model(sub, False)
        m = built.model
        m.minimize(built.shortfall)
        s = int(_search(m, False).ObjectiveValue())
        m.add(built.shortfall <= s)
        m.maximize(built.attained)
        a = int(_search(m, False).ObjectiveValue())
        m.add(built.attained >= a)
        m.minimize(built.total_cost)
        solver = _search(m, False)
        shortfall, attained = shortfall + s, attained + a
        for t in range(len(fund.years)):
            spent[t] += int(solver.Value(sum(c.office_cost(v, fund, t) for v in built.vars)))
    fund_budgets = [(b.year, b.amount_yuan) for b in fund.budgets if b.scope not in counties]
    print(f"{len(counties)} counties alone: shortfall {shortfall}, attained {attained}, "
          f"spent by year {spent} yuan, {time.monotonic() - t0:.1f} s")
    print(f"the fund's budgets: {fund_budgets}")


if __name__ == "__main__":
    main()
