"""Scenario file → validated `LoadedScenario`, every error naming file, line and field (docs/reference.md §8).

Order: YAML with line map → standard (built-in id or file) → office table if `offices` is a path →
pydantic validation → cross-references to the standard and within the scenario → normalised
budgets, quotas, targets and weights.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import types
import typing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.errors import ScenarioError, ScenarioIssue, excerpt, format_path
from planner.i18n import current_lang, tr
from planner.io.office_table import VALUE_ALIASES, read_office_table
from planner.io.scenario import Office, Scenario, to_yuan
from planner.io.standards import BUILTIN_IDS, TIERS, Standard, is_builtin, standard_path
from planner.io.yamlsrc import SourceMap, load_yaml
from planner.rules.scopes import ALL, scope_kinds, scopes_of

_WHAT_ZH = {"role": "岗位", "facility": "功能室", "caseload field": "业务量字段", "attribute": "条件属性"}


@dataclass(frozen=True)
class BudgetEntry:
    scope: str  # "all", or a county, city or province (planner/rules/scopes.py)
    year: int
    amount_yuan: int


@dataclass(frozen=True)
class QuotaEntry:
    role: str
    scope: str
    year: int
    amount: int


@dataclass
class LoadedScenario:
    """A scenario that passed every check, with the standard it names and its limits normalised."""

    scenario: Scenario
    standard: Standard
    standard_ref: str  # the built-in id or the path as written
    file: str  # as the user gave it
    sha256: str
    offices: list[Office]
    years: list[int]
    targets: dict[int, dict[str, float]]
    target_scope: str
    weights: dict[str, int]
    budgets: list[BudgetEntry]
    quotas: list[QuotaEntry]
    warnings: list[ScenarioIssue] = field(default_factory=list)
    source: SourceMap | None = None
    table_source: SourceMap | None = None  # the office table's, when offices come from one

    def issue(self, loc: tuple[Any, ...], message: str) -> ScenarioIssue:
        """A problem at `loc` (e.g. ("offices", 3, "population")) located in the YAML or the office table."""
        if self.source is None:
            return ScenarioIssue(self.file, None, "", message)
        return _locate(loc, message, self.source, self.table_source)

    @property
    def counties(self) -> list[str]:
        return sorted({o.county for o in self.offices})


ALLOW_OUTSIDE_ENV = "PLAN_ALLOW_OUTSIDE"  # "1": as `--allow-outside` (set by it, so pool workers see it too)


def load_scenario(path: str | Path, display: str | None = None, allow_outside: bool | None = None) -> LoadedScenario:
    """Read and validate a scenario file; raises `ScenarioError` listing every problem found.

    A standard or office table outside the scenario's folder tree is refused unless `allow_outside`
    (default: the PLAN_ALLOW_OUTSIDE environment variable is "1").
    """
    allow_outside = _outside_allowed(allow_outside)
    path = Path(path)
    display = display or str(path)
    if not _is_file(path):
        raise ScenarioError([ScenarioIssue(display, None, "", tr("找不到文件", "file not found"))])
    if path.suffix.lower() == ".xlsx":  # the Excel scenario template (`plan template`)
        from planner.io.workbook_scenario import read_workbook

        raw, smap = read_workbook(path, display, allow_outside)
    else:
        raw, smap = load_yaml(path, display)
    if not isinstance(raw, dict):
        raise ScenarioError([smap.issue((), tr("情景文件应为字段映射（name、standard、horizon、budget、offices 等）",
                                               "a scenario file is a mapping of fields "
                                               "(name, standard, horizon, budget, offices, ...)"), "")])
    standard, standard_ref = _load_standard(raw, path.parent, smap, allow_outside)
    table_map: SourceMap | None = None
    if isinstance(raw.get("offices"), str):
        if not allow_outside:
            _refuse_outside(path.parent, raw["offices"], ("offices",), smap)
        table_path = (path.parent / raw["offices"]).resolve()
        if not _is_file(table_path):
            raise ScenarioError([smap.issue(("offices",), tr(
                f"找不到司法所表 {raw['offices'][:80]!r}（请给出司法所列表，或相对本文件的 .csv/.xlsx 路径）",
                f"office table {raw['offices'][:80]!r} not found "
                "(give a list of offices, or a .csv/.xlsx path relative to this file)"))])
        rows, table_map = read_office_table(table_path, str(Path(display).parent / raw["offices"]), standard)
        raw = {**raw, "offices": rows}
    scenario = _validate(Scenario, raw, smap, table_map)
    assert isinstance(scenario.offices, list)
    checker = _Checker(scenario, standard, smap, table_map)
    checker.run()
    if checker.errors:
        raise ScenarioError(checker.errors)
    return LoadedScenario(
        scenario=scenario, standard=standard, standard_ref=standard_ref, file=display,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(), offices=list(scenario.offices),
        years=scenario.horizon.years, targets=checker.targets(),
        target_scope=scenario.target_scope or standard.target_scope,
        weights={t: scenario.weights.get(t, 1) for t in TIERS},  # type: ignore[call-overload]
        budgets=checker.budgets, quotas=checker.quotas, source=smap, table_source=table_map,
        warnings=(table_map.warnings if table_map else []) + checker.warnings)


def load_standard_file(path: Path, display: str) -> Standard:
    raw, smap = load_yaml(path, display)
    return _validate(Standard, raw, smap, None)


def _outside_allowed(allow_outside: bool | None) -> bool:
    """The caller's choice, else PLAN_ALLOW_OUTSIDE (which `--allow-outside` sets)."""
    return os.environ.get(ALLOW_OUTSIDE_ENV) == "1" if allow_outside is None else allow_outside


def _load_standard(raw: dict[str, Any], base: Path, smap: SourceMap,
                   allow_outside: bool | None = None) -> tuple[Standard, str]:
    ref = raw.get("standard")
    if not isinstance(ref, str) or not ref.strip():
        raise ScenarioError([smap.issue(("standard",), tr(
            f"必填：内置标准编号（{'、'.join(BUILTIN_IDS)}）或标准文件路径",
            f"required: a built-in standard id ({', '.join(BUILTIN_IDS)}) or a path to a standard file"))])
    if is_builtin(ref):
        return load_standard_file(standard_path(ref, base), f"<built-in standard {ref}>"), ref
    if not _outside_allowed(allow_outside):
        _refuse_outside(base, ref, ("standard",), smap)
    candidate = standard_path(ref, base)
    if not _is_file(candidate):
        hint = difflib.get_close_matches(ref, BUILTIN_IDS, n=1)
        extra = _did_you_mean(hint[0]) if hint else tr(f"；内置标准：{'、'.join(BUILTIN_IDS)}",
                                                      f"; built-in ids: {', '.join(BUILTIN_IDS)}")
        raise ScenarioError([smap.issue(("standard",), tr(f"没有内置标准或标准文件 {excerpt(ref)}{extra}",
                                                          f"no built-in standard or file {excerpt(ref)}{extra}"))])
    return load_standard_file(candidate, str(Path(smap.file).parent / ref)), ref


def _refuse_outside(base: Path, ref: str, loc: tuple[Any, ...], smap: SourceMap) -> None:
    """A file the scenario names must lie in its folder tree (after `..` and links are resolved):
    `standard: /etc/passwd` must not make `plan validate` read, let alone print, another file."""
    try:
        inside = (base / ref).resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte …: not a file we read
        inside = False
    if not inside:
        folder = base.resolve()
        raise ScenarioError([smap.issue(loc, tr(
            f"{excerpt(ref)} 不在情景文件所在文件夹 {folder} 内；请移到该文件夹，或加 --allow-outside 仍然读取",
            f"{excerpt(ref)} is outside the scenario's folder {folder}; move it there, or give "
            "--allow-outside to read it anyway"))])


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # e.g. a name too long for the file system
        return False


# ---------------------------------------------------------------- pydantic errors → issues

M = typing.TypeVar("M", bound=BaseModel)


def _validate(model: type[M], raw: Any, smap: SourceMap, table_map: SourceMap | None) -> M:
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
        issues.append(_locate(loc, _message(model, loc, err), smap, table_map))
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
        return tr("未知字段", "unknown field") + (_did_you_mean(hint[0]) if hint else
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


def _did_you_mean(name: str) -> str:
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
            tail = _did_you_mean(hint[0]) if hint else tr(f"；请在 `{kind}` 下声明", f"; declare it under `{kind}`")
            issues.append(smap.issue(loc, tr(f"未知{_WHAT_ZH.get(what, what)} {excerpt(value)}{tail}",
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


def _locate(loc: tuple[Any, ...], message: str, smap: SourceMap, table_map: SourceMap | None) -> ScenarioIssue:
    if table_map is not None and len(loc) >= 2 and loc[0] == "offices" and isinstance(loc[1], int):
        column = table_map.column_of(loc[2:])
        if column and message == _missing():
            message = tr("必填，但单元格为空", "required, but the cell is empty")
        return ScenarioIssue(table_map.file, table_map.line_of(loc[:2]),
                             format_path(loc[2:]) or f"row {loc[1] + 1}",
                             f"{message} [{column}]" if column else message)
    return smap.issue(loc, message)


# ---------------------------------------------------------------- cross-references


class _Checker:
    """Checks what pydantic cannot: references to the standard and within the scenario."""

    def __init__(self, sc: Scenario, std: Standard, smap: SourceMap, table_map: SourceMap | None) -> None:
        self.sc, self.std, self.smap, self.table_map = sc, std, smap, table_map
        self.errors: list[ScenarioIssue] = []
        self.warnings: list[ScenarioIssue] = []
        self.budgets: list[BudgetEntry] = []
        self.quotas: list[QuotaEntry] = []
        self.years = sc.horizon.years
        assert isinstance(sc.offices, list)
        self.offices: list[Office] = sc.offices
        self.counties = sorted({o.county for o in self.offices})
        self.reported_counties: set[str] = set()  # office counties already reported as misspelt
        self.kinds = scope_kinds(self.offices)

    def err(self, loc: tuple[Any, ...], message: str) -> None:
        self.errors.append(_locate(loc, message, self.smap, self.table_map))

    def warn(self, loc: tuple[Any, ...], message: str) -> None:
        self.warnings.append(_locate(loc, message, self.smap, self.table_map))

    def unknown(self, loc: tuple[Any, ...], what: str, name: str, known: list[str]) -> None:
        hint = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        tail = _did_you_mean(hint[0]) if hint else (tr(f"；已有：{'、'.join(known)}", f"; known: {', '.join(known)}")
                                                     if known else "")
        self.err(loc, tr(f"标准 {self.std.id} 中没有{_WHAT_ZH.get(what, what)} {excerpt(name)}{tail}",
                         f"unknown {what} {excerpt(name)} in standard {self.std.id}{tail}"))

    def year_ok(self, loc: tuple[Any, ...], year: int) -> bool:
        if year not in self.years:
            self.err(loc, tr(f"{year} 年不在规划期 {self.years[0]}–{self.years[-1]} 内",
                             f"year {year} is outside the horizon {self.years[0]}–{self.years[-1]}"))
            return False
        return True

    def run(self) -> None:
        if not self.offices:
            self.err(("offices",), tr("没有司法所", "no offices"))
        self.check_offices()
        self.check_places()
        self.check_costs()
        self.check_targets()
        self.budgets = [BudgetEntry(scope, year, amount)
                        for scope, year, amount in self.limits(self.sc.budget, ("budget",), money=True)]
        self.check_budget_cover()
        for role, shape in self.sc.quotas.items():
            if role not in self.std.roles:
                self.unknown(("quotas", role), "role", role, list(self.std.roles))
                continue
            for scope, year, people in self.limits(shape, ("quotas", role), money=False):
                self.quotas.append(QuotaEntry(role, scope, year, people))
        self.check_keep()

    def check_keep(self) -> None:
        """`keep:` names offices of this scenario, in years of its horizon (docs/reference.md §8)."""
        ids = {o.id for o in self.offices}
        for i, a in enumerate(self.sc.keep.actions if self.sc.keep else []):
            at = ("keep", "actions", i)
            if a.office not in ids:
                self.err(at + ("office",), tr(f"情景中没有司法所 {excerpt(a.office)}（原方案的司法所应与本情景一致）",
                                              f"no office {excerpt(a.office)} in this scenario (the earlier "
                                              "plan's offices must be this scenario's)"))
            self.year_ok(at + ("year",), a.year)

    def check_offices(self) -> None:
        roles, facs = list(self.std.roles), list(self.std.facilities)
        fields, attrs = list(self.std.caseload_fields), list(self.std.attributes)
        seen: dict[str, int] = {}
        for i, o in enumerate(self.offices):
            at = ("offices", i)
            if o.id in seen:
                self.err(at + ("id",), tr(f"司法所编号 {o.id!r} 重复（{self.where(seen[o.id])} 也是）",
                                         f"duplicate office id {o.id!r} (also {self.where(seen[o.id])})"))
            seen.setdefault(o.id, i)
            for r in o.staff:
                if r not in self.std.roles:
                    self.unknown(at + ("staff", r), "role", r, roles)
            for j, f in enumerate(o.facilities):
                if f not in self.std.facilities:
                    self.unknown(at + ("facilities", j), "facility", f, facs)
            if len(set(o.facilities)) != len(o.facilities):
                self.err(at + ("facilities",), tr("有功能室重复列出", "a facility is listed twice"))
            for c, v in o.caseload.items():
                if c not in self.std.caseload_fields:
                    self.unknown(at + ("caseload", c), "caseload field", c, fields)
                if isinstance(v, dict):
                    for y in v:
                        self.year_ok(at + ("caseload", c, y), y)
                    missing = [y for y in self.years if y not in v]
                    if missing:
                        self.err(at + ("caseload", c), tr(
                            f"缺少 {missing[0]} 年的数值（请给出规划期每一年，或一个通用数值）",
                            f"no figure for year {missing[0]} (give every horizon year, or one number for all)"))
            for a in o.attributes:
                if a not in self.std.attributes:
                    self.unknown(at + ("attributes", a), "attribute", a, attrs)
            self.check_housing_options(o, at)
            self.warn_missing(o, at)
        self.warn_gdp_ranks()

    def check_housing_options(self, o: Office, at: tuple[Any, ...]) -> None:
        ids: set[str] = set()
        for j, h in enumerate(o.housing_options):
            if h.id in ids:
                self.err(at + ("housing_options", j, "id"), tr(f"用房方案编号 {h.id!r} 重复",
                                                               f"duplicate housing option id {h.id!r}"))
            ids.add(h.id)
            if h.from_year is not None and h.from_year > self.years[-1]:
                self.err(at + ("housing_options", j, "from_year"),
                         tr(f"{h.from_year} 年晚于规划期末 {self.years[-1]} 年",
                            f"year {h.from_year} is after the horizon's end {self.years[-1]}"))

    def warn_missing(self, o: Office, at: tuple[Any, ...]) -> None:
        """Empty classification inputs: the criterion is judged without them."""
        if o.population is None:
            self.warn(at + ("population",), tr(
                f"司法所 {o.id}：常住人口为空；规模只按面积判断，可能因此分到较低类别",
                f"office {o.id}: population is empty; its size is judged by area alone, which may put it "
                "in a lower tier"))
        if o.gdp_rank is None:
            self.warn(at + ("gdp_rank",), tr(
                f"司法所 {o.id}：缺少 gdp_rank，经济条件视为满足",
                f"office {o.id}: no gdp_rank; the economy criterion is treated as met"))
        if o.demand is None:
            self.warn(at + ("demand",), tr(f"司法所 {o.id}：缺少 demand，法治需求条件视为满足",
                                           f"office {o.id}: no demand; the demand criterion is treated as met"))

    def warn_gdp_ranks(self) -> None:
        per_county = Counter(o.county for o in self.offices)
        for i, o in enumerate(self.offices):
            n = per_county[o.county]
            if o.gdp_rank is not None and o.gdp_rank > n:
                self.warn(("offices", i, "gdp_rank"), tr(
                    f"司法所 {o.id}：gdp_rank {o.gdp_rank} 大于{o.county}的司法所数 {n}",
                    f"office {o.id}: gdp_rank {o.gdp_rank} is larger than the {n} offices of {o.county}"))

    def check_costs(self) -> None:
        for r in self.sc.costs.roles:
            if r not in self.std.roles:
                self.unknown(("costs", "roles", r), "role", r, list(self.std.roles))
        for f in self.sc.costs.facilities:
            if f not in self.std.facilities:
                self.unknown(("costs", "facilities", f), "facility", f, list(self.std.facilities))

    def check_targets(self) -> None:
        for y in (self.sc.targets or {}):
            self.year_ok(("targets", y), y)

    def targets(self) -> dict[int, dict[str, float]]:
        source = self.sc.targets if self.sc.targets is not None else self.std.default_targets
        return {y: {t: r for t, r in rates.items()} for y, rates in sorted(source.items()) if y in self.years}

    def limits(self, shape: dict[Any, Any], at: tuple[Any, ...], money: bool) -> list[tuple[str, int, int]]:
        """(scope, year, amount) of a budget (yuan) or one role's quota (people)."""
        out: list[tuple[str, int, int]] = []
        for key, value in shape.items():
            if isinstance(key, int):
                if isinstance(value, dict):
                    self.err(at + (key,), tr("年份后只写一个数额；分县区的数额写在县区名下",
                                             "a year takes one amount; per-county amounts go under the county"))
                elif self.year_ok(at + (key,), key):
                    out.append((ALL, key, self._amount(value, money, at + (key,))))
            else:
                if not self.scope_ok(at + (key,), str(key)):
                    continue
                if not isinstance(value, dict):
                    self.err(at + (key,), tr(f"{key} 后面写 年份 → 金额，如 {{2022: 200}}",
                                             "a county, city or province takes year → amount, "
                                             "e.g. {2022: 200}"))
                    continue
                for y, amount in value.items():
                    if self.year_ok(at + (key, y), y):
                        out.append((key, y, self._amount(amount, money, at + (key, y))))
        return out

    def _amount(self, value: float, money: bool, loc: tuple[Any, ...]) -> int:
        if money:
            return to_yuan(value)
        if value != int(value):
            self.err(loc, tr("名额应为整数人", "a quota is a whole number of people"))
        return int(value)

    def where(self, i: int) -> str:
        """Office i as a message names it: its table line, or its place in the YAML list."""
        line = self.table_map.line_of(("offices", i)) if self.table_map is not None else None
        return tr(f"第 {line} 行", f"line {line}") if line else f"offices[{i}]"

    def scope_ok(self, loc: tuple[Any, ...], name: str) -> bool:
        """A scope name must name exactly one county, city or province of the offices (§8)."""
        if name.isdigit():
            self.err(loc, tr(f"年份 {name} 写成了文本，请去掉引号",
                             f"year {name} is written as text; write it without quotes"))
            return False
        kinds = self.kinds.get(name)
        if kinds is None and self.misspelt_office_county(name):
            return False
        if kinds is None:
            known = sorted(self.kinds)
            hint = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
            tail_zh = f"（是不是 '{hint[0]}'？）" if hint else f"；已有：{'、'.join(known[:20])}"
            tail_en = f" (did you mean '{hint[0]}'?)" if hint else f"; known: {', '.join(known[:20])}"
            self.err(loc, tr(f"没有司法所属于名为 '{name}' 的县、市或省{tail_zh}",
                             f"no office belongs to a county, city or province named '{name}'{tail_en}"))
            return False
        if len(set(kinds.values())) > 1:
            zh = {"county": "县", "city": "市", "province": "省"}
            self.err(loc, tr(f"'{name}' 既是{'又是'.join(zh[k] for k in kinds)}，所含司法所不同，无法确定指哪个；"
                             "请在司法所数据中改名",
                             f"'{name}' names a {' and a '.join(kinds)} holding different offices; "
                             "rename one of them in the office data"))
            return False
        return True

    def check_places(self) -> None:
        """City and province are given for every office or for none; a county lies in one city, a
        city in one province (two counties of one name, e.g. 鼓楼区 of 南京市 and of 徐州市, must
        be told apart, else their targets, budgets and gdp_rank would silently merge)."""
        for place, zh in (("city", "地级市"), ("province", "省")):
            given = [getattr(o, place) is not None for o in self.offices]
            if any(given) and not all(given):
                i = given.index(False)
                self.err(("offices", i, place), tr(
                    f"司法所 {self.offices[i].id} 没有填{zh}，而其他司法所填了；要么都填，要么都不填",
                    f"office {self.offices[i].id} has no {place} while others have one; "
                    f"give it for every office or for none"))
        for lower, upper in (("county", "city"), ("city", "province")):
            first: dict[str, tuple[str, int]] = {}
            for i, o in enumerate(self.offices):
                name, above = getattr(o, lower), getattr(o, upper)
                if name is None or above is None:
                    continue
                seen = first.setdefault(name, (above, i))
                if seen[0] != above:
                    self.err(("offices", i, upper), tr(
                        f"{name} 同时出现在 {seen[0]}（offices[{seen[1]}]）和 {above} 中；"
                        f"同名的不同单位请改名区分，如 {above}{name}",
                        f"{name} lies in {seen[0]} (offices[{seen[1]}]) and in {above}; "
                        f"give different units different names, e.g. {above}{name}"))
                    break

    def misspelt_office_county(self, name: str) -> bool:
        """A budget or quota names `name`, no office has it, but an office's county that no budget or
        quota names is close to it: the office's cell is the likely mistake, so say so there."""
        shapes: list[dict[Any, Any]] = [self.sc.budget, *self.sc.quotas.values()]
        named = {ALL if isinstance(k, int) else str(k) for shape in shapes for k in shape}
        unnamed = sorted({o.county for o in self.offices if not named & set(scopes_of(o))}
                         - self.reported_counties)
        hint = difflib.get_close_matches(name, unnamed, n=1, cutoff=0.5)
        if not hint:
            return False
        i = next(i for i, o in enumerate(self.offices) if o.county == hint[0])
        self.reported_counties.add(hint[0])
        self.err(("offices", i, "county"), tr(
            f"县区 {hint[0]!r} 不在任何预算中，预算写的是 {name!r}（是否应为 '{name}'？）",
            f"county {hint[0]!r} is in no budget, which names {name!r} (did you mean '{name}'?)"))
        return True

    def check_budget_cover(self) -> None:
        """Every (county, year) of the horizon falls under some budget entry: one of the
        scenario, its province, its city or the county itself."""
        covered = {(b.scope, b.year) for b in self.budgets}
        county_scopes = {o.county: scopes_of(o) for o in self.offices}
        for county in sorted(set(self.counties) - self.reported_counties):
            for y in self.years:
                if not any((s, y) in covered for s in county_scopes[county]):
                    self.err(("budget",), tr(f"{county} {y} 年没有预算：请写 `{y}: 数额`（全情景）"
                                             f"或 `{county}: {{{y}: 数额}}`（或其所在市、省的预算）",
                                             f"no budget covers {county} in {y}: give `{y}: amount` "
                                             f"(scenario-wide) or `{county}: {{{y}: amount}}` "
                                             "(or its city's or province's)"))
                    return
