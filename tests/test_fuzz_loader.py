"""Fuzzing the loader: mutated scenarios end in exit 0 or exit 1 with file and line,
never a traceback or another exit code. CI runs a bounded number of cases; the full run is
`FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz_loader.py` (docs/robustness.md)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from cli.main import cli

SEED = (Path(__file__).parent / "broken" / "unknown_top_key.yaml").read_text(encoding="utf-8").replace("budgett", "budget")
BASE = yaml.safe_load(SEED)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
JUNK = [None, -1, -1e308, 1e308, 10**30, float("nan"), float("inf"), "", "x" * 300, [], {}, True, "2022",
        {"a": {"b": {"c": [1, {"d": None}]}}}, 3.14159, "mediatrs", 2099]


def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, prefix + (i,))
    return out


def mutate(data: dict, rnd: random.Random, n: int) -> dict:
    import copy

    data = copy.deepcopy(data)
    for _ in range(n):
        where = rnd.choice(paths(data))
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        key = where[-1]
        action = rnd.choice(["delete", "rename", "retype", "duplicate"])
        if action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[str(key) + rnd.choice(["x", "_", "s"])] = parent.pop(key)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(parent[key])
        else:
            parent[key] = rnd.choice(JUNK)
    return data


# YAML 1.1 surprises and keys that mean the same (docs/robustness.md, input attacks round two).
YAML11 = ["1:30", "030000", "0o17", "0x1F", "yes", "off", "~", "1_000", ".inf", "2022-01-01", "!!python/name:os.system"]


def raw_bytes(rnd: random.Random) -> bytes:
    kind = rnd.choice(["garbage", "gbk", "alias", "deep", "truncated", "merge", "yaml11", "same_key"])
    if kind == "merge":  # `<<: [*a, *a, …]` nested: width**levels merged pairs
        levels, width = rnd.randrange(2, 10), rnd.randrange(2, 10)
        text = "&a0 {k: 1, j: 2}"
        for i in range(1, levels):
            text = f"&a{i} {{<<: [{text}" + f", *a{i - 1}" * (width - 1) + "]}"
        return (SEED + "x: " + text + "\n").encode()
    if kind == "yaml11":
        return SEED.replace("30000", rnd.choice(YAML11), 1).replace("20000", rnd.choice(YAML11), 1).encode()
    if kind == "same_key":  # 2022 and '2022', or 1 and 1.0: one key written twice
        return SEED.replace("targets:\n", "targets:\n  '2022': {small: 0.9}\n", 1).encode()
    if kind == "garbage":
        return bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 400)))
    if kind == "gbk":
        return SEED.encode("gbk")
    if kind == "alias":
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]"
                                                       for i in range(1, 9)]
        return ("\n".join(lines) + "\nname: *a8\n").encode()
    if kind == "deep":
        return ("x: " + "[" * 500 + "]" * 500 + "\n").encode()
    return SEED.encode("utf-8")[: rnd.randrange(len(SEED))]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4), raw=st.integers(0, 9))
def test_mutated_scenarios_never_crash(seed: int, n: int, raw: int, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "s.yaml"
    if raw == 0:
        path.write_bytes(raw_bytes(rnd))
    else:
        text = yaml.safe_dump(mutate(BASE, rnd, n), allow_unicode=True)
        path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code in (0, 1), (result.exit_code, result.output, repr(result.exception))
    if result.exit_code == 1:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
        assert f"{path}" in result.output and "Traceback" not in result.output


def test_a_50_mb_file_is_refused_before_parsing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.write(SEED.encode("utf-8"))
        f.write(b"#" * 50 * 1024 * 1024)
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 1 and "file is 50 MB; the limit is 20 MB" in result.output


def test_merged_header_cells_in_an_office_workbook(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "name", "county", "kind", "staff", None])
    ws.merge_cells("E1:F1")  # a "staff" group header spanning two columns, as bureaus often do
    ws.append(["A", "甲镇", "甲县", "township", 2, 2])
    wb.save(tmp_path / "o.xlsx")
    data = {**{k: v for k, v in BASE.items() if k not in ("offices", "quotas")}, "offices": "o.xlsx"}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "s.yaml"), "--lang", "en"])
    assert result.exit_code == 1
    assert f"{tmp_path / 'o.xlsx'}:2: column 6: cell under an empty header (merged header cells?)" in result.output
