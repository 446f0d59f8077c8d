"""Benchmark: browser time to a complete overview at 1920×1080, as a leader's wall sees it.

Starts `cockpit serve` on an existing COCKPIT_HOME (a refreshed sample city), then opens the
overview in Debian's Chromium (`/usr/bin/chromium`, headless) and times navigation until the
screen is complete: the script run finished, all 20 tiles present and the map and ranking
drawn on their canvases.

- cold: the first visit after the server started (nothing cached: the server computes the
  screen, the browser loads Streamlit's and ECharts' bundles);
- warm: later visits, each in a new browser context (no browser cache), the server's caches
  warm: what a leader opening the wall in the morning pays;
- floor: the same page's static shell alone (`GET /` until DOMContentLoaded of an empty
  page), the least any Streamlit page costs here.

    .venv/bin/python -m benchmarks.browser_overview --home /tmp/home --repeat 5
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, sync_playwright

from benchmarks.harness import commit, emit, machine, summary

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1920, "height": 1080}
COMPLETE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const drawn = [...document.querySelectorAll('canvas')]
    .filter(c => c.getBoundingClientRect().width > 200).length;
  return app && app.dataset.testScriptState === 'notRunning'
    && document.querySelectorAll('.kpi-tile').length === 20 && drawn >= 2;
}"""


@contextmanager
def served(home: Path) -> Iterator[str]:
    """`cockpit serve` on `home` on a free port; yields its base URL once healthy."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "COCKPIT_HOME": str(home)}
    server = subprocess.Popen(
        [sys.executable, "-m", "cockpit", "serve", "--port", str(port), "--no-open"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/_stcore/health", timeout=1).text == "ok":
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def visit(browser: Browser, url: str, complete: str | None) -> float:
    """Seconds from navigation to `complete` (or DOMContentLoaded), in a fresh context."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    if complete:
        page.wait_for_function(complete, timeout=120_000, polling=50)
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def measure(home: Path, repeat: int) -> dict[str, Any]:
    with served(home) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        cold = visit(browser, f"{base}/", COMPLETE)
        warm = [visit(browser, f"{base}/", COMPLETE) for _ in range(repeat)]
        floor = [visit(browser, f"{base}/", None) for _ in range(repeat)]
        browser.close()
    return {
        "cold_s": round(cold, 3),
        "warm": summary(warm),
        "floor": summary(floor),
        "ratio_median": round(summary(warm)["median_s"] / summary(floor)["median_s"], 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="a refreshed COCKPIT_HOME")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    report = {
        "benchmark": "browser_overview",
        "viewport": VIEWPORT,
        "commit": commit(),
        "machine": machine(),
        "repeat": args.repeat,
        **measure(args.home.resolve(), args.repeat),
    }
    emit(report, args.json_out)


if __name__ == "__main__":
    main()
