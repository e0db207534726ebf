"""`plan sweep`: scale parsing, variants built on the loaded scenario, the frontier's monotonicity,
the Dask path against a loopback LocalCluster, and the chart files."""

from __future__ import annotations

import itertools
import json
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_compare import write_tiny

from cli.main import cli
from planner.analysis.sweep import (
    SweepError,
    VariantParams,
    cheapest_meeting_targets,
    grid,
    make_variant,
    parse_scales,
    plan_processes,
    run_sweep,
    scale_budget,
    scale_quota,
    total_budget_yuan,
)
from planner.i18n import set_lang
from planner.io.loading import BudgetEntry, QuotaEntry, load_scenario
from planner.reports.charts import find_cjk_font, frontier_chart

D = Decimal
# A (see test_compare) needs 3 correction_sw by the end of its first attained year; B 1 more in 2023.
QUOTA = "quotas: {correction_sw: {2022: 3, 2023: 3}}"
PARAMS = VariantParams(time_limit=30, workers=1, seed=0)


def test_parse_scales() -> None:
    r = parse_scales("0.5:1.5:0.1")
    assert len(r) == 11 and r[0] == D("0.5") and r[-1] == D("1.5") and D("0.7") in r
    assert parse_scales("1.2, 0.8,1") == [D("0.8"), D("1"), D("1.2")]
    assert parse_scales("0.9") == [D("0.9")]
    assert parse_scales("0.5,0.8:1:0.1,1") == [D("0.5"), D("0.8"), D("0.9"), D("1.0")]
    set_lang("en")  # the messages matched below are the English ones, whatever the environment's language
    try:
        for bad, msg in [("1:0.5:0.1", "needs step > 0 and stop ≥ start"), ("a", "scales are numbers"),
                         ("0.5:1", "a range is start:stop:step"), ("-1", "scales must be ≥ 0"),
                         ("0:1000:0.001", "at most 400")]:
            with pytest.raises(SweepError, match=msg):
                parse_scales(bad)
    finally:
        set_lang(None)
    assert grid([D(1), D(2)], [D("0.5"), D(1)]) == [(D(1), D("0.5")), (D(2), D("0.5")), (D(1), D(1)), (D(2), D(1))]


def test_variant_scaling_rounds_money_to_the_yuan_and_quotas_down(tmp_path: Path) -> None:
    assert scale_budget(BudgetEntry("all", 2022, 3), D("0.5")).amount_yuan == 2  # 1.5 yuan → 2 (half up)
    assert scale_quota(QuotaEntry("posts", "all", 2022, 3), D("0.5")).amount == 1  # 1.5 people → 1
    assert scale_quota(QuotaEntry("posts", "all", 2022, 10), D("0.7")).amount == 7  # not 6.999… → 6
    loaded = load_scenario(write_tiny(tmp_path, "q.yaml", 100, QUOTA))
    variant = make_variant(loaded, "0.33", "0.5")
    assert [b.amount_yuan for b in variant.budgets] == [330_000, 330_000]
    assert [q.amount for q in variant.quotas] == [1, 1]
    assert [b.amount_yuan for b in loaded.budgets] == [1_000_000, 1_000_000]  # the original untouched
    assert total_budget_yuan(variant.budgets) == 660_000
    assert total_budget_yuan([BudgetEntry("all", 2022, 50), BudgetEntry("x", 2022, 40),
                              BudgetEntry("y", 2022, 30), BudgetEntry("x", 2023, 5)]) == 55


def test_processes_and_workers_split_the_cores() -> None:
    assert plan_processes(9, None, cpus=2) == (2, 4)  # plan solve's 8 workers, shared
    assert plan_processes(1, None, cpus=8) == (1, 8)
    assert plan_processes(3, None, cpus=8) == (3, 2)
    assert plan_processes(9, 4, cpus=2) == (2, 4)


def test_more_budget_never_worsens_the_frontier_in_soft_mode(tmp_path: Path) -> None:
    path = write_tiny(tmp_path, "tiny.yaml", 100)
    scales = parse_scales("0.05,0.1,0.5,0.55,1")
    points = run_sweep(path, grid(scales, [D(1)]), PARAMS)
    short = [p["objective"]["shortfall"] for p in points]
    aoy = [p["objective"]["attained_office_years"] for p in points]
    # By hand (test_compare): 5 a year pays nothing (B's hire is 8): only B in 2022; 10 pays B's 2023
    # hire; 50 still misses A's 52.18; 55 pays A (52.18) in 2022 and 46.68 + 8.0 = 54.68 in 2023.
    assert short == [2, 1, 1, 0, 0] and aoy == [1, 2, 2, 4, 4]
    assert all(p["status"] == "optimal" for p in points)
    # Shortfall is the first objective level: more budget never raises it. Attained office-years
    # (level 2) cannot fall while the shortfall stays the same (docs/compare-sweep.md).
    for x, y in itertools.pairwise(points):
        assert y["objective"]["shortfall"] <= x["objective"]["shortfall"]
        if y["objective"]["shortfall"] == x["objective"]["shortfall"]:
            assert y["objective"]["attained_office_years"] >= x["objective"]["attained_office_years"]
    assert [p["total_budget"] for p in points] == [10.0, 20.0, 100.0, 110.0, 200.0]
    assert points[cheapest_meeting_targets(points)]["budget_scale"] == 0.55


def test_dask_cluster_gives_the_same_frontier_as_local_processes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")  # in the `test` extra: installed in CI
    path = write_tiny(tmp_path, "q.yaml", 100, QUOTA)
    points = grid(parse_scales("0.1,1"), parse_scales("0.5,1"))
    local = run_sweep(path, points, PARAMS)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        remote = run_sweep(path, points, PARAMS, dask_address=cluster.scheduler_address)
        res = CliRunner().invoke(cli, ["sweep", str(path), "--budget-scale", "0.1,1", "--quota-scale", "0.5,1",
                                       "--workers", "1", "--dask", cluster.scheduler_address, "--json",
                                       "--no-chart"])
    assert res.exit_code == 0, res.output
    via_cli = json.loads(res.stdout)["points"]

    def key(ps: list[dict]) -> list[tuple]:
        return [(p["budget_scale"], p["quota_scale"], p["status"], p["objective"]) for p in ps]

    assert key(remote) == key(local) == key(via_cli)
    # A quota of 3 correction_sw a year at ×0.5 is 1 (rounded down): A can reach only 2 of its 3.
    assert [p["objective"]["attained_office_years"] for p in local] == [2, 2, 2, 4]


def test_cli_sweep_prints_the_frontier_and_writes_the_chart(tmp_path: Path) -> None:
    path = write_tiny(tmp_path, "tiny.yaml", 100)
    prefix = tmp_path / "charts" / "f"
    res = CliRunner().invoke(cli, ["sweep", str(path), "--budget-scale", "0.05:0.1:0.05,0.55,1",
                                   "--workers", "1", "--chart", str(prefix)], env={"PLAN_LANG": "en"})
    assert res.exit_code == 0, res.output
    assert "★ cheapest scale meeting every target 最低达标预算: budget ×0.55 = 110.00 万元" in res.stdout
    assert "every point is proven optimal" in res.stdout
    assert f"chart written to {prefix}.png, {prefix}.svg" in res.stderr
    png, svg = prefix.with_suffix(".png"), prefix.with_suffix(".svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert b"<svg" in svg.read_bytes()[:2000]
    hard = CliRunner().invoke(cli, ["sweep", str(path), "--budget-scale", "0.05,1", "--hard", "--workers", "1",
                                    "--json", "--no-chart"])
    assert hard.exit_code == 0, hard.output
    assert [p["status"] for p in json.loads(hard.stdout)["points"]] == ["infeasible", "optimal"]
    bad = CliRunner().invoke(cli, ["sweep", str(path), "--budget-scale", "1:0:1"], env={"PLAN_LANG": "en"})
    assert bad.exit_code == 2 and "Invalid value for --budget-scale" in bad.stderr


def test_chart_renders_chinese_with_a_cjk_font(tmp_path: Path) -> None:
    font = find_cjk_font()
    assert font == "Noto Sans SC"  # shipped by the chart extra: no system font needed
    points = [{"budget_scale": s, "quota_scale": 1.0, "status": "optimal", "total_budget": 200.0 * s,
               "objective": {"shortfall": sf, "attained_office_years": a, "total_cost": c},
               "targets_met": 2 - sf, "targets_total": 2, "last_year": 2023,
               "attainment_last_year": {"small": a / 4}, "target_last_year": {"small": 0.6}}
              for s, sf, a, c in [(0.5, 1, 2, 8.0), (1.0, 0, 4, 106.86)]]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = frontier_chart(points, 1, "泰州市 测试", tmp_path / "c")
    assert not [w for w in caught if "Glyph" in str(w.message)]  # no Chinese character left as a box
    assert chart.font == font and chart.warnings == []
    assert [p.name for p in chart.paths] == ["c.png", "c.svg"] and all(p.stat().st_size > 0 for p in chart.paths)


def test_the_chart_title_is_drawn_in_the_shipped_font_on_a_machine_without_cjk_fonts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pylopdf_fonts_zh_cn
    from matplotlib import font_manager

    from planner.reports import charts

    shipped = str(pylopdf_fonts_zh_cn.sans_path())
    charts.find_cjk_font()  # registers the shipped font
    manager = font_manager.fontManager
    # As on a machine whose only fonts are matplotlib's own: every system font is forgotten.
    own = [f for f in manager.ttflist if f.fname == shipped or "matplotlib" in f.fname]
    assert not any("CJK" in f.name for f in own)
    monkeypatch.setattr(manager, "ttflist", own)
    font_manager.FontManager._findfont_cached.cache_clear()
    resolved: dict[str, str] = {}
    real_save = charts._save

    def save(fig: Any, path: Path, ext: str) -> None:  # the title's font, as matplotlib resolves it
        (title,) = [t for t in fig.texts if "泰州市" in t.get_text()]
        resolved[ext] = font_manager.findfont(title.get_fontproperties(), fallback_to_default=False)
        real_save(fig, path, ext)

    monkeypatch.setattr(charts, "_save", save)
    points = [{"budget_scale": 1.0, "quota_scale": 1.0, "status": "optimal", "total_budget": 200.0,
               "objective": {"shortfall": 0, "attained_office_years": 4, "total_cost": 106.86},
               "targets_met": 2, "targets_total": 2, "last_year": 2023,
               "attainment_last_year": {"small": 1.0}, "target_last_year": {"small": 0.6}}]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            chart = charts.frontier_chart(points, 0, "泰州市 2022–2023", tmp_path / "c")
    finally:
        font_manager.FontManager._findfont_cached.cache_clear()
    assert chart.font == "Noto Sans SC" and chart.warnings == []
    assert resolved == {"png": shipped, "svg": shipped}
    assert not [w for w in caught if "Glyph" in str(w.message)]  # no character drawn as a box


def test_chart_without_cjk_font_or_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from planner.reports import charts

    points = [{"budget_scale": 1.0, "quota_scale": 1.0, "status": "optimal", "total_budget": 200.0,
               "objective": {"shortfall": 0, "attained_office_years": 4, "total_cost": 106.86},
               "targets_met": 2, "targets_total": 2, "last_year": 2023,
               "attainment_last_year": {"small": 1.0}, "target_last_year": {"small": 0.6}}]
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = charts.frontier_chart(points, 0, "泰州市", tmp_path / "en")
    assert chart.font is None and chart.warnings == [charts.no_cjk_font()]
    assert "apt-get install fonts-noto-cjk" in charts.no_cjk_font()
    assert not [w for w in caught if "Glyph" in str(w.message)]  # English labels only: no boxes
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the chart extra were not installed
    with pytest.raises(charts.ChartUnavailable, match=r"pip install 'justice-office-planner\[chart\]'"):
        charts.frontier_chart(points, 0, "x", tmp_path / "none")


def test_ctrl_c_ends_a_sweep_at_once_and_leaves_no_solver_behind(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from test_repro_faults import city_wide, wait_until_solving

    psutil = pytest.importorskip("psutil", reason="psutil is in the `test` extra: pip install -e '.[test]'")

    path = city_wide(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "sweep", str(path), "--budget-scale", "0.9,1.1",
                             "--no-chart"], cwd=Path(__file__).resolve().parents[1], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PLAN_LANG": "en"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    wait_until_solving(proc.pid, threads=4, in_children=2)  # the pool started, both variants solving
    solvers = psutil.Process(proc.pid).children(recursive=True)
    assert solvers, "the variants should be running in child processes"
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and time.monotonic() - sent < 5, err
    assert "interrupted after 0 of 2 variants; nothing was written" in err
    _, alive = psutil.wait_procs(solvers, timeout=5)
    assert alive == []


def test_dask_address_of_a_server_that_is_not_a_scheduler_times_out_with_a_clear_message(tmp_path: Path) -> None:
    import http.server
    import threading
    import time

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.server_address[1]}"
    try:
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["sweep", str(write_tiny(tmp_path, "tiny.yaml")), "--budget-scale", "1",
                                          "--no-chart", "--dask", address, "--lang", "en"])
        seconds = time.monotonic() - started
    finally:
        server.shutdown()
    assert result.exit_code == 1, result.output
    assert (f"error {address} did not answer as a Dask scheduler within 10 s: something else may be listening "
            "on that port; check the --dask address and port (a scheduler listens on 8786 by default)") \
        in result.output
    assert seconds <= 15
