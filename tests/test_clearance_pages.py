"""Restricted figures on the sample city's pages: a leader sees 国有土地使用权出让收入
(ECO_LAND_TRANSFER, restricted, owned by 市财政局) on the overview's 今日关注; a
bureau head of 市统计局 finds it nowhere — not on the screens, not in the catalog, not behind
its drill-down URL, not in the briefing they build."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.session import Principal, Role
from tests.apptest_pages import open_page

LEADER = {"principal": Principal("lead", "王领导", Role.leader)}
BUREAU_HEAD = {"principal": Principal("li", "李四", Role.bureau_head, "市统计局")}
SECRET, NAME = "ECO_LAND_TRANSFER", "国有土地使用权出让收入"

pytestmark = pytest.mark.usefixtures("in_sample_city")


def page_text(app: AppTest) -> str:
    """Everything the page shows as HTML, Markdown, tables and frames."""
    parts = [h.proto.body for h in app.get("html")] + [m.value for m in app.markdown]
    parts += [str(frame.value.to_dict()) for frame in app.dataframe]
    parts += [frame.proto.srcdoc for frame in app.get("iframe")]
    return "\n".join(parts)


@pytest.mark.parametrize("screen", ["", "economic"])
def test_the_screens_show_it_to_a_leader_only(screen: str) -> None:
    assert NAME in page_text(open_page(screen, LEADER))
    shown = open_page(screen, BUREAU_HEAD)
    assert not shown.exception and NAME not in page_text(shown) and SECRET not in page_text(shown)


def test_its_drill_down_is_unknown_to_the_bureau_head() -> None:
    app = open_page("indicator", BUREAU_HEAD, code=SECRET)
    (error,) = [e.value.replace("\\", "") for e in app.error]  # Markdown escapes
    assert error.startswith(f"未知指标编码“{SECRET}”") and NAME not in error
    assert NAME in page_text(open_page("indicator", LEADER, code=SECRET))


def test_the_catalog_lists_only_what_they_may_see() -> None:
    app = open_page("catalog", BUREAU_HEAD)
    codes = set(app.dataframe[0].value["指标编码"])
    assert SECRET not in codes and "ECO_IND_VA_GROWTH_YTD" in codes  # public, another's
    assert SECRET in set(open_page("catalog", LEADER).dataframe[0].value["指标编码"])


def test_a_briefing_leaves_it_out_for_them() -> None:
    leader = open_page("briefing", LEADER)
    assert NAME in page_text(leader)  # the off-target list names it
    head = open_page("briefing", BUREAU_HEAD)
    assert not head.error and NAME not in page_text(head)
