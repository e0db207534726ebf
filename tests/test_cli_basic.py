"""`plan schema`, `plan classify` and `plan validate` as a new user meets them (docs/reference.md §10)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
TAIZHOU = ROOT / "scenarios" / "2022.yaml"


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = run("schema")
    assert result.exit_code == 0
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_schema_is_json_schema_with_descriptions(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object" and set(schema["required"]) == {"name", "standard", "horizon", "budget",
                                                                      "offices"}
    objects = {"(scenario)": schema, **schema["$defs"]}
    # Every field of every object carries the description editors show on hover.
    missing = [f"{name}.{prop}" for name, obj in objects.items() for prop, spec in obj["properties"].items()
               if not spec.get("description")]
    assert missing == []
    # Unknown keys are errors in the editor too, as in `plan validate`.
    assert all(obj.get("additionalProperties") is False for obj in objects.values())


def test_schema_knows_the_enumerations(schema: dict[str, Any]) -> None:
    office = schema["$defs"]["Office"]["properties"]
    assert office["kind"]["enum"] == ["township", "subdistrict"]
    assert {"enum": ["high", "medium", "low"], "type": "string"} in office["demand"]["anyOf"]
    assert schema["properties"]["targets_mode"]["enum"] == ["hard", "soft"]
    assert schema["properties"]["targets"]["anyOf"][0]["additionalProperties"]["propertyNames"]["enum"] == [
        "large", "medium", "small", "all"]


def keys_used(node: Any, defs: dict[str, Any], spec: dict[str, Any], at: str, out: list[str]) -> None:
    """Every mapping key of `node` that the schema object `spec` does not list (named by path)."""
    if "$ref" in spec:
        spec = defs[spec["$ref"].rsplit("/", 1)[1]]
    for option in spec.get("anyOf", []):
        if option.get("type") == "object" or "$ref" in option or option.get("type") == "array":
            keys_used(node, defs, option, at, out)
    if isinstance(node, dict) and "properties" in spec:
        for key, value in node.items():
            if key not in spec["properties"]:
                out.append(f"{at}.{key}")
            else:
                keys_used(value, defs, spec["properties"][key], f"{at}.{key}", out)
    if isinstance(node, list) and isinstance(spec.get("items"), dict):
        for i, item in enumerate(node):
            keys_used(item, defs, spec["items"], f"{at}[{i}]", out)


SCENARIOS = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml") if not p.name.endswith(".standard.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_schema_accepts_every_field_of_the_shipped_scenarios(schema: dict[str, Any], path: Path) -> None:
    """An editor wired to the schema must not flag a field of a valid scenario as unknown."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown: list[str] = []
    keys_used(data, schema["$defs"], schema, "", unknown)
    assert unknown == []


def test_classify_lists_every_taizhou_office() -> None:
    offices = yaml.safe_load(TAIZHOU.read_text(encoding="utf-8"))["offices"]
    result = run("classify", str(TAIZHOU), "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)["offices"]
    assert [r["id"] for r in rows] == [o["id"] for o in offices] and len(rows) == 88
    assert [r["name"] for r in rows] == [o["name"] for o in offices]
    for row in rows:
        assert row["tier"] in ("large", "medium", "small")
        assert row["reason"].startswith(row["tier"] + ": ")
        assert row["reason_zh"].startswith({"large": "大型", "medium": "中型", "small": "小型"}[row["tier"]])
    table = run("classify", str(TAIZHOU))
    mix = {t: sum(r["tier"] == t for r in rows) for t in ("large", "medium", "small")}
    assert table.exit_code == 0
    assert f"88 个司法所：大型 {mix['large']}，中型 {mix['medium']}，小型 {mix['small']}" in table.output


def test_validate_the_taizhou_scenario() -> None:
    result = run("validate", str(TAIZHOU))
    assert result.exit_code == 0
    assert f"{TAIZHOU}：有效 — 6 个县区 88 个司法所，标准 jiangsu-2021，规划期 2022–2023" in result.output


@pytest.mark.parametrize("command", ["validate", "classify", "schema"])
def test_help(command: str) -> None:
    result = run(command, "--help", "--lang", "en")
    assert result.exit_code == 0 and "Usage: " in result.output
    result = run(command, "--help", "--lang", "zh")
    assert result.exit_code == 0 and "用法： " in result.output


def test_missing_argument_is_a_usage_error() -> None:
    assert run("classify").exit_code == 2


def test_solve_summary_names_roles_in_chinese(tmp_path: Path) -> None:
    """The summary's people hired use the standard's role names, not ids like `posts`."""
    result = run("solve", str(TAIZHOU), "-o", str(tmp_path), "--lang", "zh", "--workers", "2")
    assert result.exit_code == 0, result.output
    hired = next(line for line in result.output.splitlines() if "招录：" in line)
    assert "政法专项编制人员" in hired and "posts" not in hired and "correction_sw" not in hired
