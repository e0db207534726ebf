"""Why a shared fund's cost level is slow to prove: its LP relaxation against the optimum.

    python benchmarks/lp_gap.py benchmarks/instances/all_n300_y3_s1_t1.2.yaml 123277000

Solves levels 1–2 with HiGHS (planner/solver/mip.py), then the cost level's LP relaxation with
them fixed, and prints the LP bound, the gap to OPTIMUM (the proven cost, e.g. from `plan solve`),
the offices with fractional columns, and how many attainment binaries the LP's reduced costs
would fix at the root (|reduced cost| > the gap). docs/benchmarks.md quotes its output.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(path: str, optimum: int) -> None:
    import numpy as np

    from planner.io.loading import load_scenario
    from planner.rules.requirements import derive
    from planner.solver import mip

    req = derive(load_scenario(Path(path)))
    h = mip._quiet_highs()
    mip._use_threads(h, 2)
    mip.set_options(h, **mip.EXACT)
    cols, levels = mip._build(h, req, False)
    for sense, expr in levels[:-1]:
        t = time.monotonic()
        h.minimize(expr) if sense == "min" else h.maximize(expr)
        value = round(h.getInfo().objective_function_value)
        print(f"level {sense} {value} in {time.monotonic() - t:.2f} s")
        mip._constr(h, expr <= value) if sense == "min" else mip._constr(h, expr >= value)
    n = h.getNumCol()
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.zeros(n, dtype=np.uint8))
    h.minimize(levels[-1][1])
    bound = h.getInfo().objective_function_value
    x, d = np.array(h.getSolution().col_value), np.array(h.getSolution().col_dual)
    fractional = np.abs(x - np.round(x)) > 1e-6
    gap = optimum - bound
    print(f"cost level LP bound {bound:,.0f}; optimum {optimum:,}; gap {gap:,.0f} ({100 * gap / optimum:.2f} %)")
    print(f"fractional columns {int(fractional.sum())}; offices with a fractional attainment "
          f"{[o.id for o, c in zip(req.offices, cols) if any(fractional[v.index] for v in c.att)]}")
    atts = [a.index for c in cols for a in c.att]
    print(f"attainment binaries {len(atts)}, fixed by reduced cost {sum(1 for i in atts if abs(d[i]) > gap)}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
