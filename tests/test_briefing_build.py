"""Briefings built on the sample city: every shipped template builds for the last month,
each figure equals the snapshot `cockpit show` prints for that indicator and period, and
`cockpit report build` writes a PDF whose text holds those figures, with fonts embedded.
How blocks are assembled (the data notes last) is checked on the in-memory test city."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from indicators import formatting as fmt
from indicators.periods import Frequency, Period
from indicators.registry import DEFAULT_CATALOG, load_catalog
from indicators.settings import local_today
from indicators.snapshot import snapshot_for
from indicators.store import open_store
from reports.blocks import validate
from reports.build import assemble, build_briefing
from reports.model import BlockSpec, BriefingTemplate, load_template
from tests.cockpit_process import cockpit
from tests.test_block_snapshots import SCRIPT_NAME, snapshot_context
from tests.test_document_pdf import pdf_fonts

CATALOG = load_catalog(DEFAULT_CATALOG).catalog
SHIPPED = ("monthly-economy", "service-12345", "governance", "ecology", "leadership")


def last_month() -> Period:
    return Period.latest_complete(Frequency.month, local_today())


def after(month: Period) -> date:
    """The day after the month: what `cockpit show` is asked as of, like the briefing."""
    return month.end + timedelta(days=1)


@pytest.mark.usefixtures("in_sample_city")
@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_template_builds_with_the_figures_cockpit_show_prints(name: str) -> None:
    template, path = load_template(name)
    store = open_store()
    briefing = build_briefing(template, path, last_month(), store, CATALOG)
    html = briefing.html()
    assert briefing.cover is not None and template.title in html
    assert f"{last_month().year}年{last_month().index}月" in html
    headline = next(b for b in template.blocks if b.kind == "headline")
    for code in headline.params["codes"]:
        shown = snapshot_for(CATALOG, store, code, None, None, after(last_month()))
        figure = fmt.number(shown.headline, shown.indicator.decimals)
        assert f"{figure}{shown.indicator.unit}" in html, code


def test_cockpit_report_build_writes_a_pdf_with_the_figures_and_embedded_fonts(
    writable_city: Path, tmp_path: Path
) -> None:
    out = tmp_path / "经济运行月报.pdf"
    month = last_month().label
    made = cockpit(
        writable_city, "report", "build", "--template", "monthly-economy", "--period", month,
        "--out", str(out), "--progress", "none",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    pages = len(PdfReader(out).pages)
    assert pages >= 3
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "新河市经济运行月度简报" in text
    assert f"共 {pages} 页" in text
    store = open_store()
    retail = snapshot_for(CATALOG, store, "ECO_RETAIL", None, None, after(last_month()))
    assert fmt.number(retail.headline, 2) in text
    fonts = pdf_fonts(out)
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert any("CJK" in name for name in fonts)


def test_a_bad_template_file_is_one_line_naming_the_block(
    writable_city: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: b\ntitle: 测试\nissuer: 测试局\nblocks:\n  - kind: cover\n"
        "  - kind: kpi_table\n    params: {codes: [ECO_NOPE]}\n",
        encoding="utf-8",
    )
    made = cockpit(
        writable_city, "report", "build", "--template", str(bad), "--period",
        last_month().label, "--out", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert made.returncode == 2
    assert made.stderr.strip() == (
        f"error: {bad}: blocks[1] (kpi_table): params.codes: not in the catalog: ECO_NOPE"
    )
    assert not (tmp_path / "x.pdf").exists()


def test_the_same_briefing_as_word_holds_the_same_figures(
    writable_city: Path, tmp_path: Path
) -> None:
    from docx import Document

    out = tmp_path / "经济运行月报.docx"
    made = cockpit(
        writable_city, "report", "build", "--template", "monthly-economy", "--period",
        last_month().label, "--out", str(out), "--format", "docx", "--progress", "none",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    document = Document(str(out))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    texts = {p.text for p in document.paragraphs}
    assert any("经济运行主要指标" in t for t in texts)
    retail = snapshot_for(CATALOG, open_store(), "ECO_RETAIL", None, None, after(last_month()))
    assert f"{fmt.number(retail.headline, 2)}亿元" in cells


NOTES = BlockSpec(kind="data_notes")
OFF_TARGET = BlockSpec(kind="off_target")
HEADLINE = BlockSpec(kind="headline", params={"codes": ["RETAIL", "GOOD"]})


@pytest.mark.parametrize(
    "blocks", [(NOTES, OFF_TARGET, HEADLINE), (OFF_TARGET, HEADLINE, NOTES)], ids=["first", "last"]
)
def test_data_notes_list_what_the_briefing_shows_wherever_they_stand(
    blocks: tuple[BlockSpec, ...],
) -> None:
    """Of five indicators only TAX is off target (PM is on target, GOOD and AIR are not
    judged): the notes name it and the headline's two, never PM or AIR, which were read only
    to find what is off target."""
    ctx = snapshot_context()
    template = BriefingTemplate(name="t", title="测试", issuer="测试局", blocks=blocks)
    briefing = assemble(template, validate(template, Path("t.yaml"), ctx.catalog), ctx)
    sections = {section.title: section.html for section in briefing.sections}
    listed = re.findall(r"<tr><td>(.*?)</td>", sections["未达目标指标"])
    assert [unescape(name) for name in listed] == [SCRIPT_NAME]
    noted = re.findall(r"<li><b>(.*?)</b>", sections["数据说明"])
    assert [unescape(name) for name in noted] == [SCRIPT_NAME, "社会消费品零售总额", "优良天数比率"]
