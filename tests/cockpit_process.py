"""The cockpit as real processes, the way an operator runs it: `python -m cockpit …` on a
COCKPIT_HOME of the test's own, and servers waited for through Streamlit's health check."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def copy_city(city: Path, home: Path) -> Path:
    """A copy of the city at `city` in `home` (without its locks and pid files), for a test
    that writes to it while other tests read the original."""
    shutil.copytree(city, home, ignore=shutil.ignore_patterns("*.lock", "*.pid"))
    return home


def cockpit_env(home: Path) -> dict[str, str]:
    """This environment pointed at `home`, with nothing that could reach another store."""
    env = {**os.environ, "COCKPIT_HOME": str(home), "COLUMNS": "200"}
    env.pop("COCKPIT_DATABASE_URL", None)
    env.pop("COCKPIT_SOURCES", None)
    return env


def cockpit(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cockpit", *args],
        env=cockpit_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(base_url: str, server: subprocess.Popen[str], timeout: float = 60) -> None:
    """Poll /_stcore/health until it answers "ok"; fail at once if the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base_url}/_stcore/health", timeout=2, trust_env=False).text == "ok":
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base_url} not healthy after {timeout:.0f} s")


def stop(server: subprocess.Popen[str]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
