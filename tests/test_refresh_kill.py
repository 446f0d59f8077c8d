"""A refresh killed with SIGKILL at any point leaves the stored values exactly as they were
before that run, and the next refresh marks the dead run and loads cleanly.

The source is a connector kind from a site's own package (a dist-info on PYTHONPATH that
declares a `cockpit.connectors` entry point), which also shows third-party kinds register
the way the built-ins do."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.store import open_store

PLUGIN = """
from datetime import date, timedelta

from pydantic import BaseModel

from connectors.base import ReadResult, ValueRow
from connectors.registry import register

AREAS = ["xinhe", "binjiang", "laocheng", "gaoxin", "lingang", "donghu", "xishan", "nanwan", "beitang"]


class Options(BaseModel):
    value: float


@register("generated", Options, "every IoT device count since 2021 at one value (tests)")
class Generated:
    def __init__(self, options):
        self.value = options.value

    def read(self, context, progress):
        rows, day = [], date(2021, 1, 1)
        while day < date(2026, 11, 1):
            for code in ("INF_IOT_DEVICES", "INF_IOT_DEVICES_ONLINE"):
                rows += [ValueRow(code, day.isoformat(), area, self.value) for area in AREAS]
            day += timedelta(days=1)
        progress("read", 1, 1)
        return ReadResult(rows=rows, rows_read=len(rows))
"""
ROWS = 2 * 9 * 2130  # two indicators, nine areas, 2021-01-01 to 2026-10-31


@pytest.fixture
def site(tmp_path: Path, store_url: str) -> dict[str, str]:
    packages = tmp_path / "site"
    (packages / "sitekinds-1.0.dist-info").mkdir(parents=True)
    (packages / "sitekinds.py").write_text(PLUGIN, encoding="utf-8")
    (packages / "sitekinds-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: sitekinds\nVersion: 1.0\n", encoding="utf-8"
    )
    (packages / "sitekinds-1.0.dist-info" / "entry_points.txt").write_text(
        "[cockpit.connectors]\ngenerated = sitekinds\n", encoding="utf-8"
    )
    return {
        **os.environ,
        "PYTHONPATH": str(packages),
        "COCKPIT_HOME": str(tmp_path / "home"),
        "COCKPIT_DATABASE_URL": store_url,
        "COCKPIT_SOURCES": str(tmp_path / "sources.yaml"),
    }


def write_sources(env: dict[str, str], value: float) -> None:
    Path(env["COCKPIT_SOURCES"]).write_text(
        "sources:\n  - id: ops_api\n    name_zh: 运维\n    owner: 市大数据中心\n"
        f"    kind: generated\n    options: {{value: {value}}}\n",
        encoding="utf-8",
    )


def refresh(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cockpit", "refresh", "--source", "ops_api", "--progress", "plain"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def snapshot(url: str) -> list[tuple]:
    store = open_store(url)
    try:
        frame = store.values()
        return sorted(zip(frame.indicator_code, frame.period, frame.area, frame.value, strict=True))
    finally:
        store.engine.dispose()


@pytest.mark.parametrize(
    "kill_after",
    [
        "ops_api read 1/1",
        f"ops_api check 0/{ROWS}",
        f"ops_api write 5000/{ROWS}",
        f"ops_api write 30000/{ROWS}",
    ],
)
def test_sigkill_mid_refresh_leaves_the_store_as_it_was(site, store_url, kill_after) -> None:
    write_sources(site, 1.0)
    first = refresh(site)
    assert first.wait(120) == 0, first.stdout.read()
    before = snapshot(store_url)
    assert len(before) == ROWS

    write_sources(site, 2.0)
    victim = refresh(site)
    seen = []
    for line in victim.stdout:
        seen.append(line.strip())
        if line.strip() == kill_after:
            victim.send_signal(signal.SIGKILL)
            break
    victim.wait(30)
    assert victim.returncode == -signal.SIGKILL, seen  # killed, not finished
    assert snapshot(store_url) == before

    again = refresh(site)  # the lock died with the process; the dead run is marked
    assert again.wait(120) == 0, again.stdout.read()
    store = open_store(store_url)
    runs = store.runs("ops_api")
    store.engine.dispose()
    assert [r.status for r in runs] == ["succeeded", "failed", "succeeded"]
    assert runs[1].message.startswith("interrupted")
    assert {row[3] for row in snapshot(store_url)} == {2.0}
