"""The briefing as an editable Word document: the same 报头, 目录 and numbered sections as the
PDF (document.py), for bureau staff to edit before sign-off.

Each section's HTML is read into blocks (html_blocks) and written here as Word paragraphs,
runs, lists, tables and pictures (data: images only, rasterised by docx_images)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime, time

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from reports.document import DocumentMeta, Section, chinese_number
from reports.docx_images import image_png
from reports.docx_ooxml import (
    bottom_border,
    field,
    new_list_number,
    set_fonts,
    shade,
    table_borders,
    update_fields_on_open,
)
from reports.html_blocks import Block, Para, Rule, Table, html_blocks

BODY_FONT = "Noto Serif CJK SC"  # 宋体/仿宋 role; Word substitutes when it is not installed
HEADING_FONT = "Noto Sans CJK SC"  # 黑体 role
CODE_FONT = "Noto Sans Mono CJK SC"
RED = RGBColor(0xB4, 0x00, 0x00)  # the PDF's masthead red (#b40000)
PICTURE_WIDTH = Cm(15)
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
TOC_PLACEHOLDER = "右键更新域以生成目录"
UNCONVERTIBLE = "（图表无法转换）"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
# GB/T 9704 page margins on A4.
PAGE = {"width": Cm(21), "height": Cm(29.7), "top": Cm(3.7), "bottom": Cm(3.5)}
LEFT, RIGHT = Cm(2.8), Cm(2.6)
TEXT_WIDTH = Emu(PAGE["width"] - LEFT - RIGHT)


def _setup_styles(doc: WordDocument) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        set_fonts(rpr_default, BODY_FONT, BODY_FONT)
    normal = doc.styles["Normal"]
    set_fonts(normal.element, BODY_FONT, BODY_FONT)
    normal.font.size = Pt(12)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    for style in doc.styles:
        rpr = style.element.rPr
        text_style = style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER)
        if not text_style or rpr is None or rpr.find(qn("w:rFonts")) is None:
            continue  # only styles that name their own (theme) fonts
        heading = style.name.startswith(("Heading", "Title", "TOC Heading"))
        set_fonts(style.element, *(2 * [HEADING_FONT if heading else BODY_FONT]))
    for name, size in (("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 12)):
        style = doc.styles[name]
        set_fonts(style.element, HEADING_FONT, HEADING_FONT)
        style.font.size, style.font.bold = Pt(size), True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(6 if name == "Heading 1" else 3)
    for name in ("Header", "Footer", "Caption"):
        doc.styles[name].font.size = Pt(9 if name != "Caption" else 10.5)
    doc.styles["Caption"].font.color.rgb = RGBColor(0x33, 0x33, 0x33)


class _Writer:
    """Writes one section's blocks (its list ids are the section parser's own)."""

    def __init__(self, doc: WordDocument) -> None:
        self.doc = doc
        self.list_numbers: dict[int, int] = {}  # parsed list id → Word numId

    def blocks(self, container, blocks: Sequence[Block], width: Length = PICTURE_WIDTH) -> None:
        """Write `blocks` into the document body or a table cell (`container`)."""
        fresh = container.paragraphs[0] if isinstance(container, _Cell) else None
        for block in blocks:
            if isinstance(block, Table):
                self.table(container, block)
                continue
            paragraph = fresh if fresh is not None else container.add_paragraph()
            fresh = None
            if isinstance(block, Para):
                self.paragraph(paragraph, block)
            elif isinstance(block, Rule):
                bottom_border(paragraph)
            else:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                png = image_png(block.src)
                if png is None:  # a malformed image: a placeholder says so
                    paragraph.add_run(UNCONVERTIBLE)
                else:
                    paragraph.add_run().add_picture(io.BytesIO(png), width=width)

    def paragraph(self, paragraph: Paragraph, para: Para) -> None:
        if para.style:
            paragraph.style = self.doc.styles[para.style]
        if para.align:
            paragraph.alignment = {
                "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT
            }[para.align]  # fmt: skip
        if para.numbering is not None and para.style:
            list_id, _level = para.numbering
            if list_id not in self.list_numbers:
                self.list_numbers[list_id] = new_list_number(self.doc, para.style)
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = self.list_numbers[list_id]
        for item in para.runs:
            run = paragraph.add_run(item.text)
            run.bold = item.bold or None
            run.italic = item.italic or None
            if item.code:
                set_fonts(run._r, CODE_FONT, CODE_FONT)

    def table(self, container, table: Table) -> None:
        rows = [row for row in table.rows if row.cells]
        if not rows:
            return
        columns = max(len(row.cells) for row in rows)
        word = container.add_table(rows=len(rows), cols=columns)
        word.alignment = WD_TABLE_ALIGNMENT.CENTER
        table_borders(word)
        cell_width = Emu(max(Cm(1), min(PICTURE_WIDTH, TEXT_WIDTH // columns - Cm(0.4))))
        heading = True
        for row, word_row in zip(rows, word.rows, strict=True):
            heading = heading and (row.header or row.all_th)
            if heading:  # leading header rows repeat on every page
                tr_pr = word_row._tr.get_or_add_trPr()
                tr_pr.append(OxmlElement("w:tblHeader"))
            for cells, cell in zip(row.cells, word_row.cells, strict=False):
                self.blocks(cell, cells, width=cell_width)
                if heading:
                    shade(cell, "F1F1F1")
                    for paragraph in cell.paragraphs:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if isinstance(container, WordDocument):
            container.add_paragraph()  # keeps consecutive tables apart, as the PDF's margin


def _page_setup(doc: WordDocument, meta: DocumentMeta) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = section.footer_distance = Cm(1.5)
    section.different_first_page_header_footer = True  # the 报头 page carries none
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.add_run(f"{meta.title}　{meta.period_label}")
    if meta.classification:
        head.add_run(f"　{meta.classification}").bold = True
    bottom_border(head, "999999", 4)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("第 ")
    field(foot, "PAGE", "1")
    foot.add_run(" 页 / 共 ")
    field(foot, "NUMPAGES", "1")
    foot.add_run(" 页")
    update_fields_on_open(doc)


def _masthead(doc: WordDocument, meta: DocumentMeta) -> None:
    classification = doc.add_paragraph()
    run = classification.add_run(meta.classification)
    run.bold, run.font.size = True, Pt(14)
    set_fonts(run._r, HEADING_FONT, HEADING_FONT)
    classification.paragraph_format.space_after = Pt(36)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(meta.title)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(30), RED
    set_fonts(run._r, HEADING_FONT, HEADING_FONT)
    title.paragraph_format.space_after = Pt(18)
    issue = doc.add_paragraph()
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issue.add_run(meta.issue).font.size = Pt(14)
    issue.paragraph_format.space_after = Pt(12)
    byline = doc.add_paragraph()
    byline.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    byline.add_run(f"{meta.issuer}\t{meta.period_label}")
    byline.paragraph_format.space_after = Pt(18)
    bottom_border(byline, "B40000", 12)


def _toc(doc: WordDocument) -> None:
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("目　录")
    run.bold, run.font.size = True, Pt(18)
    set_fonts(run._r, HEADING_FONT, HEADING_FONT)
    heading.paragraph_format.space_after = Pt(18)
    field(doc.add_paragraph(), TOC_INSTRUCTION, TOC_PLACEHOLDER)


def docx_bytes(meta: DocumentMeta, cover: Section | None, sections: Sequence[Section]) -> bytes:
    """The briefing as a .docx: 报头 page (with `cover`'s body), 目录 field, then the sections,
    titled ones as Heading 1 numbered 一、二、… exactly as in the PDF."""
    doc = Document()
    _setup_styles(doc)
    _page_setup(doc, meta)
    properties = doc.core_properties
    properties.title, properties.subject = meta.title, f"{meta.issue} {meta.period_label}"
    properties.author = properties.last_modified_by = meta.issuer
    properties.comments = properties.keywords = ""
    if meta.as_of is not None:  # else python-docx's template keeps its own fixed dates
        properties.created = properties.modified = datetime.combine(meta.as_of, time())
    body = doc.paragraphs[0]._p if doc.paragraphs else None  # the template's empty paragraph
    if body is not None:
        body.getparent().remove(body)
    _masthead(doc, meta)
    if cover is not None:
        if cover.title:
            run = doc.add_paragraph().add_run(cover.title)
            run.bold, run.font.size = True, Pt(15)
            set_fonts(run._r, HEADING_FONT, HEADING_FONT)
        _Writer(doc).blocks(doc, html_blocks(cover.html))
    doc.add_page_break()
    _toc(doc)
    doc.add_page_break()
    count = 0
    for section in sections:
        if section.title is not None:
            count += 1
            doc.add_heading(f"{chinese_number(count)}、{section.title}", level=1)
        _Writer(doc).blocks(doc, html_blocks(section.html))  # list ids are per section
    out = io.BytesIO()
    doc.save(out)
    return _without_clock(out.getvalue())


def _without_clock(package: bytes) -> bytes:
    """`package` with every zip entry dated ZIP_TIME, in the same order and compression:
    python-docx dates them with the clock, and a briefing rebuilt from the same figures must
    be the archived file byte for byte."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, ZIP_TIME)
            fixed.compress_type, fixed.external_attr = entry.compress_type, entry.external_attr
            target.writestr(fixed, source.read(entry))
    return out.getvalue()
