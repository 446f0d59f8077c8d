"""One refresh per source at a time, across processes and hosts sharing a store.

The lock lives where the store lives and is tied to a session, so a refresh killed with
SIGKILL releases it with its connection or file descriptor: PostgreSQL advisory locks,
MySQL/MariaDB GET_LOCK, and for SQLite an flock on a file beside the database.
"""

from __future__ import annotations

import fcntl
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text

POLL_SECONDS = 0.2


class SourceBusyError(RuntimeError):
    """Another process is refreshing the same source."""


def _busy(source: str, waited: float) -> SourceBusyError:
    hint = "" if waited else "; retry later or pass --wait SECONDS"
    return SourceBusyError(f"source {source} is being refreshed by another process{hint}")


@contextmanager
def source_lock(engine: Engine, source: str, wait_seconds: float = 0) -> Iterator[None]:
    """Hold the refresh lock of `source`; wait up to `wait_seconds`, then SourceBusyError."""
    dialect = engine.dialect.name
    if dialect == "sqlite":
        with _file_lock(engine, source, wait_seconds):
            yield
        return
    with engine.connect() as conn:
        _acquire_server_lock(conn, dialect, source, wait_seconds)
        try:
            yield
        finally:
            _release_server_lock(conn, dialect, source)


def _lock_key(source: str) -> int:
    """A stable signed 64-bit key for PostgreSQL advisory locks."""
    return zlib.crc32(f"cockpit-refresh:{source}".encode()) - 2**31


def _acquire_server_lock(conn: Connection, dialect: str, source: str, wait: float) -> None:
    if dialect == "postgresql":
        query, params = "SELECT pg_try_advisory_lock(:key)", {"key": _lock_key(source)}
    elif dialect in ("mysql", "mariadb"):
        query, params = "SELECT GET_LOCK(:name, 0)", {"name": f"cockpit_refresh_{source}"}
    else:
        raise NotImplementedError(f"no refresh lock for a {dialect} store")
    deadline = time.monotonic() + wait
    while not conn.execute(text(query), params).scalar():
        if time.monotonic() >= deadline:
            raise _busy(source, wait)
        time.sleep(POLL_SECONDS)
    conn.commit()


def _release_server_lock(conn: Connection, dialect: str, source: str) -> None:
    if dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _lock_key(source)})
    else:
        conn.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": f"cockpit_refresh_{source}"})
    conn.commit()


@contextmanager
def _file_lock(engine: Engine, source: str, wait: float) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:":  # one process owns an in-memory store
        yield
        return
    path = Path(f"{database}.{source}.lock")
    deadline = time.monotonic() + wait
    with path.open("w") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(source, wait) from None
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
