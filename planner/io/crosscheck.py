"""Cross-field checks pydantic cannot make (names in the standard, places, budget cover); budget and quota entries."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from planner.errors import ScenarioIssue, excerpt
from planner.i18n import tr
from planner.io.scenario import Office, Scenario, to_yuan
from planner.io.standards import Standard
from planner.io.validation import WHAT_ZH, did_you_mean, locate
from planner.io.yamlsrc import SourceMap
from planner.rules.scopes import ALL, scope_kinds, scopes_of


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


class CrossChecker:
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
        self.errors.append(locate(loc, message, self.smap, self.table_map))

    def warn(self, loc: tuple[Any, ...], message: str) -> None:
        self.warnings.append(locate(loc, message, self.smap, self.table_map))

    def unknown(self, loc: tuple[Any, ...], what: str, name: str, known: list[str]) -> None:
        hint = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        tail = did_you_mean(hint[0]) if hint else (tr(f"；已有：{'、'.join(known)}", f"; known: {', '.join(known)}")
                                                     if known else "")
        self.err(loc, tr(f"标准 {self.std.id} 中没有{WHAT_ZH.get(what, what)} {excerpt(name)}{tail}",
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
