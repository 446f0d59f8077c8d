"""One refresh per source at a time, across processes and hosts sharing a store.

The lock lives where the store lives and is tied to a session, so a refresh killed with
SIGKILL releases it with its connection or file descriptor: PostgreSQL advisory locks,
MySQL/MariaDB GET_LOCK, and for SQLite an flock on a file beside the database. The
connection holding a server lock stays checked out (not back in the pool) for the whole
refresh; a transaction-mode connection pooler in front of the store would break session
locks, so point the store at the database or a session-mode pooler.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
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
        _acquire_server_lock(conn, dialect, engine, source, wait_seconds)
        try:
            yield
        finally:
            _release_server_lock(conn, dialect, engine, source)


def _lock_digest(engine: Engine, source: str) -> bytes:
    """The lock's identity: the store (its URL without password, so two stores in different
    databases or schemas of one server never block each other) and the source."""
    store = engine.url.render_as_string(hide_password=True)
    return hashlib.blake2b(f"{store}|{source}".encode(), digest_size=8).digest()


def _lock_key(engine: Engine, source: str) -> int:
    """A signed 64-bit key for PostgreSQL advisory locks."""
    return int.from_bytes(_lock_digest(engine, source), "big", signed=True)


def _lock_name(engine: Engine, source: str) -> str:
    """A MySQL/MariaDB GET_LOCK name: server-wide, so it carries the store; ≤ 64 characters."""
    return f"cockpit_refresh_{_lock_digest(engine, source).hex()}"


def _acquire_server_lock(
    conn: Connection, dialect: str, engine: Engine, source: str, wait: float
) -> None:
    if dialect == "postgresql":
        query, params = "SELECT pg_try_advisory_lock(:key)", {"key": _lock_key(engine, source)}
    elif dialect in ("mysql", "mariadb"):
        query, params = "SELECT GET_LOCK(:name, 0)", {"name": _lock_name(engine, source)}
    else:
        raise NotImplementedError(f"no refresh lock for a {dialect} store")
    deadline = time.monotonic() + wait
    while not conn.execute(text(query), params).scalar():
        if time.monotonic() >= deadline:
            raise _busy(source, wait)
        time.sleep(POLL_SECONDS)
    conn.commit()


def _release_server_lock(conn: Connection, dialect: str, engine: Engine, source: str) -> None:
    if dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _lock_key(engine, source)})
    else:
        conn.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": _lock_name(engine, source)})
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
