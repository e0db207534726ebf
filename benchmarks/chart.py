"""Scaling chart for docs/benchmarks.png from benchmarks/results/*.json (optional `bench` extra).

    python benchmarks/chart.py benchmarks/results/2026-11-24-highs.json benchmarks/results/2026-11-24.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(files: list[str]) -> None:
    cp: dict[int, float] = {}
    hi: dict[int, tuple[float, str]] = {}
    for f in files:
        for row in json.loads(Path(f).read_text(encoding="utf-8"))["rows"]:
            cp[row["offices"]] = row["cpsat"]["total_s"]
            if "highs" in row:
                hi[row["offices"]] = (row["highs"]["total_s"], row["highs"]["status"])
    fig, ax = plt.subplots(figsize=(6, 4))
    xs = sorted(cp)
    ax.loglog(xs, [cp[x] for x in xs], "o-", label="CP-SAT planner (all levels proven)")
    hx = sorted(hi)
    ax.loglog(hx, [hi[x][0] for x in hx], "s--", label="HiGHS direct MIP")
    for x in hx:
        if hi[x][1] != "optimal":
            ax.annotate("time limit", (x, hi[x][0]), textcoords="offset points", xytext=(5, -12), fontsize=8)
    ax.set_xlabel("offices (× 3 years)")
    ax.set_ylabel("seconds, end to end")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    out = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.png"
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
