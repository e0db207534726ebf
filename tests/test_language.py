"""`--lang zh|en` on every command; Chinese by default, English with --lang en or PLAN_LANG=en."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli

BROKEN = Path(__file__).parent / "broken"
NO_LANG = {"PLAN_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}

CASES = {  # broken file → (Chinese message, English message), after "file:line: field: "
    "unknown_role.yaml": (
        "29: offices[0].staff.mediatrs: 标准 jiangsu-2021 中没有岗位 'mediatrs'（是否应为 'mediators'？）",
        "29: offices[0].staff.mediatrs: unknown role 'mediatrs' in standard jiangsu-2021 (did you mean 'mediators'?)"),
    "gdp_rank_zero.yaml": (
        "27: offices[0].gdp_rank: 应大于或等于 1（实际为 0）",
        "27: offices[0].gdp_rank: Input should be greater than or equal to 1 (got 0)"),
    "missing_required.yaml": (
        "21: offices[0].kind: 必填字段缺失",
        "21: offices[0].kind: required field is missing"),
    "year_not_covered.yaml": (
        "8: budget: 甲县 2023 年没有预算：请写 `2023: 数额`（全情景）或 `甲县: {2023: 数额}`（或其所在市、省的预算）",
        "8: budget: no budget covers 甲县 in 2023: give `2023: amount` (scenario-wide) or `甲县: {2023: amount}` "
        "(or its city's or province's)"),
    "bool_count.yaml": (
        "25: offices[0].population: 应为数字，不能是 true/false（实际为 True）",
        "25: offices[0].population: expected a number, not true/false (got True)"),
}


def validate(path: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, ["validate", str(path), *args], env={**NO_LANG, **(env or {})})
    assert result.exit_code == 1, result.output
    return result.output


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_same_broken_file_is_reported_in_chinese_by_default_and_in_english_on_request(name: str) -> None:
    zh, en = CASES[name]
    path = BROKEN / name
    assert validate(path) == f"错误 {path}:{zh}\n共 1 个错误；未求解，也未写入任何文件。\n"
    english = f"error {path}:{en}\n1 error; nothing was solved or written.\n"
    assert validate(path, "--lang", "en") == english
    assert validate(path, env={"PLAN_LANG": "en"}) == english
    assert validate(path, env={"LANG": "en_US.UTF-8"}) == english  # an English locale
    assert validate(path, "--lang", "zh", env={"PLAN_LANG": "en"}).startswith("错误 ")  # the option wins


def test_every_command_takes_lang() -> None:
    for name, command in cli.commands.items():
        assert any(p.name == "lang" for p in command.params), name


def test_a_bad_lang_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["validate", "x.yaml", "--lang", "fr"], env=NO_LANG)
    assert result.exit_code == 2 and "错误：'--lang' 的值无效：'fr' 不在可选值 'zh', 'en' 之中。" in result.output
    result = CliRunner().invoke(cli, ["validate", "x.yaml", "--lang", "fr"], env={"PLAN_LANG": "en"})
    assert result.exit_code == 2 and "Error: Invalid value for '--lang': 'fr' is not one of 'zh', 'en'." in result.output


USAGE_ERRORS = [  # arguments → (Chinese, English) last line of Click's usage error
    (["solve", "--bogus"], "错误：没有选项 '--bogus'。", "Error: No such option '--bogus'."),
    (["sovle"], "错误：没有命令 'sovle'。 是否想用 'solve'？", "Error: No such command 'sovle'. Did you mean 'solve'?"),
    (["solve"], "错误：缺少参数 'SCENARIO'。", "Error: Missing argument 'SCENARIO'."),
    (["solve", "x.yaml", "--time-limit", "abc"], "错误：'--time-limit' 的值无效：'abc' 不是有效的数值。",
     "Error: Invalid value for '--time-limit': 'abc' is not a valid float range."),
    (["solve", "x.yaml", "--time-limit", "0"], "错误：'--time-limit' 的值无效：0.0 不在范围 x>=0.1 内。",
     "Error: Invalid value for '--time-limit': 0.0 is not in the range x>=0.1."),
    (["solve", "x.yaml", "--time-limit"], "错误：选项 '--time-limit' 需要一个值。",
     "Error: Option '--time-limit' requires an argument."),
    (["solve", "a.yaml", "b.yaml"], "错误：多出参数（b.yaml）", "Error: Got unexpected extra argument (b.yaml)"),
]


@pytest.mark.parametrize(("args", "zh", "en"), USAGE_ERRORS)
def test_clicks_own_usage_errors_follow_the_language(args: list[str], zh: str, en: str) -> None:
    """Click words these itself; cli/click_zh.py gives them in Chinese, the default language."""
    def last_line(*extra: str, env: dict[str, str] = NO_LANG) -> str:
        result = CliRunner().invoke(cli, [args[0], *extra, *args[1:]], env=env)
        assert result.exit_code == 2, result.output
        return result.output.strip().splitlines()[-1]

    assert last_line() == zh
    assert last_line(env={**NO_LANG, "PLAN_LANG": "en"}) == en
    # --lang is read before Click parses the arguments, so it holds even for an error met before it
    assert last_line("--lang", "en") == en
    assert last_line("--lang=en") == en
    assert last_line("--lang", "zh", env={**NO_LANG, "PLAN_LANG": "en"}) == zh


def test_the_language_of_usage_errors_does_not_leak_into_the_next_command() -> None:
    CliRunner().invoke(cli, ["solve", "--bogus", "--lang", "en"], env=NO_LANG)
    assert CliRunner().invoke(cli, ["solve", "--bogus"], env=NO_LANG).output.strip().endswith("没有选项 '--bogus'。")


def test_warnings_are_in_the_chosen_language(tmp_path: Path) -> None:
    import yaml
    from test_rules import BASE, office, scenario

    no_rank = office(staff={"posts": 2, "mediators": 1})
    del no_rank["gdp_rank"]
    costs = {"roles": {k: v for k, v in BASE["costs"]["roles"].items() if k != "mediators"}}
    path = tmp_path / "w.yaml"
    path.write_text(yaml.safe_dump(scenario(offices=[no_rank], costs=costs), allow_unicode=True), encoding="utf-8")

    def warnings(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["validate", str(path), *args], env=NO_LANG)
        assert result.exit_code == 0, result.output
        return [line.split(": ", 1)[1] for line in result.output.splitlines() if line.startswith(("警告 ", "warning "))]

    assert warnings() == [
        "offices[0].gdp_rank: 司法所 A：缺少 gdp_rank，经济条件视为满足",
        "offices[0]: 司法所 A（small）2022 年无论如何都无法达标：需要 mediators 2 人，现有 1 人，"
        "而 costs.roles 中没有该岗位的价格"]
    assert warnings("--lang", "en") == [
        "offices[0].gdp_rank: office A: no gdp_rank; the economy criterion is treated as met",
        "offices[0]: office A (small) can never attain in 2022: needs 2 mediators but has 1 and the role has no "
        "price in costs.roles"]
