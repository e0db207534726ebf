"""YAML reading that remembers the line of every key, so errors can name file:line:field.

PyYAML's composer gives nodes with marks; we build plain Python data and, beside it, a map from
each path (tuple of keys and list indices) to its 1-based line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planner.errors import ScenarioError, ScenarioIssue
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
        from planner.errors import format_path

        return ScenarioIssue(self.file, self.line_of(path), field_name or format_path(path), message)


def read_text(path: Path, display: str) -> str:
    """File bytes as text; refuses what is not UTF-8 with a message saying how to fix it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError([ScenarioIssue(display, None, "", f"cannot read file: {exc.strerror}")])
    if size > MAX_FILE_BYTES:
        raise ScenarioError([ScenarioIssue(display, None, "",
                                           f"file is {size // 1_048_576} MB; the limit is "
                                           f"{MAX_FILE_BYTES // 1_048_576} MB")])
    data = path.read_bytes()
    if b"\x00" in data:
        raise ScenarioError([ScenarioIssue(display, None, "", "binary file, not a YAML text file")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        gbk = _looks_gbk(data)
        raise ScenarioError([ScenarioIssue(display, line, "", tr(
            f"不是 UTF-8 文本（{'看起来是 GBK 编码；' if gbk else ''}请另存为 UTF-8，例如记事本：另存为 → 编码 UTF-8）",
            f"not UTF-8 text ({'it looks like GBK; ' if gbk else ''}save the file as UTF-8, "
            "e.g. in Notepad: 另存为 → 编码 UTF-8)"))])


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

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > self.limit or depth > MAX_DEPTH:
            raise ScenarioError([self.smap.issue(path, "document too large or too deeply nested "
                                                 "(YAML aliases expand too far?)")])
        self.smap.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            explicit, merged = self.pairs(node, depth)
            out: dict[Any, Any] = {}
            for n, (key_node, value_node) in enumerate(explicit + merged):
                key = self.build(key_node, path + ("<key>",), depth + 1)
                if isinstance(key, (dict, list)) or key is None:
                    raise ScenarioError([ScenarioIssue(self.smap.file, key_node.start_mark.line + 1,
                                                       _fmt(path), "keys must be plain names or years")])
                if key in out:
                    if n >= len(explicit):
                        continue  # merged in by `<<`: the mapping's own key (or an earlier merge) wins
                    raise ScenarioError([ScenarioIssue(self.smap.file, key_node.start_mark.line + 1,
                                                       _fmt(path + (key,)), tr("键重复", "duplicate key"))])
                self.smap.lines[path + (key,)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, path + (i,), depth + 1) for i, v in enumerate(node.value)]
        return _scalar(node, self.smap.file)

    def pairs(self, node: yaml.MappingNode, depth: int) -> tuple[list[Any], list[Any]]:
        """A mapping's own (key, value) nodes, and those that YAML merge keys bring in.

        `<<: *defaults` (or `<<: [*a, *b]`) copies the keys of the anchored mappings that the
        mapping does not set itself; earlier mappings in the list win. Bureaus use it for the
        fields many offices share.
        """
        if depth > MAX_DEPTH:
            raise ScenarioError([ScenarioIssue(self.smap.file, node.start_mark.line + 1, "",
                                               "merge keys nested too deeply")])
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
                        "a merge key takes a mapping or a list of mappings, e.g. `<<: *defaults`")])
                own, inherited = self.pairs(source, depth + 1)
                merged.extend(own + inherited)
        return explicit, merged


def _fmt(path: Path_) -> str:
    from planner.errors import format_path

    return format_path(path)


_loader_for_scalars = yaml.SafeLoader("")


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    """Resolve a scalar exactly as yaml.safe_load would (ints, floats, bools, null, str)."""
    try:
        value = _loader_for_scalars.construct_object(node, deep=True)
    except yaml.YAMLError as exc:  # an unknown tag (`!foo 3`, `!!python/name:...`), a bad `!!int`
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([ScenarioIssue(file, node.start_mark.line + 1, "", f"YAML error: {problem}")])
    if isinstance(value, float) and not math.isfinite(value):
        return value  # rejected by the schema with the field's name
    if not isinstance(value, (str, int, float, bool, type(None))):
        return str(node.value)  # dates, binary etc.: keep the text; the schema says what it wanted
    return value


def load_yaml(path: Path, display: str) -> tuple[Any, SourceMap]:
    """Parse a YAML file into plain data plus a line map; syntax errors name file and line."""
    text = read_text(path, display)
    smap = SourceMap(display)
    try:
        # libyaml's composer when present: same nodes and marks, 5x faster on large files.
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ScenarioError([ScenarioIssue(display, line, "", tr(f"YAML 语法错误：{exc.problem}",
                                                                  f"YAML syntax error: {exc.problem}"))])
    except yaml.YAMLError as exc:
        raise ScenarioError([ScenarioIssue(display, None, "", f"YAML error: {exc}")])
    if node is None:
        raise ScenarioError([ScenarioIssue(display, 1, "", tr("文件为空", "file is empty"))])
    builder = _Builder(smap)
    # Alias bombs expand far beyond the text; an honest document has fewer nodes than bytes/2.
    builder.limit = max(MAX_NODES, len(text) // 2)
    return builder.build(node, (), 0), smap
