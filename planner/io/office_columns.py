"""Office table columns: accepted headers (incl. Chinese), the dotted field each names, cell → field value."""

from __future__ import annotations

import math
import re
from typing import Any

from planner.io.standards import Standard

# Chinese header → field name (docs/reference.md §8).
HEADER_ALIASES: dict[str, str] = {
    "编号": "id", "代码": "id", "名称": "name", "司法所": "name", "乡镇街道": "name",
    "县区": "county", "县(市、区)": "county", "县（市、区）": "county", "所属县区": "county",
    "地级市": "city", "设区市": "city", "所属地级市": "city", "所属市": "city", "省": "province", "省份": "province",
    "所属省份": "province",
    "类型": "kind", "常住人口": "population", "人口": "population",
    "面积": "area_km2", "辖区面积": "area_km2", "面积(平方公里)": "area_km2",
    "GDP排名": "gdp_rank", "经济排名": "gdp_rank", "法治需求": "demand",
    "类别": "tier", "分类": "tier", "业务用房面积": "floor_area_m2", "业务用房": "floor_area_m2",
    "功能室": "facilities", "已有功能室": "facilities", "标准化建设考核分": "attributes.score",
}
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "kind": {"镇": "township", "乡": "township", "乡镇": "township", "街道": "subdistrict"},
    "demand": {"高": "high", "量大": "high", "中": "medium", "较大": "medium", "低": "low"},
    "tier": {"大型": "large", "中型": "medium", "小型": "small", "大": "large", "中": "medium", "小": "small"},
}
LIST_FIELDS = {"facilities", "generated"}
# Office fields a table column may hold as one cell; `staff`, `caseload` and `attributes` take a
# dotted sub-name; housing options (a list of records) do not fit one row.
PLAIN_COLUMNS = ("id", "name", "county", "city", "province", "kind", "population", "area_km2", "gdp_rank",
                 "demand", "tier",
                 "floor_area_m2", "facilities", "generated")
REQUIRED_COLUMNS = ("id", "name", "county", "kind")


def header_map(standard: Standard) -> dict[str, str]:
    """Every accepted header → dotted field, incl. the standard's Chinese role/caseload names."""
    out = dict(HEADER_ALIASES)
    for role, named in standard.roles.items():
        out[named.name_zh] = f"staff.{role}"
        out.setdefault(_UNIT.sub("", named.name_zh), f"staff.{role}")  # 专职社区矫正社会工作者 without （警辅）
    for fld, named in standard.caseload_fields.items():
        out[named.name_zh] = f"caseload.{fld}"
    for attr, named in standard.attributes.items():
        out[named.name_zh] = f"attributes.{attr}"
    return out


_UNIT = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def field_for(header: str, aliases: dict[str, str]) -> str:
    """The field a header names: as written, else without spaces or a trailing unit in brackets.

    Spreadsheets say `常住人口（人）`, `面积 (平方公里)` or `专职社区矫正社会工作者(警辅)`; all are meant.
    """
    h = header.strip()
    for candidate in (h, re.sub(r"\s+", "", h), _UNIT.sub("", h), _UNIT.sub("", re.sub(r"\s+", "", h))):
        if candidate in aliases:
            return aliases[candidate]
    return h


def field_keys(field: str) -> list[Any]:
    """`caseload.correction_subjects.2023` → ["caseload", "correction_subjects", 2023]."""
    keys: list[Any] = field.split(".")
    if keys[0] == "caseload" and len(keys) == 3 and keys[2].isdigit():
        keys[2] = int(keys[2])
    return keys


LIST_SEPARATORS = re.compile(r"[;；、,，]")  # as bureaus type lists: 执法管理室；调解室、…


def convert_value(field: str, value: Any) -> Any:
    """A table cell's value as the field takes it: a list, an alias's value, text, or a number."""
    if field in LIST_FIELDS:
        return [v.strip() for v in LIST_SEPARATORS.split(str(value)) if v.strip()]
    if field in VALUE_ALIASES and isinstance(value, str):
        return VALUE_ALIASES[field].get(value, value)
    if field in ("id", "name", "county", "city", "province"):
        return str(value)
    if isinstance(value, str):
        try:
            num = float(value)
        except ValueError:
            return value  # the schema reports the wrong type with the column's name
        if math.isfinite(num) and num == int(num) and "." not in value:
            return int(num)
        return num
    return value
