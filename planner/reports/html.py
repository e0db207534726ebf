"""The plan as one self-contained HTML report for leadership (`plan report`).

No network: styles inline, charts hand-built inline SVG whose text the browser draws with a
CJK-capable font list (so Chinese renders wherever Noto CJK, Microsoft YaHei or PingFang is
installed). Tables come from `tables.py`, the same rows as the workbook. Prints on A4.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from planner.io.standards import TIERS
from planner.plan import PlanResult
from planner.reports.labels import UNVERIFIED
from planner.reports.tables import Context, Table, build_tables, plan_years, scope_label, tier_label

FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif'
TIER_COLOURS = {"large": "#1f4e79", "medium": "#2e75b6", "small": "#8db4e2", "all": "#548235"}
CSS_FILE = Path(__file__).with_name("report.css")

T = {
    "zh": {"title": "司法所分类建设规划报告", "summary": "概况", "charts": "图表",
           "att_chart": "各类司法所达标率与目标",
           "spend_chart": "经费支出与预算（万元）", "grid": "各县区分类达标情况（达标数/所数）",
           "offices": "司法所进度表", "tasks": "任务清单", "explanations": "说明", "target": "目标",
           "budget": "预算", "spent": "支出", "rate": "达标率", "short": "未完成目标",
           "grid_note": "红框：该县区该类别未完成当年目标。", "no_targets": "无目标", "file": "情景文件",
           "standard": "标准", "status": "求解状态", "solver": "求解器"},
    "en": {"title": "Justice office construction plan report", "summary": "Summary", "charts": "Charts",
           "att_chart": "Attainment rate against target, per tier and year",
           "spend_chart": "Spending against budget (10k CNY)",
           "grid": "Attainment per county and tier (attained / offices)", "offices": "Office timetable",
           "tasks": "Task list", "explanations": "Explanations", "target": "target", "budget": "budget",
           "spent": "spent", "rate": "attainment rate", "short": "target missed",
           "grid_note": "Red frame: the county missed that year's target for the tier.", "no_targets": "no target",
           "file": "scenario file", "standard": "standard", "status": "status", "solver": "solver"},
}


def render_report(plan: PlanResult, ctx: Context, lang: str = "zh") -> str:
    """The whole report as one HTML document."""
    key = "zh" if lang == "zh" else "en"
    t = T[key]
    tables = {tb.key: tb for tb in build_tables(plan, ctx, key)}
    # An unverified plan says so at the top of every section and, in print, on every page.
    mark = "" if ctx.verified else f"<p class=\"unverified\">{escape(UNVERIFIED[key])}</p>"
    body = [
        f"<header><h1>{escape(plan.scenario.name)}</h1><p class=\"sub\">{t['title']}</p>{mark}</header>",
        f"<section id=\"summary\"><h2>{t['summary']}</h2>{mark}{_cards(plan, key)}"
        f"{_table(tables['summary'])}</section>",
        f"<section id=\"charts\"><h2>{t['charts']}</h2>",
        mark,
        _figure("chart-attainment", t["att_chart"], attainment_chart(plan, key)),
        _figure("chart-spending", t["spend_chart"], spending_chart(plan, key)),
        _figure("chart-grid", t["grid"], county_grid(plan, key), t["grid_note"]),
        "</section>",
        f"<section id=\"offices\"><h2>{t['offices']}</h2>{mark}{_table(tables['timetable'])}</section>",
        f"<section id=\"tasks\"><h2>{t['tasks']}</h2>{mark}{_table(tables['tasks'])}</section>",
    ]
    if plan.explanations:
        known = [_table(tables[k]) for k in ("why", "marginal") if k in tables]
        rest = {k: v for k, v in plan.explanations.items() if k not in ("offices", "marginal")}
        body.append(f"<section id=\"explanations\"><h2>{t['explanations']}</h2>{mark}"
                    + "".join(known) + (_explanations(rest) if rest else "") + "</section>")
    return ("<!DOCTYPE html>\n"
            f"<html lang=\"{'zh-CN' if key == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(plan.scenario.name)} — {t['title']}</title>"
            f"<style>{CSS_FILE.read_text(encoding='utf-8')}</style></head>\n"
            "<body>\n" + "\n".join(body) + "\n</body></html>\n")


# ---------------------------------------------------------------- figures per chart


def tier_year_rates(plan: PlanResult) -> dict[tuple[str, int], tuple[int, int]]:
    """(tier or 'all', year) → (attained, offices) over the whole plan."""
    out: dict[tuple[str, int], tuple[int, int]] = {}
    for o in plan.offices:
        for y, ok in o.attained.items():
            for tier in (o.tier, "all"):
                a, n = out.get((tier, int(y)), (0, 0))
                out[(tier, int(y))] = (a + ok, n + 1)
    return out


def tier_year_targets(plan: PlanResult) -> dict[tuple[str, int], float]:
    """(tier, year) → the target rate (the same in every scope of a cell)."""
    return {(a.tier, a.year): a.target for a in plan.attainment}


def attainment_chart(plan: PlanResult, key: str) -> str:
    """Grouped bars: per year, one bar per tier (and 'all' when a target is set on it), target as a tick."""
    years = plan_years(plan)
    rates = tier_year_rates(plan)
    targets = tier_year_targets(plan)
    tiers = [tr for tr in TIERS if any((tr, y) in rates for y in years)]
    if any(tr == "all" for tr, _ in targets):
        tiers.append("all")
    bar, gap, left, top, height = 26, 28, 46, 20, 200
    group = bar * len(tiers) + gap
    width = max(left + group * len(years) + 20, left + 80 * len(tiers) + 80)  # room for the legend
    svg = _Svg(width, top + height + 70)
    for pct in range(0, 101, 25):  # gridlines and axis labels
        y = top + height - height * pct / 100
        svg.line(left, y, width - 10, y, "#ddd")
        svg.text(left - 6, y + 4, f"{pct}%", anchor="end", size=11)
    for i, year in enumerate(years):
        x0 = left + gap / 2 + i * group
        svg.text(x0 + bar * len(tiers) / 2, top + height + 18, str(year), anchor="middle", size=12)
        for j, tier in enumerate(tiers):
            a, n = rates.get((tier, year), (0, 0))
            rate = a / n if n else 0.0
            x = x0 + j * bar
            h = height * rate
            svg.rect(x + 2, top + height - h, bar - 4, h, TIER_COLOURS[tier],
                     f"{year} {tier_label(tier, key)}: {a}/{n} = {rate:.0%}")
            if rate > 0:
                svg.text(x + bar / 2, top + height - h - 3, f"{rate:.0%}", anchor="middle", size=9)
            target = targets.get((tier, year))
            if target is not None:
                ty = top + height - height * target
                svg.line(x, ty, x + bar, ty, "#c00000", width=3,
                         title=f"{year} {tier_label(tier, key)} {T[key]['target']} {target:.0%}")
    legend_y = top + height + 40
    lx = left
    for tier in tiers:
        svg.rect(lx, legend_y - 10, 12, 12, TIER_COLOURS[tier])
        svg.text(lx + 16, legend_y, tier_label(tier, key), size=12)
        lx += 80
    svg.line(lx, legend_y - 4, lx + 20, legend_y - 4, "#c00000", width=3)
    svg.text(lx + 24, legend_y, T[key]["target"], size=12)
    return svg.render(T[key]["att_chart"])


def spending_chart(plan: PlanResult, key: str) -> str:
    """One row per budget entry: the budget as an outlined bar, spending filled inside it."""
    rows = sorted(plan.spending, key=lambda s: (s.scope != "all", s.scope, s.year))
    label_w, bar_w, row_h, top = 120, 420, 26, 10
    most = max([s.budget for s in rows] + [s.spent for s in rows] + [1e-9])
    svg = _Svg(label_w + bar_w + 170, top + row_h * len(rows) + 40)
    for i, s in enumerate(rows):
        y = top + i * row_h
        svg.text(label_w - 8, y + 16, f"{s.year} {scope_label(s.scope, key)}", anchor="end", size=12)
        svg.rect(label_w, y + 4, bar_w * s.budget / most, row_h - 8, "#ffffff", stroke="#7f7f7f",
                 title=f"{T[key]['budget']} {s.budget:,.4f}")
        colour = "#c00000" if s.spent > s.budget + 1e-9 else "#2e75b6"
        svg.rect(label_w, y + 7, bar_w * s.spent / most, row_h - 14, colour, title=f"{T[key]['spent']} {s.spent:,.4f}")
        svg.text(label_w + bar_w + 8, y + 16, f"{s.spent:,.2f} / {s.budget:,.2f}", size=11)
    ly = top + row_h * len(rows) + 24
    svg.rect(label_w, ly - 10, 14, 12, "#ffffff", stroke="#7f7f7f")
    svg.text(label_w + 18, ly, T[key]["budget"], size=12)
    svg.rect(label_w + 80, ly - 10, 14, 12, "#2e75b6")
    svg.text(label_w + 98, ly, T[key]["spent"], size=12)
    return svg.render(T[key]["spend_chart"])


def county_grid(plan: PlanResult, key: str) -> str:
    """Counties × (year, tier): attained/offices, shaded by rate, framed red where a target was missed."""
    years = plan_years(plan)
    counties = sorted({o.county for o in plan.offices})
    tiers = [tr for tr in TIERS if any(o.tier == tr for o in plan.offices)]
    counts: dict[tuple[str, str, int], tuple[int, int]] = {}
    for o in plan.offices:
        for y, ok in o.attained.items():
            a, n = counts.get((o.county, o.tier, int(y)), (0, 0))
            counts[(o.county, o.tier, int(y))] = (a + ok, n + 1)
    missed = {(a.scope, a.tier, a.year) for a in plan.attainment if not a.met}
    label_w, cell_w, cell_h, top = 110, 58, 26, 44
    svg = _Svg(label_w + cell_w * len(tiers) * len(years) + 10, top + cell_h * len(counties) + 10)
    for i, year in enumerate(years):
        x = label_w + i * cell_w * len(tiers)
        svg.text(x + cell_w * len(tiers) / 2, 16, str(year), anchor="middle", size=12, bold=True)
        for j, tier in enumerate(tiers):
            svg.text(x + j * cell_w + cell_w / 2, 36, tier_label(tier, key), anchor="middle", size=11)
    for r, county in enumerate(counties):
        row_y = top + r * cell_h
        svg.text(label_w - 8, row_y + 17, county, anchor="end", size=12)
        for i, year in enumerate(years):
            for j, tier in enumerate(tiers):
                x = label_w + (i * len(tiers) + j) * cell_w
                a, n = counts.get((county, tier, year), (0, 0))
                miss = bool({(county, tier, year), (county, "all", year), ("all", tier, year)} & missed)
                fill = _shade(a / n) if n else "#f2f2f2"
                svg.rect(x + 1, row_y + 1, cell_w - 2, cell_h - 2, fill, stroke="#c00000" if miss and n else "#ffffff",
                         stroke_width=2 if miss and n else 1,
                         title=f"{county} {year} {tier_label(tier, key)}: {a}/{n}"
                         + (f" ({T[key]['short']})" if miss else ""))
                if n:
                    svg.text(x + cell_w / 2, row_y + 17, f"{a}/{n}", anchor="middle", size=11,
                             colour="#ffffff" if a / n > 0.6 else "#000000")
    return svg.render(T[key]["grid"])


def _shade(rate: float) -> str:
    """White (0%) to dark blue (100%)."""
    lo, hi = (242, 242, 242), (31, 78, 121)
    r, g, b = (round(lo[k] + (hi[k] - lo[k]) * rate) for k in range(3))
    return f"#{r:02x}{g:02x}{b:02x}"


class _Svg:
    """A minimal inline-SVG builder: rectangles, lines and text with escaped labels."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self.parts: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str, title: str = "", stroke: str = "none",
             stroke_width: float = 1) -> None:
        tip = f"<title>{escape(title)}</title>" if title else ""
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
                          f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}">{tip}</rect>')

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1, title: str = "") -> None:
        tip = f"<title>{escape(title)}</title>" if title else ""
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                          f'stroke-width="{width}">{tip}</line>')

    def text(self, x: float, y: float, text: str, anchor: str = "start", size: int = 12, bold: bool = False,
             colour: str = "#000000") -> None:
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
                          f'fill="{colour}"{weight}>{escape(text)}</text>')

    def render(self, label: str) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
                f'viewBox="0 0 {self.width:.0f} {self.height:.0f}" width="{self.width:.0f}" '
                f'height="{self.height:.0f}" font-family=\'{FONTS}\'>' + "".join(self.parts) + "</svg>")


# ---------------------------------------------------------------- HTML pieces


def _figure(fid: str, caption: str, svg: str, note: str = "") -> str:
    extra = f'<p class="note">{escape(note)}</p>' if note else ""
    return f'<figure id="{fid}" class="chart">{svg}<figcaption>{escape(caption)}</figcaption>{extra}</figure>'


def _cards(plan: PlanResult, key: str) -> str:
    years = plan_years(plan)
    last = years[-1] if years else None
    attained_last = sum(o.attained.get(str(last), False) for o in plan.offices) if last else 0
    met = sum(a.met for a in plan.attainment)
    zh = key == "zh"
    cards = [(str(len(plan.offices)), "司法所" if zh else "offices"),
             (f"{attained_last}", f"{last}年底达标" if zh else f"attained at end of {last}"),
             (f"{met}/{len(plan.attainment)}", "完成目标" if zh else "targets met"),
             (f"{plan.objective.total_cost:,.4f}", "总费用（万元）" if zh else "total cost (10k CNY)"),
             (str(len(plan.actions)), "任务数" if zh else "actions")]
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="num">{escape(v)}</div><div class="lbl">{escape(lbl)}</div></div>'
        for v, lbl in cards) + "</div>"


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    rows = []
    for row in table.rows:
        cells = []
        for i, v in enumerate(row):
            if i in table.money_columns and isinstance(v, (int, float)):
                cells.append(f'<td class="num">{v:,.4f}</td>')
            elif i in table.rate_columns and isinstance(v, (int, float)):
                cells.append(f'<td class="num">{v:.0%}</td>')
            else:
                cells.append(f"<td>{escape('' if v is None else str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="data" data-table="{table.key}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _explanations(data: Any) -> str:
    """Whatever the explanations hold (text, lists, mappings), as nested lists."""
    if isinstance(data, dict):
        items = "".join(f"<dt>{escape(str(k))}</dt><dd>{_explanations(v)}</dd>" for k, v in data.items())
        return "<dl>" + items + "</dl>"
    if isinstance(data, list):
        return "<ul>" + "".join(f"<li>{_explanations(v)}</li>" for v in data) + "</ul>"
    if isinstance(data, str):
        return escape(data)
    return escape(json.dumps(data, ensure_ascii=False))

