"""The briefing PDF engine, checked with real tools: pdftotext for text and page placement,
pdffonts for embedded CJK fonts, pypdf for the page count."""

from __future__ import annotations

import re
import subprocess
import time
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.document import (
    DocumentMeta,
    RenderError,
    Section,
    chinese_number,
    document_html,
    render_pdf,
)
from tests.briefing_meta import META

ROWS = 120


def sample_sections() -> list[Section]:
    rows = "".join(
        f"<tr><td>第{i}行</td><td class='num'>{i * 1.5:.1f}</td></tr>" for i in range(1, ROWS + 1)
    )
    table = (
        "<table><thead><tr><th>区县名称</th><th class='num'>增速（%）</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return [
        Section("s1", "总体情况", "<p>" + "全市经济运行总体平稳，稳中有进。" * 40 + "</p>"),
        Section("s2", "分区县主要指标", table),
        Section("s3", "下步工作建议", "<p>加强监测调度，确保完成全年目标任务。</p>"),
    ]


def pdftotext_pages(pdf: bytes, tmp: Path) -> list[str]:
    """One string per page; pdftotext ends every page with a form feed."""
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return out.split("\f")[:-1]


def squeezed(text: str) -> str:
    """pdftotext drops or widens spaces between CJK glyphs; compare without whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def briefing(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[str], Path]:
    tmp = tmp_path_factory.mktemp("briefing")
    cover = Section("cover", "本期要点", "<p>规上工业增加值同比增长5.2%。</p>")
    pdf = render_pdf(document_html(META, cover, sample_sections()))
    return pdf, pdftotext_pages(pdf, tmp), tmp / "doc.pdf"


def test_cover_page_has_masthead_and_no_running_header_or_footer(briefing) -> None:
    _, pages, _ = briefing
    cover = squeezed(pages[0])
    assert META.title in cover and META.issue in cover and META.issuer in cover
    assert "本期要点" in cover
    assert "第1页" not in cover and "目录" not in cover


def test_toc_page_numbers_are_the_pages_of_the_headings(briefing) -> None:
    _, pages, _ = briefing
    toc = re.findall(r"^\s*(\S+、\S+)\s*\.{3,}\s*(\d+)\s*$", pages[1], flags=re.M)
    assert [entry for entry, _ in toc] == ["一、总体情况", "二、分区县主要指标", "三、下步工作建议"]
    for entry, printed in toc:
        found = [n for n, page in enumerate(pages, 1) if entry in map(str.strip, page.splitlines())]
        assert found == [int(printed)], entry
    assert int(toc[2][1]) > int(toc[1][1]), "the long table pushes section 三 to a later page"


def test_running_header_and_page_footer_after_the_cover(briefing) -> None:
    pdf, pages, _ = briefing
    total = len(PdfReader(BytesIO(pdf)).pages)
    assert total == len(pages) and total >= 4
    for number, page in enumerate(pages[1:], 2):
        text = squeezed(page)
        assert META.title in text and META.period_label in text and META.classification in text
        assert f"第{number}页/共{total}页" in text
    assert f"第2页/共{total}页" in squeezed(pages[1])


def test_table_header_repeats_on_every_page_of_the_table(briefing) -> None:
    _, pages, _ = briefing
    table_pages = [page for page in pages if re.search(r"^第\d+行", page, flags=re.M)]
    assert len(table_pages) >= 2, "120 rows must span pages"
    assert all("区县名称" in page for page in table_pages)
    last_row_page = next(page for page in table_pages if re.search(rf"^第{ROWS}行", page, re.M))
    assert "第1行" not in [line.split()[0] for line in last_row_page.splitlines() if line.strip()]


def pdf_fonts(path: Path) -> dict[str, bool]:
    """Each font pdffonts lists in `path`, and whether it is embedded. Its columns are name,
    type, encoding, emb, sub, uni and object ID (two numbers); the type may hold spaces and
    every flag is yes or no, so emb is read from the right."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = [row.split() for row in out.stdout.splitlines()[2:]]
    return {row[0]: row[-5] == "yes" for row in rows}


def test_every_font_is_embedded_and_cjk_is_noto_sc(briefing) -> None:
    _, _, path = briefing
    fonts = pdf_fonts(path)
    assert fonts and all(fonts.values()), fonts
    assert any("Noto" in name and "CJK-SC" in name for name in fonts)
    assert not any("CJK-JP" in name for name in fonts), "lang=zh-CN must pick SC glyph forms"


def test_titles_are_escaped_and_block_html_is_kept(tmp_path: Path) -> None:
    meta = DocumentMeta("<script>alert(1)</script>简报", "统计局", "2026年10月", "第1期", "")
    sections = [Section("s1", "a<b>c", "<p><b>加粗</b></p>")]
    html = document_html(meta, None, sections)
    assert 'lang="zh-CN"' in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a&lt;b&gt;c" in html and "<p><b>加粗</b></p>" in html
    pages = pdftotext_pages(render_pdf(html), tmp_path)
    assert "<script>alert(1)</script>简报" in pages[0]


def test_untitled_sections_are_unnumbered_and_not_in_the_toc() -> None:
    sections = [
        Section("s1", "一节", "<p>甲</p>"),
        Section("note", None, "<p>附注</p>"),
        Section("s2", "二节", "<p>乙</p>"),
    ]
    html = document_html(META, None, sections)
    assert 'href="#note"' not in html and 'id="note"' in html
    assert "一、一节" in html and "二、二节" in html
    with pytest.raises(ValueError, match="duplicate section anchors: s1"):
        document_html(META, None, [sections[0], sections[0]])


def test_chinese_section_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]


def test_fetcher_refuses_file_and_http_but_allows_data(tmp_path: Path, http_server) -> None:
    port, hits = http_server
    evil_css = tmp_path / "evil.css"
    evil_css.write_text("body::before { content: 'LEAKED-FILE' }", encoding="utf-8")
    html = f"""<html lang="zh-CN"><head>
    <link rel="stylesheet" href="{evil_css.as_uri()}">
    <link rel="stylesheet" href="http://127.0.0.1:{port}/evil.css">
    <link rel="stylesheet" href="data:text/css,body::after%7Bcontent:'DATA-OK'%7D">
    </head><body><p>正文</p>
    <img src="http://127.0.0.1:9/x.png"><img src="http://127.0.0.1:{port}/x.png">
    <img src="file:///etc/passwd"></body></html>"""
    pages = pdftotext_pages(render_pdf(html), tmp_path)
    text = "".join(pages)
    assert "正文" in text and "DATA-OK" in text
    assert "LEAKED" not in text
    assert hits == []


def long_table(rows: int) -> str:
    body = "".join(f"<tr><td>第{i}行</td><td>{i}</td></tr>" for i in range(rows))
    return document_html(
        META, None, [Section("s1", "长表", f"<table><tbody>{body}</tbody></table>")]
    )


def test_time_limit_stops_a_render_under_way_with_a_one_line_error() -> None:
    """The limit is three times what a one-paragraph document takes, start-up and WeasyPrint's
    import included, so the child is laying out the long table (half a minute's work here)
    when it is stopped."""
    started = time.monotonic()
    render_pdf("<p>x</p>")
    limit = round(3 * (time.monotonic() - started), 1)
    started = time.monotonic()
    with pytest.raises(RenderError) as caught:
        render_pdf(long_table(10_000), timeout_seconds=limit)
    assert str(caught.value) == f"PDF render exceeded the {limit:g} s time limit"
    assert limit <= time.monotonic() - started < limit + 10  # stopped at the limit


def test_memory_limit_is_reported_by_the_child_not_guessed_from_its_death() -> None:
    with pytest.raises(RenderError) as caught:
        render_pdf("<p>x</p>", timeout_seconds=60, memory_mb=16)
    # The child's own MemoryError path; a child that merely died would be reported as
    # "PDF render process died (exit code …); it may have exceeded the 16 MB memory limit".
    assert str(caught.value) == "PDF render exceeded the 16 MB memory limit"
