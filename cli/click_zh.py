"""Click's own messages in Chinese: an unknown option or command, a missing argument, a bad value.

Click words these itself, through gettext: each of its modules formats a message with `_` or
`ngettext` when it raises the error. `install()` points those names at a lookup in `ZH` that
follows the command's language (planner/i18n.py), so `plan solve --bogus` says
`错误：没有选项 '--bogus'。` to a Chinese user; the help's headings (用法, 选项) too. The help texts
themselves are cli/help_zh.py's. A message missing from `ZH` (a newer Click) is shown in English,
as before.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import click

from cli.help_zh import follow_language
from planner.i18n import LANGS, current_lang, set_lang

# Click 8.x message templates (click/exceptions.py, core.py, parser.py, types.py, termui.py).
ZH: dict[str, str] = {
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "查看帮助：{command} {option}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想用其中之一：{possibilities}？）",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Got unexpected extra argument ({args})": "多出参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "Value must be an iterable.": "值必须是一组值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 之中。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数值。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值。可用：{states}",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式：{formats}。",
    "{name} {filename!r} does not exist.": "{filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "unknown error": "未知错误",
    "Aborted!": "已中止。",
    "Error: invalid input": "错误：输入无效",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    # The help's headings and option notes (click/formatting.py, core.py)
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
}

_MODULES = ("core", "exceptions", "formatting", "parser", "types", "termui")


def gettext(message: str) -> str:
    """`message` in the command's language: Click's English, or its entry in ZH."""
    return ZH.get(message, message) if current_lang() == "zh" else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Point Click's `_` and `ngettext` at ours (the hook Click keeps for translations), and its
    help formatter and missing-parameter message at the Chinese punctuation below."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    click.Context.formatter_class = HelpFormatter
    if not hasattr(click.exceptions.MissingParameter, "_format_message_en"):
        missing = click.exceptions.MissingParameter
        missing._format_message_en = missing.format_message  # type: ignore[attr-defined]
        missing.format_message = _missing_message  # type: ignore[method-assign]


class HelpFormatter(click.HelpFormatter):
    """Click's, with a full-width colon after a Chinese heading (选项：); Click writes ':'."""

    def write_heading(self, heading: str) -> None:
        if current_lang() != "zh":
            super().write_heading(heading)
        else:
            self.write(f"{'':>{self.current_indent}}{heading}：\n")


def _missing_message(self: click.exceptions.MissingParameter) -> str:
    """Click ends `Missing argument 'X'` with a '.' of its own, outside gettext: 。 in Chinese."""
    message: str = self._format_message_en()  # type: ignore[attr-defined]
    if current_lang() != "zh":
        return message
    head, dot, rest = message.partition(".")
    return f"{head}。{rest.lstrip()}" if dot else message


def lang_in(args: Sequence[str]) -> str | None:
    """The `--lang` value anywhere in `args`, read before Click parses them: an unknown option is
    reported while parsing, before `--lang`'s own callback has run."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in LANGS:
            return value
    return None


class PlanGroup(click.Group):
    """The `plan` group: Click's usage errors follow `--lang` even when they come before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # None: PLAN_LANG, else the locale. `--lang` is also the default of the group's and the
        # command's own --lang (cli/common.py: lang_option), which may not get to run before an error
        ctx.meta["plan.lang"] = lang_in(args)
        set_lang(ctx.meta["plan.lang"])
        follow_language(self, args, current_lang())
        return super().parse_args(ctx, args)
