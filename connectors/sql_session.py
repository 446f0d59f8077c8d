"""The database session of the `sql` connector: how it connects, and what it may show.

Time zone. Periods are decided in the deployment's zone (`COCKPIT_TIMEZONE`, Asia/Shanghai
by default), not the database server's: the session is set to that zone on connecting, so
`{month:accepted_at}` over a zoned column (PostgreSQL `timestamptz`, MySQL/MariaDB
`TIMESTAMP`) buckets an order at 2026-10-01 06:00+08 in 2026-10 even on a UTC server.
MySQL/MariaDB know zone names only with their time zone tables loaded; without them the
session gets the zone's current UTC offset (+08:00), which ignores daylight saving time
(China has none).

Read only, with a time limit. Every query runs in a read-only transaction (PostgreSQL,
MySQL/MariaDB; SQLite with `PRAGMA query_only`) and is cancelled after `timeout_seconds`
(PostgreSQL `statement_timeout`, MariaDB `max_statement_time`, MySQL `max_execution_time`,
Doris/StarRocks `query_timeout`; SQLite through a progress handler), so a hung query cannot
hold the source's refresh lock for ever. Other databases get neither: give them a read-only
account. A read-only account is the real guarantee everywhere; this is a second line.

The URL. A relative SQLite path (`sqlite:///sample/hotline.db`) is relative to the folder of
the sources file, not to the working directory. Errors show the URL through `masked`: no
password, neither in the userinfo nor in a query parameter.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import URL, Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from connectors.folders import OWN_FILE, is_inside, outside, own_files


class SqlSourceError(RuntimeError):
    """The database could not be read; the message names the URL with its password masked."""


# --- the URL -------------------------------------------------------------------------------
_LIBPQ = ("psycopg", "psycopg2")

# Query parameters that may carry a secret (psycopg's ?password=, ?sslpassword=, tokens).
_SECRET = r"pass|pwd|secret|token|key|auth|cred"
_SECRET_KEY = re.compile(_SECRET, re.IGNORECASE)
_SECRET_PARAM = re.compile(rf"([?&;][^=&;#]*(?:{_SECRET})[^=&;#]*=)[^&;#]*", re.IGNORECASE)


def masked(url: str) -> str:
    """The URL as it may be shown in messages and logs: the password in the userinfo and the
    value of every query parameter that may hold a secret (`?password=…`) replaced by ***.
    A URL SQLAlchemy cannot parse (or whose password holds a bare @) loses its userinfo."""
    try:
        parsed: URL | None = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        parsed = None
    if parsed is None or "@" in (parsed.host or ""):
        return _SECRET_PARAM.sub(r"\1***", re.sub(r"://[^?#]*@", "://***@", url))
    secret = {key: "***" for key in parsed.query if _SECRET_KEY.search(key)}
    shown = parsed.update_query_dict(secret).render_as_string(hide_password=True)
    return shown.replace("=%2A%2A%2A", "=***")


def scrubbed(message: str, url: URL) -> str:
    """The message with every secret of the URL replaced by *** (a driver may echo one)."""
    found = [str(url.password)] if url.password else []
    for key, value in url.query.items():
        if _SECRET_KEY.search(key):
            found.extend([value] if isinstance(value, str) else value)
    for secret in sorted((s for s in found if s), key=len, reverse=True):  # longest first
        message = message.replace(secret, "***")
    return message


def resolved_url(raw_url: str, shown: str, base_dir: Path, folders: Sequence[Path]) -> URL:
    """The URL with a relative SQLite path made relative to the sources file's folder. A
    SQLite file is a file source too: it must lie in one of `folders` (connectors.folders),
    links followed."""
    try:
        url = make_url(raw_url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise SqlSourceError(f"not a database URL: {shown}") from None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return url
    path = Path(url.database)
    if not path.is_absolute():
        path = base_dir / path
    if not path.is_file():  # SQLite would silently create an empty database
        raise SqlSourceError(f"cannot read {shown}: no database file at {path}")
    real = path.resolve()
    if not is_inside(real, folders):
        raise SqlSourceError(f"cannot read {shown}: {outside(path, folders)}")
    if real in own_files():
        raise SqlSourceError(f"cannot read {shown}: {path} {OWN_FILE}")
    return url.set(database=str(path))


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own message, first line only (SQLAlchemy appends the statement)."""
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__


# --- the session ---------------------------------------------------------------------------
_MYSQL_FAMILY = frozenset({"mysql", "mariadb", "doris", "starrocks"})
_TIMED_OUT = frozenset({"57014", 1969, 3024, "sqlite9"})  # PostgreSQL, MariaDB, MySQL, SQLite
_WROTE = frozenset({"25006", 1792, "sqlite8"})  # read-only transaction refused a write


@dataclass
class Session:
    """How the connection is set up for reading: the deployment's time zone, read-only
    transactions and a time limit per query (see the module's docstring)."""

    shown: str  # the URL as it may be shown
    zone: ZoneInfo
    timeout: float  # seconds per query
    _deadline: float = math.inf  # SQLite's, for the query running

    def engine(self, url: URL) -> Engine:
        """An engine for the URL; libpq gets a connect timeout, as it would wait for ever."""
        libpq = url.get_backend_name() == "postgresql" and url.get_driver_name() in _LIBPQ
        if libpq and "connect_timeout" not in url.query:
            url = url.update_query_dict({"connect_timeout": str(math.ceil(self.timeout))})
        try:
            return create_engine(url)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise SqlSourceError(f"cannot use database {self.shown}: {exc}") from None

    @contextmanager
    def connect(self, engine: Engine) -> Iterator[Connection]:
        """A prepared connection; a failure to open it names the URL (password masked)."""
        try:
            conn = engine.connect()
        except SQLAlchemyError as exc:
            raise SqlSourceError(f"cannot connect to {self.shown}: {_reason(exc)}") from None
        with conn:
            self._prepare(conn)
            yield conn

    def _prepare(self, conn: Connection) -> None:
        dialect = conn.dialect.name
        try:
            if dialect == "postgresql":
                settings = {
                    "TimeZone": self.zone.key,
                    "statement_timeout": str(max(1, round(self.timeout * 1000))),
                    "default_transaction_read_only": "on",
                }
                for name, value in settings.items():  # session-wide once committed
                    conn.execute(
                        text("SELECT set_config(:name, :value, false)"),
                        {"name": name, "value": value},
                    )
            elif dialect in _MYSQL_FAMILY:
                self._prepare_mysql(conn)
            elif dialect == "sqlite":
                self._prepare_sqlite(conn)
            conn.commit()
        except SQLAlchemyError as exc:
            raise SqlSourceError(
                f"cannot set up the session on {self.shown}: {_reason(exc)}"
            ) from None

    def _prepare_mysql(self, conn: Connection) -> None:
        offset = datetime.now(self.zone).strftime("%z")  # +0800: the zone's current offset
        zones = [self.zone.key, f"{offset[:3]}:{offset[3:]}"]  # names need the tz tables
        if not _first_accepted(conn, [("SET time_zone = :v", zone) for zone in zones]):
            raise SqlSourceError(f"{self.shown} accepts neither time zone {' nor '.join(zones)}")
        # Server-dependent from here: MySQL and MariaDB accept the first that works, the
        # MySQL protocol of Doris and StarRocks may refuse a read-only session.
        _first_accepted(conn, [("SET SESSION TRANSACTION READ ONLY", None)])
        _first_accepted(
            conn,
            [
                ("SET SESSION max_statement_time = :v", self.timeout),  # MariaDB, seconds
                ("SET SESSION max_execution_time = :v", max(1, round(self.timeout * 1000))),
                ("SET SESSION query_timeout = :v", math.ceil(self.timeout)),  # Doris, StarRocks
            ],
        )

    def _prepare_sqlite(self, conn: Connection) -> None:
        conn.exec_driver_sql("PRAGMA query_only = ON")
        raw = conn.connection.dbapi_connection
        if hasattr(raw, "set_progress_handler"):  # a true return interrupts the statement
            raw.set_progress_handler(lambda: time.monotonic() > self._deadline, 10_000)

    @contextmanager
    def limited(self) -> Iterator[None]:
        """Around one query: SQLite's deadline (servers enforce theirs per statement)."""
        self._deadline = time.monotonic() + self.timeout
        try:
            yield
        finally:
            self._deadline = math.inf

    def failure(self, query: str, exc: SQLAlchemyError) -> str:
        """What a failed query is reported as."""
        codes = _codes(exc)
        if codes & _TIMED_OUT:
            return (
                f"query {query} on {self.shown} took longer than its time limit "
                f"(timeout_seconds: {self.timeout:g}) and was cancelled: {_reason(exc)}"
            )
        if codes & _WROTE or "data-modifying" in _reason(exc):  # PostgreSQL's cursor refuses
            return (
                f"query {query} on {self.shown} tried to write, but queries run read-only: "
                f"{_reason(exc)}"
            )
        return f"query {query} failed on {self.shown}: {_reason(exc)}"


def _first_accepted(conn: Connection, attempts: list[tuple[str, object]]) -> bool:
    """Run the first statement the server accepts; False if it accepts none."""
    for statement, value in attempts:
        try:
            conn.execute(text(statement), {} if value is None else {"v": value})
        except DBAPIError:
            conn.rollback()  # SET SESSION is not transactional: earlier settings stay
            continue
        return True
    return False


def _codes(exc: SQLAlchemyError) -> set[object]:
    """The driver's error codes: SQLSTATE (psycopg), errno (MySQL drivers), sqlite<code>."""
    original = getattr(exc, "orig", None)
    codes: set[object] = {getattr(original, "sqlstate", None), getattr(original, "pgcode", None)}
    sqlite_code = getattr(original, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int):
        codes.add(f"sqlite{sqlite_code & 0xFF}")
    args = getattr(original, "args", ())
    if args and isinstance(args[0], int):
        codes.add(args[0])
    return codes - {None}
