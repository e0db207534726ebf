"""Shared test setup: tests import helpers (e.g. `bruteforce`) from this folder.

A test that needs a browser or an optional package skips, with the reason, where it is missing.
`.ci/run` installs everything and sets PLAN_TEST_NO_SKIPS=1: there any skip fails the run.
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("PLAN_TEST_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if not skipped:
        return
    reporter.ensure_newline()
    reporter.write_line(f"PLAN_TEST_NO_SKIPS=1 but {len(skipped)} skipped (CI must run every test):", red=True)
    for rep in skipped:
        reporter.write_line(f"  {rep.nodeid}: {rep.longrepr[-1] if isinstance(rep.longrepr, tuple) else rep.longrepr}")
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
