"""`plan … --help` in Chinese by default, in English with --lang en (cli/help_zh.py): every help
text has its Chinese, wrapped to the terminal by display width."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from cli.help_zh import _short, wrapped
from cli.help_zh_text import EPILOG_ZH, HELP_ZH
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
    assert text.startswith(f"用法： plan {command} ") and "选项：" in text and "显示本帮助并退出。" in text
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
    assert text.startswith("用法： plan [OPTIONS] COMMAND [ARGS]...") and "命令：" in text
    listed = {line.split()[0]: line for line in text.splitlines() if line.startswith("  ") and line.split()}
    for command in COMMANDS:
        assert command in listed and "..." not in listed[command] and not listed[command].isascii(), listed.get(command)
        assert cell_len(listed[command]) <= 80 and listed[command].endswith("。"), listed[command]


def test_a_long_first_sentence_loses_its_last_clauses_then_its_notes_to_fit() -> None:
    help_text = "\b\n写出 Excel 情景模板：说明、基本设置、达标目标。其余"
    assert _short(help_text, 47) == "写出 Excel 情景模板：说明、基本设置、达标目标。"  # 47 columns
    assert _short(help_text, 46) == "写出 Excel 情景模板。"
    noted = "由方案写出年度工作计划草稿（.docx，GB/T 9704 版式）。"
    assert _short(noted, 60) == noted
    assert _short(noted, 40) == "由方案写出年度工作计划草稿。"  # never cut inside the brackets


def epilog_comments() -> list[str]:
    """Every example's comment and every examples heading, as the source writes them."""
    epilogs = [getattr(c, "_epilog_en", c.epilog) or "" for c in (cli, *cli.commands.values())]
    lines = [line.strip() for epilog in epilogs for line in epilog.split("\n")]
    comments = {line[line.index("#"):] for line in lines if "#" in line}
    return sorted(comments | {line for line in lines if line.endswith(":")})


def test_the_examples_heading_and_comments_are_chinese_and_english_on_request() -> None:
    assert epilog_comments() and not [c for c in epilog_comments() if c not in EPILOG_ZH]
    zh, en = help_of(), help_of(lang="en")
    assert "  示例：" in zh and "# 写出 out/2022/plan.json" in zh and "Examples:" not in zh
    assert "  Examples:" in en and "# writes out/2022/plan.json" in en and "示例" not in en
    assert "    plan solve scenarios/2022.yaml --explain" in zh  # the commands stay as typed


def test_the_group_takes_lang_and_the_command_follows_it() -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["--lang", "en", "--help"], env={"PLAN_LANG": "zh"}, prog_name="plan").output
    assert out.startswith("Usage: plan [OPTIONS]") and "Commands:" in out
    out = runner.invoke(cli, ["--lang", "en", "solve"], env={"PLAN_LANG": "zh"}, prog_name="plan").output
    assert "Error: Missing argument 'SCENARIO'." in out
    out = runner.invoke(cli, ["solve"], env={"PLAN_LANG": "zh"}, prog_name="plan").output
    assert "错误：缺少参数 'SCENARIO'。" in out  # the group's choice did not stay behind


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
    assert wrapped("四" * 19 + "（注）", 40).split("\n") == ["\b", "四" * 19, "（注）"]  # opening ones move down
    assert kept == example


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", [["-h"], ["solve", "-h"], ["verify", "-h"]])
def test_dash_h_is_help_like_dash_dash_help(args: list[str], lang: str) -> None:
    """`-h` was "no such option" once a help had been put in the user's language: the cached help
    option had only `--help`."""
    runner = CliRunner()
    short = runner.invoke(cli, args, env={"PLAN_LANG": lang, "COLUMNS": "80"}, prog_name="plan")
    assert short.exit_code == 0, short.output
    assert short.output == help_of(*args[:-1], lang=lang)


@pytest.mark.parametrize(("lang", "line"), [("zh", "plan 版本 "), ("en", "plan, version ")])
def test_version_in_the_users_language(lang: str, line: str) -> None:
    import importlib.metadata

    for args in (["--version"], ["--lang", lang, "--version"], ["--version", "--lang", lang]):
        env = {"PLAN_LANG": lang if args == ["--version"] else ("en" if lang == "zh" else "zh")}
        result = CliRunner().invoke(cli, args, env=env, prog_name="plan")
        assert result.exit_code == 0, result.output
        assert result.output == line + importlib.metadata.version("justice-office-planner") + "\n"
