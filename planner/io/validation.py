"""Pydantic validation whose errors become located, bilingual `ScenarioIssue`s (file:line: field, "did you mean")."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.errors import ScenarioError, ScenarioIssue, excerpt, format_path
from planner.i18n import current_lang, tr
from planner.io.office_columns import VALUE_ALIASES
from planner.io.standards import TIERS, Standard
from planner.io.yamlsrc import SourceMap

WHAT_ZH = {"role": "岗位", "facility": "功能室", "caseload field": "业务量字段", "attribute": "条件属性"}

M = typing.TypeVar("M", bound=BaseModel)


def validate(model: type[M], raw: Any, smap: SourceMap, table_map: SourceMap | None) -> M:
    """`raw` as a `model`; raises `ScenarioError` with every problem, each once and at its line."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(_issues(model, exc, raw, smap, table_map)) from None


def _clean_loc(loc: tuple[Any, ...], raw: Any) -> tuple[Any, ...]:
    """Drop pydantic's union tags ('list[Office]', 'float', ...) by walking the real data."""
    out: list[Any] = []
    node = raw
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part.isdigit() and int(part) in node:
            out.append(int(part))
            node = node[int(part)]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and not (isinstance(part, str) and ("[" in part or part in _TYPE_TAGS)):
            out.append(part)  # a missing required field: keep its name
            node = None
    return tuple(out)


_TYPE_TAGS = {"int", "float", "str", "bool", "function-after", "constrained-int", "literal",
              "dict", "list", "union", "function-plain", "nullable"}


def _issues(model: type[BaseModel], exc: ValidationError, raw: Any, smap: SourceMap,
            table_map: SourceMap | None) -> list[ScenarioIssue]:
    errors = [(_clean_loc(tuple(e["loc"]), raw), e) for e in exc.errors()]
    kept = [(loc, e) for loc, e in errors if not _is_noise(loc, e, errors)]
    issues: list[ScenarioIssue] = []
    seen: set[tuple[Any, ...]] = set()
    for loc, err in kept:
        if loc in seen:
            continue
        seen.add(loc)
        if model is Standard and loc == () and err["type"] == "value_error":
            precise = _standard_reference_issues(raw, smap)
            if precise:
                issues.extend(precise)
                continue
        issues.append(locate(loc, _message(model, loc, err), smap, table_map))
    return issues


def _is_noise(loc: tuple[Any, ...], err: Any, errors: list[tuple[tuple[Any, ...], Any]]) -> bool:
    """Errors that only restate another one, so the user sees each problem once.

    * A union (`offices: list | path`, `caseload: n | {year: n}`) reports a type error for every
      branch the value did not take; when some branch got further into the value, its error is the
      real one.
    * A required field reported missing next to an unknown key that is its misspelling.
    """
    if err["type"].endswith("_type") or err["type"] in ("literal_error", "model_type"):
        for loc2, e2 in errors:
            if e2 is err or loc2[: len(loc)] != loc:
                continue
            if len(loc2) > len(loc) or not (e2["type"].endswith("_type") or e2["type"] == "model_type"):
                return True
    if err["type"] == "missing" and loc:
        for loc2, e2 in errors:
            if e2["type"] == "extra_forbidden" and loc2[:-1] == loc[:-1] and \
                    difflib.get_close_matches(str(loc2[-1]), [str(loc[-1])], n=1, cutoff=0.6):
                return True
    return False


def _message(model: type[BaseModel], loc: tuple[Any, ...], err: Any) -> str:
    if err["type"] == "extra_forbidden":
        names = _field_names_at(model, loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        return tr("未知字段", "unknown field") + (did_you_mean(hint[0]) if hint else
                                             (tr(f"；允许的字段：{'、'.join(names)}", f"; allowed: {', '.join(names)}")
                                              if names else ""))
    if err["type"] == "missing":
        return _missing()
    if err["type"] == "literal_error":
        return _literal_message(err)
    msg = _pydantic_zh(err) if current_lang() == "zh" else None
    if msg is None:
        msg = str(err["msg"]).removeprefix("Value error, ")
        # "a valid dictionary or instance of HousingOption": the class name means nothing to a user.
        msg = re.sub(r" or instance of \w+", "", msg).replace("valid dictionary", "mapping ({key: value, ...})")
    given = err.get("input")
    if not isinstance(given, (dict, list)):
        msg += tr(f"（实际为 {excerpt(given)}）", f" (got {excerpt(given)})")
    return msg


def _literal_message(err: Any) -> str:
    """`one of 'township', 'subdistrict' (got '街道'; write 'subdistrict' for 街道)`."""
    allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
    given = err.get("input")
    text = tr(f"应为 {'、'.join(repr(a) for a in allowed)} 之一（实际为 {excerpt(given)}",
              f"must be one of {', '.join(repr(a) for a in allowed)} (got {excerpt(given)}")
    zh = {k: v for aliases in VALUE_ALIASES.values() for k, v in aliases.items() if v in allowed}
    if isinstance(given, str) and given in zh:
        return text + tr(f"；{given} 请写作 '{zh[given]}'）", f"; write '{zh[given]}' for {given})")
    hint = difflib.get_close_matches(str(given), allowed, n=1, cutoff=0.6) if isinstance(given, str) else []
    return text + (tr(f"；是否应为 '{hint[0]}'？）", f"; did you mean '{hint[0]}'?)") if hint else tr("）", ")"))


def _missing() -> str:
    return tr("必填字段缺失", "required field is missing")


def did_you_mean(name: str) -> str:
    return tr(f"（是否应为 '{name}'？）", f" (did you mean '{name}'?)")


def _pydantic_zh(err: Any) -> str | None:
    """pydantic's own messages in Chinese, by error type; None: no translation (the English is kept).

    Our validators' messages (`value_error`) are already in the current language (written with `tr`)."""
    ctx = err.get("ctx") or {}
    bound = {k: int(v) if isinstance(v, float) and v.is_integer() else v  # 1, not 1.0, as pydantic says
             for k, v in ctx.items() if k in ("ge", "gt", "le", "lt", "min_length", "max_length")}
    templates = {
        "greater_than_equal": "应大于或等于 {ge}", "greater_than": "应大于 {gt}",
        "less_than_equal": "应小于或等于 {le}", "less_than": "应小于 {lt}",
        "int_type": "应为整数", "int_parsing": "应为整数", "int_from_float": "应为整数，不能有小数部分",
        "float_type": "应为数字", "float_parsing": "应为数字", "finite_number": "应为有限的数字",
        "string_type": "应为文本", "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
        "dict_type": "应为映射（{{键: 值, …}}）", "model_type": "应为映射（{{键: 值, …}}）",
        "model_attributes_type": "应为映射（{{键: 值, …}}）", "list_type": "应为列表",
        "string_too_short": "不能为空" if ctx.get("min_length") == 1 else "至少 {min_length} 个字符",
        "too_short": "至少 {min_length} 项", "too_long": "至多 {max_length} 项",
        "string_too_long": "至多 {max_length} 个字符",
    }
    template = templates.get(str(err["type"]))
    return template.format(**bound) if template is not None else None


def _field_names_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The allowed field names of the model found at `loc`, for 'did you mean'.

    Walks the annotations: a model's field, a list's item, a dict's value (e.g. the `RoleCost`
    under `costs.roles.mediators`, the `TierStandard` under `tiers.small`).
    """
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    found = _model_in(current)
    return list(found.model_fields) if found is not None else []


def _step(tp: Any, part: Any) -> Any:
    """The annotation one step below `tp` at key or index `part`, or None."""
    for branch in (tp, *typing.get_args(tp)) if typing.get_origin(tp) in (typing.Union, types.UnionType) \
            else (tp,):
        if _is_model(branch):
            info = branch.model_fields.get(part) if isinstance(part, str) else None
            if info is not None:
                return info.annotation
        origin = typing.get_origin(branch)
        if origin is list and isinstance(part, int):
            return typing.get_args(branch)[0]
        if origin is dict:
            return typing.get_args(branch)[1]
        if origin is typing.Annotated:
            return _step(typing.get_args(branch)[0], part)
    return None


def _model_in(tp: Any) -> type[BaseModel] | None:
    """The model a field holds directly or as `X | None`."""
    if _is_model(tp):
        return typing.cast(type[BaseModel], tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if _is_model(arg):
                return typing.cast(type[BaseModel], arg)
    return None


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _standard_reference_issues(raw: Any, smap: SourceMap) -> list[ScenarioIssue]:
    """The standard's cross-references (docs/reference.md §2), each at the line of the offending name.

    `Standard` checks them too but can only say so for the whole file; here we know the lines.
    """
    if not isinstance(raw, dict):
        return []
    names = {k: list(raw.get(k) or {}) for k in ("roles", "facilities", "caseload_fields", "attributes")}
    issues: list[ScenarioIssue] = []

    def check(loc: tuple[Any, ...], value: Any, kind: str, what: str) -> None:
        if value not in names[kind]:
            hint = difflib.get_close_matches(str(value), names[kind], n=1, cutoff=0.6)
            tail = did_you_mean(hint[0]) if hint else tr(f"；请在 `{kind}` 下声明", f"; declare it under `{kind}`")
            issues.append(smap.issue(loc, tr(f"未知{WHAT_ZH.get(what, what)} {excerpt(value)}{tail}",
                                             f"unknown {what} {excerpt(value)}{tail}")))

    tiers = raw.get("tiers") or {}
    for tier in TIERS:
        if tier not in tiers:
            issues.append(smap.issue(("tiers",), tr(f"缺少类别 {tier!r}（每个标准都要定义 large、medium、small）",
                                                    f"tier {tier!r} is missing (every standard defines "
                                                    "large, medium and small)")))
    for tier, ts in tiers.items():
        at = ("tiers", tier)
        for role in (ts.get("min_staff") or {}):
            check(at + ("min_staff", role), role, "roles", "role")
        for i, item in enumerate(ts.get("facilities") or []):
            if isinstance(item, dict):
                for j, group in enumerate(item.get("any_of") or []):
                    for k, fid in enumerate(group):
                        check(at + ("facilities", i, "any_of", j, k), fid, "facilities", "facility")
            else:
                check(at + ("facilities", i), item, "facilities", "facility")
        for attr in (ts.get("conditions") or {}):
            check(at + ("conditions", attr), attr, "attributes", "attribute")
    for role, ratio in (raw.get("caseload_ratios") or {}).items():
        check(("caseload_ratios", role), role, "roles", "role")
        check(("caseload_ratios", role, "field"), ratio.get("field"), "caseload_fields", "caseload field")
    return issues


def locate(loc: tuple[Any, ...], message: str, smap: SourceMap, table_map: SourceMap | None) -> ScenarioIssue:
    """A problem at `loc`, in the office table's row and column when it is an office of a table, else in the YAML."""
    if table_map is not None and len(loc) >= 2 and loc[0] == "offices" and isinstance(loc[1], int):
        column = table_map.column_of(loc[2:])
        if column and message == _missing():
            message = tr("必填，但单元格为空", "required, but the cell is empty")
        return ScenarioIssue(table_map.file, table_map.line_of(loc[:2]),
                             format_path(loc[2:]) or f"row {loc[1] + 1}",
                             f"{message} [{column}]" if column else message)
    return smap.issue(loc, message)
