"""Per-dialect time expressions for configured SQL (the Superset/Cube pattern).

There is no standard SQL for "the month of this timestamp", so a configured query writes a
placeholder, `{month:accepted_at}`, and the connector expands it for the database it talks
to. Buckets come back as the store's canonical labels (2026-10, 2026-10-05, 2026Q3, 2026), so
every dialect returns the same text; `{epoch:col}` gives whole seconds since 1970 for
durations (`SUM({epoch:closed_at} - {epoch:accepted_at})`): use it in differences only, as
its origin may shift with the session time zone.

Time zones. The buckets are computed in the session's time zone, which the sql connector sets
to the deployment's (`COCKPIT_TIMEZONE`, Asia/Shanghai by default) on PostgreSQL and the MySQL
family: a zoned column (PostgreSQL `timestamptz`, MySQL/MariaDB `TIMESTAMP`) is bucketed by
local time even on a UTC server; Trino and ClickHouse keep their server's zone. A naive
column (`timestamp`, `DATETIME`, SQLite text) is taken as the wall-clock time the source
keeps (北京时间 in Chinese systems). A site adds a database with `register_dialect`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

GRAINS = ("day", "month", "quarter", "year", "epoch")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
_BRACED = re.compile(r"\{([^{}]*)\}")

_MYSQL = {
    "day": "DATE_FORMAT({0}, '%Y-%m-%d')",
    "month": "DATE_FORMAT({0}, '%Y-%m')",
    "quarter": "CONCAT(YEAR({0}), 'Q', QUARTER({0}))",
    "year": "DATE_FORMAT({0}, '%Y')",
    "epoch": "TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', {0})",
}
_EXPRESSIONS: dict[str, dict[str, str]] = {
    "sqlite": {
        "day": "strftime('%Y-%m-%d', {0})",
        "month": "strftime('%Y-%m', {0})",
        "quarter": (
            "(strftime('%Y', {0}) || 'Q' || ((CAST(strftime('%m', {0}) AS INTEGER) + 2) / 3))"
        ),
        "year": "strftime('%Y', {0})",
        "epoch": "CAST(strftime('%s', {0}) AS INTEGER)",
    },
    "postgresql": {
        "day": "to_char({0}, 'YYYY-MM-DD')",
        "month": "to_char({0}, 'YYYY-MM')",
        "quarter": "to_char({0}, 'YYYY\"Q\"Q')",
        "year": "to_char({0}, 'YYYY')",
        "epoch": "CAST(EXTRACT(EPOCH FROM {0}) AS BIGINT)",
    },
    # MySQL, MariaDB and the MySQL protocol of Apache Doris and StarRocks.
    "mysql": _MYSQL,
    "mariadb": _MYSQL,
    "doris": _MYSQL,
    "starrocks": _MYSQL,
    "trino": {
        "day": "date_format({0}, '%Y-%m-%d')",
        "month": "date_format({0}, '%Y-%m')",
        "quarter": "concat(CAST(year({0}) AS varchar), 'Q', CAST(quarter({0}) AS varchar))",
        "year": "date_format({0}, '%Y')",
        "epoch": "date_diff('second', TIMESTAMP '1970-01-01 00:00:00', {0})",
    },
    "clickhouse": {
        "day": "formatDateTime({0}, '%Y-%m-%d')",
        "month": "formatDateTime({0}, '%Y-%m')",
        "quarter": "concat(toString(toYear({0})), 'Q', toString(toQuarter({0})))",
        "year": "toString(toYear({0}))",
        "epoch": "dateDiff('second', toDateTime('1970-01-01 00:00:00', 'UTC'), {0})",
    },
}


class PlaceholderError(ValueError):
    """A placeholder that is not a known grain over a plain column name."""


def register_dialect(name: str, expressions: Mapping[str, str]) -> None:
    """Teach the connector another database: one expression per grain, `{0}` the column.
    `name` is SQLAlchemy's dialect name (`engine.dialect.name`)."""
    missing = sorted(set(GRAINS) - set(expressions))
    if missing:
        raise ValueError(f"dialect {name}: no expression for {', '.join(missing)}")
    _EXPRESSIONS[name] = dict(expressions)


def dialects() -> list[str]:
    return sorted(_EXPRESSIONS)


def placeholders(sql: str) -> list[tuple[str, str]]:
    """(grain, column) of every placeholder, checked; braces serve nothing else in the SQL."""
    found = []
    for match in _BRACED.finditer(sql):
        grain, colon, column = match.group(1).partition(":")
        grain, column = grain.strip(), column.strip()
        if not colon or grain not in GRAINS:
            raise PlaceholderError(
                f"unknown placeholder {match.group(0)} (use {{grain:column}} with grain one of "
                f"{', '.join(GRAINS)})"
            )
        if not IDENTIFIER.match(column):
            raise PlaceholderError(
                f"placeholder {match.group(0)}: '{column}' is not a column name "
                "(letters, digits and _, optionally table.column)"
            )
        found.append((grain, column))
    return found


def expand(sql: str, dialect: str) -> str:
    """The SQL with every placeholder replaced by `dialect`'s expression."""
    expressions = _EXPRESSIONS.get(dialect)
    if expressions is None:
        raise PlaceholderError(
            f"no time expressions for database '{dialect}' (known: {', '.join(dialects())}); "
            "add them with connectors.sql_dialects.register_dialect"
        )
    placeholders(sql)  # refuse before substituting anything

    def substitute(match: re.Match[str]) -> str:
        grain, _, column = match.group(1).partition(":")
        return expressions[grain.strip()].format(column.strip())

    return _BRACED.sub(substitute, sql)
