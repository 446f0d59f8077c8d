"""The briefing as Word: 报头, a real TOC field, sections numbered 一、二、… as in the PDF,
block HTML turned into Word tables/lists/runs/pictures with the same text and figures, CJK
fonts named for East Asian text, page fields in header/footer, and nothing ever fetched."""

from __future__ import annotations

import base64
import html
import io
import re
import socket

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Cm

from reports.blocks.free_text import MARKDOWN
from reports.blocks.html import table
from reports.document import Section
from reports.docx_images import image_png, svg_without_external_refs
from reports.docx_writer import (
    BODY_FONT,
    HEADING_FONT,
    TOC_PLACEHOLDER,
    UNCONVERTIBLE,
    docx_bytes,
)
from tests.briefing_meta import META

HEADS = ["指标", "统计期", "数值", "同比"]
ROWS = [
    ["地区生产总值", "2026年三季度", "1,234.56亿元", "+5.2%"],
    ["规上工业增加值", "2026年10月", "87.3亿元", "-1.4%"],
    ["<script>alert(1)</script>", "2026年10月", "12,045", "+0.8%"],
]
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
    '<rect width="200" height="60" fill="#eee"/><text x="10" y="35">增速 5.2%</text></svg>'
)
SVG_SRC = "data:image/svg+xml;base64," + base64.b64encode(SVG.encode()).decode()
SECTIONS = (
    Section("s1", "主要指标", table(HEADS, ROWS, "headline")),
    Section(
        "s2",
        None,
        "<p>本月<b>工业</b>增长<em>较快</em>，用电量增长 3.7%。</p>"
        "<ol><li>投资回升</li><li>消费平稳</li></ol>",
    ),
    Section(
        "s3",
        "运行图表",
        f'<figure><img src="{SVG_SRC}" alt="增速"><figcaption>图1 增速走势</figcaption></figure>'
        '<p>外部图片：<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd"></p>',
    ),
    Section(
        "s4",
        "数据说明",
        '<div class="free-text">'
        + MARKDOWN.render("## 口径\n\n失业率 **5.1%**，见下：\n\n1. 第一条\n2. 第二条\n")
        + "</div>",
    ),
)
COVER = Section("c0", "本期要点", "<p>全市经济运行总体平稳。</p>")


def _html_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _docx_text(doc: WordDocument) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [cell.text for row in t.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def built() -> bytes:
    return docx_bytes(META, COVER, SECTIONS)


@pytest.fixture
def doc(built: bytes) -> WordDocument:
    return Document(io.BytesIO(built))


def test_titled_sections_are_heading_1_numbered_like_the_pdf(doc: WordDocument) -> None:
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、主要指标", "二、运行图表", "三、数据说明"]  # s2 has no title
    # Markdown headings inside a section sit below it (Heading 2), not as new sections.
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == ["口径"]


def test_masthead_page_carries_classification_red_title_issue_issuer_and_period(
    doc: WordDocument,
) -> None:
    first = doc.paragraphs[:5]
    assert [p.text for p in first[:3]] == ["内部资料", "新河市经济运行月度简报", "2026年第10期"]
    title_run = first[1].runs[0]
    assert title_run.bold and str(title_run.font.color.rgb) == "B40000"
    assert first[3].text == "新河市统计局\t2026年10月"
    assert "本期要点" in first[4].text
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_toc_is_a_word_field_with_a_placeholder(doc: WordDocument) -> None:
    body = doc.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any('TOC \\o "1-2" \\h \\z \\u' in text for text in instructions)
    assert TOC_PLACEHOLDER in [p.text for p in doc.paragraphs]
    update = doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_header_and_footer_carry_title_and_page_fields(doc: WordDocument) -> None:
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "新河市经济运行月度简报　2026年10月　内部资料"
    footer = section.footer.paragraphs[0]
    assert footer.text.replace(" ", "").startswith("第")
    fields = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "页 / 共" in footer.text


def test_table_keeps_cell_texts_marks_the_header_row_and_shows_markup_as_text(
    doc: WordDocument,
) -> None:
    (word,) = doc.tables
    cells = [[cell.text for cell in row.cells] for row in word.rows]
    assert cells == [HEADS, *ROWS]  # the escaped <script> is literal text, nothing else
    header_flags = [row._tr.find(qn("w:trPr")) for row in word.rows]
    assert header_flags[0] is not None and header_flags[0].find(qn("w:tblHeader")) is not None
    assert all(flag is None or flag.find(qn("w:tblHeader")) is None for flag in header_flags[1:])
    assert word._tbl.tblPr.find(qn("w:tblBorders")) is not None
    assert all(run.bold for cell in word.rows[0].cells for run in cell.paragraphs[0].runs)


def test_bold_italic_and_ordered_lists(doc: WordDocument) -> None:
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("本月"))
    assert paragraph.text == "本月工业增长较快，用电量增长 3.7%。"
    styled = {(r.text, bool(r.bold), bool(r.italic)) for r in paragraph.runs}
    assert {("工业", True, False), ("较快", False, True)} <= styled
    items = [p for p in doc.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in items] == ["投资回升", "消费平稳", "第一条", "第二条"]
    num_ids = [p._p.pPr.numPr.numId.val for p in items]
    # Each <ol> is its own Word list, so the second one restarts at 1.
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]


def test_svg_figure_is_one_15cm_picture_and_other_sources_are_never_fetched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the docx writer opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    doc = Document(io.BytesIO(docx_bytes(META, None, SECTIONS)))
    (picture,) = doc.inline_shapes
    assert abs(picture.width - Cm(15)) < Cm(0.01)
    assert "图1 增速走势" in [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert UNCONVERTIBLE not in _docx_text(doc)  # http/file images are dropped silently

    only_remote = Section("x", "外部", '<img src="http://127.0.0.1:9/x.png">')
    assert len(Document(io.BytesIO(docx_bytes(META, None, [only_remote]))).inline_shapes) == 0


def test_png_data_image_is_embedded_and_a_broken_one_leaves_a_placeholder() -> None:
    png = image_png(SVG_SRC)
    assert png is not None and png.startswith(b"\x89PNG")
    png_src = "data:image/png;base64," + base64.b64encode(png).decode()
    broken = "data:image/svg+xml;base64," + base64.b64encode(b"<svg><unclosed").decode()
    section = Section("x", "图", f'<img src="{png_src}"><img src="{broken}">')
    doc = Document(io.BytesIO(docx_bytes(META, None, [section])))
    assert len(doc.inline_shapes) == 1
    assert UNCONVERTIBLE in [p.text for p in doc.paragraphs]


def test_svg_references_to_local_files_are_removed_before_rasterising() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        "<image href=\"/etc/hostname\"/><image xlink:href='file:///etc/passwd'/>"
        '<use href="#a"/><image href="data:image/png;base64,AAAA"/></svg>'
    )
    cleaned = svg_without_external_refs(svg)
    assert cleaned is not None
    assert "/etc/" not in cleaned
    assert 'href="#a"' in cleaned and "data:image/png;base64,AAAA" in cleaned
    assert (
        svg_without_external_refs('<!DOCTYPE svg [<!ENTITY x SYSTEM "/etc/passwd">]><svg/>') is None
    )


def test_east_asian_fonts_are_named_on_body_and_heading_styles(doc: WordDocument) -> None:
    for name, font in (("Normal", BODY_FONT), ("Heading 1", HEADING_FONT)):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font
        assert fonts.get(qn("w:ascii")) == font
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it
    body = next(p for p in doc.paragraphs if p.text.startswith("本月"))
    assert body.style.name == "Normal"


def test_docx_text_holds_every_figure_of_the_html(doc: WordDocument) -> None:
    number = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?")
    expected = number.findall(_html_text("".join(s.html for s in SECTIONS if "img" not in s.html)))
    got = number.findall(_docx_text(doc))
    assert expected and all(got.count(n) >= expected.count(n) for n in expected)
    assert "<script>alert(1)</script>" in _docx_text(doc)
