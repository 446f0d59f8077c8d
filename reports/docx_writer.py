"""The briefing as an editable Word document: the same 报头, 目录 and numbered sections as the
PDF (document.py), for bureau staff to edit before sign-off.

Blocks hand over our own small HTML subset; a stdlib `html.parser` walk turns it into Word
paragraphs, runs, lists, tables and pictures. Nothing is ever fetched: only `data:` images
are embedded (SVG rasterised by vl_convert with external references removed first), any
other image source is dropped.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote_to_bytes

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

BODY_FONT = "Noto Serif CJK SC"  # 宋体/仿宋 role; Word substitutes when it is not installed
HEADING_FONT = "Noto Sans CJK SC"  # 黑体 role
CODE_FONT = "Noto Sans Mono CJK SC"
RED = RGBColor(0xB4, 0x00, 0x00)  # the PDF's masthead red (#b40000)
PICTURE_WIDTH = Cm(15)
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
TOC_PLACEHOLDER = "右键更新域以生成目录"
UNCONVERTIBLE = "（图表无法转换）"
# GB/T 9704 page margins on A4.
PAGE = {"width": Cm(21), "height": Cm(29.7), "top": Cm(3.7), "bottom": Cm(3.5)}
LEFT, RIGHT = Cm(2.8), Cm(2.6)
TEXT_WIDTH = Emu(PAGE["width"] - LEFT - RIGHT)

BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "nav", "main", "aside", "address",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
    "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "hr",
}  # fmt: skip
DROPPED_TAGS = {"script", "style", "head", "title", "template", "noscript"}
# Any attribute ending in href (href, xlink:href, foo:href) whose value is not data: or #id.
# Schema successors, so inserted elements land where Word expects them.
PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
EMBEDDABLE = re.compile(r"data:image/(svg\+xml|png)[;,]", re.IGNORECASE)
SVG_EXTERNAL_REF = re.compile(
    r"""(\b[\w.-]+:)?href\s*=\s*("(?!data:|#)[^"]*"|'(?!data:|#)[^']*')"""
)


# --- the converted body: what the HTML walk produces, before it meets python-docx ---------------


@dataclass
class _Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class _Para:
    style: str | None = None
    runs: list[_Run] = field(default_factory=list)
    numbering: tuple[int, int] | None = None  # (list id, level) for an <ol> item
    align: str | None = None  # "center" / "right"
    preformatted: bool = False


@dataclass
class _Picture:
    png: bytes | None  # None: the image could not be converted (a placeholder is written)


@dataclass
class _Rule:
    pass


@dataclass
class _Row:
    cells: list[list[_Block]] = field(default_factory=list)
    header: bool = False  # inside <thead>
    all_th: bool = True


@dataclass
class _Table:
    rows: list[_Row] = field(default_factory=list)


_Block = _Para | _Picture | _Rule | _Table


def svg_without_external_refs(svg: str) -> str | None:
    """`svg` with every href that is not `data:` or `#id` emptied; None if it has a DTD.

    vl_convert's renderer reads local files named by <image href="/path">; a chart never
    needs one, and a DTD could smuggle a path in through an entity."""
    if re.search(r"<!(DOCTYPE|ENTITY)", svg, re.IGNORECASE):
        return None
    return SVG_EXTERNAL_REF.sub(lambda m: f'{m.group(1) or ""}href=""', svg)


def image_png(src: str) -> bytes | None:
    """PNG bytes for a `data:image/svg+xml` or `data:image/png` source; None for anything else
    (http, file, other types) or for data that does not decode. Never fetches."""
    match = re.fullmatch(r"data:([\w.+/-]+)((?:;[\w=.+-]+)*),(.*)", src.strip(), re.DOTALL)
    if match is None:
        return None
    mime, params, payload = match.group(1).lower(), match.group(2).lower(), match.group(3)
    if mime not in ("image/svg+xml", "image/png"):
        return None
    try:
        if ";base64" in params:
            data = base64.b64decode(payload, validate=False)
        else:
            data = unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    if mime == "image/png":
        return data if data.startswith(b"\x89PNG\r\n\x1a\n") else None
    import vl_convert  # heavy; only when a figure is present

    svg = svg_without_external_refs(data.decode("utf-8", "replace"))
    if svg is None:
        return None
    try:
        return vl_convert.svg_to_png(svg, scale=2)
    except Exception:  # a malformed SVG: the writer shows a placeholder instead
        return None


class _HtmlToBlocks(HTMLParser):
    """One section body (our controlled HTML subset) → a list of blocks.

    Unknown tags are transparent (their text is kept); script/style content is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.out = self.blocks  # where new blocks go: the body or the current table cell
        self.para: _Para | None = None
        self.bold = self.italic = self.code = self.pre = self.quote = self.dropped = 0
        self.heading: int | None = None
        self.caption = False
        self.lists: list[tuple[str, int]] = []  # (ul|ol, list id)
        self.list_ids = 0
        self.item_fresh = False  # the next paragraph starts a list item (gets its number)
        self.table: _Table | None = None
        self.table_depth = 0
        self.table_out: list[_Block] = self.blocks
        self.in_thead = False
        self.cell_align: str | None = None

    # paragraphs

    def _paragraph(self) -> _Para:
        if self.para is not None:
            return self.para
        para = _Para(align=self.cell_align)
        if self.heading is not None:
            para.style = "Heading 2" if self.heading <= 3 else "Heading 3"
        elif self.caption:
            para.style, para.align = "Caption", "center"
        elif self.lists:
            kind, list_id = self.lists[-1]
            level = min(len(self.lists), 3)
            suffix = "" if level == 1 else f" {level}"
            if self.item_fresh:
                para.style = ("List Number" if kind == "ol" else "List Bullet") + suffix
                if kind == "ol":
                    para.numbering = (list_id, level)
                self.item_fresh = False
            else:
                para.style = "List Continue" + suffix
        elif self.quote:
            para.style = "Quote"
        para.preformatted = self.pre > 0
        self.out.append(para)
        self.para = para
        return para

    def _end_paragraph(self) -> None:
        para, self.para = self.para, None
        if para is None:
            return
        if para.preformatted:
            if para.runs:
                para.runs[-1].text = para.runs[-1].text.rstrip("\n")
        else:
            while para.runs and not para.runs[-1].text.rstrip(" "):
                para.runs.pop()
            if para.runs:
                para.runs[-1].text = para.runs[-1].text.rstrip(" ")
        if not para.runs and para in self.out:
            self.out.remove(para)

    def _add_text(self, text: str) -> None:
        if not self.pre:
            text = re.sub(r"[ \t\r\n\f]+", " ", text)
            last = self.para.runs[-1].text if self.para and self.para.runs else ""
            if not last or last.endswith((" ", "\n")):
                text = text.lstrip(" ")
            if not text:
                return
        para = self._paragraph()
        para.runs.append(_Run(text, self.bold > 0, self.italic > 0, self.code > 0 or self.pre > 0))

    # parser callbacks

    def handle_data(self, data: str) -> None:
        if not self.dropped:
            self._add_text(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_TAGS:
            self.dropped += 1
            return
        if self.dropped:
            return
        if tag in BLOCK_TAGS and not (self.table_depth > 1 and tag in ("tr", "td", "th")):
            self._end_paragraph()
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = int(tag[1])
        elif tag == "figcaption":
            self.caption = True
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag in ("ul", "ol"):
            self.list_ids += 1
            self.lists.append((tag, self.list_ids))
            self.item_fresh = False
        elif tag == "li":
            self.item_fresh = bool(self.lists)
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag in ("i", "em"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "br":
            self._paragraph().runs.append(_Run("\n"))
        elif tag == "hr":
            self.out.append(_Rule())
        elif tag == "img":
            src = dict(attrs).get("src") or ""
            if EMBEDDABLE.match(src.strip()):  # http:, file: and the rest: dropped, not fetched
                self._end_paragraph()
                self.out.append(_Picture(image_png(src)))
        else:
            self._table_start(tag, classes)

    def _table_start(self, tag: str, classes: list[str]) -> None:
        if tag == "table":
            self.table_depth += 1
            if self.table_depth == 1:
                self.table = _Table()
                self.out.append(self.table)
                self.table_out = self.out
        elif self.table is None or self.table_depth > 1:
            return  # table parts outside a table, or of a nested one: text only
        elif tag == "thead":
            self.in_thead = True
        elif tag == "tr":
            self.table.rows.append(_Row(header=self.in_thead))
        elif tag in ("td", "th"):
            if not self.table.rows:
                self.table.rows.append(_Row(header=self.in_thead))
            row = self.table.rows[-1]
            row.all_th = row.all_th and tag == "th"
            row.cells.append([])
            self.out = row.cells[-1]
            self.cell_align = "right" if "num" in classes else None
            if tag == "th":
                self.bold += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_TAGS:
            self.dropped = max(0, self.dropped - 1)
            return
        if self.dropped:
            return
        nested_cell = self.table_depth > 1 and tag in ("tr", "td", "th")
        if tag in BLOCK_TAGS and not nested_cell:
            self._end_paragraph()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = None
        elif tag == "figcaption":
            self.caption = False
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
        elif tag == "li":
            self.item_fresh = False
        elif tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("i", "em"):
            self.italic = max(0, self.italic - 1)
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag == "table":
            self.table_depth = max(0, self.table_depth - 1)
            if self.table_depth == 0:
                self.table, self.out, self.in_thead = None, self.table_out, False
                self.cell_align = None
        elif tag == "thead":
            self.in_thead = False
        elif tag in ("td", "th") and not nested_cell and self.table is not None:
            self.out, self.cell_align = self.table_out, None
            if tag == "th":
                self.bold = max(0, self.bold - 1)

    def close(self) -> None:
        super().close()
        self._end_paragraph()


def html_blocks(html: str) -> list[_Block]:
    parser = _HtmlToBlocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


# --- writing blocks into Word ---------------------------------------------------------------------


def _set_fonts(owner, latin: str, east_asia: str) -> None:
    """Explicit fonts on a style, run or w:rPrDefault (w:eastAsia included), theme fonts
    removed (a theme font would win over the name)."""
    if hasattr(owner, "get_or_add_rPr"):
        rpr = owner.get_or_add_rPr()
    else:
        rpr = owner.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            owner.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        style = rpr.find(qn("w:rStyle"))
        rpr.insert(0 if style is None else rpr.index(style) + 1, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(slot), name)
    fonts.set(qn("w:cs"), latin)


def _setup_styles(doc: WordDocument) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        _set_fonts(rpr_default, BODY_FONT, BODY_FONT)
    normal = doc.styles["Normal"]
    _set_fonts(normal.element, BODY_FONT, BODY_FONT)
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
        _set_fonts(style.element, *(2 * [HEADING_FONT if heading else BODY_FONT]))
    for name, size in (("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 12)):
        style = doc.styles[name]
        _set_fonts(style.element, HEADING_FONT, HEADING_FONT)
        style.font.size, style.font.bold = Pt(size), True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(6 if name == "Heading 1" else 3)
    for name in ("Header", "Footer", "Caption"):
        doc.styles[name].font.size = Pt(9 if name != "Caption" else 10.5)
    doc.styles["Caption"].font.color.rgb = RGBColor(0x33, 0x33, 0x33)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A complex field (begin, instruction, separate, cached result, end) Word updates."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")  # ask Word to recompute on open
        run._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _bottom_border(paragraph: Paragraph, color: str = "000000", size: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", color)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *PPR_AFTER_BORDER)  # OOXML fixes the child order


def _new_list_number(doc: WordDocument, style: str) -> int:
    """A numbering instance of `style`'s list that restarts at 1 (each <ol> counts anew)."""
    numbering = doc.part.numbering_part.element
    style_num = doc.styles[style].element.pPr.find(qn("w:numPr")).find(qn("w:numId"))
    abstract_id = None
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == style_num.get(qn("w:val")):
            abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    num_id = max(ids, default=0) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    abstract = OxmlElement("w:abstractNumId")
    abstract.set(qn("w:val"), abstract_id or "0")
    num.append(abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return num_id


class _Writer:
    """Writes one section's blocks (its list ids are the section parser's own)."""

    def __init__(self, doc: WordDocument) -> None:
        self.doc = doc
        self.list_numbers: dict[int, int] = {}  # parsed list id → Word numId

    def blocks(self, container, blocks: Sequence[_Block], width: Length = PICTURE_WIDTH) -> None:
        """Write `blocks` into the document body or a table cell (`container`)."""
        fresh = container.paragraphs[0] if isinstance(container, _Cell) else None
        for block in blocks:
            if isinstance(block, _Table):
                self.table(container, block)
                continue
            paragraph = fresh if fresh is not None else container.add_paragraph()
            fresh = None
            if isinstance(block, _Para):
                self.paragraph(paragraph, block)
            elif isinstance(block, _Rule):
                _bottom_border(paragraph)
            elif block.png is not None:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.add_run().add_picture(io.BytesIO(block.png), width=width)
            else:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.add_run(UNCONVERTIBLE)

    def paragraph(self, paragraph: Paragraph, para: _Para) -> None:
        if para.style:
            paragraph.style = self.doc.styles[para.style]
        if para.align:
            paragraph.alignment = {
                "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT
            }[para.align]  # fmt: skip
        if para.numbering is not None and para.style:
            list_id, _level = para.numbering
            if list_id not in self.list_numbers:
                self.list_numbers[list_id] = _new_list_number(self.doc, para.style)
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = self.list_numbers[list_id]
        for item in para.runs:
            run = paragraph.add_run(item.text)
            run.bold = item.bold or None
            run.italic = item.italic or None
            if item.code:
                _set_fonts(run._r, CODE_FONT, CODE_FONT)

    def table(self, container, table: _Table) -> None:
        rows = [row for row in table.rows if row.cells]
        if not rows:
            return
        columns = max(len(row.cells) for row in rows)
        word = container.add_table(rows=len(rows), cols=columns)
        word.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_borders(word)
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
                    _shade(cell, "F1F1F1")
                    for paragraph in cell.paragraphs:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if isinstance(container, WordDocument):
            container.add_paragraph()  # keeps consecutive tables apart, as the PDF's margin


def _table_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "999999")):
            element.set(qn(f"w:{key}"), value)
        borders.append(element)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", fill)):
        shading.set(qn(f"w:{key}"), value)
    cell._tc.get_or_add_tcPr().insert_element_before(
        shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
    )


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
    _bottom_border(head, "999999", 4)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("第 ")
    _field(foot, "PAGE", "1")
    foot.add_run(" 页 / 共 ")
    _field(foot, "NUMPAGES", "1")
    foot.add_run(" 页")
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")  # Word offers to fill 目录 and page fields on open
    update.set(qn("w:val"), "true")
    settings.insert_element_before(update, *SETTINGS_AFTER_UPDATE_FIELDS)


def _masthead(doc: WordDocument, meta: DocumentMeta) -> None:
    classification = doc.add_paragraph()
    run = classification.add_run(meta.classification)
    run.bold, run.font.size = True, Pt(14)
    _set_fonts(run._r, HEADING_FONT, HEADING_FONT)
    classification.paragraph_format.space_after = Pt(36)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(meta.title)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(30), RED
    _set_fonts(run._r, HEADING_FONT, HEADING_FONT)
    title.paragraph_format.space_after = Pt(18)
    issue = doc.add_paragraph()
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issue.add_run(meta.issue).font.size = Pt(14)
    issue.paragraph_format.space_after = Pt(12)
    byline = doc.add_paragraph()
    byline.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    byline.add_run(f"{meta.issuer}\t{meta.period_label}")
    byline.paragraph_format.space_after = Pt(18)
    _bottom_border(byline, "B40000", 12)


def _toc(doc: WordDocument) -> None:
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("目　录")
    run.bold, run.font.size = True, Pt(18)
    _set_fonts(run._r, HEADING_FONT, HEADING_FONT)
    heading.paragraph_format.space_after = Pt(18)
    _field(doc.add_paragraph(), TOC_INSTRUCTION, TOC_PLACEHOLDER)


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
    body = doc.paragraphs[0]._p if doc.paragraphs else None  # the template's empty paragraph
    if body is not None:
        body.getparent().remove(body)
    _masthead(doc, meta)
    if cover is not None:
        if cover.title:
            run = doc.add_paragraph().add_run(cover.title)
            run.bold, run.font.size = True, Pt(15)
            _set_fonts(run._r, HEADING_FONT, HEADING_FONT)
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
    return out.getvalue()
