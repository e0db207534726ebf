"""Every broken scenario in tests/broken/ is refused by `plan validate` with exit 1, naming file, line
and field, and never with a traceback. Each file's first line says what to expect:
`# expect: LINE | FIELD | MESSAGE FRAGMENT [@FILE]` (FILE when the error is in an office table)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli

BROKEN = Path(__file__).parent / "broken"


def expectation(path: Path) -> tuple[int, str, str, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    line, field, rest = (part.strip() for part in first.removeprefix("# expect:").split("|"))
    message, _, file = rest.partition("@")
    return int(line), field, message.strip(), file.strip() or path.name


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_broken_file_is_refused_with_file_line_field(path: Path) -> None:
    line, field, message, file = expectation(path)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    where = f"{BROKEN / file}:{line}:"
    assert where in result.output, result.output
    if field:
        assert f": {field}: " in result.output, result.output
    assert message in result.output, result.output


def test_there_are_at_least_20_broken_files() -> None:
    assert len(list(BROKEN.glob("*.yaml"))) >= 20
