"""The sweep frontier as a chart (PNG and SVG) with Chinese labels (optional `chart` extra).

matplotlib is imported only here and only when a chart is drawn. Chinese needs a CJK font, and
charts never rely on the fonts of the machine: the `chart` extra installs Noto Sans SC (SIL Open
Font License) from the package `pylopdf-fonts-zh-cn`, registered with matplotlib here. Only
when that package is missing is a CJK font looked up among the system's fonts (Noto Sans CJK SC,
Source Han Sans SC, WenQuanYi, …); without any, the chart is drawn with English labels only, so
no label turns into empty boxes, and the caller is told how to get one.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.i18n import tr
from planner.plan import write_atomic

if TYPE_CHECKING:
    from planner.analysis.sweep import SweepPoint


def chart_missing() -> str:
    """matplotlib is not installed: how to get it, in the current language."""
    return tr("绘制图表需要可选组件 chart 中的 matplotlib：pip install 'justice-office-planner[chart]'"
              "（或加 --no-chart 不绘图）",
              "drawing the chart needs matplotlib, the optional chart extra: "
              "pip install 'justice-office-planner[chart]' (or pass --no-chart)")


def no_cjk_font() -> str:
    """No font with Chinese glyphs: the chart has English labels only; how to get one."""
    return tr("找不到可显示图表中文标签的 CJK 字体，已改用英文标签。请安装 chart 组件"
              "（pip install 'justice-office-planner[chart]'，其中带有字体），或安装系统字体"
              "（Debian/Ubuntu：apt-get install fonts-noto-cjk）",
              "no CJK font found for the chart's Chinese labels; drew English labels only. "
              "Install the chart extra (pip install 'justice-office-planner[chart]', which brings "
              "the font), or a system font (Debian/Ubuntu: apt-get install fonts-noto-cjk)")


PREFERRED_CJK = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei",
                 "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "SimHei", "Noto Serif CJK SC")
TIER_COLOURS = {"large": "#1f77b4", "medium": "#ff7f0e", "small": "#2ca02c", "all": "#555555"}


class ChartUnavailable(RuntimeError):
    """matplotlib is not installed."""


@dataclass
class ChartResult:
    paths: list[Path]
    font: str | None  # the CJK font used; None: English labels only
    warnings: list[str] = field(default_factory=list)


def shipped_font_file() -> Path | None:
    """Noto Sans SC from the `chart` extra's font package; None when that package is missing."""
    try:
        import pylopdf_fonts_zh_cn  # lazy: optional extra (chart), as matplotlib below
    except ImportError:
        return None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    return path if path.is_file() else None


def find_cjk_font() -> str | None:
    """The name of a font that has Chinese glyphs: the shipped one (registered with matplotlib on
    first use), else a system one, preferred ones first; None when there is none."""
    try:
        from matplotlib import font_manager  # lazy: optional extra (chart): see the module docstring
    except ImportError:
        raise ChartUnavailable(chart_missing()) from None
    shipped = shipped_font_file()
    if shipped is not None:
        if not any(f.fname == str(shipped) for f in font_manager.fontManager.ttflist):
            font_manager.fontManager.addfont(str(shipped))
        return str(font_manager.FontProperties(fname=str(shipped)).get_name())
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in PREFERRED_CJK:
        if name in names:
            return name
    # Any other CJK font (e.g. "Noto Sans CJK JP" also carries the simplified Chinese glyphs).
    fallback = sorted(n for n in names if "CJK" in n.upper() and "MONO" not in n.upper())
    return fallback[0] if fallback else None


def _labels(chinese: bool) -> dict[str, str]:
    zh = {
        "title": "预算—达标前沿 Budget frontier",
        "x": "预算系数 budget scale (× 原预算)",
        "x_top": "总预算 total budget (万元)",
        "aoy": "达标所·年 attained office-years",
        "short": "目标缺口 shortfall",
        "rate": "末年达标率 attainment rate, last year",
        "cheapest": "最低达标预算 cheapest meeting all targets",
        "target": "目标",
        "quota": "编制配额",
        "tiers": "大型 large|中型 medium|小型 small|全部 all",
        "unit": "万元",
        "no_plan": "无方案 no plan (infeasible)",
    }
    en = {
        "title": "Budget frontier", "x": "budget scale (× scenario budget)", "x_top": "total budget (10k CNY)",
        "aoy": "attained office-years", "short": "shortfall", "rate": "attainment rate, last year",
        "cheapest": "cheapest meeting all targets", "target": "target", "quota": "quota scale",
        "tiers": "large|medium|small|all", "unit": "x 10k CNY", "no_plan": "no plan (infeasible)",
    }
    return zh if chinese else en


def frontier_chart(points: Sequence[SweepPoint], cheapest: int | None, title: str,
                   prefix: Path) -> ChartResult:
    """Write `prefix.png` and `prefix.svg`: attained office-years and shortfall against the budget
    scale (top), last-year attainment rate per tier against its target (bottom)."""
    try:
        import matplotlib  # lazy: optional extra (chart)
        from matplotlib.figure import Figure
    except ImportError:
        raise ChartUnavailable(chart_missing()) from None
    font = find_cjk_font()
    result = ChartResult([], font, [] if font else [no_cjk_font()])
    L = _labels(font is not None)
    rc: dict[str, Any] = {"font.family": "sans-serif", "font.sans-serif": ([font] if font else []) + ["DejaVu Sans"],
          "axes.unicode_minus": False, "svg.fonttype": "path"}  # glyphs as paths: any viewer shows them
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        fig = Figure(figsize=(9, 7.5), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        _draw_top(top, points, cheapest, L)
        _draw_bottom(bottom, points, L)
        # parse_math=False: the scenario's name is user text; `$\frac$` would be mathtext and crash.
        fig.suptitle(f"{L['title']}\n{title if font else title.encode('ascii', 'ignore').decode() or ''}",
                     parse_math=False)
        prefix.parent.mkdir(parents=True, exist_ok=True)
        for ext in ("png", "svg"):
            path = prefix.with_name(prefix.name + "." + ext)
            _save(fig, path, ext)
            result.paths.append(path)
    return result


def _save(fig: Any, path: Path, ext: str) -> None:
    """Whole file or nothing, as every output of the planner."""
    buf = io.BytesIO()
    fig.savefig(buf, format=ext, dpi=150)
    write_atomic(path, buf.getvalue())


def _series(points: Sequence[SweepPoint]) -> dict[float, list[SweepPoint]]:
    """Points with a plan, per quota scale, by budget scale."""
    by_q: dict[float, list[SweepPoint]] = {}
    for p in sorted(points, key=lambda p: (p["quota_scale"], p["budget_scale"])):
        if p["objective"] is not None:
            by_q.setdefault(p["quota_scale"], []).append(p)
    return by_q


def _draw_top(ax: Any, points: Sequence[SweepPoint], cheapest: int | None, L: dict[str, str]) -> None:
    by_q = _series(points)
    right = ax.twinx()
    for n, (q, pts) in enumerate(by_q.items()):
        suffix = f" ({L['quota']} ×{q:g})" if len(by_q) > 1 else ""
        xs = [p["budget_scale"] for p in pts]
        ax.plot(xs, [_objective(p)["attained_office_years"] for p in pts], marker="o", color=f"C{n}",
                label=L["aoy"] + suffix)
        right.plot(xs, [_objective(p)["shortfall"] for p in pts], marker="s", linestyle="--",
                   color=f"C{n}", alpha=0.6, label=L["short"] + suffix)
    no_plan = [p["budget_scale"] for p in points if p["objective"] is None]
    if no_plan:
        ax.scatter(no_plan, [0] * len(no_plan), marker="x", color="red", label=L["no_plan"])
    ax.set_ylabel(L["aoy"])
    right.set_ylabel(L["short"])
    right.set_ylim(bottom=0)
    for axis in (ax, right):  # office-years and shortfall are whole numbers
        axis.yaxis.set_major_locator(_integer_ticks())
    if cheapest is not None:
        c = points[cheapest]
        ax.axvline(c["budget_scale"], color="green", linestyle=":", linewidth=1.5)
        ax.annotate(f"{L['cheapest']}\n×{c['budget_scale']:g} = {c['total_budget']:,.2f} {L['unit']}",
                    xy=(c["budget_scale"], _objective(c)["attained_office_years"]),
                    xytext=(8, -30), textcoords="offset points", color="green", fontsize=9)
    handles = ax.get_legend_handles_labels()
    handles2 = right.get_legend_handles_labels()
    ax.legend(handles[0] + handles2[0], handles[1] + handles2[1], loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    base = _base_budget(points)
    if base:
        top = ax.secondary_xaxis("top", functions=(lambda s: s * base, lambda b: b / base))
        top.set_xlabel(L["x_top"])


def _objective(p: SweepPoint) -> dict[str, Any]:
    """The objective of a point drawn as a plan (the series hold those only)."""
    assert p["objective"] is not None
    return p["objective"]


def _base_budget(points: Sequence[SweepPoint]) -> float | None:
    """Total budget at scale 1, for the top axis (budget = scale × this, up to yuan rounding)."""
    for p in points:
        if p["budget_scale"] > 0:
            return float(p["total_budget"]) / float(p["budget_scale"])
    return None


def _draw_bottom(ax: Any, points: Sequence[SweepPoint], L: dict[str, str]) -> None:
    by_q = _series(points)
    names = dict(zip(TIER_COLOURS, L["tiers"].split("|")))
    targets: dict[str, float] = {}
    for n, (q, pts) in enumerate(by_q.items()):
        style = ["-", "-.", ":", "--"][n % 4]
        for tier, colour in TIER_COLOURS.items():
            ys = [(p["budget_scale"], (p["attainment_last_year"] or {}).get(tier)) for p in pts]
            ys = [(x, y) for x, y in ys if y is not None]
            if ys:
                label = names[tier] + (f" ({L['quota']} ×{q:g})" if len(by_q) > 1 else "")
                ax.plot([x for x, _ in ys], [y for _, y in ys], marker=".", linestyle=style, color=colour,
                        label=label)
            for p in pts:
                t = (p.get("target_last_year") or {}).get(tier)
                if t is not None:
                    targets[tier] = t
    by_rate: dict[float, list[str]] = {}  # tiers sharing a target share one line and one label
    for tier, t in targets.items():
        by_rate.setdefault(t, []).append(tier)
    for t, group in by_rate.items():
        colour = TIER_COLOURS[group[0]] if len(group) == 1 else "#555555"
        ax.axhline(t, color=colour, linestyle=(0, (1, 3)), linewidth=1)
        ax.annotate(f"{L['target']} {'/'.join(names[g].split()[0] for g in group)} {t:.0%}", xy=(1, t),
                    xycoords=("axes fraction", "data"), xytext=(-4, 2), textcoords="offset points",
                    ha="right", fontsize=7, color=colour)
    ax.set_ylim(-0.02, 1.05)
    ax.yaxis.set_major_formatter(_percent())
    ax.set_ylabel(L["rate"])
    ax.set_xlabel(L["x"])
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter  # lazy: optional extra (chart)

    return PercentFormatter(1.0)


def _integer_ticks() -> Any:
    from matplotlib.ticker import MaxNLocator  # lazy: optional extra (chart)

    return MaxNLocator(integer=True)
