"""YAML reading that remembers the line of every key, so errors can name file:line:field.

PyYAML's composer gives nodes with marks; we build plain Python data and, beside it, a map from
each path (tuple of keys and list indices) to its 1-based line.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planner.errors import ScenarioError, ScenarioIssue, format_path
from planner.i18n import tr

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NODES = 500_000  # guards against alias bombs: expansion is counted node by node
MAX_DEPTH = 64

Path_ = tuple[object, ...]


@dataclass
class SourceMap:
    """Where each value of a loaded file came from."""

    file: str
    lines: dict[Path_, int] = field(default_factory=dict)
    # Office tables only: field path below the row → "column D “类型”", for messages.
    columns: dict[Path_, str] = field(default_factory=dict)
    # Office tables only: what was read but may not be what was meant (a formula without a value).
    warnings: list[ScenarioIssue] = field(default_factory=list)

    def column_of(self, path: Path_) -> str | None:
        """The table column holding `path` (or its closest ancestor), if this map is a table's."""
        p = tuple(path)
        while p:
            if p in self.columns:
                return self.columns[p]
            p = p[:-1]
        return None

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its closest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), None)

    def issue(self, path: Path_, message: str, field_name: str | None = None) -> ScenarioIssue:
        return ScenarioIssue(self.file, self.line_of(path), field_name or format_path(path), message)


def read_text(path: Path, display: str) -> str:
    """File bytes as text; refuses what is not UTF-8 with a message saying how to fix it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError([ScenarioIssue(display, None, "", tr(f"无法读取文件：{_os_reason_zh(exc)}",
                                                                  f"cannot read file: {exc.strerror}"))])
    if size > MAX_FILE_BYTES:
        raise ScenarioError([ScenarioIssue(display, None, "", tr(
            f"文件大小 {size // 1_048_576} MB，超过上限 {MAX_FILE_BYTES // 1_048_576} MB",
            f"file is {size // 1_048_576} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB"))])
    data = path.read_bytes()
    if b"\x00" in data:
        raise ScenarioError([ScenarioIssue(display, None, "", tr("二进制文件，不是 YAML 文本文件",
                                                                  "binary file, not a YAML text file"))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        gbk = _looks_gbk(data)
        raise ScenarioError([ScenarioIssue(display, line, "", tr(
            f"不是 UTF-8 文本（{'看起来是 GBK 编码；' if gbk else ''}请另存为 UTF-8，例如记事本：另存为 → 编码 UTF-8）",
            f"not UTF-8 text ({'it looks like GBK; ' if gbk else ''}save the file as UTF-8, "
            "e.g. in Notepad: 另存为 → 编码 UTF-8)"))])


_OS_REASONS_ZH = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
                  errno.EISDIR: "这是文件夹，不是文件", errno.ENAMETOOLONG: "文件名过长"}


def _os_reason_zh(exc: OSError) -> str:
    """Why the system refused a file, in Chinese where the reason is a common one (else the system's words)."""
    return _OS_REASONS_ZH.get(exc.errno or 0, exc.strerror or str(exc))


def _looks_gbk(data: bytes) -> bool:
    try:
        data.decode("gb18030")
        return True
    except UnicodeDecodeError:
        return False


class _Builder:
    def __init__(self, smap: SourceMap) -> None:
        self.smap = smap
        self.count = 0
        self.limit = MAX_NODES

    def tick(self, n: int, path: Path_, what: tuple[str, str]) -> None:
        """Count `n` more nodes (or merged pairs); past the limit the document is refused.
        `what` is the message (zh, en), translated only when raised: this runs once per node."""
        self.count += n
        if self.count > self.limit:
            raise ScenarioError([self.smap.issue(path, tr(*what))])

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.tick(1, path, ("文件过大或嵌套过深（YAML 别名展开过多？）",
                            "document too large or too deeply nested (YAML aliases expand too far?)"))
        if depth > MAX_DEPTH:
            raise ScenarioError([self.smap.issue(path, tr("嵌套过深", "document nested too deeply"))])
        self.smap.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            explicit, merged = self.pairs(node, path, depth)
            out: dict[Any, Any] = {}
            first: dict[str, tuple[Any, int]] = {}  # key as the scenario means it → (key, line)
            for n, (key_node, value_node) in enumerate(explicit + merged):
                key = self.build(key_node, path + ("<key>",), depth + 1)
                line = key_node.start_mark.line + 1
                if isinstance(key, (dict, list)) or key is None:
                    raise ScenarioError([ScenarioIssue(self.smap.file, line, _fmt(path),
                                                       tr("键须是名称或年份", "keys must be plain names or years"))])
                same = _key_identity(key)
                if same in first:
                    if n >= len(explicit):
                        continue  # merged in by `<<`: the mapping's own key (or an earlier merge) wins
                    raise ScenarioError([_duplicate(self.smap.file, path, key, line, *first[same])])
                first[same] = (key, line)
                self.smap.lines[path + (key,)] = line
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, path + (i,), depth + 1) for i, v in enumerate(node.value)]
        return _scalar(node, self.smap.file, path)

    def pairs(self, node: yaml.MappingNode, path: Path_, depth: int) -> tuple[list[Any], list[Any]]:
        """A mapping's own (key, value) nodes, and those that YAML merge keys bring in.

        `<<: *defaults` (or `<<: [*a, *b]`) copies the keys of the anchored mappings that the
        mapping does not set itself; earlier mappings in the list win. Bureaus use it for the
        fields many offices share. Merged pairs count against the node limit as they are
        gathered: `<<: [*a, *a, …]` nested 8 deep is 9^8 pairs from 500 bytes.
        """
        if depth > MAX_DEPTH:
            raise ScenarioError([ScenarioIssue(self.smap.file, node.start_mark.line + 1, "",
                                               tr("合并键（<<）嵌套过深", "merge keys nested too deeply"))])
        explicit: list[Any] = []
        merged: list[Any] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                explicit.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise ScenarioError([ScenarioIssue(
                        self.smap.file, key_node.start_mark.line + 1, "<<",
                        tr("合并键取一个映射或映射的列表，例如 `<<: *defaults`",
                           "a merge key takes a mapping or a list of mappings, e.g. `<<: *defaults`"))])
                own, inherited = self.pairs(source, path, depth + 1)
                self.tick(len(own) + len(inherited), path,
                          ("合并键（<<）展开过多（合并炸弹？）", "merge keys (<<) expand too far (a merge bomb?)"))
                merged.extend(own + inherited)
        return explicit, merged


def _key_identity(key: Any) -> str:
    """A key as the scenario means it: `2024` and `'2024'` are the same year, `1.0` and `1` the same."""
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


def _duplicate(file: str, path: Path_, key: Any, line: int, first_key: Any, first_line: int) -> ScenarioIssue:
    if repr(key) == repr(first_key):
        zh, en = f"重复的键（第 {first_line} 行已有）", f"duplicate key (also on line {first_line})"
    else:
        zh = f"重复的键：此处的 {key!r} 与第 {first_line} 行的 {first_key!r} 是同一个键"
        en = f"duplicate key: {key!r} here and {first_key!r} on line {first_line} are the same key"
    return ScenarioIssue(file, line, _fmt(path + (first_key,)), tr(zh, en))


def _fmt(path: Path_) -> str:
    return format_path(path)


_MERGE_TAG = "tag:yaml.org,2002:merge"
_CORE = "tag:yaml.org,2002:"


class _CoreResolver(yaml.resolver.BaseResolver):
    """Plain scalars resolved by the YAML 1.2 core schema, not PyYAML's YAML 1.1 one.

    So `1:30` is text (1.1: 90), `yes`/`no`/`on`/`off` are text (1.1: booleans), and `2022-01-01`
    is text (1.1: a date). Numbers with a leading zero resolve as int here and are refused in
    `_scalar`, because 1.1 readers take them as octal. `<<` stays a merge key.
    """


for _tag, _pattern, _first in [
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
    ("merge", r"^<<$", ["<"]),
]:
    _CoreResolver.add_implicit_resolver(_CORE + _tag, re.compile(_pattern), _first)


# libyaml's parser when PyYAML was built with it (`yaml.cyaml`; `yaml` itself does not export
# CParser): the same nodes and marks, 4× faster on a 1,300-office scenario (docs/benchmarks.md).
_CParser = getattr(getattr(yaml, "cyaml", None), "CParser", None)
if _CParser is not None:
    class _Composer(_CParser, _CoreResolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # type: ignore[misc]
            _CoreResolver.__init__(self)
else:
    class _Composer(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                    yaml.composer.Composer, _CoreResolver):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _CoreResolver.__init__(self)

_LEADING_ZERO = re.compile(r"^[-+]?0[0-9]+$")


def _scalar(node: yaml.ScalarNode, file: str, path: Path_) -> Any:
    """A scalar's value by its tag: YAML 1.2 core meanings for plain scalars, text otherwise.

    Explicit standard tags (`!!str 1`, `!!int "3"`) are honoured; any other tag is refused.
    """
    text, tag = node.value, node.tag
    line = node.start_mark.line + 1
    try:
        if tag == _CORE + "str":
            return text
        if tag == _CORE + "null":
            return None
        if tag == _CORE + "bool":
            return text.lower() == "true"
        if tag == _CORE + "int":
            if _LEADING_ZERO.match(text.strip()):
                value = int(text, 10)
                octal = int(text.replace("0", "", 1), 8) if re.fullmatch(r"[-+]?0[0-7]+", text) else None
                reads = tr(f"YAML 1.1 读作八进制数 {octal}，", f"YAML 1.1 reads it as the octal number {octal}, ") \
                    if octal is not None else ""
                raise ScenarioError([ScenarioIssue(file, line, _fmt(path), tr(
                    f"{text} 以 0 开头：{reads}YAML 1.2 读作 {value}；请写 {value}（作文本时加引号 '{text}'）",
                    f"{text} starts with 0: {reads}YAML 1.2 as {value}; write {value} (or '{text}' in quotes "
                    "for text)"))])
            return int(text, 0) if text[:2].lower() in ("0x", "0o") else int(text, 10)
        if tag == _CORE + "float":
            low = text.lower().lstrip("+")
            if low in (".inf", "-.inf", ".nan"):
                return float(low.replace(".", ""))  # rejected by the schema with the field's name
            return float(text)
    except ValueError:
        pass  # e.g. `!!int abc`: refused below like an unknown tag
    else:
        if tag in (_CORE + "timestamp", _CORE + "binary"):
            return text  # explicit `!!timestamp`, `!!binary`: keep the text; the schema says what it wanted
    raise ScenarioError([ScenarioIssue(file, line, _fmt(path), tr(
        f"不支持的 YAML 标签 {tag[:60]!r}", f"YAML tag {tag[:60]!r} is not supported here"))])


def load_yaml(path: Path, display: str) -> tuple[Any, SourceMap]:
    """Parse a YAML file into plain data plus a line map; syntax errors name file and line."""
    text = read_text(path, display)
    smap = SourceMap(display)
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ScenarioError([ScenarioIssue(display, line, "", tr(f"YAML 语法错误：{exc.problem}",
                                                                  f"YAML syntax error: {exc.problem}"))])
    except yaml.YAMLError as exc:
        raise ScenarioError([ScenarioIssue(display, None, "", tr(_yaml_error_zh(exc, text), f"YAML error: {exc}"))])
    if node is None:
        raise ScenarioError([ScenarioIssue(display, 1, "", tr("文件为空", "file is empty"))])
    builder = _Builder(smap)
    # Alias bombs expand far beyond the text; an honest document has fewer nodes than bytes/2.
    builder.limit = max(MAX_NODES, len(text) // 2)
    return builder.build(node, (), 0), smap


def _yaml_error_zh(exc: yaml.YAMLError, text: str) -> str:
    """A YAML error without a mark, in Chinese: the reader's refusal of a control character names its line."""
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.character, int):
        # PyYAML's reader counts characters; libyaml's counts the bytes of the text as UTF-8
        line = (text[: exc.position].count("\n") if exc.encoding == "unicode"
                else text.encode("utf-8")[: exc.position].count(b"\n")) + 1
        return f"YAML 错误：第 {line} 行含有 YAML 不允许的控制字符 #x{exc.character:04x}，请删除"
    return f"YAML 错误：{exc}"
