"""The 月度简报 page under AppTest on the sample city: a template's blocks are listed and
previewed with the figures `cockpit show` prints; blocks are added, moved and removed; a bad
parameter is named by block; the PDF is exported; a bureau's template is saved and offered."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.session import Principal, Role
from tests.apptest_pages import open_page

BUREAU_HEAD = {"principal": Principal("li", "李四", Role.bureau_head)}
COMMERCE_HEAD = Principal("zhao", "赵六", Role.bureau_head, "市商务局")


def open_briefing() -> AppTest:
    app = open_page("briefing", BUREAU_HEAD)
    assert not app.exception, app.exception
    return app


def blocks(app: AppTest) -> list[str]:
    return list(app.selectbox(key="briefing_block").options)


def draft_params(app: AppTest, block_id: int) -> dict[str, object]:
    _, draft = app.session_state["briefing_draft"]
    return next(b.params for b in draft.blocks if b.id == block_id)


def preview(app: AppTest) -> str:
    (frame,) = app.get("iframe")
    return frame.proto.srcdoc


@pytest.mark.usefixtures("in_sample_city")
def test_the_default_template_is_listed_and_previewed() -> None:
    app = open_briefing()
    assert app.selectbox(key="briefing_template").value == "monthly-economy"
    assert blocks(app)[:3] == ["封面 · #1", "主要指标概览 · #2", "情况综述 · #3"]
    html = preview(app)
    assert "新河市经济运行月度简报" in html and "目" in html and "经济运行主要指标" in html


@pytest.mark.usefixtures("in_sample_city")
def test_blocks_are_added_moved_and_removed() -> None:
    app = open_briefing()
    before = blocks(app)
    app.selectbox(key="briefing_kind").select("free_text").run()
    app.button(key="briefing_add").click().run()
    after = blocks(app)
    assert after == [*before, f"自由文本 · #{len(before) + 1}"]
    assert "（请填写）" in preview(app)
    app.selectbox(key="briefing_block").select(after[-1]).run()
    app.button(key="briefing_up").click().run()
    assert blocks(app)[-2:] == [after[-1], after[-2]]
    app.button(key="briefing_remove").click().run()
    assert blocks(app) == before


@pytest.mark.usefixtures("in_sample_city")
def test_a_bad_parameter_is_named_by_its_block() -> None:
    app = open_briefing()
    app.selectbox(key="briefing_block").select("主要指标概览 · #2").run()
    app.text_area(key="briefing_p_2_yaml").input("codes: [ECO_GDP, ECO_NOPE]").run()
    app.button(key="briefing_p_2_yaml_apply").click().run()
    (error,) = [e.value.replace("\\", "") for e in app.error]
    assert (
        error
        == "模板 monthly-economy: blocks[1] (headline): params.codes: not in the catalog: ECO_NOPE"
    )
    assert draft_params(app, 2)["codes"][0] == "ECO_GDP"  # the block keeps what it had
    assert "ECO_NOPE" not in preview(app)


@pytest.mark.usefixtures("in_sample_city")
def test_a_chart_is_changed_through_the_form() -> None:
    app = open_briefing()
    app.selectbox(key="briefing_block").select("图表 · #4").run()
    assert app.selectbox(key="briefing_p_4_code").value == "ECO_RETAIL"
    assert app.selectbox(key="briefing_p_4_kind").value == "trend"
    app.selectbox(key="briefing_p_4_code").select("ECO_FAI_GROWTH")
    app.selectbox(key="briefing_p_4_kind").select("yoy")
    app.text_input(key="briefing_p_4_title").input("投资增速")
    app.button(key="briefing_p_4_apply").click().run()  # a form sends its values together
    assert not app.error
    assert draft_params(app, 4) == {"code": "ECO_FAI_GROWTH", "title": "投资增速", "kind": "yoy"}
    assert "投资增速" in preview(app)
    assert app.selectbox(key="briefing_p_4_kind").value == "yoy"  # the form shows the new ones


@pytest.mark.usefixtures("in_sample_city")
def test_a_form_that_cannot_build_is_refused_by_block() -> None:
    app = open_briefing()
    label = next(b for b in blocks(app) if b.startswith("指标表"))
    block_id = int(label.rsplit("#", 1)[1])
    app.selectbox(key="briefing_block").select(label).run()
    app.selectbox(key=f"briefing_p_{block_id}_topic").select("")
    app.button(key=f"briefing_p_{block_id}_apply").click().run()
    (error,) = [e.value.replace("\\", "") for e in app.error]
    assert error == (
        f"模板 monthly-economy: blocks[{blocks(app).index(label)}] (kpi_table): "
        "params: give either codes or domain and topic"
    )
    assert draft_params(app, block_id)["topic"] == "industry"


def test_the_pdf_is_exported_and_archived_with_who_made_it(writable_city: Path) -> None:
    from indicators.store import open_store
    from indicators.store.briefings import briefing_content, briefings

    app = open_briefing()
    app.button(key="briefing_pdf").click().run()
    assert not app.error
    assert "下载 PDF" in [b.label for b in app.get("download_button")]
    (archived,) = briefings(open_store().engine)
    assert (archived.template, archived.author, archived.format) == ("monthly-economy", "li", "pdf")
    assert f"已存档，编号 {archived.id}" in [c.value for c in app.caption]
    _, content = briefing_content(open_store().engine, archived.id)
    assert content.startswith(b"%PDF") and archived.load_runs


def test_a_bureau_head_saves_for_their_own_bureau_only(writable_city: Path) -> None:
    from indicators.store import open_store
    from indicators.store.audit import entries

    app = open_page("briefing", {"principal": COMMERCE_HEAD})
    assert "保存为本单位模板：市商务局" in [c.value for c in app.caption]
    assert not [t for t in app.text_input if t.key == "briefing_bureau"]  # no bureau to type
    app.button(key="briefing_save").click().run()
    saved = writable_city / "briefing_templates" / "市商务局" / "monthly-economy.yaml"
    assert saved.is_file()
    (entry,) = [e for e in entries(open_store().engine) if e.action == "template_save"]
    assert (entry.actor, entry.target, entry.detail) == (
        "zhao", "市商务局/monthly-economy", {"replaced": False}
    )  # fmt: skip
    again = open_page("briefing", {"principal": COMMERCE_HEAD})
    options = again.selectbox(key="briefing_template").options
    assert "新河市经济运行月度简报（市商务局/monthly-economy）" in options
    water = Principal("wang", "王五", Role.bureau_head, "市水务局")
    others = open_page("briefing", {"principal": water}).selectbox(key="briefing_template")
    assert not [o for o in others.options if "市商务局/" in o]  # another bureau's set
    leader = open_page("briefing", {"principal": Principal("boss", "书记", Role.leader)})
    assert "新河市经济运行月度简报（市商务局/monthly-economy）" in (
        leader.selectbox(key="briefing_template").options
    )


def test_a_bureau_head_without_a_bureau_cannot_save(writable_city: Path) -> None:
    app = open_briefing()
    assert "保存为本单位模板：（账号未设所属单位，无法保存）" in [c.value for c in app.caption]
    assert app.button(key="briefing_save").disabled


@pytest.mark.usefixtures("in_sample_city")
def test_operators_have_no_briefing_page() -> None:
    from tests.apptest_pages import APP

    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["principal"] = Principal("op", "王运维", Role.operator)
    app.run()
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "briefing" not in paths and "ops" in paths


def test_the_word_document_is_exported_and_archived(writable_city: Path) -> None:
    from docx import Document

    from indicators.store import open_store
    from indicators.store.briefings import briefing_content, briefings

    app = open_briefing()
    app.button(key="briefing_docx").click().run()
    assert not app.error
    assert "下载 Word" in [b.label for b in app.get("download_button")]
    (archived,) = briefings(open_store().engine)
    assert archived.format == "docx" and archived.file_name.endswith(".docx")
    _, content = briefing_content(open_store().engine, archived.id)
    out = writable_city / "out.docx"
    out.write_bytes(content)
    assert any("经济运行主要指标" in p.text for p in Document(str(out)).paragraphs)


@pytest.mark.usefixtures("in_sample_city")
def test_the_masthead_is_set_from_the_document_info() -> None:
    app = open_briefing()
    app.text_input(key="briefing_meta_title").input("滨江区经济运行简报")
    app.text_input(key="briefing_meta_issuer").input("滨江区统计局")
    app.text_input(key="briefing_meta_marking").input("内部参阅")
    app.button(key="briefing_meta_apply").click().run()
    assert not app.error
    html = preview(app)
    assert "滨江区经济运行简报" in html and "滨江区统计局" in html and "内部参阅" in html
    assert "新河市经济运行月度简报" not in html


def test_an_exported_briefing_is_found_in_the_archive_and_downloaded_again(
    writable_city: Path,
) -> None:
    app = open_briefing()
    app.button(key="briefing_pdf").click().run()
    app.button(key="briefing_docx").click().run()
    labels = app.selectbox(key="briefing_archive_pick").options
    assert [label.split(" · ")[0] for label in labels] == [
        "#2 monthly-economy 2026-10 DOCX", "#1 monthly-economy 2026-10 PDF"
    ]  # fmt: skip
    app.selectbox(key="briefing_archive_pick").select(2).run()
    downloads = [b.label for b in app.get("download_button")]
    assert "下载 新河市经济运行月度简报-2026-10.docx" in downloads


def test_a_leader_saves_the_draft_for_a_bureau_under_a_new_name(writable_city: Path) -> None:
    app = open_page("briefing", {"principal": Principal("boss", "书记", Role.leader)})
    app.text_input(key="briefing_bureau").input("市商务局").run()
    app.text_input(key="briefing_save_name_monthly-economy").input("commerce-monthly")
    app.button(key="briefing_save").click().run()
    assert not app.error
    saved = writable_city / "briefing_templates" / "市商务局" / "commerce-monthly.yaml"
    assert saved.is_file() and "name: commerce-monthly" in saved.read_text(encoding="utf-8")


def test_a_bureau_head_finds_only_their_own_briefings_in_the_archive(writable_city: Path) -> None:
    app = open_briefing()
    app.button(key="briefing_pdf").click().run()
    assert len(app.selectbox(key="briefing_archive_pick").options) == 1  # li's own
    wang = Principal("wang", "王五", Role.bureau_head, "市水务局")
    other = open_page("briefing", {"principal": wang})
    assert "尚无存档。" in [c.value for c in other.caption]
