"""The browser checks catch what they exist to catch, on pages made here (no server): a
request beyond localhost is aborted and recorded, an overflowing box is a scrollbar, an
exception box is an error."""

from __future__ import annotations

import pytest

from tests.browser import GuardedPage, error_elements, scrollbars

pytestmark = pytest.mark.browser


def test_a_request_beyond_localhost_is_blocked_and_recorded(browser_page: GuardedPage) -> None:
    page = browser_page.page
    page.set_content('<img src="http://tiles.example.com/0/0/0.png">', wait_until="load")
    assert browser_page.blocked == ["http://tiles.example.com/0/0/0.png"]
    assert browser_page.console_errors  # the failed load is reported too


def test_overflow_and_error_boxes_are_found(browser_page: GuardedPage) -> None:
    page = browser_page.page
    page.set_content(
        '<body style="margin:0">'
        '<div data-testid="fits" style="height:100px;overflow:auto"><p>short</p></div>'
        '<div data-testid="tiles" style="height:100px;overflow:auto">'
        '<div style="height:300px"></div></div>'
        '<div data-testid="stException">Traceback</div></body>'
    )
    assert scrollbars(page) == ['div[data-testid="tiles"] y 300>100']
    assert error_elements(page) == ["Traceback"]
    page.set_content('<!doctype html><body style="margin:0"><div style="height:2000px">')
    assert scrollbars(page) == ["viewport y 2000>1080"]
