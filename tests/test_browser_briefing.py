"""The 月度简报 page in a real browser (Debian's Chromium, nothing fetched from beyond this
machine) on a copy of the sample city: the preview shows the briefing as it will print, and
a block dragged in the list (streamlit-sortables) moves in the briefing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import GuardedPage, save_screenshot, wait_until_rendered
from tests.browser_fixtures import served
from tests.cockpit_process import copy_city

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def briefing_server(
    sample_city_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    home = tmp_path_factory.mktemp("briefing_city") / "city"
    copy_city(sample_city_home, home)
    with served(home, "cockpit_briefing_server.log") as base_url:
        yield base_url


def test_the_preview_shows_the_briefing_and_a_drag_reorders_it(
    briefing_server: str, browser_page: GuardedPage
) -> None:
    page = browser_page.page
    page.goto(f"{briefing_server}/briefing")
    wait_until_rendered(page, network_idle=False)
    document = page.frame_locator("iframe[srcdoc]")
    expect(document.locator(".masthead h1")).to_have_text("新河市经济运行月度简报", timeout=60_000)
    toc = document.locator("nav.toc")
    expect(toc).to_contain_text("一、经济运行主要指标")
    save_screenshot(page, "briefing-page-1920x1080")
    # drag the first chart block above the headline block, as a person would: press, move
    # in steps (the drag library starts a drag only after the pointer moved), release
    drag(page, "图表 · #4", "主要指标概览 · #2")
    expect(document.locator("nav.toc")).to_contain_text(
        "一、社会消费品零售总额走势", timeout=60_000
    )
    # a block from the library, dropped on the first block, joins the briefing there
    drag(page, "＋ 自由文本", "图表 · #4")
    expect(document.locator("nav.toc")).to_contain_text("一、工作动态", timeout=60_000)
    expect(document.locator("nav.toc")).to_contain_text("二、社会消费品零售总额走势")
    assert browser_page.blocked == []  # nothing left this machine


def drag(page: Page, label: str, onto: str) -> None:
    """Drag `label` onto `onto` in the sortable lists as a person would: press, move in steps
    (the drag library starts a drag only after the pointer moved), release a little above
    the target's middle so the dragged entry lands in its place."""
    sortable = page.frame_locator('iframe[title="streamlit_sortables.sortable_items"]')
    source = sortable.get_by_text(label, exact=True).bounding_box()
    target = sortable.get_by_text(onto, exact=True).bounding_box()
    assert source and target
    x, y = source["x"] + source["width"] / 2, source["y"] + source["height"] / 2
    to_x, to_y = target["x"] + target["width"] / 2, target["y"] + target["height"] / 2 - 5
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x + (to_x - x) * step / 20, y + (to_y - y) * step / 20)
    page.mouse.up()
    wait_until_rendered(page, network_idle=False)
