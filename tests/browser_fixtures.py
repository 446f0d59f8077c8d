"""Fixtures of the real-browser tests (marker `browser`): the cockpit served on the sample
city for the session, and a 1920×1080 Chromium page that may reach localhost only.

Without /usr/bin/chromium these tests skip, unless COCKPIT_REQUIRE_BROWSER=1 (scripts/test.sh
and CI), where a missing browser is a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    VIEWPORT,
    GuardedPage,
    guard,
    save_screenshot,
)
from tests.cockpit_process import cockpit_env, free_port, stop, wait_healthy

SERVER_LOG = "cockpit_server.log"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Decide before any fixture runs, so a missing browser costs no sample city."""
    if item.get_closest_marker("browser") is None or CHROMIUM.exists():
        return
    if os.environ.get("COCKPIT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing; scripts/setup.sh installs the chromium package")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, so `browser_page` can tell that it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@contextmanager
def served(home: Path, log_name: str, **env: str) -> Iterator[str]:
    """`cockpit serve` on the city at `home`; yields the base URL. Its log (the app's
    tracebacks) goes to test-artifacts/`log_name`."""
    port = free_port()
    log_path = SCREENSHOTS.parent / log_name
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "cockpit", "serve", "--port", str(port), "--no-open"],
            env={**cockpit_env(home), **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_healthy(base_url, server)
            yield base_url
        finally:
            stop(server)


@pytest.fixture(scope="session")
def cockpit_server(sample_city_home: Path) -> Iterator[str]:
    """The cockpit on the session's sample city, as its embedded default user (a leader)."""
    with served(sample_city_home, SERVER_LOG) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[GuardedPage]:
    """A fresh page at 1920×1080 in Beijing time; a failed test leaves its screenshot."""
    context = chromium.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield guard(context, page)
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            save_screenshot(page, f"failed-{request.node.name}")
    finally:
        context.close()
