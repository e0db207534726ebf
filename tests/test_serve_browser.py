"""`plan serve` driven in a real headless Chromium (Debian's `chromium`, Playwright), on a server the
test starts on loopback: upload the Excel template of scenarios/2022.yaml, solve it, see the report,
download the workbook and check it, edit a budget and re-solve, compare the two runs, sweep the
budget, see an infeasible scenario explained (its office named <script> stays text), cancel a long
solve, switch to English, restart the server and find the history.

With PLAN_SERVE_SCREENSHOTS=DIR the main pages are saved there as PNG (docs/workbench.md's
screenshots come from `PLAN_SERVE_SCREENSHOTS=docs/img/workbench python -m pytest tests/test_serve_browser.py`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import psutil
import pytest
from click.testing import CliRunner
from servehelp import FINAL, ROOT, Server, long_yaml, tiny_yaml

from cli.main import cli

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Any:
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium), as .ci/run does")
    pytest.importorskip("playwright", reason="Playwright is in the `test` extra: pip install -e '.[test]'")
    pytest.importorskip("fastapi", reason="plan serve needs the `serve` extra: pip install -e '.[serve]'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("PLAN_SERVE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _wait_final(page: Any, timeout: float = 240_000) -> str:  # a ceiling for a loaded machine
    """The run page reloads itself when the run ends; its status badge then holds a final status.
    While the reloaded page is still being parsed it may have no badge yet: that is not final."""
    final = ", ".join(f"'{status}'" for status in FINAL)
    page.wait_for_function(f"() => [{final}].includes(document.querySelector('#status')?.dataset.status)",
                           timeout=timeout)
    page.wait_for_load_state("networkidle")
    return str(page.get_attribute("#status", "data-status"))


def _upload(page: Any, url: str, path: Path, explain: bool = False, **fields: str) -> int:
    page.goto(url)
    page.set_input_files("input[name=scenario]", str(path))
    for name, value in fields.items():
        page.fill(f"input[name={name}]", value) if name != "engine" else page.select_option("#engine", value)
    if not explain:
        page.uncheck("input[name=explain]")
    page.click("#solve-button")
    page.wait_for_url("**/runs/*")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_workbench_in_chromium(browser: Any, tmp_path: Path) -> None:
    book = tmp_path / "2022情景.xlsx"
    made = CliRunner().invoke(cli, ["template", "--from", str(ROOT / "scenarios" / "2022.yaml"), "-o", str(book)])
    assert made.exit_code == 0, made.output
    data = tmp_path / "data"
    dialogs: list[str] = []
    with Server(data) as server, server.client() as api:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(server.url)
        assert page.inner_text("#history h2") == "运行记录"
        _solve_the_template(page, api, server.url, book, tmp_path)
        _edit_and_compare(page, api, server.url)
        _sweep(page, server.url)
        _infeasible_and_escaped(page, server.url, tmp_path)
        _cancel_a_long_solve(page, server, tmp_path)
        page.goto(server.url)
        page.click("#lang-switch")
        assert page.inner_text("#history h2") == "Run history"
        _shot(page, "history")
        assert all(u.startswith(server.url) for u in requests), [u for u in requests if not u.startswith(server.url)]
    assert dialogs == []
    with Server(data) as again:  # a restart keeps the history, and what each run made
        page.goto(again.url + "?lang=zh")
        rows = page.locator("table.runs tbody tr")
        assert rows.count() == 5
        assert page.inner_text("#run-row-1 td.status") == "最优"
        assert page.inner_text("#run-row-5 td.status") == "已取消"
        page.goto(again.url + "runs/1")
        assert page.frame_locator("#report").locator("h1").inner_text() == "泰州市 2022—2023 年司法所分类建设计划"


def _solve_the_template(page: Any, api: Any, url: str, book: Path, tmp_path: Path) -> None:
    run_id = _upload(page, url, book, time_limit="30", workers="2")
    assert run_id == 1
    assert _wait_final(page) == "optimal"
    _shot(page, "result")
    plan = api.get("/api/runs/1/plan.json").json()
    assert plan["status"] == "optimal" and len(plan["offices"]) == 88
    levels = {r.get_attribute("data-level"): r.locator("td.value").inner_text()
              for r in page.locator("#levels tbody tr").all()}
    assert float(levels["attained_office_years"]) == plan["objective"]["attained_office_years"]
    assert float(levels["total_cost"]) == plan["objective"]["total_cost"]
    report = page.frame_locator("#report")
    assert report.locator("h1").inner_text() == plan["scenario"]["name"]
    assert report.locator("#chart-attainment svg").count() == 1
    with page.expect_download() as info:
        page.click("#downloads a[data-name='workbook.zh.xlsx']")
    path = tmp_path / "workbook.xlsx"
    info.value.save_as(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    assert {"汇总", "任务清单", "时间进度表", "达标情况", "经费"} <= set(wb.sheetnames)
    spending = [r for r in wb["经费"].iter_rows(min_row=2, values_only=True) if r and isinstance(r[0], int)]
    assert [(r[0], r[1], r[3]) for r in spending] == [(s["year"], s["scope"], s["spent"]) for s in plan["spending"]]
    for name in ("document.docx", "plan.json", "scenario.xlsx"):
        assert page.locator(f"#downloads a[data-name='{name}']").count() == 1


def _edit_and_compare(page: Any, api: Any, url: str) -> None:
    """Lower 泰兴市's 2023 budget on the result page of run 1: run 2 is solved with it."""
    page.goto(url + "runs/1")
    page.fill("input[name='b|泰兴市|2023']", "150")
    page.click("#resolve")
    page.wait_for_url("**/runs/2")
    assert _wait_final(page) in ("optimal", "feasible")
    assert "215.0 → 150" in page.inner_text("#edits")
    plan = api.get("/api/runs/2/plan.json").json()
    assert [s["budget"] for s in plan["spending"] if (s["scope"], s["year"]) == ("泰兴市", 2023)] == [150.0]
    page.goto(url + "compare")
    page.select_option("#compare-a", "2")
    page.select_option("#compare-b", "1")
    page.click("#compare-button")
    page.wait_for_selector("#kpis")
    _shot(page, "compare")
    first = api.get("/api/runs/1/plan.json").json()
    cost = page.locator("#kpis tbody tr", has_text="总费用").first.locator("td.num").all_inner_texts()
    assert cost == [f"{plan['objective']['total_cost']:,.4f}", f"{first['objective']['total_cost']:,.4f}"]


def _sweep(page: Any, url: str) -> None:
    page.goto(url + "sweep?from_run=1")
    page.fill("#budget-scale", "0.8,1")
    page.fill("input[name=time_limit]", "20")
    page.click("#sweep-button")
    page.wait_for_url("**/runs/3")
    assert _wait_final(page) in ("optimal", "feasible")
    assert page.locator("#frontier-table tbody tr").count() == 2
    assert page.eval_on_selector("#frontier", "img => img.complete && img.naturalWidth > 100")
    _shot(page, "sweep")


def _infeasible_and_escaped(page: Any, url: str, tmp_path: Path) -> None:
    bad = tmp_path / "不可行.yaml"
    bad.write_bytes(tiny_yaml(name="<b>不可行</b>", office="<script>alert(1)</script>", budget=0))
    assert _upload(page, url, bad, explain=True, time_limit="10") == 4
    assert _wait_final(page) == "infeasible"
    assert page.inner_text("h1") == "#4 <b>不可行</b>"
    assert "2023 年甲县全部司法所需 1 个达标" in page.inner_text("#infeasibility")
    assert "<script>alert(1)</script>" in page.inner_text("#infeasibility")  # named as text
    _shot(page, "infeasible")
    broken = tmp_path / "坏.yaml"
    broken.write_text("name: x\nstandard: jiangsu-2021\nhorizon: {start: 2022, end: 2021}\n", encoding="utf-8")
    page.goto(url)
    page.set_input_files("input[name=scenario]", str(broken))
    page.click("#solve-button")
    errors = page.locator("#errors tr.error")
    assert errors.count() >= 2 and "坏.yaml" in errors.first.inner_text()


def _cancel_a_long_solve(page: Any, server: Server, tmp_path: Path) -> None:
    long = tmp_path / "long.yaml"
    long.write_bytes(long_yaml())
    run_id = _upload(page, server.url, long, time_limit="120", workers="1", engine="cpsat")
    assert run_id == 5  # the broken upload made no run
    page.wait_for_selector("#live-levels tbody tr", timeout=120_000)  # a level's best value and bound
    _shot(page, "progress")
    pid = server.worker_pid(run_id)
    page.click("#cancel")
    assert _wait_final(page, 10_000) == "cancelled"
    assert pid is not None and not psutil.pid_exists(pid)  # the solving process is gone
