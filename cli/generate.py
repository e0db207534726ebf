"""`plan generate`: synthetic scenarios with documented distributions (planner/analysis/generate.py)."""

from __future__ import annotations

from pathlib import Path

import click

from cli.common import lang_option
from planner.analysis.generate import Scopes, generate as make, write_scenario
from planner.i18n import tr


@click.command(epilog="\b\nExamples:\n  plan generate --offices 300 --seed 1 -o bench/300.yaml\n"
                      "  plan generate --offices 40000 --seed 1 --tightness 1.2 --soft -o bench/40k.yaml\n"
                      "  plan generate --offices 10000 --seed 1 --tightness 1.2 --soft --budget-scope city "
                      "--cities 80 -o bench/10k-city.yaml")
@click.option("--offices", type=click.IntRange(min=1, max=200_000), required=True, help="Number of offices.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--years", type=click.IntRange(min=1, max=10), default=3, show_default=True)
@click.option("--tightness", type=click.FloatRange(min=0.0), default=2.0, show_default=True,
              help="Budget = tightness × a lower-bound estimate of meeting each year's targets.")
@click.option("--start-year", type=int, default=2022, show_default=True)
@click.option("--soft", is_flag=True, help="Write targets_mode: soft.")
@click.option("--budget-scope", type=click.Choice(["county", "city", "province", "all"]), default="county",
              show_default=True, help="One budget a year per county, per city, per province, or for all offices "
              "(a shared fund is the sum of the county budgets it replaces).")
@click.option("--target-scope", type=click.Choice(["county", "city"]), default="county", show_default=True,
              help="Each county, or each city, must reach the target rates.")
@click.option("--cities", type=click.IntRange(min=1), default=None,
              help="Number of cities [default: one per 6 counties, as in Jiangsu].")
@click.option("--provinces", type=click.IntRange(min=1), default=None,
              help="Number of provinces [default: one per 13 cities, as in Jiangsu].")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@lang_option
def generate(offices: int, seed: int, years: int, tightness: float, start_year: int, soft: bool,
             budget_scope: str, target_scope: str, cities: int | None, provinces: int | None, out: Path) -> None:
    """Write a synthetic scenario (jiangsu-2021) with realistic distributions (docs/benchmarks.md)."""
    scenario = make(offices, seed, years, tightness, start_year, soft,
                    Scopes(budget_scope, target_scope, cities, provinces))
    out.parent.mkdir(parents=True, exist_ok=True)
    write_scenario(scenario, out)
    rows = scenario["offices"]
    counties = len({o["county"] for o in rows})
    places = [(len({o[p] for o in rows}), zh, en)
              for p, zh, en in (("city", "市", "cities"), ("province", "省", "provinces")) if p in rows[0]]
    click.echo(tr(f"已写入 {out}：{offices} 个司法所，{counties} 个县区"
                  + "".join(f"，{n} 个{zh}" for n, zh, _ in places) + f"，{years} 年",
                  f"wrote {out}: {offices} offices in {counties} counties"
                  + "".join(f", {n} {en}" for n, _, en in places) + f", {years} years"))
