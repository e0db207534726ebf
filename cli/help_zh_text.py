"""Chinese help of every command and option (cli/help_zh.py shows it when the language is zh)."""

from __future__ import annotations

HELP_ZH: dict[str, str] = {
    (
        "Plan the classified construction of grassroots justice offices (司法所分类建设).\n"
        "\n"
        "    Reads a scenario file (YAML; offices inline or from a CSV/XLSX table), classifies every office\n"
        "    as large/medium/small, and finds the plan of hires, premises and rooms that meets the\n"
        "    attainment targets (达标率) within budgets and post quotas, optimally (OR-Tools CP-SAT).\n    "
    ): (
        "规划基层司法所分类建设。\n"
        "\n"
        "读取情景文件（YAML；司法所列在文件内，或来自 CSV/XLSX 表格），将每个司法所分为大型/中型/小型，"
        "并在预算和编制名额之内求出满足达标率目标的人员招录、业务用房和功能室方案，且为最优（OR-Tools CP-SAT）。"
    ),
    "Show the version and exit.": "显示版本并退出。",
    (
        "Check a scenario file and print warnings; solves nothing.\n"
        "\n"
        "    Exit 0 when valid (warnings do not fail), 1 with file:line: field: message for each error.\n    "
    ): (
        "检查情景文件并打印警告；不求解。\n"
        "\n"
        "有效时退出码为 0（警告不算失败）；有错误时退出码为 1，每个错误按 file:line: field: message 列出。"
    ),
    "Read a standard or office table from outside the scenario's folder (refused by default).": (
        "允许从情景文件所在文件夹之外读取建设标准表或司法所表（默认拒绝）。"
    ),
    "Language of messages: zh or en [default: PLAN_LANG, else the locale, else zh].": (
        "提示信息的语言：zh 或 en [默认：PLAN_LANG，否则按系统区域设置，再否则为 zh]。"
    ),
    "Each office's tier (大型/中型/小型) and the reason, per docs/reference.md §3.": (
        "列出每个司法所的档次（大型/中型/小型）及理由，依据 docs/reference.md §3。"
    ),
    "Print {\"offices\": [{id, tier, reason, ...}]}.": "打印 {\"offices\": [{id, tier, reason, ...}]}。",
    "Print a CSV table (UTF-8).": "打印 CSV 表格（UTF-8）。",
    "Print the JSON Schema of the scenario file (for editor autocompletion; see docs/editors.md).": (
        "打印情景文件的 JSON Schema（供编辑器自动补全；见 docs/editors.md）。"
    ),
    (
        "Solve a scenario optimally and write plan.json (checked by `plan verify` first).\n"
        "\n"
        "    With --keep PLAN, or a scenario written by `plan advance` (its `keep:`), the plan stays as\n"
        "    close to the earlier plan's actions as the optimum allows (level 4, below cost) and reports\n"
        "    each action kept, moved, changed, dropped or new.\n"
        "\n"
        "    Exit 0 with a plan (status optimal or feasible), 1 invalid input, 3 infeasible hard targets\n"
        "    (the targets in conflict are named), 4 no plan within the time limit, 5 the plan failed\n"
        "    verification (a bug: please report it), or the --keep plan did.\n    "
    ): (
        "求解情景的最优方案并写出 plan.json（先经 `plan verify` 核验）。\n"
        "\n"
        "使用 --keep PLAN，或情景由 `plan advance` 写出（含其 `keep:`）时，"
        "方案在最优允许的范围内尽量贴近上一版方案的各项任务（目标层级 4，优先级低于费用），并报告每项任务是保持、挪动、"
        "变更、删除还是新增。\n"
        "\n"
        "退出码：0 得到方案（状态为 optimal 或 feasible）；1 输入无效；3 硬目标不可行（列出相互冲突的目标）；"
        "4 时限内未得到方案；5 方案未通过核验（属程序缺陷，请报告），或 --keep 指定的方案未通过核验。"
    ),
    "Folder for plan.json [default: out/<scenario stem>/].": "plan.json 的输出文件夹 [默认：out/<scenario stem>/]。",
    "Seconds for the whole solve, model build included.": "整个求解的时限（秒），含建立模型。",
    "CP-SAT search workers (8 measured best on 2 cores; see docs/solver.md).": (
        "CP-SAT 求解线程数（在 2 核上实测 8 个最佳；见 docs/solver.md）。"
    ),
    "Random seed of the search.": "搜索的随机种子。",
    "Treat targets as soft: minimise the shortfall instead of failing.": (
        "将目标视为软目标：最小化缺口，而不是报错失败。"
    ),
    "Deterministic search even under a time limit (deterministic time).": (
        "即使设定了时限也进行确定性搜索（确定性时间）。"
    ),
    "Print the result JSON on stdout instead of the summary.": "在标准输出（stdout）打印结果 JSON，而不是摘要。",
    "No summary and no progress; exit code and plan.json only.": "不输出摘要和进度；只有退出码和 plan.json。",
    "Also write the plan as an Excel workbook (as `plan export --xlsx`).": (
        "同时将方案写成 Excel 工作簿（同 `plan export --xlsx`）。"
    ),
    "Add the explanations of `plan explain` (each office's path, marginal values) to plan.json.": (
        "将 `plan explain` 的解释（每个司法所的达标路径、边际价值）加入 plan.json。"
    ),
    (
        "auto: HiGHS for a shared fund (a component spanning counties, e.g. one city fund) of more than 400 offices; "
        "CP-SAT for the rest. cpsat: CP-SAT for everything (docs/solver.md)."
    ): (
        "auto：共享资金（跨县区的分量，如全市一笔资金）涉及超过 400 个司法所时用 HiGHS，其余用 CP-SAT。"
        "cpsat：全部用 CP-SAT（docs/solver.md）。"
    ),
    "Solve the independent components on this Dask scheduler, e.g. tcp://10.0.0.5:8786.": (
        "在此 Dask 调度器上求解各独立分量，例如 tcp://10.0.0.5:8786。"
    ),
    (
        "An earlier plan.json to stay close to: below cost, minimise the actions changed against its actions in this "
        "horizon (level 4). It is checked against its scenario first; its offices must be this scenario's. Overrides "
        "the scenario's own `keep:` (plan advance)."
    ): (
        "要贴近的上一版 plan.json：在费用之后（目标层级 4），尽量减少本规划期内相对其任务有变动的任务。"
        "先对照其情景核验；其司法所必须与本情景的相同。优先于情景自身的 `keep:`（plan advance）。"
    ),
    "Ignore the scenario's `keep:` (written by plan advance).": "忽略情景中的 `keep:`（由 plan advance 写入）。",
    (
        "With --keep: use a plan solved from another version of its scenario, or one whose offices differ from this "
        "scenario's (the churn section says verified: false)."
    ): (
        "配合 --keep：允许使用由其情景的另一版本求得的方案，"
        "或司法所与本情景不同的方案（变动一节显示 verified: false）。"
    ),
    "Allow an output file to replace one of the command's input files.": "允许输出文件覆盖本命令的某个输入文件。",
    (
        "Re-check a plan (also a hand-edited one) against the scenario from scratch (docs/reference.md §4–§6).\n"
        "\n"
        "    Exit 0 when every rule and every stated figure holds, 5 with each violation listed (also when\n"
        "    the plan was solved from another version of the scenario, unless --force).\n    "
    ): (
        "对照情景从头核验方案（含手工修改的方案；docs/reference.md §4–§6）。\n"
        "\n"
        "每条规则和每个列明的数字都成立时退出码为 0；否则退出码为 5，"
        "并列出每项违规（方案由情景的另一版本求得时也是如此，除非使用 --force）。"
    ),
    (
        "Use a plan solved from another version of the scenario, or whose scenario cannot be loaded; the output then "
        "says 未核验/unverified on every page. A plan that fails verification is refused even so."
    ): (
        "允许使用由情景的另一版本求得的方案，或其情景无法加载的方案；此时输出的每一页都注明 未核验/unverified。"
        "未通过核验的方案即使如此仍会被拒绝。"
    ),
    "Write a synthetic scenario (jiangsu-2021) with realistic distributions (docs/benchmarks.md).": (
        "写出合成情景（jiangsu-2021），数据分布贴近实际（docs/benchmarks.md）。"
    ),
    "Number of offices.": "司法所数量。",
    "Budget = tightness × a lower-bound estimate of meeting each year's targets.": (
        "预算 = 紧度（tightness）× 达成每年目标所需费用的下界估计。"
    ),
    "Write targets_mode: soft.": "写入 targets_mode: soft。",
    (
        "One budget a year per county, per city, per province, or for all offices (a shared fund is the sum of the "
        "county budgets it replaces)."
    ): (
        "每年一笔预算，按县区、市、省或全部司法所设立（共享资金等于它所替代的各县区预算之和）。"
    ),
    "Each county, or each city, must reach the target rates.": "每个县区或每个市都须达到目标达标率。",
    "Number of cities [default: one per 6 counties, as in Jiangsu].": "市的数量 [默认：每 6 个县区一个市，同江苏]。",
    "Number of provinces [default: one per 13 cities, as in Jiangsu].": "省的数量 [默认：每 13 个市一个省，同江苏]。",
    (
        "Export a solved plan: 汇总, 任务清单, 时间进度表, 达标情况, 经费.\n"
        "\n"
        "    The plan is verified against its scenario first (exit 5 with the violations when it fails)."
    ): (
        "导出已求解的方案：汇总、任务清单、时间进度表、达标情况、经费。\n"
        "\n"
        "先对照其情景核验方案（未通过时退出码为 5，并列出违规）。"
    ),
    "Write an Excel workbook.": "写出 Excel 工作簿。",
    "Write one UTF-8 CSV (with BOM) per sheet into this folder.": (
        "在此文件夹中为每个工作表写出一个 UTF-8 CSV（带 BOM）。"
    ),
    (
        "The scenario file (default: the one named in the plan), against which it is verified, and for Chinese names "
        "and requirements."
    ): (
        "情景文件（默认：方案中记载的那个），用于核验方案，并从中取中文名称和各项要求。"
    ),
    (
        "Write a self-contained HTML report: summary, charts, office table, explanations.\n"
        "\n"
        "    The plan is verified against its scenario first (exit 5 with the violations when it fails)."
    ): (
        "写出自包含的 HTML 报告：摘要、图表、司法所表、解释。\n"
        "\n"
        "先对照其情景核验方案（未通过时退出码为 5，并列出违规）。"
    ),
    "The HTML file to write (one file, no network needed to view or print it).": (
        "要写出的 HTML 文件（单个文件，查看或打印均无需联网）。"
    ),
    (
        "Roll a scenario on: apply the plan's actions up to --through, start the horizon the year after.\n"
        "\n"
        "    Staff, floor area and rooms become what the plan made them; premises taken but not yet usable\n"
        "    are carried as free housing options; recurring costs already committed are taken off the\n"
        "    remaining budgets (see docs/outputs.md).\n    "
    ): (
        "滚动情景：执行方案截至 --through 的任务，规划期从其次年开始。\n"
        "\n"
        "人员、业务用房面积和功能室更新为方案实施后的状况；已取得但尚不能使用的用房作为免费用房选项保留；"
        "已承诺的经常性费用从剩余预算中扣除（见 docs/outputs.md）。"
    ),
    "Last year carried out: its actions and earlier ones apply.": (
        "最后一个已实施的年度：该年及此前各年的任务视为已执行。"
    ),
    "The new scenario file (YAML, offices inline).": "新的情景文件（YAML，司法所列在文件内）。",
    (
        "Explain a scenario: infeasibility, each office's path, marginal values of budgets and quotas.\n"
        "\n"
        "    \x08\n"
        "    1. Hard targets that cannot all be met: the targets and limits in conflict, and for each limit\n"
        "       alone the figure that restores feasibility (checked both ways).\n"
        "    2. Each office: tier and reason, requirements per year and the gaps at the start, the cheapest\n"
        "       way to attain from each year, and, where the plan leaves it unattained, what binds.\n"
        "    3. Marginal values: what 10% more of each budget entry and one more unit of each quota buy,\n"
        "       and what 10% less (one less) costs, ranked (re-solves run in parallel).\n"
        "    The same content goes into plan.json with `plan solve --explain`.\n    "
    ): (
        "解释情景：不可行原因、各司法所的达标路径、预算和名额的边际价值。\n"
        "\n"
        "\x08\n"
        "1. 无法同时满足的硬目标：相互冲突的目标和限额，以及对每个限额单独而言\n"
        "   恢复可行所需的数值（双向验证）。\n"
        "2. 每个司法所：档次及理由、每年的要求及期初差距、从每一年起达标的最省途径，\n"
        "   以及方案中未达标时受何约束。\n"
        "3. 边际价值：每项预算增加 10%、每项名额增加一个单位能换来什么，\n"
        "   减少 10%（减少一个）又有何代价，并排序（重新求解并行运行）。\n"
        "使用 `plan solve --explain` 时，相同内容写入 plan.json。"
    ),
    "Explain this plan.json (verified first) instead of solving the scenario.": (
        "解释此 plan.json（先核验），而不是求解情景。"
    ),
    "Explain only this office (repeatable); marginal values are then skipped.": (
        "只解释此司法所（可重复使用）；此时跳过边际价值。"
    ),
    "Skip the marginal values (they re-solve twice per limit).": "跳过边际价值（每个限额需重新求解两次）。",
    "Print the explanation as JSON.": "以 JSON 打印解释。",
    (
        "Compare plans side by side: KPIs, then the offices that differ from the first (A).\n"
        "\n"
        "    Each argument is a scenario file (solved here with the options below) or a plan.json already\n"
        "    solved (recognised by its content, and verified against the scenario it names); both may be\n"
        "    mixed. Exit 3 when a scenario's hard targets are infeasible (use --soft-targets), 4 when no\n"
        "    plan is found in time, 5 when a plan.json fails verification.\n    "
    ): (
        "并排比较方案：先比较 KPI，再列出与第一个方案（A）不同的司法所。\n"
        "\n"
        "每个参数可以是情景文件（在此按下列选项求解），也可以是已求解的 plan.json（按内容识别，"
        "并对照其记载的情景核验）；两者可以混用。退出码：情景的硬目标不可行时为 3（可用 --soft-targets），"
        "时限内未找到方案时为 4，plan.json 未通过核验时为 5。"
    ),
    "Print the comparison as JSON.": "以 JSON 打印比较结果。",
    "Print one CSV table (UTF-8 with BOM): section, metric, label, year, then a column per plan.": (
        "打印一张 CSV 表（UTF-8，带 BOM）：section、metric、label、year，之后每个方案一列。"
    ),
    (
        "Solve the scenario at many budget (and quota) scales and print the frontier.\n"
        "\n"
        "    Each variant scales every budget entry (to the nearest yuan) and every post quota (down to whole\n"
        "    people) of the scenario. The frontier shows, per scale, the total budget, attained office-years,\n"
        "    last-year attainment per tier, cost, targets met and shortfall, and marks (★) the cheapest scale\n"
        "    that meets every target. Variants run in parallel, one per core, or on a Dask cluster (--dask).\n    "
    ): (
        "按多种预算（及名额）倍数求解情景，并打印前沿。\n"
        "\n"
        "每个变体按倍数缩放情景的每项预算（取整到元）和每项编制名额（向下取整到整人）。"
        "前沿按倍数列出总预算、达标所·年、末年各档次达标率、费用、达成的目标和缺口，并用（★）"
        "标出满足全部目标的最省倍数。各变体并行运行，每核一个，或在 Dask 集群上运行（--dask）。"
    ),
    "Budget multipliers: start:stop:step (stop included), a comma list, or one value.": (
        "预算倍数：start:stop:step（含 stop）、逗号分隔的列表，或单个值。"
    ),
    "Post-quota multipliers, same forms; quotas are rounded down to whole people.": (
        "编制名额倍数，形式同上；名额向下取整到整人。"
    ),
    (
        "Keep the targets hard (a variant that cannot meet them is `infeasible`). Default: soft, so every point has a "
        "plan and a shortfall."
    ): (
        "保持硬目标（无法满足目标的变体为 `infeasible`）。默认：软目标，使每个点都有方案和缺口。"
    ),
    "Seconds per variant.": "每个变体的时限（秒）。",
    "CP-SAT workers per variant [default: cores ÷ parallel variants, at least 1; 1 on a Dask cluster].": (
        "每个变体的 CP-SAT 求解线程数 [默认：核数 ÷ 并行变体数，至少 1；在 Dask 集群上为 1]。"
    ),
    "Random seed of every search.": "每次搜索的随机种子。",
    "Deterministic search even under a time limit.": "即使设定了时限也进行确定性搜索。",
    "Run the variants on this existing Dask distributed scheduler instead of local processes.": (
        "在这个已有的 Dask distributed 调度器上运行各变体，而不是在本地进程中运行。"
    ),
    "Write the chart to PREFIX.png and PREFIX.svg [default: out/<scenario stem>/sweep].": (
        "将图表写入 PREFIX.png 和 PREFIX.svg [默认：out/<scenario stem>/sweep]。"
    ),
    "Draw no chart.": "不绘制图表。",
    "Print {\"points\": [{\"budget_scale\", \"quota_scale\", \"status\", \"objective\", ...}]}.": (
        "打印 {\"points\": [{\"budget_scale\", \"quota_scale\", \"status\", \"objective\", ...}]}。"
    ),
    "Print the frontier as one CSV table (UTF-8 with BOM).": "以一张 CSV 表打印前沿（UTF-8，带 BOM）。",
    (
        "Write a draft 年度工作计划 (.docx, GB/T 9704 layout) from a plan verified against its scenario.\n"
        "\n"
        "    Sections: 总体目标, 主要任务 per county, 经费保障, 时间安排 by quarter, 保障措施 (to fill in).\n"
        "    Exit 5 when the plan does not verify against the scenario (there is no --force: a draft is\n"
        "    only written from a verified plan).\n    "
    ): (
        "由已对照情景核验的方案写出年度工作计划草稿（.docx，GB/T 9704 版式）。\n"
        "\n"
        "各部分：总体目标、按县区列出的主要任务、经费保障、按季度列出的时间安排、保障措施（待填写）。"
        "方案未能对照情景通过核验时退出码为 5（没有 --force：草稿只能由已核验的方案写出）。"
    ),
    "The .docx file to write.": "要写出的 .docx 文件。",
    "The document's title [default: the scenario's name].": "文稿标题 [默认：情景名称]。",
    "The issuing unit printed under the title, e.g. 泰州市司法局.": "印在标题下方的发文单位，例如泰州市司法局。",
    "The scenario file (default: the one named in the plan); the plan is verified against it.": (
        "情景文件（默认：方案中记载的那个）；方案对照它核验。"
    ),
    (
        "Write the Excel scenario template: 说明, 基本设置, 达标目标, 预算, 编制, 费用标准, 司法所, 用房方案.\n"
        "\n"
        "    Fill it in Excel or WPS, then `plan validate|classify|solve` it directly.\n    "
    ): (
        "写出 Excel 情景模板：说明、基本设置、达标目标、预算、编制、费用标准、司法所、用房方案。\n"
        "\n"
        "在 Excel 或 WPS 中填好后，可直接用 `plan validate|classify|solve` 处理。"
    ),
    "The .xlsx workbook to write.": "要写出的 .xlsx 工作簿。",
    "Fill it from this scenario (YAML or XLSX) instead of the example rows.": (
        "用此情景（YAML 或 XLSX）填写，而不是用示例行。"
    ),
    "Convert a scenario between YAML and XLSX (either way; the source is validated first).": (
        "在 YAML 与 XLSX 之间转换情景（双向均可；先检查源文件）。"
    ),
    (
        "Start the local web workbench: upload a scenario, solve it with live progress, see the report,\n"
        "    download plan.json / the workbook / the Word draft, sweep budgets, compare runs; a JSON API\n"
        "    (docs/api.md). The run history is kept in --data and survives restarts."
    ): (
        "启动本地网页工作台。可上传情景并求解（实时显示进度）、查看报告，下载 plan.json / 工作簿 / Word 草稿，"
        "扫描预算、比较各次运行；另有 JSON API（docs/api.md）。运行历史保存在 --data 中，重启后仍保留。"
    ),
    "Address to listen on. Anything but loopback needs --token.": "监听地址。非回环地址须配合 --token。",
    "Port (0: any free port; the address printed says which).": "端口（0：任选空闲端口；以打印出的地址为准）。",
    "Folder of the run history (runs.sqlite3).": "运行历史所在的文件夹（runs.sqlite3）。",
    (
        "Every request must carry it (Authorization: Bearer, or the printed address once); required off loopback. Also "
        "from PLAN_SERVE_TOKEN."
    ): (
        "每个请求都必须携带该令牌（Authorization: Bearer，或先访问一次打印出的地址）；非回环地址时必填。"
        "也可取自 PLAN_SERVE_TOKEN。"
    ),
    "Solves at once, each in its own process [default: one per core]; the rest queue.": (
        "同时进行的求解数，每个在独立进程中运行 [默认：每核一个]；其余排队。"
    ),
    "Runs that may wait in the queue; beyond it a submission is refused (503).": (
        "可在队列中等待的运行数；超出时拒绝提交（503）。"
    ),
    "Wall-clock limit of one run, explanations included; a run over it is ended and failed.": (
        "单次运行的实际耗时上限（含解释）；超时的运行将被终止并记为失败。"
    ),
    "Show this message and exit.": "显示本帮助并退出。",
}

# The examples' headings and comments, by line (the command lines themselves stay as typed).
EPILOG_ZH: dict[str, str] = {
    "Examples:": "示例：",
    "Example:": "示例：",
    "# writes out/2022/plan.json": "# 写出 out/2022/plan.json",
    "# with paths and marginal values": "# 附各所达标路径与边际价值",
    "# a cut budget, staying close to the plan already made:": "# 预算削减后重新求解，尽量贴近已有方案：",
}
