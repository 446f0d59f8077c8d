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

Time zone. Periods are decided in the deployment's zone (`COCKPIT_TIMEZONE`): the session is
set to it (see sql_session), and a zoned timestamp returned as the period is converted to it
before its period is taken. Naive columns (`timestamp`, `DATETIME`, SQLite text) are taken
as local wall-clock time, as they are stored.

The URL comes from `url` (no password: the sources file refuses one) or from the variable
`url_env` names. How it is resolved, masked in errors, and how the session is made read only
with a time limit: see sql_session.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from sqlalchemy import URL, Connection, text
from sqlalchemy.exc import SQLAlchemyError

from connectors.base import Progress, ReadResult, Rejection, SourceContext, ValueRow
from connectors.config import Strict, secret_from_env
from connectors.folders import allowed_folders
from connectors.registry import ConnectorConfigError, register
from connectors.sql_dialects import PlaceholderError, expand, placeholders
from connectors.sql_session import Session, SqlSourceError, masked, resolved_url, scrubbed
from indicators.model import Frequency, Indicator
from indicators.periods import Period, PeriodError
from indicators.registry import UnknownIndicatorError
from indicators.settings import display_timezone

SINCE = "since"
EVERYTHING = date(1900, 1, 1)  # `:since` on a first load
_STATEMENT_START = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)


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
        url = resolved_url(raw_url, shown, context.base_dir, allowed_folders(context))
        try:
            return _run(plans, url, Session(shown, zone, opts.timeout_seconds), progress)
        except SqlSourceError as exc:  # a driver may echo a secret in its own message
            message = scrubbed(str(exc), url)
            if message != str(exc):
                raise SqlSourceError(message) from None
            raise


def _run(plans: list[QueryPlan], url: URL, session: Session, progress: Progress) -> ReadResult:
    """Run the queries on one connection, engine disposed afterwards."""
    engine = session.engine(url)
    result = ReadResult()
    progress("read", 0, len(plans))
    try:
        with session.connect(engine) as conn:
            for done, plan in enumerate(plans, start=1):
                result.extend(plan.run(conn, session))
                progress("read", done, len(plans))
    finally:
        engine.dispose()
    return result


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
                reason = "not a number"
                rejections.append(Rejection(where, column, str(raw), reason, indicator.code))
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
