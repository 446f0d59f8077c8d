"""What every benchmark here shares: timing, peak memory, and the commit and machine a
result was measured on, so figures from different runs and machines can be compared."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import sqlalchemy
from sqlalchemy import Connection, create_engine, text

POSTGRES_URL = os.environ.get(
    "COCKPIT_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
T = TypeVar("T")


def timed(fn: Callable[[], T], repeat: int, warm_up: bool = True) -> tuple[list[float], T]:
    """Seconds of `repeat` calls, after one untimed warm-up (connections, caches) unless the
    caller has just made that call itself (see `peak_rss`)."""
    if warm_up:
        fn()
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
    return seconds, result


def summary(seconds: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(seconds), 4), "min_s": round(min(seconds), 4)}


def peak_rss(fn: Callable[[], T]) -> tuple[float | None, T]:
    """MiB the process's resident memory rose to during one call, over where it stood before
    it: Linux's high-water mark, reset first, so measuring costs the call nothing (the call
    can serve as the warm-up). It counts everything (C libraries, Arrow buffers), but memory
    freed earlier and kept by the allocator is reused uncounted: a lower bound. None where
    /proc cannot reset it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
        before = _status_kib("VmRSS")
    except OSError:
        return None, fn()
    result = fn()
    return round(max(_status_kib("VmHWM") - before, 0) / 1024, 1), result  # counters lag


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise OSError(f"no {field} in /proc/self/status")


def fresh_schema(schema: str) -> str:
    """The URL of `schema` on POSTGRES_URL, dropped and recreated empty, so every run starts
    from the same state; it is left in place afterwards for inspection."""
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    finally:
        admin.dispose()
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


def database_version(conn: Connection) -> str:
    """The database's version: the server's, or the SQLite library's."""
    query = {"sqlite": "SELECT sqlite_version()", "postgresql": "SHOW server_version"}
    return str(conn.execute(text(query[conn.dialect.name])).scalar_one())


def commit() -> str | None:
    """The code measured (short hash, '+dirty' with uncommitted changes); None outside git."""
    try:
        head, status = (
            subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
            for cmd in (["git", "rev-parse", "--short", "HEAD"], ["git", "status", "--porcelain"])
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    dirty = any(not line.startswith("??") for line in status.splitlines())
    return head + ("+dirty" if dirty else "")


def machine() -> dict[str, Any]:
    """What the figures depend on, so runs on other machines can be compared."""
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__,
        "pandas": pd.__version__,
        "sqlite_library": sqlite3.sqlite_version,
    }


def emit(report: dict[str, Any], json_out: Path | None) -> None:
    """Print the JSON document (stdout) and keep a copy where asked."""
    document = json.dumps(report, indent=2, ensure_ascii=False)
    print(document)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(document + "\n", encoding="utf-8")
