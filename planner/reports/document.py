"""The Word draft of the annual work plan (年度工作计划) from a verified plan (`plan document`).

Built in code on python-docx's default template, laid out as a 公文 after GB/T 9704-2012: A4,
margins 37/35/28/26 mm (top/bottom/left/right), title in 小标宋 2号, body in 仿宋_GB2312 3号 at a
fixed 28 pt line, headings in 黑体 / 楷体_GB2312, page numbers "— n —" in 宋体 4号 in the footer
(odd pages right, even pages left). Fonts a machine lacks fall back through the font table's
alternate names (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体), which Word and WPS
honour; every Chinese font is also set as the run's east-Asian font (w:eastAsia).

Every figure comes from plan.json (through `reports.tables.build_tables`, the one source of the
export's rows); all user text (office and county names, the title) is written as plain runs.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from lxml import etree

from planner.analysis.milestones import QUARTERS_ZH, plan_milestones
from planner.io.scenario import Schedule
from planner.plan import PlanResult
from planner.reports.labels import T_ACTION, T_ANNUAL, T_COUNTY, T_OFFICE, T_ONE_TIME, T_WHAT, T_YEAR
from planner.reports.tables import (
    Context,
    Names,
    Table,
    build_tables,
    plan_years,
    quantity,
)
from planner.rules.requirements import derive
from planner.solver.status import SolveStatus

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156 mm
TITLE_PT, BODY_PT, TABLE_PT, PAGE_NUMBER_PT = 22, 16, 10.5, 14  # 2号, 3号, 五号, 4号
LINE_PT = 28  # fixed line spacing of the body: 22 lines on the 225 mm text height
LATIN = "Times New Roman"
# Font → the alternate Word/WPS use when it is not installed (w:altName in the font table).
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
PAGE_FONT = "宋体"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", SUBHEADING_FONT: "楷体", HEADING_FONT: "SimHei",
             "宋体": "SimSun"}
SECTIONS = ("一、总体目标", "二、主要任务", "三、经费保障", "四、时间安排", "五、保障措施")
PLACEHOLDER = ("（待补充：组织领导、资金保障、人员编制、督促检查等措施。本段由起草人根据本地实际填写。）")


@dataclass(frozen=True)
class Column:
    header: str
    width_mm: float
    numeric: bool = False


def build_document(plan: PlanResult, ctx: Context, title: str | None = None, unit: str | None = None) -> bytes:
    """The .docx bytes of the draft; `ctx` must hold the scenario the plan was verified against."""
    assert ctx.loaded is not None, "the draft needs the scenario (verify the plan first)"
    tables = {t.key: t for t in build_tables(plan, ctx, "zh")}
    draft = _Draft()
    draft.title(title or plan.scenario.name, unit)
    draft.body(_introduction(plan, ctx, len(tables["tasks"].body)))
    draft.heading(SECTIONS[0])
    _goals(draft, plan, tables["attainment"])
    draft.heading(SECTIONS[1])
    _tasks(draft, plan, tables["tasks"])
    draft.heading(SECTIONS[2])
    _funding(draft, plan, ctx, tables["spending"])
    draft.heading(SECTIONS[3])
    _schedule(draft, plan, ctx)
    draft.heading(SECTIONS[4])
    draft.body(PLACEHOLDER)
    draft.doc.core_properties.title = title or plan.scenario.name
    draft.doc.core_properties.author = unit or ""
    buf = io.BytesIO()
    draft.doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- figures as the document prints them


def money(x: float) -> str:
    """万元 with at least 2 and at most 4 decimals (the scenario's precision): 22.50, 1.225."""
    text = f"{x:,.4f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def rate(x: float) -> str:
    """0.9 → 90%, 1/3 → 33.3%."""
    pct = round(x * 100, 1)
    return f"{pct:g}%"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (for the （一） headings); from 100 on, Arabic digits."""
    digits = "零一二三四五六七八九"
    if n >= 100:
        return str(n)
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


# ---------------------------------------------------------------- the sections


def _introduction(plan: PlanResult, ctx: Context, n_tasks: int) -> str:
    years = plan_years(plan)
    counties = list(dict.fromkeys(o.county for o in plan.offices))
    status = "已证明最优" if plan.status == SolveStatus.OPTIMAL else "可行方案，未证明最优"
    std = ctx.standard.name if ctx.standard else plan.standard
    return (f"为推进司法所分类建设，根据《{std}》，结合各司法所现状，经优化测算（{status}），制定本计划。"
            f"本计划涉及{len(counties)}个县（市、区）{len(plan.offices)}个司法所，规划期{_span(years)}，"
            f"共安排建设任务{n_tasks}项，规划期总费用{money(plan.objective.total_cost)}万元。")


def _span(years: list[int]) -> str:
    return f"{years[0]}年" if years[0] == years[-1] else f"{years[0]}—{years[-1]}年"


def _goals(draft: _Draft, plan: PlanResult, table: Table) -> None:
    last = max(a.year for a in plan.attainment) if plan.attainment else None
    attained_end = sum(1 for o in plan.offices if last is not None and o.attained.get(str(last)))
    met = sum(a.met for a in plan.attainment)
    short = [a for a in plan.attainment if not a.met]
    text = (f"到{last}年底，{len(plan.offices)}个司法所中{attained_end}个达到所属类别建设标准；"
            f"{len(plan.attainment)}项达标率目标中完成{met}项") if last is not None else "本计划未设达标率目标"
    if short:
        text += "；未完成的目标：" + "、".join(
            f"{a.year}年{row[1]}{'全部' if a.tier == 'all' else row[2]}司法所达标率{rate(a.target)}"
            f"（差{a.required - a.attained}个）" for a, row in zip(plan.attainment, table.rows) if not a.met)
    if plan.targets_mode == "soft":
        text += "。本计划按软目标测算：目标不能全部完成时，使未达标的差额最小"
    draft.body(text + "。各年度达标率目标如下：")
    cols = [Column("年度", 13), Column("范围", 22), Column("类别", 13), Column("所数", 13, True),
            Column("计划达标数", 17, True), Column("计划达标率", 19, True), Column("目标达标率", 19, True),
            Column("应达标数", 17, True), Column("完成情况", 23)]
    rows = [[str(a.year), row[1], row[2], str(a.offices), str(a.attained),
             rate(a.attained / a.offices) if a.offices else "—", rate(a.target), str(a.required),
             "完成" if a.met else f"差{a.required - a.attained}个"]
            for a, row in zip(plan.attainment, table.rows)]
    draft.table(cols, rows)


TASK_COLUMNS = [Column("司法所", 24), Column("年度", 13), Column("任务类型", 20), Column("内容", 37),
                Column("数量", 16), Column("一次性费用（万元）", 23, True), Column("年度费用（万元）", 23, True)]


def _tasks(draft: _Draft, plan: PlanResult, table: Table) -> None:
    by_county: dict[str, list[list[Any]]] = defaultdict(list)
    for action, row in zip(plan.actions, table.body):
        by_county[row[T_COUNTY]].append([row[T_OFFICE], str(row[T_YEAR]), row[T_ACTION], row[T_WHAT], quantity(action),
                                         row[T_ONE_TIME], row[T_ANNUAL]])
    offices_in: dict[str, int] = defaultdict(int)
    for o in plan.offices:
        offices_in[o.county] += 1
    for n, county in enumerate(offices_in, 1):
        rows = by_county.get(county, [])
        draft.subheading(f"（{cn_number(n)}）{county}")
        if not rows:
            draft.body(f"{county}共{offices_in[county]}个司法所，本期无建设任务。")
            continue
        draft.body(f"{county}共{offices_in[county]}个司法所，安排建设任务{len(rows)}项，"
                   f"一次性费用{money(sum(r[5] for r in rows))}万元，"
                   f"年度费用{money(sum(r[6] for r in rows))}万元。")
        draft.table(TASK_COLUMNS, [[*r[:5], money(r[5]), money(r[6])] for r in rows])


def _disjoint(scopes: set[str], ctx: Context) -> bool:
    """Whether no office falls in two of these budget scopes (Requirements.scope_members)."""
    assert ctx.loaded is not None
    members = derive(ctx.loaded).scope_members()
    held = [set(members.get(scope, ())) for scope in scopes]
    return sum(len(h) for h in held) == len(set().union(*held))


def _funding(draft: _Draft, plan: PlanResult, ctx: Context, table: Table) -> None:
    draft.body(f"规划期总费用{money(plan.objective.total_cost)}万元，各项预算及支出如下（单位：万元）：")
    cols = [Column("年度", 20), Column("范围", 40), Column("预算（万元）", 32, True), Column("支出（万元）", 32, True),
            Column("结余（万元）", 32, True)]
    rows = [[str(r[0]), r[1], money(r[2]), money(r[3]), money(r[4])] for r in table.rows]
    if _disjoint({s.scope for s in plan.spending}, ctx):  # the sums count no spending twice
        budget, spent = sum(s.budget for s in plan.spending), sum(s.spent for s in plan.spending)
        rows.append(["合计", "", money(budget), money(spent), money(budget - spent)])
    else:
        draft.body("各项预算的范围有重叠（如市级统筹资金与县区预算），同一笔支出计入多项预算，故不作合计。")
    draft.table(cols, rows, total_row=rows[-1][0] == "合计")


def _schedule(draft: _Draft, plan: PlanResult, ctx: Context) -> None:
    assert ctx.loaded is not None
    names = {o.id: o.name for o in plan.offices}
    per_action, acceptance = plan_milestones(plan, ctx.loaded, Names(ctx, True).named)
    milestones = [m for ms in per_action for m in ms] + acceptance
    draft.body(f"各项任务按以下季度节点推进（{_nodes(ctx.loaded.scenario.schedule)}）：")
    years = sorted({m.year for m in milestones})
    cols = [Column("季度", 26), Column("工作内容", TEXT_WIDTH_MM - 26)]
    for n, year in enumerate(years, 1):
        draft.subheading(f"（{cn_number(n)}）{year}年")
        rows = []
        for q in range(1, 5):
            items = [f"{names[m.office]}：{m.text}" for m in milestones if m.year == year and m.quarter == q]
            rows.append([QUARTERS_ZH[q - 1], "\n".join(items) or "—"])
        draft.table(cols, rows)
    if not years:
        draft.body("本期无建设任务。")


def _nodes(q: Schedule) -> str:
    """The schedule's quarters in words; "默认节点" when the scenario keeps the defaults."""
    def qn_(n: int) -> str:
        return f"第{cn_number(n)}季度"
    hire = (f"{qn_(q.hire_start)}启动招录、{qn_(q.hire_recruited)}完成招录" if q.hire_start != q.hire_recruited
            else f"{qn_(q.hire_start)}招录")
    text = (f"人员{hire}、{qn_(q.hire_in_post)}到岗；租赁{qn_(q.lease_signed)}签订；新建{qn_(q.build_start)}开工、"
            f"建设期满当年{qn_(q.build_complete)}竣工；功能室{qn_(q.facility_ready)}前建成；"
            f"{qn_(q.acceptance)}组织达标验收")
    return ("默认节点：" if q == Schedule() else "情景文件 schedule 所定节点：") + text


# ---------------------------------------------------------------- layout


class _Draft:
    """A python-docx document with the 公文 page, styles and helpers for its parts."""

    def __init__(self) -> None:
        self.doc: DocxDocument = Document()
        self._page()
        self._styles()
        self._table_styles()
        self._font_table()

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 5)  # 页码 7 mm below the text
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, p: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
        """"— n —", one character in from the outer edge (GB/T 9704 §7.5)."""
        p.alignment = align
        fmt = p.paragraph_format
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            fmt.left_indent = Pt(PAGE_NUMBER_PT)
        _font(p.add_run("— "), PAGE_FONT, PAGE_NUMBER_PT)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        p._p.append(field)
        _font(p.add_run(" —"), PAGE_FONT, PAGE_NUMBER_PT)

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        _font(normal, BODY_FONT, BODY_PT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)

    def _font_table(self) -> None:
        """Declare each Chinese font with its alternate and the GB2312 charset, for machines without it."""
        part = next(p for p in self.doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
        root = etree.fromstring(part.blob)
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        for name, alt in FALLBACKS.items():
            font = etree.SubElement(root, f"{w}font", {f"{w}name": name})
            etree.SubElement(font, f"{w}altName", {f"{w}val": alt})
            etree.SubElement(font, f"{w}charset", {f"{w}val": "86"})  # GB2312
            etree.SubElement(font, f"{w}family", {f"{w}val": "modern" if name == HEADING_FONT else "roman"})
            etree.SubElement(font, f"{w}pitch", {f"{w}val": "fixed" if name != TITLE_FONT else "variable"})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def title(self, text: str, unit: str | None) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(TITLE_PT * 1.6)
        p.paragraph_format.space_after = Pt(LINE_PT)
        _font(p.add_run(text), TITLE_FONT, TITLE_PT)
        if unit:
            q = self.doc.add_paragraph()
            q.alignment = WD_ALIGN_PARAGRAPH.CENTER
            q.paragraph_format.space_after = Pt(LINE_PT)
            _font(q.add_run(unit), SUBHEADING_FONT, BODY_PT)

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        p.paragraph_format.keep_with_next = True
        _font(p.add_run(text), HEADING_FONT, BODY_PT)

    def subheading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        p.paragraph_format.keep_with_next = True
        _font(p.add_run(text), SUBHEADING_FONT, BODY_PT)

    def body(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        p.add_run(text)

    def table(self, columns: list[Column], rows: list[list[str]], total_row: bool = False) -> DocxTable:
        """A grid table of exactly the text width; the header row repeats on every page."""
        widths = [Mm(c.width_mm) for c in columns]
        if self.doc.paragraphs:  # the sentence that introduces the table stays on its page
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        t = self.doc.add_table(rows=1, cols=len(columns))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for gc, width in zip(t._tbl.tblGrid.gridCol_lst, widths):
            gc.w = width
        header = t.rows[0]
        _repeat_header(header)
        for cell, col, width in zip(header.cells, columns, widths):
            cell.width = width
            _text(cell.paragraphs[0], col.header, self.cell_styles["head"])
        for i, values in enumerate(rows):
            kind = "total" if total_row and i == len(rows) - 1 else None
            cells = t.add_row().cells
            for cell, col, width, value in zip(cells, columns, widths, values):
                cell.width = width
                style = self.cell_styles[kind or ("number" if col.numeric else "text")]
                lines = str(value).split("\n")
                _text(cell.paragraphs[0], lines[0], style)
                for line in lines[1:]:
                    _text(cell.add_paragraph(), line, style)
        self.doc.add_paragraph().paragraph_format.line_spacing = Pt(LINE_PT / 2)  # space after the table
        return t

    def _table_styles(self) -> None:
        """Paragraph styles of table cells (五号, single-spaced): text, numbers, header and 合计 rows."""
        self.cell_styles: dict[str, Any] = {}
        for key, align, bold in (("text", WD_ALIGN_PARAGRAPH.LEFT, False), ("number", WD_ALIGN_PARAGRAPH.RIGHT, False),
                                 ("head", WD_ALIGN_PARAGRAPH.CENTER, True), ("total", WD_ALIGN_PARAGRAPH.RIGHT, True)):
            style = self.doc.styles.add_style(f"表格{key}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.doc.styles["Normal"]
            _font(style, BODY_FONT, TABLE_PT)
            style.font.bold = bold
            fmt = style.paragraph_format
            fmt.alignment, fmt.first_line_indent = align, Pt(0)
            fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(TABLE_PT * 1.5)
            self.cell_styles[key] = style


def _text(p: Paragraph, text: str, style: Any) -> None:
    p._p.style = style.style_id  # by id: `p.style = style` looks the style up by name, per cell
    p.add_run(text)


def _font(target: Any, east_asian: str, size: float) -> None:
    """Latin text in Times New Roman, Chinese in `east_asian` (w:eastAsia), at `size` points."""
    target.font.name = LATIN
    target.font.size = Pt(size)
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
