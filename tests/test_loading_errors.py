"""Broken input is refused with exit 1 and one message naming file, line and field (docs/reference.md §8, §10).

Every file in tests/broken/ holds exactly one mistake and says on its first line what `plan validate`
must answer: `# expect: LINE | FIELD | MESSAGE FRAGMENT [@FILE]`, FILE when the error is in an office
table or a custom standard the scenario points at (a path relative to tests/broken/).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli

BROKEN = Path(__file__).parent / "broken"
ERROR_LINE = re.compile(r"^error (.+?):(\d+): ([^ ]+): ")


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The expectations are the English messages (planner.i18n: PLAN_LANG)."""
    monkeypatch.setenv("PLAN_LANG", "en")


def expectation(path: Path) -> tuple[int, str, str, str]:
    """(line, field, message fragment, file) from the first line of a broken file."""
    # The GBK file's first line is ASCII, so reading it as UTF-8 is safe for every file.
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    line, field, rest = (part.strip() for part in first.removeprefix("# expect:").split("|"))
    message, _, file = rest.partition("@")
    return int(line), field, message.strip(), file.strip() or path.name


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_broken_file_gives_exit_1_and_one_error_at_file_line_field(path: Path, lang: str) -> None:
    """The expected message is the English one; in Chinese the same error is at the same place."""
    line, field, message, file = expectation(path)
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", lang])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output, result.output
    label = "error " if lang == "en" else "错误 "
    errors = [text for text in result.output.splitlines() if text.startswith(label)]
    # One mistake, one message: no echo from pydantic's union branches or follow-on errors.
    assert len(errors) == 1, result.output
    where = f"{label}{BROKEN / file}:{line}: " + (f"{field}: " if field else "")
    assert errors[0].startswith(where), result.output
    if lang == "en":
        assert message in errors[0].removeprefix(where), result.output
        assert "1 error; nothing was solved or written." in result.output
    else:
        assert "共 1 个错误；未求解，也未写入任何文件。" in result.output


def test_there_are_at_least_20_broken_files_each_with_an_expectation() -> None:
    files = sorted(BROKEN.glob("*.yaml"))
    assert len(files) >= 20
    assert all(f.read_bytes().startswith(b"# expect: ") for f in files)


def test_gbk_scenario_is_refused_with_the_utf8_hint(tmp_path: Path) -> None:
    """GBK is what Notepad on Chinese Windows saves; the YAML scenario must be UTF-8."""
    text = (BROKEN / "unknown_role.yaml").read_text(encoding="utf-8").replace("mediatrs", "mediators")
    path = tmp_path / "gbk.yaml"
    path.write_bytes(text.encode("gbk"))
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 1
    # The first non-ASCII byte is in `name: 测试情景` on line 2 (line 1 is the expect comment).
    assert f"{path}:2: not UTF-8 text (it looks like GBK; save the file as UTF-8" in result.output


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope.yaml"), "--lang", "en"])
    assert result.exit_code == 1 and f"{tmp_path / 'nope.yaml'}: file not found" in result.output


def test_several_mistakes_are_all_reported_in_file_order(tmp_path: Path) -> None:
    text = (BROKEN / "unknown_role.yaml").read_text(encoding="utf-8")
    text = text.replace("population: 30000", "population: -1").replace("demand: low", "demand: lo")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 1
    lines = [m.groups()[:3] for m in map(ERROR_LINE.match, result.output.splitlines()) if m]
    # Field errors come first (the scenario cannot be built), so the role is checked only once
    # they are fixed; both field errors are listed at their own lines.
    assert lines == [(str(path), "25", "offices[0].population"), (str(path), "28", "offices[0].demand")]
    assert "did you mean 'low'?" in result.output


def test_yaml_merge_keys_load_like_the_expanded_file(tmp_path: Path) -> None:
    """`<<: *anchor` (fields many offices share) loads as if written out; the office's own keys win,
    and an error in an office's own key is still reported at that key's line."""
    from planner.io.loading import load_scenario

    head = "name: t\nstandard: jiangsu-2021\nhorizon: {start: 2022, end: 2023}\nbudget: {2022: 1, 2023: 1}\n"
    merged = head + (
        "offices:\n"
        "  - &town {id: A, name: 甲镇, county: 甲县, kind: township, gdp_rank: 1, demand: low,\n"
        "           staff: {posts: 2}}\n"
        "  - <<: *town\n"
        "    id: B\n"
        "    name: 乙镇\n"
        "    gdp_rank: 2\n")
    expanded = head + (
        "offices:\n"
        "  - {id: A, name: 甲镇, county: 甲县, kind: township, gdp_rank: 1, demand: low, staff: {posts: 2}}\n"
        "  - {id: B, name: 乙镇, county: 甲县, kind: township, gdp_rank: 2, demand: low, staff: {posts: 2}}\n")
    (tmp_path / "m.yaml").write_text(merged, encoding="utf-8")
    (tmp_path / "e.yaml").write_text(expanded, encoding="utf-8")
    assert load_scenario(tmp_path / "m.yaml").scenario == load_scenario(tmp_path / "e.yaml").scenario
    (tmp_path / "m.yaml").write_text(merged.replace("gdp_rank: 2", "gdp_rank: -2"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "m.yaml"), "--lang", "en"])
    assert result.exit_code == 1
    assert f"{tmp_path / 'm.yaml'}:11: offices[1].gdp_rank: Input should be greater than or equal to 1" \
        in result.output
