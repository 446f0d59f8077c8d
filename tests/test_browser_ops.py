"""The operators' console in a real browser (Debian's Chromium, network limited to this
machine), served as the operations team's instance (COCKPIT_DEFAULT_ROLE=operator) on a
copy of the sample city: the board renders with its status summary and tables, nothing
leaves the machine, and a filled template uploaded through the page is imported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from indicators.store import open_store
from tests.browser import GuardedPage, save_screenshot, wait_until_rendered
from tests.browser_fixtures import served
from tests.cockpit_process import copy_city

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ops_server(
    sample_city_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("ops_city") / "city"
    copy_city(sample_city_home, home)
    with served(home, "cockpit_ops_server.log", COCKPIT_DEFAULT_ROLE="operator") as base_url:
        yield base_url, home


def open_console(browser_page: GuardedPage, base_url: str) -> None:
    page = browser_page.page
    page.goto(f"{base_url}/ops")
    wait_until_rendered(page)
    page.wait_for_selector('[data-testid="stDataFrame"]')


def test_console_shows_the_board_offline(
    ops_server: tuple[str, Path], browser_page: GuardedPage
) -> None:
    base_url, _ = ops_server
    open_console(browser_page, base_url)
    page = browser_page.page
    save_screenshot(page, "ops-console-1920x1080")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('.ops-chip[data-status="failed"] b').inner_text() == "1"  # power_files
    assert page.get_by_role("tab", name="数据新鲜度").get_attribute("aria-selected") == "true"
    assert page.locator('[data-testid="stDataFrame"]:visible').count() == 2  # sources, indicators
    assert page.get_by_text("运维人员").first.is_visible()  # the header names the role
    assert browser_page.blocked == []  # nothing left this machine
    assert browser_page.console_errors == []


def test_a_template_uploaded_through_the_page_is_imported(
    ops_server: tuple[str, Path], browser_page: GuardedPage
) -> None:
    base_url, home = ops_server
    store = open_store(f"sqlite:///{home / 'cockpit.db'}")
    before = store.runs("manual_report", limit=1)[0].id
    open_console(browser_page, base_url)
    page = browser_page.page
    page.get_by_role("tab", name="手工填报上传").click()
    template = sorted((home / "sample" / "manual").glob("*.xlsx"))[0]
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(template)
    check = page.get_by_role("button", name="校验并导入")
    expect(check).to_be_enabled()
    check.click()
    page.locator('[data-testid="stAlertContentSuccess"]').wait_for(timeout=60_000)
    save_screenshot(page, "ops-upload-imported")
    (run,) = store.runs("manual_report", limit=1)
    assert run.id > before and run.status == "succeeded"
    notice = page.locator('[data-testid="stAlertContentSuccess"]').inner_text()
    assert str(run.rows_written) in notice
    assert browser_page.blocked == []
