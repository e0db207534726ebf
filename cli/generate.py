"""`plan generate`: synthetic scenarios with documented distributions (planner/generate.py)."""

from __future__ import annotations

from pathlib import Path

import click

from cli.common import lang_option


@click.command(epilog="\b\nExamples:\n  plan generate --offices 300 --seed 1 -o bench/300.yaml\n"
                      "  plan generate --offices 40000 --seed 1 --tightness 1.2 --soft -o bench/40k.yaml")
@click.option("--offices", type=click.IntRange(min=1, max=200_000), required=True, help="Number of offices.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--years", type=click.IntRange(min=1, max=10), default=3, show_default=True)
@click.option("--tightness", type=click.FloatRange(min=0.0), default=2.0, show_default=True,
              help="Budget = tightness × a lower-bound estimate of meeting each year's targets.")
@click.option("--start-year", type=int, default=2022, show_default=True)
@click.option("--soft", is_flag=True, help="Write targets_mode: soft.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@lang_option
def generate(offices: int, seed: int, years: int, tightness: float, start_year: int, soft: bool, out: Path) -> None:
    """Write a synthetic scenario (jiangsu-2021) with realistic distributions (docs/benchmarks.md)."""
    from planner.generate import generate as make, write_scenario

    scenario = make(offices, seed, years, tightness, start_year, soft)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_scenario(scenario, out)
    click.echo(f"wrote {out}: {offices} offices in {len(scenario['budget'])} counties, {years} years")
