"""Messages of compare, explain, export, generate, solve --keep and sweep: Chinese by default
(PLAN_LANG=zh), English with PLAN_LANG=en; every case is quick (no solve, or a two-office one)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_compare import write_tiny

from cli.main import cli
from planner.analysis.sweep import SweepError, dask_missing, grid, parse_scales
from planner.i18n import set_lang
from planner.reports.charts import chart_missing, no_cjk_font

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "2022.yaml"


def invoke(lang: str, *args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"PLAN_LANG": lang})


def check(args: tuple[object, ...], zh: list[str], en: list[str], exit_code: int = 0) -> None:
    """The command's output holds every `zh` text with PLAN_LANG=zh and every `en` text with PLAN_LANG=en."""
    for lang, texts in (("zh", zh), ("en", en)):
        res = invoke(lang, *args)
        assert res.exit_code == exit_code, (lang, res.output)
        for text in texts:
            assert text in res.output, (lang, text, res.output)


def test_compare(tmp_path: Path) -> None:
    full, lean, same = (write_tiny(tmp_path, n, b) for n, b in (("full.yaml", 100), ("lean.yaml", 10),
                                                                ("same.yaml", 100)))
    check(("compare", full), ["至少给出两个要对比的文件（情景文件或 plan.json）"],
          ["give at least two files to compare (scenario files or plan.json)"], exit_code=2)
    check(("compare", full, lean, "--json", "--csv"), ["--json 与 --csv 不能同时使用"],
          ["--json and --csv cannot be combined"], exit_code=2)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"format": "plan-result/1", "status": "optimal"}), encoding="utf-8")
    check(("compare", broken, full), [f"违规 {broken}: ", f"{broken} 未通过核验；未作对比"],
          [f"violation {broken}: ", f"{broken} fails verification; nothing compared"], exit_code=5)
    check(("compare", full, lean, same, "--soft-targets", "--workers", "1"),
          ["B 对比 A：仅 B 达标的所·年 0 个，仅 A 达标的 2 个；1 个司法所有差异",
           f"A 对比 C（{same}）：每个司法所的达标年份和行动都相同", "仅A有的行动"],
          ["B vs A: 0 office-years attained only in B, 2 only in A; 1 office differs",
           f"A vs C ({same}): every office attains in the same years with the same actions", "actions only in A"])


def test_explain_unknown_office(tmp_path: Path) -> None:
    path = write_tiny(tmp_path, "tiny.yaml")
    check(("explain", path, "--office", "a"), ["--office 的值无效：情景中没有司法所 'a'（是否应为 A？）"],
          ["no office 'a' in the scenario (did you mean A?)"], exit_code=2)


def test_export_needs_an_output() -> None:
    check(("export", SCENARIO), ["请给出 --xlsx 文件和/或 --csv 文件夹"], ["give --xlsx FILE and/or --csv DIR"],
          exit_code=2)


def test_generate(tmp_path: Path) -> None:
    out = tmp_path / "g.yaml"
    check(("generate", "--offices", "30", "--seed", "1", "--budget-scope", "city", "-o", out),
          [f"已写入 {out}：30 个司法所，2 个县区，1 个市，1 个省，3 年\n"],
          [f"wrote {out}: 30 offices in 2 counties, 1 cities, 1 provinces, 3 years\n"])


def test_solve_keep_and_no_keep(tmp_path: Path) -> None:
    check(("solve", SCENARIO, "-o", tmp_path / "o", "--keep", SCENARIO, "--no-keep"),
          ["--keep 与 --no-keep 不能同时使用"], ["--keep and --no-keep cannot be combined"], exit_code=2)


def test_sweep(tmp_path: Path) -> None:
    path = write_tiny(tmp_path, "tiny.yaml", 100)
    check(("sweep", path, "--json", "--csv"), ["--json 与 --csv 不能同时使用"],
          ["--json and --csv cannot be combined"], exit_code=2)
    check(("sweep", path, "--budget-scale", "1:0:1"),
          ["'1:0:1'：范围 start:stop:step 要求 step > 0 且 stop ≥ start"],
          ["Invalid value for --budget-scale: '1:0:1': a range start:stop:step needs step > 0 and stop ≥ start"],
          exit_code=2)
    one = ("sweep", path, "--workers", "1", "--no-chart", "--budget-scale")
    check((*one, "0.55"),
          [f"扫描：{path} 的 1 个变体，使用 1 个本地进程 × 每进程 1 个 CP-SAT 求解线程",
           "★ 最低达标预算：预算 ×0.55 = 110.00 万元（方案费用 106.86 万元）", "每个点均已证明最优",
           "1 个变体求解完毕，用时 "],
          [f"sweep: 1 variants of {path} on 1 local processes × 1 CP-SAT workers",
           "★ cheapest scale meeting every target 最低达标预算: budget ×0.55 = 110.00 万元 (plan cost 106.86 万元)",
           "every point is proven optimal (最优)", "1 variants solved in "])
    check((*one, "0.05"), ["没有哪个系数能满足全部目标；预算 ×0.05（10.00 万元）时缺口仍为 2"],
          ["no scale meets every target; at ×0.05 (10.00 万元) the shortfall is still 2"])
    check((*one, "0.05", "--hard"), ["所有变体均无方案（各系数下硬性目标均不可行）"],
          ["no variant has a plan (hard targets infeasible at every scale)"])


@pytest.mark.parametrize(("lang", "texts"), [
    ("zh", ["未给出系数", "共 401 个变体；一次扫描至多 400 个", "绘制图表需要可选组件 chart 中的 matplotlib",
            "找不到可显示图表中文标签的 CJK 字体", "--dask 需要可选组件 dask"]),
    ("en", ["no scale given", "401 variants; at most 400 per sweep", "drawing the chart needs matplotlib",
            "no CJK font found for the chart's Chinese labels", "--dask needs the optional Dask extra"]),
])
def test_sweep_and_chart_messages_outside_the_cli(lang: str, texts: list[str]) -> None:
    set_lang(lang)
    try:
        with pytest.raises(SweepError) as empty:
            parse_scales(" , ")
        with pytest.raises(SweepError) as many:
            grid([Decimal(i) for i in range(401)], [Decimal(1)])
        got = [str(empty.value), str(many.value), chart_missing(), no_cjk_font(), dask_missing()]
    finally:
        set_lang(None)
    assert [g.startswith(t) for g, t in zip(got, texts)] == [True] * len(texts), got


@pytest.mark.parametrize(("stage", "zh"), [
    ("building model", "建立模型"), ("shortfall", "缺口"), ("attained_office_years", "达标所·年"),
    ("2/3 total_cost", "分量 2/3 总费用"),  # a level of one of several components searched in turn
    ("components 3/10", "分量 3/10"), ("1/2 churn", "分量 1/2 变动"), ("a stage not named", "a stage not named"),
])
def test_the_progress_line_names_each_stage_in_chinese(stage: str, zh: str) -> None:
    from cli.running import _stage_zh

    assert _stage_zh(stage) == zh
