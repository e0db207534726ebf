"""`plan serve`'s JSON API and its safety: concurrent submissions against a real server (at most N
solving at once, none lost), a killed worker, validation errors located, the token, the Host and
Origin checks, the upload cap, escaping, the schema's migrations and docs/openapi.json."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from servehelp import ROOT, Server, long_yaml, tiny_yaml, wait_for

pytest.importorskip("fastapi", reason="plan serve needs the `serve` extra: pip install -e '.[serve]'")
from fastapi.testclient import TestClient  # noqa: E402

from cli.main import cli  # noqa: E402
from planner.serve.app import Settings, create_app  # noqa: E402
from planner.serve.db import MIGRATIONS, VERSION, DatabaseTooNew, Store  # noqa: E402


def test_twenty_concurrent_submissions_all_answered_at_most_n_at_once(tmp_path: Path) -> None:
    n = os.cpu_count() or 1
    with Server(tmp_path / "data") as server, server.client() as client:
        def submit(i: int) -> int:
            files = {"scenario": (f"tiny-{i}.yaml", tiny_yaml(name=f"并发 {i}"), "application/yaml")}
            r = client.post("/api/runs", files=files, data={"time_limit": "10", "workers": "1"})
            assert r.status_code == 201, r.text
            return int(r.json()["id"])

        with ThreadPoolExecutor(20) as pool:
            ids = list(pool.map(submit, range(20)))
        assert sorted(ids) == list(range(1, 21))
        most = 0
        deadline = time.monotonic() + 60
        while True:
            counts = client.get("/api/status").json()
            most = max(most, counts["running"])
            if counts["running"] == counts["queued"] == 0:
                break
            assert time.monotonic() < deadline
            time.sleep(0.2)
        runs = client.get("/api/runs").json()["runs"]
        plan = client.get(f"/api/runs/{ids[0]}/plan.json").json()
    assert counts["slots"] == n and 1 <= most <= n
    assert len(runs) == 20 and {r["status"] for r in runs} == {"optimal"}
    assert {r["scenario_name"] for r in runs} == {f"并发 {i}" for i in range(20)}
    # From the recorded times: never more than N runs between start and finish at any moment.
    events = sorted([(r["started_at"], 1) for r in runs] + [(r["finished_at"], -1) for r in runs])
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    assert peak <= n
    assert plan["status"] == "optimal" and plan["objective"]["shortfall"] == 0


def test_killed_worker_fails_its_run_and_the_server_serves_on(tmp_path: Path) -> None:
    with Server(tmp_path / "data") as server, server.client() as client:
        r = client.post("/api/runs", files={"scenario": ("long.yaml", long_yaml())},
                        data={"time_limit": "60", "workers": "1", "engine": "cpsat"})
        run_id = r.json()["id"]
        wait_for(client, run_id, ("running",))
        deadline = time.monotonic() + 20
        while server.worker_pid(run_id) is None:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        os.kill(server.worker_pid(run_id), signal.SIGKILL)
        run = wait_for(client, run_id, timeout=20)
        assert run["status"] == "failed" and "-9" in run["message"], run
        assert client.get("/").status_code == 200
        again = client.post("/api/runs", files={"scenario": ("tiny.yaml", tiny_yaml())},
                            data={"workers": "1", "explain": "true"})
        assert wait_for(client, again.json()["id"])["status"] == "optimal"
        plan = client.get(f"/api/runs/{again.json()['id']}/plan.json").json()
        assert [o["id"] for o in plan["explanations"]["offices"]] == ["P", "Q", "R"]
        page = client.get(f"/runs/{again.json()['id']}").text
        assert 'id="explanations"' in page and "各所说明" in page and "边际价值" in page
        cancelled = client.delete(f"/api/runs/{run_id}").json()
        assert cancelled == {"id": run_id, "status": "failed", "cancelled": False}


def _app(tmp_path: Path, **kw: object) -> TestClient:
    return TestClient(create_app(Settings(data=tmp_path / "data", **kw)), base_url="http://127.0.0.1:8765")  # type: ignore[arg-type]


def test_validation_errors_name_sheet_cell_and_field(tmp_path: Path) -> None:
    book = tmp_path / "2022.xlsx"
    assert CliRunner().invoke(cli, ["template", "--from", str(ROOT / "scenarios" / "2022.yaml"),
                                    "-o", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["司法所"]
    column = next(c.column_letter for c in ws[1] if str(c.value).startswith("常住人口"))
    ws[f"{column}3"] = "很多"
    buf = io.BytesIO()
    wb.save(buf)
    client = _app(tmp_path)
    r = client.post("/api/runs", files={"scenario": ("../../etc/坏.xlsx", buf.getvalue())})
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert [(e["file"], e["sheet"], e["cell"]) for e in errors] == [("坏.xlsx", "司法所", f"{column}3")]
    assert errors[0]["field"] == "offices[1].population"
    assert client.get("/api/runs").json() == {"runs": []}  # nothing queued
    bad = client.post("/api/runs", files={"scenario": ("a.yaml", tiny_yaml())}, data={"time_limit": "9999"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "time_limit"
    outside = b"name: x\nstandard: ../../../etc/passwd\nhorizon: {start: 2022, end: 2022}\nbudget: {2022: 1}\n" \
              b"offices: /etc/passwd\n"
    r = client.post("/api/runs", files={"scenario": ("x.yaml", outside)})
    assert r.status_code == 400 and "root:" not in r.text


def test_user_text_is_escaped_in_pages(tmp_path: Path) -> None:
    client = _app(tmp_path)
    r = client.post("/api/runs", files={"scenario": ("<img src=x onerror=alert(1)>.yaml",
                                                     tiny_yaml(name="<script>alert(1)</script>"))})
    assert r.status_code == 201
    for page in ("/", f"/runs/{r.json()['id']}"):
        html = client.get(page).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;.yaml" in html
        assert "script-src 'self'" in client.get(page).headers["content-security-policy"]


def test_token_host_origin_and_size_cap(tmp_path: Path) -> None:
    refused = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--data", str(tmp_path / "d")])
    assert refused.exit_code == 2 and "--token" in refused.output
    client = _app(tmp_path, host="0.0.0.0", token="s3cret")
    assert client.get("/api/runs").status_code == 401
    assert client.get("/api/runs", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/runs", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    first = client.get("/?token=s3cret", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/"
    assert "plan_token=s3cret" in first.headers["set-cookie"] and "HttpOnly" in first.headers["set-cookie"]
    assert client.get("/").status_code == 200  # the cookie set above
    anonymous = _app(tmp_path, host="0.0.0.0", token="s3cret")
    assert anonymous.get("/static/app.js").status_code == 401  # every request, assets too
    local = _app(tmp_path)
    assert local.get("/", headers={"Host": "evil.example:8765"}).status_code == 421  # DNS rebinding
    assert local.post("/api/runs", headers={"Origin": "http://evil.example"},
                      files={"scenario": ("a.yaml", tiny_yaml())}).status_code == 403
    big = local.post("/api/runs", files={"scenario": ("a.yaml", b"#" * (11 * 2**20))})
    assert big.status_code == 413
    assert local.get("/api/runs").json() == {"runs": []}


def test_restart_marks_an_interrupted_run_failed_and_keeps_queued_ones(tmp_path: Path) -> None:
    store = Store(tmp_path)
    ids = [store.add("solve", "a.yaml", ".yaml", b"x", "0" * 64, "甲", {"time_limit": 1}) for _ in range(2)]
    assert store.start(ids[0], pid=None)
    from planner.serve.runner import Runner

    runner = Runner(store, tmp_path, slots=1)
    runner.stopping.set()  # look only: no process is started
    runner.start()
    runner.thread.join(1)
    assert store.get(ids[0]).status == "failed" and store.get(ids[0]).message
    assert store.get(ids[1]).status == "queued"


def test_migrations_from_version_1_and_a_newer_database_refused(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    con.execute("INSERT INTO runs (kind, input_name, input_suffix, input_bytes, input_sha256, scenario_name, params,"
                " status, created_at) VALUES ('solve', 'a.yaml', '.yaml', x'00', 'h', '旧', '{}', 'optimal', 1.0)")
    con.commit()
    con.close()
    store = Store(tmp_path)
    old = store.get(1)
    assert old is not None and old.scenario_name == "旧" and old.parent_id is None and old.edits is None
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == VERSION == 2
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.commit()
    with pytest.raises(DatabaseTooNew):
        Store(tmp_path)


def test_docs_openapi_is_the_apps_schema() -> None:
    """docs/openapi.json is regenerated with `python -m planner.serve.openapi > docs/openapi.json`."""
    from planner.serve.openapi import schema

    assert json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")) == schema()
    paths = schema()["paths"]
    assert {"/api/runs", "/api/runs/{run_id}", "/api/runs/{run_id}/{name}"} <= set(paths)
    assert "delete" in paths["/api/runs/{run_id}"]


def test_resolve_with_an_edited_budget_makes_a_new_run_with_its_own_scenario(tmp_path: Path) -> None:
    client = _app(tmp_path)
    first = client.post("/api/runs", files={"scenario": ("滚动.yaml", tiny_yaml())}, data={"time_limit": "7"})
    store = client.app.fastapi.state.store  # type: ignore[attr-defined]
    assert store.finish(1, "infeasible", only_from=("queued",))  # as if solved: the form is offered
    page = client.get("/runs/1").text
    assert 'name="b|甲县|2023"' in page and 'name="q|posts|乙县|2022"' in page
    r = client.post("/runs/1/resolve", data={"b|甲县|2023": "12.5", "q|posts|乙县|2022": "2"}, follow_redirects=False)
    assert first.json() == {"id": 1} and r.status_code == 303 and r.headers["location"] == "/runs/2"
    second = client.get("/api/runs/2").json()
    assert second["parent_id"] == 1 and second["params"]["time_limit"] == 7.0 and second["input_name"] == "滚动.yaml"
    assert second["edits"] == {"budget": [{"scope": "甲县", "year": 2023, "old": 10.0, "new": 12.5}],
                               "quotas": [{"role": "posts", "scope": "乙县", "year": 2022, "old": 1, "new": 2}]}
    import yaml

    edited = yaml.safe_load(client.get("/api/runs/2/scenario.yaml").content)
    assert edited["budget"]["甲县"] == {2022: 40.0, 2023: 12.5, 2024: 10.0}
    assert edited["quotas"]["posts"]["乙县"] == {2022: 2, 2023: 1, 2024: 1}
    bad = client.post("/runs/1/resolve", data={"b|甲县|2023": "-5"})
    assert bad.status_code == 400 and 'class="errors"' in bad.text
