"""The OOXML python-docx has no API for, built element by element: explicit CJK fonts, complex
fields (PAGE, NUMPAGES, TOC), borders, shading, restarting list numbers, update-on-open.

Children are inserted before their schema successors (the tuples below), so Word accepts
the file."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

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


def set_fonts(owner, latin: str, east_asia: str) -> None:
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


def field(paragraph: Paragraph, instruction: str, shown: str) -> None:
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


def bottom_border(paragraph: Paragraph, color: str = "000000", size: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", color)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *PPR_AFTER_BORDER)  # OOXML fixes the child order


def new_list_number(doc: WordDocument, style: str) -> int:
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


def table_borders(table: Table) -> None:
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


def shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", fill)):
        shading.set(qn(f"w:{key}"), value)
    cell._tc.get_or_add_tcPr().insert_element_before(
        shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
    )


def update_fields_on_open(doc: WordDocument) -> None:
    """Word offers to fill the 目录 and page fields when the file is opened."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.insert_element_before(update, *SETTINGS_AFTER_UPDATE_FIELDS)
