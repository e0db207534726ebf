"""The repository as a newcomer meets it: `pip install -e '.[test]'` brings everything the tests
import, the package data ships, and no tracked file is also gitignored."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCAL_DIRS = (ROOT / "tests", ROOT / "benchmarks")  # helpers tests import by module name


def _imported_modules(path: Path, seen: set[Path]) -> set[str]:
    """Top-level modules a file imports, following the local helper modules it imports."""
    seen.add(path)
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    out: set[str] = set()
    for name in names:
        local = [d / f"{name}.py" for d in LOCAL_DIRS if (d / f"{name}.py").exists()]
        if local:
            out |= set().union(*(_imported_modules(p, seen) for p in local if p not in seen))
        elif name not in sys.stdlib_module_names and name not in ("planner", "cli"):
            out.add(name)
    return out


def _closure(requirements: list[str]) -> set[str]:
    """Canonical names of every distribution these requirements install, extras included."""
    found: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        req = todo.pop()
        key = (canonicalize_name(req.name), frozenset(req.extras))
        if key in done:
            continue
        done.add(key)
        found.add(key[0])
        try:
            requires = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError:
            continue  # not installed: its modules cannot be found below, and the test says which
        for text in requires:
            dep = Requirement(text)
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in req.extras | {""}):
                todo.append(dep)
    return found


def test_the_test_extra_installs_every_module_the_tests_import() -> None:
    project = PYPROJECT["project"]
    installs = _closure(project["dependencies"] + project["optional-dependencies"]["test"])
    dists = metadata.packages_distributions()
    modules: set[str] = set()
    seen: set[Path] = set()
    for test in sorted((ROOT / "tests").glob("*.py")):
        modules |= _imported_modules(test, seen)
    missing = {m: dists.get(m, ["(not installed)"]) for m in sorted(modules - {"pytest", "_pytest"})
               if not {canonicalize_name(d) for d in dists.get(m, [])} & installs}
    assert missing == {}, "the tests import these, but the `test` extra does not install them"


def test_every_package_data_pattern_ships_a_file_and_every_data_file_is_listed() -> None:
    package_data: dict[str, list[str]] = PYPROJECT["tool"]["setuptools"]["package-data"]
    listed: set[Path] = set()
    for package, patterns in package_data.items():
        for pattern in patterns:
            matched = set((ROOT / package).glob(pattern))
            assert matched, f"package-data {package}: {pattern!r} matches nothing"
            listed |= matched
    data = {p for p in (ROOT / "planner").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}
    assert data - listed == set(), "files in planner/ that package-data does not ship"


def test_no_tracked_file_is_gitignored() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "ls-files", "--cached", "--ignored", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    assert ignored == []


def test_the_readme_command_table_lists_every_command() -> None:
    from cli.main import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = {name for name in cli.commands if f"| `plan {name} " in readme or f"| `plan {name}`" in readme}
    assert sorted(set(cli.commands) - listed) == []
