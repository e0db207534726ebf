"""The run history of `plan serve`: one SQLite file, `runs.sqlite3` under --data (docs/workbench.md).

Schema (version 2, in `PRAGMA user_version`):

- `runs`: one row per solve or sweep. `input_name` is the uploaded file's name, kept as a label only
  (never used as a path); `input_bytes`/`input_sha256` the file itself; `params` the parameters (JSON);
  `status` queued | running | optimal | feasible | infeasible | failed | cancelled; `progress`,
  `objective`, `levels` (each objective level's value, bound, status, seconds) JSON; `message` why a
  run failed or has no plan; `created_at`/`started_at`/`finished_at` Unix seconds; `worker_pid` the
  solving process while running; `parent_id` and `edits` (JSON) for a run re-solved with edited limits.
- `outputs`: each run's files (plan.json, reports, workbooks, the Word draft, the sweep chart), as
  bytes with their media type.

Migrations are SQL scripts applied in order, each in one transaction with the version bump, so a
database is always at a version the code knows; a database newer than the code is refused.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DB_NAME = "runs.sqlite3"
ACTIVE = ("queued", "running")
FINAL = ("optimal", "feasible", "infeasible", "failed", "cancelled")
STATUSES = ACTIVE + FINAL

MIGRATIONS: tuple[str, ...] = (
    # 1: runs and their outputs
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('solve', 'sweep')),
        input_name TEXT NOT NULL,
        input_suffix TEXT NOT NULL CHECK (input_suffix IN ('.yaml', '.xlsx')),
        input_bytes BLOB NOT NULL,
        input_sha256 TEXT NOT NULL,
        scenario_name TEXT NOT NULL,
        params TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'optimal', 'feasible', 'infeasible',
                                               'failed', 'cancelled')),
        progress TEXT,
        objective TEXT,
        levels TEXT,
        message TEXT,
        created_at REAL NOT NULL,
        started_at REAL,
        finished_at REAL,
        worker_pid INTEGER
    );
    CREATE INDEX runs_status ON runs (status, id);
    CREATE TABLE outputs (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        media_type TEXT NOT NULL,
        content BLOB NOT NULL,
        PRIMARY KEY (run_id, name)
    );
    """,
    # 2: a run re-solved from another with edited budgets or quotas says which, and what changed
    """
    ALTER TABLE runs ADD COLUMN parent_id INTEGER REFERENCES runs (id);
    ALTER TABLE runs ADD COLUMN edits TEXT;
    """,
)
VERSION = len(MIGRATIONS)


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer planner."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection with WAL (readers never wait for the solving processes' writes) and a wait
    instead of an error while another process writes."""
    con = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA busy_timeout = 30000")
    con.execute("PRAGMA foreign_keys = ON")
    return con


def migrate(path: Path) -> int:
    """Bring the database at `path` (created when missing) to VERSION; returns the version it had."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(path)
    try:
        con.execute("PRAGMA journal_mode = WAL")
        had = con.execute("PRAGMA user_version").fetchone()[0]
        if had > VERSION:
            raise DatabaseTooNew(f"{path} is at schema version {had}; this planner knows up to {VERSION}")
        for version in range(had + 1, VERSION + 1):
            con.executescript(f"BEGIN IMMEDIATE; {MIGRATIONS[version - 1]} PRAGMA user_version = {version}; COMMIT;")
        return int(had)
    finally:
        con.close()


@dataclass(frozen=True)
class Run:
    id: int
    kind: str
    input_name: str
    input_suffix: str
    input_sha256: str
    scenario_name: str
    params: dict[str, Any]
    status: str
    progress: dict[str, Any] | None
    objective: dict[str, Any] | None
    levels: list[dict[str, Any]] | None
    message: str | None
    created_at: float
    started_at: float | None
    finished_at: float | None
    worker_pid: int | None
    parent_id: int | None
    edits: dict[str, Any] | None

    @property
    def done(self) -> bool:
        return self.status in FINAL

    @property
    def has_plan(self) -> bool:
        return self.kind == "solve" and self.status in ("optimal", "feasible")


_JSON = ("params", "progress", "objective", "levels", "edits")
_COLUMNS = ", ".join(Run.__dataclass_fields__)


def _run(row: sqlite3.Row) -> Run:
    values = {k: row[k] for k in row.keys()}
    for k in _JSON:
        values[k] = None if values[k] is None else json.loads(values[k])
    return Run(**values)


class Store:
    """Every read and write of the history; a new connection per call, so any thread may use it."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / DB_NAME
        migrate(self.path)

    @contextmanager
    def _con(self) -> Iterator[sqlite3.Connection]:
        con = connect(self.path)
        try:
            yield con
        finally:
            con.close()

    def add(self, kind: str, input_name: str, suffix: str, data: bytes, sha256: str, scenario_name: str,
            params: dict[str, Any], parent_id: int | None = None, edits: dict[str, Any] | None = None) -> int:
        with self._con() as con:
            cur = con.execute(
                "INSERT INTO runs (kind, input_name, input_suffix, input_bytes, input_sha256, scenario_name, params,"
                " status, created_at, parent_id, edits) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
                (kind, input_name, suffix, data, sha256, scenario_name, json.dumps(params), time.time(), parent_id,
                 None if edits is None else json.dumps(edits, ensure_ascii=False)))
            return int(cur.lastrowid or 0)

    def get(self, run_id: int) -> Run | None:
        with self._con() as con:
            row = con.execute(f"SELECT {_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else _run(row)

    def runs(self, limit: int = 200) -> list[Run]:
        with self._con() as con:
            rows = con.execute(f"SELECT {_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_run(r) for r in rows]

    def ids_with(self, *statuses: str) -> list[int]:
        marks = ", ".join("?" * len(statuses))
        with self._con() as con:
            rows = con.execute(f"SELECT id FROM runs WHERE status IN ({marks}) ORDER BY id", statuses).fetchall()
        return [int(r[0]) for r in rows]

    def count(self, status: str) -> int:
        with self._con() as con:
            return int(con.execute("SELECT COUNT(*) FROM runs WHERE status = ?", (status,)).fetchone()[0])

    def input(self, run_id: int) -> bytes:
        with self._con() as con:
            row = con.execute("SELECT input_bytes FROM runs WHERE id = ?", (run_id,)).fetchone()
        return bytes(row[0])

    def start(self, run_id: int, pid: int | None = None) -> bool:
        """queued → running; False when the run is no longer queued (cancelled meanwhile)."""
        with self._con() as con:
            cur = con.execute("UPDATE runs SET status = 'running', started_at = ?, worker_pid = ? "
                              "WHERE id = ? AND status = 'queued'", (time.time(), pid, run_id))
            return cur.rowcount == 1

    def set_pid(self, run_id: int, pid: int | None) -> None:
        with self._con() as con:
            con.execute("UPDATE runs SET worker_pid = ? WHERE id = ?", (pid, run_id))

    def progress(self, run_id: int, progress: dict[str, Any]) -> None:
        with self._con() as con:
            con.execute("UPDATE runs SET progress = ? WHERE id = ? AND status = 'running'",
                        (json.dumps(progress, ensure_ascii=False), run_id))

    def finish(self, run_id: int, status: str, message: str | None = None, objective: Any = None,
               levels: Any = None, outputs: dict[str, tuple[str, bytes]] | None = None,
               only_from: tuple[str, ...] = ACTIVE) -> bool:
        """Set a final status (and the outputs, in the same transaction) unless the run already has
        one: the first of a worker's result, a cancel and a crash to arrive wins."""
        assert status in FINAL
        marks = ", ".join("?" * len(only_from))
        with self._con() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                cur = con.execute(
                    f"UPDATE runs SET status = ?, message = ?, objective = ?, levels = ?, finished_at = ?, "
                    f"worker_pid = NULL WHERE id = ? AND status IN ({marks})",
                    (status, message, _dump(objective), _dump(levels), time.time(), run_id, *only_from))
                if cur.rowcount == 1:
                    for name, (media, content) in (outputs or {}).items():
                        con.execute("INSERT OR REPLACE INTO outputs (run_id, name, media_type, content) "
                                    "VALUES (?, ?, ?, ?)", (run_id, name, media, content))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return cur.rowcount == 1

    def outputs(self, run_id: int) -> list[str]:
        with self._con() as con:
            rows = con.execute("SELECT name FROM outputs WHERE run_id = ? ORDER BY name", (run_id,)).fetchall()
        return [str(r[0]) for r in rows]

    def output(self, run_id: int, name: str) -> tuple[str, bytes] | None:
        with self._con() as con:
            row = con.execute("SELECT media_type, content FROM outputs WHERE run_id = ? AND name = ?",
                              (run_id, name)).fetchone()
        return None if row is None else (str(row[0]), bytes(row[1]))


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)
