"""`plan … --help` in Chinese when the language is zh (the texts: cli/help_zh_text.py).

Click prints each command's and option's `help` attribute. Before a command line that asks for
help is parsed, `localize` puts the Chinese text in (and the English back for `--lang en`). Click
wraps by characters, and a Chinese character takes two columns, so its wrapping would make lines
twice the terminal's width: the Chinese is wrapped here by display width (rich measures the
cells; a line may break before any Chinese character) and handed to Click as paragraphs it must
not rewrap (`\\b`). An option's note (`[默认：60.0]`) goes on a line of its own.
"""

from __future__ import annotations

import re

import click

# Display columns for the text of a command's help (Click indents it by 2 of its 78) and for an
# option's, beside the option column (up to 32 of the 78).
COMMAND_WIDTH = 74
HELP_WIDTH = 78  # Click's: 80 columns less 2
OPTION_WIDTH = 40
NO_REWRAP = "\b"


def follow_language(group: click.Group, args: list[str], lang: str) -> None:
    """Before `args` are parsed: the help in `lang` when they ask for it (no arguments, -h or
    --help), and the English back once a Chinese help has been shown in this process (tests)."""
    if not args or any(a in ("-h", "--help") for a in args) or hasattr(group, "_help_en"):
        localize(group, lang)


def localize(group: click.Group, lang: str) -> None:
    """Every command's and option's help in `lang`; a text with no Chinese stays English."""
    # the command list's text column: after Click's 2-column indent, the longest name and 2 spaces
    short_width = HELP_WIDTH - 2 - max(map(len, group.commands)) - 2
    for command in (group, *group.commands.values()):
        english_short = _keep_english(command, "short_help")
        translated = _set(command, "help", lang, COMMAND_WIDTH)
        command.short_help = _short(command.help, short_width) if translated and command.help else english_short
        _set_epilog(command, lang)
        # -h/--help itself: Click makes it once per command, in English (cached), so make it now,
        # with the group's names for it: a bare Context would cache "--help" alone, and `-h` was
        # then "no such option" whenever a help had been localized first (`plan solve -h`).
        names = group.context_settings.get("help_option_names", ["--help"])
        help_option = command.get_help_option(click.Context(command, help_option_names=names))
        for param in (*command.params, help_option):
            if isinstance(param, click.Option):
                _set(param, "help", lang, OPTION_WIDTH, note_below=True)


def _set(obj: object, attr: str, lang: str, width: int, note_below: bool = False) -> bool:
    """`attr` in `lang`; whether it is now Chinese."""
    from cli.help_zh_text import HELP_ZH  # lazy: only a help request reads it

    english = _keep_english(obj, attr)
    chinese = HELP_ZH.get(english) if lang == "zh" and english is not None else None
    # Click appends an option's note to its help: after a newline it gets a line of its own
    setattr(obj, attr, english if chinese is None else wrapped(chinese, width) + ("\n" if note_below else ""))
    return chinese is not None


def _set_epilog(command: click.Command, lang: str) -> None:
    """The examples' heading and comments in `lang`, line by line."""
    from cli.help_zh_text import EPILOG_ZH

    english = _keep_english(command, "epilog")
    if lang != "zh" or not english:
        command.epilog = english
        return
    command.epilog = "\n".join(_epilog_line(line, EPILOG_ZH) for line in english.split("\n"))


def _epilog_line(line: str, table: dict[str, str]) -> str:
    code, mark, comment = line.partition("#")
    if mark:
        return code + table.get(mark + comment.rstrip(), mark + comment)
    return table.get(line, line)


def _keep_english(obj: object, attr: str) -> str | None:
    """The English text of `attr`, kept aside the first time it is replaced."""
    saved = f"_{attr}_en"
    if not hasattr(obj, saved):
        setattr(obj, saved, getattr(obj, attr))
    return getattr(obj, saved)  # type: ignore[no-any-return]


def wrapped(text: str, width: int) -> str:
    """`text`'s paragraphs wrapped at `width` display columns, each marked for Click not to
    rewrap; a paragraph already so marked (examples) is kept as it is."""
    out = []
    for paragraph in text.strip().split("\n\n"):
        if paragraph.startswith(NO_REWRAP):
            out.append(paragraph)
        else:
            out.append("\n".join([NO_REWRAP, *_lines(" ".join(paragraph.split("\n")), width)]))
    return "\n\n".join(out)


# A line may break before any Chinese character, and between words elsewhere; never before a
# closing mark, which hangs at the end of its line instead, nor after an opening one.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_TOKEN = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+|\\s+")
_NO_LINE_START = set("，。、；：？！）》」』”’)]}.,;:!?")
_NO_LINE_END = set("（《「『“‘([{")


def _lines(paragraph: str, width: int) -> list[str]:
    from rich.cells import cell_len  # lazy: help only

    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(paragraph):
        if token.isspace():
            line += " " if line else ""
        elif line.strip() and cell_len(line + token) > width and token[0] not in _NO_LINE_START:
            # an opening mark moves down with the word it opens
            opening = line[-1] if line[-1] in _NO_LINE_END and len(line) > 1 else ""
            lines.append(line[: len(line) - len(opening)].rstrip())
            line = opening + token
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def _short(help_text: str, width: int) -> str:
    """The command list's line: the Chinese help's first sentence (Click's own cut looks for
    spaces and '.', and would show only '...'), shortened to `width` columns at a clause:
    the last clause after '：' or '，' goes first, then a note in brackets."""
    from rich.cells import cell_len  # lazy: help only

    lines = [ln for ln in help_text.split("\n") if ln and ln != NO_REWRAP]
    sentence = "".join(lines).split("。")[0]
    while cell_len(sentence + "。") > width:
        shorter = _drop_last_clause(sentence)
        if shorter == sentence:
            break
        sentence = shorter
    return sentence + "。"


_NOTE = re.compile(r"（[^（）]*）")


def _drop_last_clause(sentence: str) -> str:
    """`sentence` without its last clause outside brackets, or else without its last note in
    brackets; unchanged when it has neither."""
    depth, cut = 0, -1
    for i, ch in enumerate(sentence):
        depth += ch == "（"
        depth -= ch == "）"
        if depth == 0 and ch in "：，":
            cut = i
    if cut > 0:
        return sentence[:cut]
    notes = list(_NOTE.finditer(sentence))
    return sentence[: notes[-1].start()] + sentence[notes[-1].end() :] if notes else sentence
