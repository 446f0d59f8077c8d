"""The `sql` connector: configured aggregate queries against a bureau's database.

The database does the grouping (SQL pushdown): each configured query returns a few rows per
period and district holding re-aggregatable primitives (COUNT, SUM, or SUM and COUNT for an
average); ratios, 同比 and 累计 are computed by the catalog, never in SQL. The result is
streamed row by row, so a million work orders arrive as a few hundred numbers.

A query's SQL is written in the sources file, never assembled from input. It may use
placeholders for what differs between databases (`{month:accepted_at}`, see sql_dialects)
and one bound parameter, `:since`: the first day of the window to read, a few periods before
the latest stored period of the query's indicators (revisions arrive late), or 1900-01-01
while any of them has nothing stored. Write `\\:` for a literal colon.

A district without a single row in a period forms no group and gets no value (not 0): put
conditions inside `SUM(CASE WHEN … THEN 1 ELSE 0 END)` rather than in WHERE, so a month
with none of them reads 0.

The city total. With `area` set and `city: sum` (the default), the city value of a period is
the sum of every group the query returned, including groups whose district is NULL or
unknown (those are rejected as district rows): an order without a district still happened in
the city, so the city is not the sum of the districts it could place. With `city: returned`,
the query returns the city's own rows (UNION ALL, ROLLUP, or a warehouse's 全市 row), named
by the city's code or name, for figures that are not sums (distinct counts). Without `area`,
every row is a city figure.

Time zone. Periods are decided in the deployment's zone (`COCKPIT_TIMEZONE`, Asia/Shanghai
by default), not the database server's: the session is set to that zone on connecting, so
`{month:accepted_at}` over a zoned column (PostgreSQL `timestamptz`, MySQL/MariaDB
`TIMESTAMP`) buckets an order at 2026-10-01 06:00+08 in 2026-10 even on a UTC server, and a
zoned timestamp returned as the period is converted to that zone before its period is taken.
Naive columns (`timestamp`, `DATETIME`, SQLite text) are taken as local wall-clock time, as
they are stored. MySQL/MariaDB know zone names only with their time zone tables loaded;
without them the session gets the zone's current UTC offset (+08:00), which ignores daylight
saving time (China has none).

Read only, with a time limit. Every query runs in a read-only transaction (PostgreSQL,
MySQL/MariaDB; SQLite with `PRAGMA query_only`) and is cancelled after `timeout_seconds`
(PostgreSQL `statement_timeout`, MariaDB `max_statement_time`, MySQL `max_execution_time`,
Doris/StarRocks `query_timeout`; SQLite through a progress handler), so a hung query cannot
hold the source's refresh lock for ever. Other databases get neither: give them a read-only
account. A read-only account is the real guarantee everywhere; this is a second line.

The URL comes from `url` (no password: the sources file refuses one) or from the variable
`url_env` names. A relative SQLite path (`sqlite:///sample/hotline.db`) is relative to the
folder of the sources file, not to the working directory. Errors show the URL through
`masked`: no password, neither in the userinfo nor in a query parameter.
"""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import URL, Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from connectors.base import Progress, ReadResult, Rejection, SourceContext, ValueRow
from connectors.config import secret_from_env
from connectors.registry import ConnectorConfigError, register
from connectors.sql_dialects import PlaceholderError, expand, placeholders
from indicators.model import Frequency, Indicator
from indicators.periods import Period, PeriodError
from indicators.registry import UnknownIndicatorError
from indicators.settings import display_timezone

SINCE = "since"
EVERYTHING = date(1900, 1, 1)  # `:since` on a first load
_STATEMENT_START = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueColumn(Strict):
    """A value column kept in another unit than the catalog's: divided on reading (a
    duration summed in seconds and kept in days: 86400). Dividing in SQL would give each
    database its own decimal rules."""

    indicator: str
    divide_by: float = Field(default=1.0, gt=0)


class Query(Strict):
    """One configured query and what its result columns mean."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    sql: str = Field(min_length=1)
    period: str = "period"  # result column: a label (2026-10, 2026Q3) or a date in the period
    area: str | None = None  # result column with the district code or name; None: city rows
    city: Literal["sum", "returned"] = "sum"
    values: dict[str, str | ValueColumn] = Field(min_length=1)  # result column → indicator

    def value_columns(self) -> dict[str, ValueColumn]:
        return {
            column: spec if isinstance(spec, ValueColumn) else ValueColumn(indicator=spec)
            for column, spec in self.values.items()
        }

    @field_validator("sql")
    @classmethod
    def _checked_sql(cls, sql: str) -> str:
        if not _STATEMENT_START.match(sql):
            raise ValueError("a query must be a SELECT (or WITH … SELECT) statement")
        try:
            placeholders(sql)
        except PlaceholderError as exc:
            raise ValueError(str(exc)) from None
        binds = set(text(expand(sql, "sqlite")).compile().params)
        unknown = sorted(binds - {SINCE})
        if unknown:
            names = ", ".join(f":{name}" for name in unknown)
            raise ValueError(
                f"unknown parameter {names}: only :{SINCE} is bound (write \\: for a colon)"
            )
        return sql


class SqlOptions(Strict):
    url: str | None = None
    url_env: str | None = None
    since_periods_back: int = Field(default=3, ge=0)  # re-read recent periods (revisions)
    timeout_seconds: float = Field(default=300, gt=0)  # per query, cancelled by the database
    queries: tuple[Query, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _checked(self) -> SqlOptions:
        if (self.url is None) == (self.url_env is None):
            raise ValueError("give exactly one of url and url_env")
        names = [query.name for query in self.queries]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"query names used twice: {', '.join(repeated)}")
        return self


class SqlSourceError(RuntimeError):
    """The database could not be read; the message names the URL with its password masked."""


@register("sql", SqlOptions, "SQL databases: configured aggregate queries, grouped in the database")
class SqlConnector:
    def __init__(self, options: SqlOptions) -> None:
        self.options = options

    def read(self, context: SourceContext, progress: Progress) -> ReadResult:
        opts = self.options
        raw_url = opts.url or secret_from_env(opts.url_env or "", "url_env")
        shown = masked(raw_url)
        zone = display_timezone()
        plans = [_plan(query, context, opts.since_periods_back, zone) for query in opts.queries]
        url = _resolved(raw_url, shown, context.base_dir)
        try:
            return _run(plans, url, Session(shown, zone, opts.timeout_seconds), progress)
        except SqlSourceError as exc:  # a driver may echo a secret in its own message
            message = str(exc)
            for secret in _secrets(url):
                message = message.replace(secret, "***")
            if message != str(exc):
                raise SqlSourceError(message) from None
            raise


def _run(plans: list[QueryPlan], url: URL, session: Session, progress: Progress) -> ReadResult:
    """Run the queries on one connection, engine disposed afterwards."""
    libpq = url.get_backend_name() == "postgresql" and url.get_driver_name() in _LIBPQ
    if libpq and "connect_timeout" not in url.query:  # libpq itself would wait for ever
        url = url.update_query_dict({"connect_timeout": str(math.ceil(session.timeout))})
    try:
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise SqlSourceError(f"cannot use database {session.shown}: {exc}") from None
    result = ReadResult()
    progress("read", 0, len(plans))
    try:
        with _connection(engine, session.shown) as conn:
            session.prepare(conn)
            for done, plan in enumerate(plans, start=1):
                result.extend(plan.run(conn, session))
                progress("read", done, len(plans))
    finally:
        engine.dispose()
    return result


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


def _secrets(url: URL) -> list[str]:
    """The secrets in the URL, longest first, to scrub from a driver's message."""
    found = [str(url.password)] if url.password else []
    for key, value in url.query.items():
        if _SECRET_KEY.search(key):
            found.extend([value] if isinstance(value, str) else value)
    return sorted((s for s in found if s), key=len, reverse=True)


def _resolved(raw_url: str, shown: str, base_dir: Path) -> URL:
    """The URL with a relative SQLite path made relative to the sources file's folder."""
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
    return url.set(database=str(path))


@contextmanager
def _connection(engine: Engine, shown: str) -> Iterator[Connection]:
    """A connection whose failure to open names the URL (password masked)."""
    try:
        conn = engine.connect()
    except SQLAlchemyError as exc:
        raise SqlSourceError(f"cannot connect to {shown}: {_reason(exc)}") from None
    with conn:
        yield conn


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

    def prepare(self, conn: Connection) -> None:
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


# --- one query -----------------------------------------------------------------------------
@dataclass(frozen=True)
class QueryPlan:
    """A query resolved against the catalog: its indicators, frequency and window."""

    query: Query
    indicators: dict[str, Indicator]  # result column → indicator
    divisors: dict[str, float]  # result column → what its value is divided by
    frequency: Frequency
    since: date
    context: SourceContext
    zone: ZoneInfo  # the deployment's: a zoned timestamp's period is decided there

    def run(self, conn: Connection, session: Session) -> ReadResult:
        try:
            sql = expand(self.query.sql, conn.dialect.name)
        except PlaceholderError as exc:
            raise SqlSourceError(f"query {self.query.name}: {exc}") from None
        streaming = conn.execution_options(stream_results=True)
        try:
            with session.limited(), streaming.execute(text(sql), {SINCE: self.since}) as rows:
                result = self._read(rows, self._columns(list(rows.keys()), session.shown))
        except SQLAlchemyError as exc:
            raise SqlSourceError(session.failure(self.query.name, exc)) from None
        finally:
            conn.rollback()  # read only: end the transaction the query opened
        return result

    def _columns(self, keys: list[str], shown: str) -> dict[str, int]:
        """Position of every configured column (names compared case-insensitively, as
        databases fold unquoted aliases)."""
        position = {key.lower(): index for index, key in enumerate(keys)}
        wanted = [self.query.period, *([self.query.area] if self.query.area else [])]
        missing = [c for c in [*wanted, *self.indicators] if c.lower() not in position]
        if missing:
            raise SqlSourceError(
                f"query {self.query.name} on {shown}: no column {', '.join(missing)} "
                f"in the result (columns: {', '.join(keys)})"
            )
        return {column: position[column.lower()] for column in [*wanted, *self.indicators]}

    def _read(self, rows: Iterable[Any], columns: dict[str, int]) -> ReadResult:
        result = ReadResult()
        city = self.context.catalog.deployment.city.code
        city_sums: dict[tuple[str, str], float] = defaultdict(float)
        summing = self.query.area is not None and self.query.city == "sum"
        for number, row in enumerate(rows, start=1):
            result.rows_read += 1
            where = f"query {self.query.name} row {number}"
            try:
                raw = row[columns[self.query.period]]
                period = _period(raw, self.query.period, self.frequency, self.zone)
            except _Rejected as exc:
                result.rejections.append(Rejection(where, *exc.args))
                continue
            values = self._values(row, columns, where, result.rejections)
            area, in_city = None, summing
            try:
                area = self._area(row, columns)
            except _Rejected as exc:
                result.rejections.append(Rejection(where, *exc.args))
                in_city = summing and isinstance(exc, _Unplaced)
            if in_city:
                for code, value in values.items():
                    city_sums[(period.label, code)] += value
            if area is not None:
                result.rows.extend(
                    ValueRow(code, period.label, area, v, where) for code, v in values.items()
                )
        summed = f"query {self.query.name} (city: sum of its rows)"
        result.rows.extend(
            ValueRow(code, label, city, v, summed) for (label, code), v in city_sums.items()
        )
        return result

    def _values(
        self, row: Any, columns: dict[str, int], where: str, rejections: list[Rejection]
    ) -> dict[str, float]:
        """Indicator code → number; NULL means the group has nothing to report for it."""
        values = {}
        for column, indicator in self.indicators.items():
            raw = row[columns[column]]
            if raw is None:
                continue
            if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
                rejections.append(Rejection(where, column, str(raw), "not a number"))
                continue
            values[indicator.code] = float(raw) / self.divisors[column]
        return values

    def _area(self, row: Any, columns: dict[str, int]) -> str:
        """The catalog area a row is for."""
        deployment = self.context.catalog.deployment
        if self.query.area is None:
            return deployment.city.code
        column = self.query.area
        raw = row[columns[column]]
        if raw is None:
            raise _Unplaced(column, "NULL", "no district (counted in the city total)")
        area = deployment.find(str(raw))
        if area is None:
            raise _Unplaced(column, str(raw), "unknown district (counted in the city total)")
        if area == deployment.city and self.query.city == "sum":
            raise _Rejected(
                column, str(raw), "a city row, but this query's city total is summed (city: sum)"
            )
        return area.code


class _Rejected(Exception):
    """(field, value, reason) of a result row that cannot be used."""


class _Unplaced(_Rejected):
    """A row whose district is missing or unknown: no district value, but still the city's."""


def _period(raw: object, column: str, frequency: Frequency, zone: ZoneInfo) -> Period:
    """The period a result cell names: a label, or a date / timestamp inside the period. A
    zoned timestamp counts where the deployment is (`zone`); a naive one is local time."""
    if raw is None:
        raise _Rejected(column, "NULL", "no period")
    if isinstance(raw, datetime):
        return Period.containing(frequency, _local(raw, zone).date())
    if isinstance(raw, date):
        return Period.containing(frequency, raw)
    label = str(raw).strip()
    try:
        period = Period.parse(label)
    except PeriodError as exc:
        try:
            return Period.containing(frequency, _local(datetime.fromisoformat(label), zone).date())
        except ValueError:
            raise _Rejected(column, label, str(exc)) from None
    if period.frequency is Frequency.day and frequency is not Frequency.day:
        return Period.containing(frequency, period.start)
    if period.frequency is not frequency:
        raise _Rejected(column, label, f"a {period.frequency} period where {frequency} is due")
    return period


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """A zoned timestamp as the deployment's wall-clock time; a naive one is taken as that."""
    return moment if moment.utcoffset() is None else moment.astimezone(zone)


def _plan(query: Query, context: SourceContext, periods_back: int, zone: ZoneInfo) -> QueryPlan:
    where = f"query {query.name}"
    indicators = {}
    columns = query.value_columns()
    for column, spec in columns.items():
        try:
            indicators[column] = context.catalog.get(spec.indicator)
        except UnknownIndicatorError as exc:
            raise ConnectorConfigError(f"{where}: values.{column}: {exc}") from None
    frequencies = {ind.frequency for ind in indicators.values()}
    if len(frequencies) > 1:
        raise ConnectorConfigError(
            f"{where}: one period column cannot serve frequencies {sorted(frequencies)}"
        )
    first = context.reread_from((ind.code for ind in indicators.values()), periods_back)
    since = first.start if first else EVERYTHING
    divisors = {column: spec.divide_by for column, spec in columns.items()}
    return QueryPlan(query, indicators, divisors, frequencies.pop(), since, context, zone)
