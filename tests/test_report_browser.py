"""`plan report` in a real headless Chromium (Debian's `chromium`, driven by Playwright): the page
renders offline, its three charts are present and visible, Chinese text lays out, the tables match
plan.json, the console stays clean and no request leaves the file.

Without Debian's chromium or Playwright the test skips and says why; `.ci/run` installs both, and
there a skip fails the run (tests/conftest.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "cases" / "outputs" / "rolling.yaml"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("report")
    runner = CliRunner()
    solved = runner.invoke(cli, ["solve", str(SCENARIO), "-o", str(out), "--quiet", "--workers", "2"])
    assert solved.exit_code == 0, solved.output
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    plan["explanations"] = {"为何甲镇2024年才达标": "新建业务用房需两年建成（lead_years 2）。"}
    (out / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    made = runner.invoke(cli, ["report", str(out / "plan.json"), "-o", str(out / "report.html"),
                               "--scenario", str(SCENARIO)])
    assert made.exit_code == 0, made.output
    return out / "report.html", plan


def test_report_renders_offline_in_chromium(report: tuple[Path, dict[str, Any]]) -> None:
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium and fonts-noto-cjk "
                    "(apt-get install -y chromium fonts-noto-cjk), as .ci/run does")
    pytest.importorskip("playwright", reason="Playwright is in the `test` extra: pip install -e '.[test]'")
    from playwright.sync_api import sync_playwright

    path, plan = report
    html = path.read_text(encoding="utf-8")
    assert "@page { size: A4" in html and "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    console: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri())
            page.wait_for_load_state("networkidle")
            assert page.inner_text("h1") == "滚动计划测试"
            for fid in ("chart-attainment", "chart-spending", "chart-grid"):
                svg = page.locator(f"#{fid} svg")
                assert svg.count() == 1 and svg.is_visible(), fid
                box = svg.bounding_box()
                assert box is not None and box["width"] > 100 and box["height"] > 50, (fid, box)
                # Chinese labels are laid out by a real font: a visible text run has a width.
                widths = page.eval_on_selector_all(f"#{fid} svg text", "els => els.map(e => e.getBBox().width)")
                assert widths and min(widths) > 0, fid
            # 达标率 chart: per year a bar for each tier present (only small) and for 全部, which
            # carries the targets (set on `all`): P attains from 2024, Q from 2023, R from 2022.
            bars = page.eval_on_selector_all("#chart-attainment svg rect title",
                                             "els => els.map(e => e.textContent)")
            assert bars == ["2022 小型: 1/3 = 33%", "2022 全部: 1/3 = 33%", "2023 小型: 2/3 = 67%",
                            "2023 全部: 2/3 = 67%", "2024 小型: 3/3 = 100%", "2024 全部: 3/3 = 100%"]
            ticks = page.eval_on_selector_all("#chart-attainment svg line title", "els => els.map(e => e.textContent)")
            assert ticks == ["2022 全部 目标 0%", "2023 全部 目标 50%", "2024 全部 目标 100%"]
            spend = page.eval_on_selector_all("#chart-spending svg text", "els => els.map(e => e.textContent)")
            assert "33.50 / 40.00" in spend and "8.50 / 20.00" in spend
            grid = page.eval_on_selector_all("#chart-grid svg text", "els => els.map(e => e.textContent)")
            assert [grid.count(c) for c in ("0/2", "1/2", "2/2", "1/1")] == [1, 1, 1, 3]  # 甲县 P+Q, 乙县 R
            tasks = page.locator('table[data-table="tasks"] tbody tr')
            assert tasks.count() == len(plan["actions"]) + 1  # and 合计
            assert page.locator('table[data-table="timetable"] tbody tr').count() == len(plan["offices"]) + 1
            assert "新建业务用房需两年建成" in page.inner_text("#explanations")
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        finally:
            browser.close()
    assert console == []
    assert requests == [path.as_uri()]
