"""`plan … --help` in Chinese by default, in English with --lang en (cli/help_zh.py): every help
text has its Chinese, wrapped to the terminal by display width."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from cli.help_zh import wrapped
from cli.help_zh_text import HELP_ZH
from cli.main import cli

COMMANDS = sorted(cli.commands)


def english_texts() -> list[str]:
    """Every help text as the source writes it: the commands' and their options'."""
    texts = []
    for command in (cli, *cli.commands.values()):
        texts.append(getattr(command, "_help_en", command.help))
        texts += [getattr(p, "_help_en", p.help) for p in command.params if isinstance(p, click.Option) and p.help]
    return [t for t in texts if t]


def test_every_help_text_has_its_chinese() -> None:
    missing = [t[:60] for t in english_texts() if t not in HELP_ZH]
    assert not missing, f"add these to cli/help_zh_text.py: {missing}"


def help_of(*args: str, lang: str = "zh") -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], env={"PLAN_LANG": lang, "COLUMNS": "80"}, prog_name="plan")
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_is_chinese_and_fits_the_terminal(command: str) -> None:
    text = help_of(command)
    assert text.startswith(f"用法： plan {command} ") and "选项:" in text and "显示本帮助并退出。" in text
    english = cli.commands[command]
    first = HELP_ZH[getattr(english, "_help_en", english.help)].split("。")[0][:8]
    assert first in text
    # 80 columns, a Chinese character counted as two; a line Click cannot break (a long option
    # name, a path, an example command) may pass, but no Chinese prose does.
    too_wide = [line for line in text.splitlines()
                if cell_len(line) > 80 and not line.isascii() and not line.startswith("    plan ")]  # examples
    assert not too_wide, too_wide


def test_the_command_list_shows_each_commands_first_sentence() -> None:
    text = help_of()
    assert text.startswith("用法： plan [OPTIONS] COMMAND [ARGS]...") and "命令:" in text
    listed = {line.split()[0]: line for line in text.splitlines() if line.startswith("  ") and line.split()}
    for command in COMMANDS:
        assert command in listed and "..." not in listed[command] and not listed[command].isascii(), listed.get(command)


def test_english_on_request_and_back_after_chinese() -> None:
    help_of("solve")
    text = help_of("solve", lang="en")
    assert text.startswith("Usage: plan solve ") and "Options:" in text and "Show this message and exit." in text
    assert "Solve a scenario optimally" in text and "求解" not in text
    assert help_of("solve").startswith("用法：")
    assert "Usage: plan solve" in CliRunner().invoke(cli, ["solve", "--help", "--lang", "en"],
                                                     env={"PLAN_LANG": "zh"}, prog_name="plan").output


def test_wrapping_counts_a_chinese_character_as_two_columns() -> None:
    example = "\b\nplan solve a.yaml   # 例子，原样保留"
    text = wrapped("一" * 50 + "\n\n" + "二" * 20 + "。" + "三" * 19 + "]。\n\n" + example, 40)
    first, marks, kept = text.split("\n\n")
    assert first.split("\n") == ["\b", "一" * 20, "一" * 20, "一" * 10]
    assert marks.split("\n") == ["\b", "二" * 20 + "。", "三" * 19 + "]。"]  # closing marks hang
    assert kept == example
