"""The words of the plan's tables: headers, sheet names, fixed labels (zh/en), and the task list's
column positions for readers of its rows."""

from __future__ import annotations

from planner.solver.status import SolveStatus

TIER_ALL = {"zh": "全部", "en": "all"}
HEADERS = {
    "summary": {"zh": ["项目", "内容"], "en": ["item", "value"]},
    "tasks": {"zh": ["序号", "责任单位", "县区", "司法所编号", "司法所", "年度", "任务类型", "岗位/功能室/方案",
                     "人数（人）", "面积（m²）", "一次性费用（万元）", "年度费用（万元）", "完成时限", "补齐的标准"],
              "en": ["no.", "responsible", "county", "office id", "office", "year", "action", "role / room / option",
                     "people", "area (m²)", "one-time cost (10k CNY)", "annual cost (10k CNY)", "due",
                     "requirement it closes"]},
    "attainment": {"zh": ["年度", "县区", "类别", "所数", "达标数", "目标达标率", "应达标数", "是否完成", "达标率"],
                   "en": ["year", "scope", "tier", "offices", "attained", "target rate", "required", "met",
                          "attained rate"]},
    "why": {"zh": ["县区", "司法所编号", "司法所", "类别", "方案中达标年度", "首年起达标最省（万元）",
                   "未达标原因"],
            "en": ["county", "office id", "office", "tier", "attained in the plan",
                   "cheapest from the first year (10k CNY)", "why not attained"]},
    "marginal": {"zh": ["排序", "方向", "限额", "变化", "调整前", "调整后", "达标所·年变化", "目标缺口变化",
                        "总费用变化（万元）", "求解状态", "说明"],
                 "en": ["rank", "direction", "limit", "change", "before", "after", "Δ attained office-years",
                        "Δ shortfall", "Δ total cost (10k CNY)", "status", "explanation"]},
    "spending": {"zh": ["年度", "范围", "预算（万元）", "支出（万元）", "结余（万元）"],
                 "en": ["year", "scope", "budget (10k CNY)", "spent (10k CNY)", "left (10k CNY)"]},
}
TIMETABLE_HEAD = {"zh": ["序号", "责任单位", "县区", "司法所编号", "司法所", "类别"],
                  "en": ["no.", "responsible", "county", "office id", "office", "tier"]}
TIMETABLE_TAIL = {"zh": ["人数（人）", "面积（m²）", "一次性费用（万元）", "年度费用（万元）", "完成时限", "达标年度"],
                  "en": ["people", "area (m²)", "one-time cost (10k CNY)", "annual cost (10k CNY)", "due",
                         "attains from"]}
QUARTER_LABEL = {"zh": ("第一季度", "第二季度", "第三季度", "第四季度"), "en": ("Q1", "Q2", "Q3", "Q4")}
TOTAL = {"zh": "合计", "en": "total"}
WHOLE = {"zh": "全市", "en": "all"}
# Columns of the task list by name, for readers of its rows (the Word draft).
T_COUNTY, T_OFFICE, T_YEAR, T_ACTION, T_WHAT = 2, 4, 5, 6, 7
T_PEOPLE, T_AREA, T_ONE_TIME, T_ANNUAL, T_DUE = 8, 9, 10, 11, 12
SHEETS = {"summary": {"zh": "汇总", "en": "Summary"}, "tasks": {"zh": "任务清单", "en": "Tasks"},
          "timetable": {"zh": "时间进度表", "en": "Timetable"}, "attainment": {"zh": "达标情况", "en": "Attainment"},
          "spending": {"zh": "经费", "en": "Spending"}, "why": {"zh": "各所说明", "en": "Offices explained"},
          "marginal": {"zh": "边际价值", "en": "Marginal values"}}
STATUS_ZH: dict[str, str] = {SolveStatus.OPTIMAL: "最优（已证明）", SolveStatus.FEASIBLE: "可行（未证明最优）",
                             SolveStatus.INFEASIBLE: "不可行", SolveStatus.NO_PLAN: "限时内无方案"}
UNVERIFIED = {"zh": "未核验：本方案未对照其求解时的情景文件核验（--force），数字为方案文件所述",
              "en": "UNVERIFIED: this plan was not checked against the scenario it was solved from (--force); "
                    "figures are as the plan file states them"}
VERIFIED = {"zh": "已核验（与情景文件逐项核对一致）", "en": "verified against the scenario file"}
