"""The 指标体系 page in a real browser: it renders without errors and fetches nothing beyond
this machine (the proof of the browser machinery the big screens' tests use)."""

from __future__ import annotations

import pytest

from tests.browser import GuardedPage, error_elements, save_screenshot, wait_until_rendered

pytestmark = pytest.mark.browser


def test_catalog_page_renders_offline(cockpit_server: str, browser_page: GuardedPage) -> None:
    page = browser_page.page
    page.goto(f"{cockpit_server}/catalog")
    wait_until_rendered(page)
    save_screenshot(page, "catalog")
    assert page.get_by_role("heading", name="指标体系").is_visible()
    assert error_elements(page) == []
    assert browser_page.blocked == []
    assert browser_page.console_errors == []
