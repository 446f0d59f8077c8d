"""The big screens in a real browser (Debian's Chromium, network limited to this machine):
the overview at 1920×1080 renders completely, without errors or scrollbars, with its tiles,
the district map and the ranking drawn; a domain screen too; clicking a tile drills down."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser import (
    GuardedPage,
    error_elements,
    save_screenshot,
    scrollbars,
    wait_until_rendered,
)

pytestmark = pytest.mark.browser


def open_screen(browser_page: GuardedPage, url: str) -> None:
    page = browser_page.page
    page.goto(url)
    wait_until_rendered(page)
    # The charts draw on canvases once ECharts has the options and the map.
    page.wait_for_function("document.querySelectorAll('canvas').length >= 2", timeout=30_000)


def screen_shown_clean(browser_page: GuardedPage, url: str, screenshot: str) -> Page:
    """Open a screen, keep its screenshot, and require it clean: no error element, no
    scrollbar, nothing fetched from beyond this machine, no console error."""
    open_screen(browser_page, url)
    page = browser_page.page
    save_screenshot(page, screenshot)
    assert error_elements(page) == []
    assert scrollbars(page) == []
    assert browser_page.blocked == []  # nothing left this machine
    assert browser_page.console_errors == []
    return page


def test_overview_fills_the_wall_offline(cockpit_server: str, browser_page: GuardedPage) -> None:
    page = screen_shown_clean(browser_page, f"{cockpit_server}/", "overview-1920x1080")
    assert page.locator(".kpi-tile").count() == 20
    assert page.locator(".kpi-tile.kpi-stale").count() >= 1  # 市财政局 is planted overdue
    assert page.locator(".att-item").count() >= 1
    assert page.get_by_text("今日关注").is_visible()
    # Map and ranking: two drawn canvases of real size, inside the viewport.
    boxes = [c.bounding_box() for c in page.locator("canvas").all()]
    drawn = [b for b in boxes if b and b["width"] > 200 and b["height"] > 200]
    assert len(drawn) >= 2
    assert all(b["y"] + b["height"] <= 1080 and b["x"] + b["width"] <= 1920 for b in drawn)
    # Every tile is on screen: nothing hidden below the fold.
    bottoms = page.eval_on_selector_all(
        ".kpi-tile", "tiles => tiles.map(t => t.getBoundingClientRect().bottom)"
    )
    assert max(bottoms) <= 1080


def test_domain_screen_and_drill_down(cockpit_server: str, browser_page: GuardedPage) -> None:
    url = f"{cockpit_server}/economic?area=xishan"
    page = screen_shown_clean(browser_page, url, "economic-xishan-1920x1080")
    assert page.locator(".kpi-tile").count() == 20
    page.locator('.kpi-tile[data-code="ECO_RETAIL"]').click()
    page.wait_for_url("**/indicator?code=ECO_RETAIL&area=xishan*")
    wait_until_rendered(page)
    save_screenshot(page, "indicator-eco-retail-xishan")
    assert error_elements(page) == []
    assert browser_page.blocked == []


def test_4k_wall_scales_instead_of_scrolling(
    cockpit_server: str, browser_page: GuardedPage
) -> None:
    browser_page.page.set_viewport_size({"width": 3840, "height": 2160})
    url = f"{cockpit_server}/?kiosk=1"
    page = screen_shown_clean(browser_page, url, "overview-3840x2160-kiosk")
    # 1rem is 32px at 3840×2160: the layout doubled rather than leaving empty space.
    root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert root == 32
    assert page.locator("[data-testid='stSelectbox']").count() == 0  # kiosk: no controls


def test_kiosk_rotates_through_the_screens(cockpit_server: str, browser_page: GuardedPage) -> None:
    """A wall on `?kiosk=1&rotate=10` moves on by itself, keeping its parameters."""
    open_screen(browser_page, f"{cockpit_server}/?kiosk=1&rotate=10")
    page = browser_page.page
    page.wait_for_url("**/economic?kiosk=1&rotate=10", timeout=45_000)
    page.wait_for_url("**/service?kiosk=1&rotate=10", timeout=45_000)
    wait_until_rendered(page)
    assert page.locator(".kpi-tile").count() > 0
    assert error_elements(page) == []
    assert browser_page.blocked == []
