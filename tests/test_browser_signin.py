"""Signing in, in a real browser (Debian's Chromium, network limited to this machine), on a
copy of the sample city served with COCKPIT_AUTH=local and one bureau head added through
`cockpit user add … --password-stdin`: nothing but the sign-in form until the password is
right (whatever page the URL names), one answer for a wrong password, the overview as that
user once signed in, and 退出 ends the session for good."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import GuardedPage, error_elements, save_screenshot, wait_until_rendered
from tests.browser_fixtures import served
from tests.cockpit_process import cockpit_env, copy_city

pytestmark = pytest.mark.browser

USERNAME = "zhang"
PASSWORD = "correct-horse-battery"
SIGN_IN_TITLE = "政务运行驾驶舱 · 登录"
# What only a signed-in session may see: the header's page links, the figures, the charts.
SIGNED_IN_ONLY = (
    '[data-testid="stPageLink"]',
    ".kpi-tile",
    "canvas",
    '[data-testid="stDataFrame"]',
)


@pytest.fixture(scope="module")
def signin_server(
    sample_city_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The sample city (a copy: a user is added to its store) served with local sign-in."""
    home = tmp_path_factory.mktemp("signin_city") / "city"
    copy_city(sample_city_home, home)
    env = {**cockpit_env(home), "COCKPIT_AUTH": "local"}
    added = subprocess.run(
        [sys.executable, "-m", "cockpit", "user", "add", USERNAME, "--name", "张三",
         "--role", "bureau_head", "--bureau", "市统计局", "--password-stdin"],
        input=f"{PASSWORD}\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    with served(home, "cockpit_signin_server.log", COCKPIT_AUTH="local") as base_url:
        yield base_url


def sign_in_form_only(browser_page: GuardedPage) -> Page:
    """The page shows the sign-in form and nothing of the cockpit, without errors."""
    page = browser_page.page
    expect(page.get_by_label("用户名", exact=True)).to_be_visible()
    wait_until_rendered(page)
    assert page.get_by_text(SIGN_IN_TITLE).is_visible()
    assert page.get_by_label("密码", exact=True).get_attribute("type") == "password"
    assert page.get_by_role("button", name="登录").is_visible()
    assert page.get_by_role("button", name="退出").count() == 0
    for selector in SIGNED_IN_ONLY:
        assert page.locator(selector).count() == 0, selector
    assert "新河市" not in page.locator("body").inner_text()  # not even the city's header
    assert browser_page.blocked == []
    assert browser_page.console_errors == []
    return page


def submit(page: Page, username: str, password: str) -> None:
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize("path", ["/", "/ops", "/briefing"], ids=["root", "ops", "briefing"])
def test_only_the_sign_in_form_is_shown_before_signing_in(
    signin_server: str, browser_page: GuardedPage, path: str
) -> None:
    browser_page.page.goto(f"{signin_server}{path}")
    page = sign_in_form_only(browser_page)
    assert error_elements(page) == []
    if path == "/":
        save_screenshot(page, "signin-1920x1080")


def test_a_wrong_password_is_refused_on_the_form(
    signin_server: str, browser_page: GuardedPage
) -> None:
    page = browser_page.page
    page.goto(signin_server)
    sign_in_form_only(browser_page)
    submit(page, USERNAME, "wrong-password-1")
    alert = page.locator('[data-testid="stAlertContentError"]')
    expect(alert).to_have_text("用户名或密码错误")
    sign_in_form_only(browser_page)


def signed_in(browser_page: GuardedPage, base_url: str) -> Page:
    page = browser_page.page
    page.goto(base_url)
    sign_in_form_only(browser_page)
    submit(page, USERNAME, PASSWORD)
    page.locator(".kpi-tile").first.wait_for()
    wait_until_rendered(page)
    return page


def test_the_right_password_opens_the_overview_as_that_bureau_head(
    signin_server: str, browser_page: GuardedPage
) -> None:
    page = signed_in(browser_page, signin_server)
    assert page.url.rstrip("/") == signin_server  # the overview, the default page
    assert page.get_by_label("用户名", exact=True).count() == 0
    assert error_elements(page) == []
    header = page.locator(".wall-sub").inner_text()
    assert "张三" in header and "委办局负责人" in header
    assert page.get_by_role("button", name="退出").is_visible()
    links = [link.inner_text() for link in page.locator('[data-testid="stPageLink"]').all()]
    assert "总览" in links and "月度简报" in links
    assert "数据运维" not in links and "审计日志" not in links  # not a bureau head's pages
    assert page.locator(".kpi-tile").count() > 0
    assert browser_page.blocked == []
    assert browser_page.console_errors == []


def test_the_sign_in_holds_across_page_loads(signin_server: str, browser_page: GuardedPage) -> None:
    page = signed_in(browser_page, signin_server)
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "cockpit_session"]
    assert cookie["sameSite"] == "Strict" and "correct-horse" not in cookie["value"]
    page.locator('.kpi-tile[data-code="ECO_GDP"]').click()  # a full page load
    page.wait_for_url("**/indicator?code=ECO_GDP*")
    wait_until_rendered(page)
    assert page.get_by_label("用户名", exact=True).count() == 0
    assert "张三" in page.locator(".wall-sub").inner_text()
    page.reload()
    page.locator(".wall-sub").wait_for()
    assert "张三" in page.locator(".wall-sub").inner_text()


def test_signing_out_ends_the_session(signin_server: str, browser_page: GuardedPage) -> None:
    page = signed_in(browser_page, signin_server)
    page.get_by_role("button", name="退出").click()
    sign_in_form_only(browser_page)
    page.reload()
    sign_in_form_only(browser_page)
    page.goto(f"{signin_server}/briefing")  # a page the bureau head may open
    sign_in_form_only(browser_page)


def test_a_bookmarked_page_opens_once_signed_in(
    signin_server: str, browser_page: GuardedPage
) -> None:
    page = browser_page.page
    page.goto(f"{signin_server}/economic?area=xishan")  # a wall's kiosk URL, say
    sign_in_form_only(browser_page)
    submit(page, USERNAME, PASSWORD)
    page.locator(".kpi-tile").first.wait_for()
    wait_until_rendered(page)
    assert page.url == f"{signin_server}/economic?area=xishan"
    page.locator('.kpi-tile[data-code="ECO_RETAIL"]').click()  # the district's drill-down
    page.wait_for_url("**/indicator?code=ECO_RETAIL&area=xishan*")
    wait_until_rendered(page)
    save_screenshot(page, "signin-bookmark-then-drill-down")
    page.get_by_role("button", name="退出").click()
    sign_in_form_only(browser_page)
    page.goto(f"{signin_server}/ops")  # not a bureau head's page: the overview instead
    submit(page, USERNAME, PASSWORD)
    page.locator(".kpi-tile").first.wait_for()
    assert page.url.rstrip("/") == signin_server
    assert browser_page.blocked == [] and browser_page.console_errors == []
