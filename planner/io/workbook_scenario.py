"""The Excel scenario's layout (`plan template`, `plan convert`, `plan solve 情景.xlsx`): sheets, headers, values.

One sheet per part of the scenario file (docs/reference.md §8), with Chinese headers:
说明 (read by people only), 基本设置, 达标目标, 预算, 编制, 费用标准, 司法所 (the office-table format of
`planner.io.office_table`) and 用房方案 (housing options, one row each). `workbook_read.read_workbook` turns
it into the same raw dict the YAML loader validates, with a `WorkbookMap` so every error names its cell:
`情景.xlsx: 预算!C4: budget.海陵区.2022: …`. `workbook_write.write_workbook` writes a validated scenario
back, so YAML → XLSX → YAML gives an equal scenario; `workbook_keep` holds the sheet 原方案行动.
"""

from __future__ import annotations

from typing import Any

from planner.io.scenario import Schedule
from planner.io.standards import BUILTIN_IDS, TIER_ZH, TIERS
from planner.rules.scopes import ALL

Path_ = tuple[Any, ...]
ALL_ZH = "全市"
SETTINGS: list[tuple[str, Path_, str]] = [  # 基本设置: label, field, note
    ("名称", ("name",), "情景名称，如 泰州市 2022 年司法所分类建设计划"),
    ("标准", ("standard",), f"内置标准 {' / '.join(BUILTIN_IDS)}，或标准文件相对本文件的路径"),
    ("起始年度", ("horizon", "start"), "规划期第一年"),
    ("结束年度", ("horizon", "end"), "规划期最后一年（含）"),
    ("达标范围", ("target_scope",),
     "县区 / 地级市 / 省：每个县区（市、省）分别达标；全部：全部司法所合计达标；空：按标准"),
    ("目标模式", ("targets_mode",), "必须完成：达不到即无解；尽量完成：使差额最小"),
    *[(f"权重（{TIER_ZH[t]}）", ("weights", t), "达标所·年的权重；空：1") for t in TIERS],
    # schedule: (docs/reference.md §8): the quarter of each milestone in 时间进度表 and the Word draft
    *[(label, ("schedule", key), f"第几季度（1–4）；空：{Schedule.model_fields[key].default}")
      for label, key in (("招录启动季度", "hire_start"), ("招录完成季度", "hire_recruited"),
                         ("到岗季度", "hire_in_post"), ("租赁签订季度", "lease_signed"),
                         ("新建开工季度", "build_start"), ("新建竣工季度（计入当年）", "build_complete"),
                         ("用房方案落实季度", "housing_taken"), ("用房方案交付季度（计入当年）", "housing_in_use"),
                         ("功能室建成季度", "facility_ready"), ("达标验收季度", "acceptance"))],
    ("原方案", ("keep", "plan"), "plan advance 写入：新方案尽量保持的原方案 plan.json（仅作说明，不读取），"
                               "其行动见“原方案行动”表；空：不保持"),
    ("原方案已核验", ("keep", "verified"), "否：plan advance 用 --force 接受了另一版本情景的方案；空：是"),
]
CHOICES: dict[Path_, dict[str, Any]] = {  # Chinese value in a cell → the scenario's value
    ("target_scope",): {"县区": "county", "地级市": "city", "省": "province", "全部": "all"},
    ("targets_mode",): {"必须完成": "hard", "尽量完成": "soft"},
    ("keep", "verified"): {"是": True, "否": False},
}
TARGET_TIERS = (*TIERS, ALL)
TARGET_HEADER = ["年度", *[TIER_ZH[t] + "（达标率）" for t in TIERS], "全部（达标率）"]
BUDGET_HEADER = ["范围（全市，或县区、地级市、省）", "年度", "金额（万元）"]
QUOTA_HEADER = ["岗位", "范围（全市，或县区、地级市、省）", "年度", "名额（人）"]
COST_HEADER = ["类别", "项目", "一次性费用（万元）", "年度费用（万元）", "建设周期（年）"]
COST_KINDS = ("岗位", "功能室", "租赁", "新建")
PER_M2 = "业务用房（每平方米）"
HOUSING_HEADER = ["司法所编号", "方案编号", "面积（m²）", "一次性费用（万元）", "年度费用（万元）", "最早年度",
                  "建设周期（年）"]
HOUSING_FIELDS = ("id", "area_m2", "one_time", "annual", "from_year", "lead_years")
OFFICE_PLAIN = [("编号", "id"), ("名称", "name"), ("县区", "county"), ("地级市", "city"), ("省", "province"),
                ("类型", "kind"), ("常住人口", "population"),
                ("辖区面积", "area_km2"), ("GDP排名", "gdp_rank"), ("法治需求", "demand"), ("类别", "tier"),
                ("业务用房面积", "floor_area_m2"), ("已有功能室", "facilities")]
VALUE_ZH = {"kind": {"township": "乡镇", "subdistrict": "街道"}, "demand": {"high": "高", "medium": "中", "low": "低"},
            "tier": {t: TIER_ZH[t] for t in TIERS}}
SHEETS = ("说明", "基本设置", "达标目标", "预算", "编制", "费用标准", "司法所", "用房方案")
MAX_ROWS = 2000  # data validation reaches this far down each sheet
