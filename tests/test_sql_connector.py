"""The sql connector against SQLite, PostgreSQL and MariaDB: hand-made work orders with known
counts come back as exact ValueRows, grouped in the database; `:since` is bound, never
spliced; rows it cannot place are rejected naming the query and row; placeholders expand per
dialect; zoned timestamps count in the deployment's time zone; queries run read-only and
within a time limit; bad URLs fail with their secrets masked; unsafe configuration is
refused."""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Engine, make_url

from connectors.base import SourceContext, ValueRow
from connectors.registry import ConnectorConfigError, build_connector
from connectors.sql_dialects import expand
from connectors.sql_session import SqlSourceError, masked
from indicators.registry import Catalog

ORDERS_SQL = """
    SELECT {month:accepted_at} AS period, district AS area,
           COUNT(*) AS orders, SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END) AS closed
    FROM orders
    WHERE accepted_at >= :since
    GROUP BY {month:accepted_at}, district
    ORDER BY period, COALESCE(district, '')
"""
ROWS = [  # accepted_at, district, status
    (datetime(2026, 8, 15, 9, 0), "east", "closed"),
    (datetime(2026, 9, 3, 10, 0), "east", "closed"),
    (datetime(2026, 9, 30, 23, 59, 59), "east", "open"),
    (datetime(2026, 10, 1, 0, 0, 0), "east", "closed"),
    (datetime(2026, 10, 5, 12, 0), "west", "closed"),
    (datetime(2026, 10, 31, 23, 59, 59), "west", "open"),
    (datetime(2026, 10, 10, 8, 0), None, "closed"),  # no district: the city's, no district's
]


@pytest.fixture
def orders_url(source_db_url: str) -> str:
    metadata = MetaData()
    orders = Table(
        "orders",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("accepted_at", DateTime, nullable=False),
        Column("district", String(16)),
        Column("status", String(8), nullable=False),
    )
    engine = create_engine(source_db_url)
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(
            orders.insert(),
            [{"accepted_at": a, "district": d, "status": s} for a, d, s in ROWS],
        )
    engine.dispose()
    return source_db_url


def connector(url: str, sql: str = ORDERS_SQL, **query: Any) -> Any:
    spec = {"name": "orders", "sql": sql, "area": "area"} | query
    spec.setdefault("values", {"orders": "T_ORDERS", "closed": "T_CLOSED"})
    return build_connector("sql", {"url": url, "queries": [spec]}, "hotline_db")


def read(source: Any, catalog: Catalog, latest: dict[str, str] | None = None) -> Any:
    # a SQLite source's file must lie in the sources file's folder: say it is the file's own
    raw = source.options.url or os.environ.get(source.options.url_env, "sqlite://")
    url = make_url(raw)
    folder = Path(url.database or "/none").parent if url.get_backend_name() == "sqlite" else Path()
    context = SourceContext(catalog, folder, latest or {})
    return source.read(context, lambda *_: None)


def test_counts_come_back_per_district_and_city(orders_url: str, tiny_catalog: Catalog) -> None:
    result = read(connector(orders_url), tiny_catalog)
    assert sorted(result.rows, key=lambda r: (r.period, r.area, r.indicator_code)) == [
        ValueRow("T_CLOSED", "2026-08", "city", 1.0),
        ValueRow("T_ORDERS", "2026-08", "city", 1.0),
        ValueRow("T_CLOSED", "2026-08", "east", 1.0),
        ValueRow("T_ORDERS", "2026-08", "east", 1.0),
        ValueRow("T_CLOSED", "2026-09", "city", 1.0),
        ValueRow("T_ORDERS", "2026-09", "city", 2.0),
        ValueRow("T_CLOSED", "2026-09", "east", 1.0),
        ValueRow("T_ORDERS", "2026-09", "east", 2.0),
        # The order without a district counts for the city, so the city is not east + west.
        ValueRow("T_CLOSED", "2026-10", "city", 3.0),
        ValueRow("T_ORDERS", "2026-10", "city", 4.0),
        ValueRow("T_CLOSED", "2026-10", "east", 1.0),
        ValueRow("T_ORDERS", "2026-10", "east", 1.0),
        ValueRow("T_CLOSED", "2026-10", "west", 1.0),
        ValueRow("T_ORDERS", "2026-10", "west", 2.0),
    ]
    assert result.rows_read == 5  # grouped rows, not orders
    assert [r.describe() for r in result.rejections] == [
        "query orders row 3: area: no district (counted in the city total) ('NULL')"
    ]


def test_an_unknown_district_is_rejected_but_counted_in_the_city(
    orders_url: str, tiny_catalog: Catalog
) -> None:
    engine = create_engine(orders_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE orders SET district = 'north' WHERE district IS NULL"))
    engine.dispose()
    result = read(connector(orders_url), tiny_catalog)
    october_city = {
        r.indicator_code: r.value for r in result.rows if (r.period, r.area) == ("2026-10", "city")
    }
    assert october_city == {"T_ORDERS": 4.0, "T_CLOSED": 3.0}
    assert [(r.field, r.value, r.reason) for r in result.rejections] == [
        ("area", "north", "unknown district (counted in the city total)")
    ]


def test_since_is_bound_a_few_periods_back(orders_url: str, tiny_catalog: Catalog) -> None:
    spec = {"name": "orders", "sql": ORDERS_SQL, "area": "area"}
    spec["values"] = {"orders": "T_ORDERS", "closed": "T_CLOSED"}
    options = {"url": orders_url, "since_periods_back": 1, "queries": [spec]}
    source = build_connector("sql", options, "hotline_db")
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        result = read(source, tiny_catalog, {"T_ORDERS": "2026-10", "T_CLOSED": "2026-10"})
    finally:
        event.remove(Engine, "before_cursor_execute", capture)
    assert sorted({r.period for r in result.rows}) == ["2026-09", "2026-10"]  # August left out
    statement, parameters = next((s, p) for s, p in sent if "FROM orders" in s)
    assert "2026-09-01" not in statement  # the date travels as a parameter
    values = parameters.values() if isinstance(parameters, dict) else parameters
    assert date(2026, 9, 1) in list(values)


def test_a_stored_label_never_reaches_the_sql(orders_url: str, tiny_catalog: Catalog) -> None:
    """A label that is not a period (here one trying to inject) means: read everything."""
    injected = "2026-10' OR '1'='1'; DROP TABLE orders; --"
    result = read(
        connector(orders_url), tiny_catalog, {"T_ORDERS": injected, "T_CLOSED": "2026-10"}
    )
    assert {r.period for r in result.rows} == {"2026-08", "2026-09", "2026-10"}
    assert len(read(connector(orders_url), tiny_catalog).rows) == 14  # the table is intact


def test_an_indicator_never_stored_reads_everything(orders_url: str, tiny_catalog: Catalog) -> None:
    result = read(connector(orders_url), tiny_catalog, {"T_ORDERS": "2026-10"})
    assert {r.period for r in result.rows} == {"2026-08", "2026-09", "2026-10"}


def test_the_query_may_return_its_own_city_rows(orders_url: str, tiny_catalog: Catalog) -> None:
    """city: returned — the city figure is not a sum (here: districts with orders)."""
    sql = """
        SELECT {month:accepted_at} AS period, district AS area, COUNT(*) AS orders
        FROM orders WHERE accepted_at >= :since AND district IS NOT NULL
        GROUP BY {month:accepted_at}, district
        UNION ALL
        SELECT {month:accepted_at}, '测试市', COUNT(DISTINCT district)
        FROM orders WHERE accepted_at >= :since
        GROUP BY {month:accepted_at}
    """
    source = connector(orders_url, sql, city="returned", values={"orders": "T_ORDERS"})
    rows = {(r.period, r.area): r.value for r in read(source, tiny_catalog).rows}
    assert rows == {
        ("2026-08", "east"): 1.0,
        ("2026-08", "city"): 1.0,
        ("2026-09", "east"): 2.0,
        ("2026-09", "city"): 1.0,
        ("2026-10", "east"): 1.0,
        ("2026-10", "west"): 2.0,
        ("2026-10", "city"): 2.0,
    }


def test_values_can_be_divided_and_bad_periods_rejected(
    orders_url: str, tiny_catalog: Catalog
) -> None:
    sql = """
        SELECT CASE WHEN district = 'west' THEN 'someday' ELSE {month:accepted_at} END AS period,
               COUNT(*) * 86400 AS seconds
        FROM orders WHERE accepted_at >= :since AND district IS NOT NULL
        GROUP BY CASE WHEN district = 'west' THEN 'someday' ELSE {month:accepted_at} END
        ORDER BY period
    """
    source = connector(
        orders_url,
        sql,
        area=None,
        values={"seconds": {"indicator": "T_ORDERS", "divide_by": 86400}},
    )
    result = read(source, tiny_catalog)
    assert sorted((r.period, r.area, r.value) for r in result.rows) == [
        ("2026-08", "city", 1.0),
        ("2026-09", "city", 2.0),
        ("2026-10", "city", 1.0),
    ]
    assert [(r.location, r.field, r.value) for r in result.rejections] == [
        ("query orders row 4", "period", "someday")
    ]


def test_progress_counts_queries(orders_url: str, tiny_catalog: Catalog) -> None:
    spec = {"sql": ORDERS_SQL, "area": "area", "values": {"orders": "T_ORDERS"}}
    source = build_connector(
        "sql",
        {"url": orders_url, "queries": [{"name": "a", **spec}, {"name": "b", **spec}]},
        "hotline_db",
    )
    seen: list[tuple[str, int, int | None]] = []
    read_folder = Path(make_url(orders_url).database or "/none").parent
    source.read(SourceContext(tiny_catalog, read_folder), lambda *a: seen.append(a))
    assert seen == [("read", 0, 2), ("read", 1, 2), ("read", 2, 2)]


@pytest.mark.parametrize(
    ("placeholder", "expected"),
    [
        ("{day:ts}", "2026-10-05"),
        ("{month:ts}", "2026-10"),
        ("{quarter:ts}", "2026Q4"),
        ("{year:ts}", "2026"),
        ("{epoch:ts} - {epoch:origin}", 86_400 * 3 + 3_661),
    ],
)
def test_placeholders_expand_for_each_database(
    source_db_url: str, placeholder: str, expected: object
) -> None:
    engine = create_engine(source_db_url)
    metadata = MetaData()
    stamps = Table("stamps", metadata, Column("ts", DateTime), Column("origin", DateTime))
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(
            stamps.insert(),
            [{"ts": datetime(2026, 10, 5, 1, 1, 1), "origin": datetime(2026, 10, 2)}],
        )
        sql = expand(f"SELECT {placeholder} AS v FROM stamps", engine.dialect.name)
        value = conn.execute(text(sql)).scalar()
    engine.dispose()
    assert value == expected


def test_a_relative_sqlite_path_is_relative_to_the_sources_file(
    tmp_path: Path, tiny_catalog: Catalog
) -> None:
    (tmp_path / "sample").mkdir()
    engine = create_engine(f"sqlite:///{tmp_path / 'sample' / 'hotline.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE orders (accepted_at TEXT, district TEXT, status TEXT)"))
        conn.execute(text("INSERT INTO orders VALUES ('2026-10-02 08:00:00', 'west', 'open')"))
    engine.dispose()
    source = connector("sqlite:///sample/hotline.db")
    result = source.read(SourceContext(tiny_catalog, tmp_path), lambda *_: None)
    assert ValueRow("T_ORDERS", "2026-10", "west", 1.0) in result.rows
    with pytest.raises(SqlSourceError, match=r"no database file at .*/missing\.db"):
        connector("sqlite:///missing.db").read(
            SourceContext(tiny_catalog, tmp_path), lambda *_: None
        )


def test_a_sqlite_file_outside_the_sources_folders_is_not_read(
    tmp_path: Path, tiny_catalog: Catalog
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "other").mkdir()
    create_engine(f"sqlite:///{tmp_path / 'other' / 'hr.db'}").connect().close()
    (tmp_path / "config" / "link.db").symlink_to(tmp_path / "other" / "hr.db")
    config = SourceContext(tiny_catalog, tmp_path / "config")
    outside = f"is outside the folders this sources file may read ({tmp_path / 'config'})"
    for url, path in [
        ("sqlite:///../other/hr.db", tmp_path / "config" / ".." / "other" / "hr.db"),
        (f"sqlite:///{tmp_path}/other/hr.db", tmp_path / "other" / "hr.db"),
        ("sqlite:///link.db", tmp_path / "config" / "link.db"),  # a link out of the folder
    ]:
        with pytest.raises(SqlSourceError) as refused:
            connector(url).read(config, lambda *_: None)
        assert str(refused.value) == (
            f"cannot read {url}: {path} {outside}; list the folder under folders:"
        )


def test_a_bad_url_fails_naming_it_with_the_password_masked(tiny_catalog: Catalog) -> None:
    source = connector("postgresql+psycopg://reader:s3cret@127.0.0.1:1/hotline")
    with pytest.raises(SqlSourceError) as caught:
        read(source, tiny_catalog)
    message = str(caught.value)
    assert message.startswith(
        "cannot connect to postgresql+psycopg://reader:***@127.0.0.1:1/hotline:"
    )
    assert "s3cret" not in message
    source = connector("postgresql+psycopg://reader@127.0.0.1:1/hotline?password=s3cret")
    with pytest.raises(SqlSourceError) as caught:
        read(source, tiny_catalog)
    assert "reader@127.0.0.1:1/hotline?password=***" in str(caught.value)
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("sqlite:///sample/hotline.db", "sqlite:///sample/hotline.db"),
        ("postgresql://reader:s3cret@db:5432/hotline", "postgresql://reader:***@db:5432/hotline"),
        (
            "postgresql+psycopg://reader@db/hotline?password=s3cret&sslmode=require",
            "postgresql+psycopg://reader@db/hotline?password=***&sslmode=require",
        ),
        (
            "mysql+pymysql://root:s3cret@db/h?charset=utf8mb4&PASSWD=s3cret&access_token=s3cret",
            "mysql+pymysql://root:***@db/h?PASSWD=***&access_token=***&charset=utf8mb4",
        ),
        # Beyond SQLAlchemy's parsing (a port that is not a number, an unencoded @ or / in
        # the password): the whole userinfo goes.
        (
            "postgresql://reader:s3cret@db:port/h?password=s3cret",
            "postgresql://***@db:port/h?password=***",
        ),
        ("postgresql://reader:s3@cret@db/h", "postgresql://***@db/h"),
        ("odd url://reader:s3/cr@t@db/h?token=s3cret&a=1", "odd url://***@db/h?token=***&a=1"),
    ],
)
def test_a_url_is_shown_without_its_secrets(url: str, shown: str) -> None:
    assert masked(url) == shown


def test_the_url_may_come_from_the_environment(
    orders_url: str, tiny_catalog: Catalog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    spec = {"name": "orders", "sql": ORDERS_SQL, "area": "area", "values": {"orders": "T_ORDERS"}}
    source = build_connector("sql", {"url_env": "HOTLINE_DB_URL", "queries": [spec]}, "x")
    with pytest.raises(Exception, match="HOTLINE_DB_URL is not set"):
        read(source, tiny_catalog)
    monkeypatch.setenv("HOTLINE_DB_URL", orders_url)
    assert len(read(source, tiny_catalog).rows) == 7  # 4 district and 3 city values


def test_a_failing_query_names_itself(orders_url: str, tiny_catalog: Catalog) -> None:
    source = connector(orders_url, "SELECT period FROM no_such_table WHERE x >= :since")
    with pytest.raises(SqlSourceError, match=r"^query orders failed on .+: "):
        read(source, tiny_catalog)
    missing_column = connector(orders_url, ORDERS_SQL.replace("AS closed", "AS done"))
    with pytest.raises(SqlSourceError, match=r"no column closed in the result"):
        read(missing_column, tiny_catalog)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT {week:accepted_at} FROM orders", "unknown placeholder {week:accepted_at}"),
        ("SELECT {month:accepted_at); DROP TABLE orders; --} FROM orders", "is not a column name"),
        ("SELECT {month} FROM orders", "unknown placeholder {month}"),
        ("SELECT 1 FROM orders WHERE district = :district", "unknown parameter :district"),
        ("DELETE FROM orders", "must be a SELECT"),
    ],
)
def test_unsafe_configuration_is_refused(sql: str, message: str) -> None:
    with pytest.raises(ConnectorConfigError, match=message):
        connector("sqlite:///x.db", sql)


def test_an_unknown_indicator_or_no_url_is_refused(orders_url: str, tiny_catalog: Catalog) -> None:
    with pytest.raises(ConnectorConfigError, match=r"values\.orders"):
        read(connector(orders_url, values={"orders": "T_NOPE"}), tiny_catalog)
    with pytest.raises(ConnectorConfigError, match="give exactly one of url and url_env"):
        build_connector(
            "sql", {"queries": [{"name": "q", "sql": "SELECT 1", "values": {"a": "T_ORDERS"}}]}, "x"
        )


@pytest.mark.mariadb
def test_a_refused_login_does_not_show_the_password(
    mariadb_url: str, tiny_catalog: Catalog
) -> None:
    source = connector(mariadb_url.replace("//root@", "//root:wr0ng-pass@"))
    with pytest.raises(SqlSourceError) as caught:
        read(source, tiny_catalog)
    assert "mysql+pymysql://root:***@127.0.0.1:3306/" in str(caught.value)
    assert "wr0ng-pass" not in str(caught.value)


# --- time zones, read only, time limit --------------------------------------------------------
SERVERS = [
    pytest.param("postgres_url", marks=pytest.mark.postgres, id="postgresql"),
    pytest.param("mariadb_url", marks=pytest.mark.mariadb, id="mariadb"),
]


@pytest.mark.parametrize("server", SERVERS)
def test_zoned_timestamps_count_where_the_deployment_is(
    server: str, request: pytest.FixtureRequest, tiny_catalog: Catalog
) -> None:
    """On a UTC server, an order at 2026-10-01 06:00 北京时间 is October's, whether the
    database buckets it (`{month:…}`) or returns the timestamp itself."""
    url = request.getfixturevalue(server)
    engine = create_engine(url)
    in_utc, zoned = {
        "postgresql": ("SET TIME ZONE 'UTC'", "timestamptz NOT NULL"),
        "mysql": ("SET time_zone = '+00:00'", "TIMESTAMP NULL"),
    }[engine.dialect.name]
    with engine.begin() as conn:
        conn.execute(text(in_utc))
        conn.execute(text(f"CREATE TABLE orders (accepted_at {zoned}, district VARCHAR(16))"))
        conn.execute(  # 2026-10-01 06:00 and 2026-09-30 23:30 in Beijing, written in UTC
            text(
                "INSERT INTO orders VALUES ('2026-09-30 22:00:00', 'east'), "
                "('2026-09-30 15:30:00', 'east')"
            )
        )
    engine.dispose()
    grouped = """
        SELECT {month:accepted_at} AS period, district AS area, COUNT(*) AS orders
        FROM orders WHERE accepted_at >= :since GROUP BY {month:accepted_at}, district
    """
    raw = "SELECT accepted_at AS period, district AS area, 1 AS orders FROM orders"
    for sql in (grouped, raw):
        source = connector(url, sql, values={"orders": "T_ORDERS"})
        rows = {(r.period, r.area): r.value for r in read(source, tiny_catalog).rows}
        assert rows == {
            ("2026-09", "east"): 1.0,
            ("2026-09", "city"): 1.0,
            ("2026-10", "east"): 1.0,
            ("2026-10", "city"): 1.0,
        }, sql


def test_a_zoned_period_text_counts_where_the_deployment_is(
    tmp_path: Path, tiny_catalog: Catalog
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'source.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE orders (accepted_at TEXT, n INTEGER)"))
        conn.execute(
            text(
                "INSERT INTO orders VALUES ('2026-09-30T22:00:00+00:00', 1), "
                "('2026-10-01 06:00:00', 2)"
            )  # naive: already local time
        )
    engine.dispose()
    sql = "SELECT accepted_at AS period, n AS orders FROM orders"
    source = connector(str(engine.url), sql, area=None, values={"orders": "T_ORDERS"})
    assert [(r.period, r.value) for r in read(source, tiny_catalog).rows] == [
        ("2026-10", 1.0),
        ("2026-10", 2.0),
    ]


# Statements that start like a query but write. A function that writes (nextval) slips past
# any look at the statement; only the read-only transaction stops it.
WRITES = {
    "sqlite": [
        "WITH new AS (SELECT '2026-10-01' AS at) "
        "INSERT INTO orders (accepted_at, district, status) SELECT at, 'east', 'open' FROM new"
    ],
    "postgresql": [
        "WITH new AS (INSERT INTO orders (accepted_at, district, status) "
        "VALUES ('2026-10-01', 'east', 'open') RETURNING accepted_at) "
        "SELECT {month:accepted_at} AS period, COUNT(*) AS orders FROM new GROUP BY 1",
        "SELECT '2026-10' AS period, nextval('order_ids') AS orders",
    ],
    "mysql": ["SELECT '2026-10' AS period, NEXTVAL(order_ids) AS orders"],
}


def test_queries_run_read_only(orders_url: str, tiny_catalog: Catalog) -> None:
    engine = create_engine(orders_url)
    dialect = engine.dialect.name
    if dialect != "sqlite":
        with engine.begin() as conn:
            conn.execute(text("CREATE SEQUENCE order_ids"))
    refused = r"^query orders on .+ tried to write, but queries run read-only: "
    for sql in WRITES[dialect]:
        source = connector(orders_url, sql, area=None, values={"orders": "T_ORDERS"})
        with pytest.raises(SqlSourceError, match=refused):
            read(source, tiny_catalog)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM orders")).scalar() == len(ROWS)
        if dialect != "sqlite":
            next_id = "nextval('order_ids')" if dialect == "postgresql" else "NEXTVAL(order_ids)"
            assert conn.execute(text(f"SELECT {next_id}")).scalar() == 1  # never advanced
    engine.dispose()


SLOW = {  # about two seconds or more
    "sqlite": (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000) "
        "SELECT '2026-10' AS period, COUNT(*) AS orders FROM n"
    ),
    "postgresql": "SELECT '2026-10' AS period, 1 AS orders FROM pg_sleep(2)",
    "mysql": "SELECT '2026-10' AS period, SLEEP(2) AS orders",
}


def test_a_slow_query_is_cancelled_after_timeout_seconds(
    orders_url: str, tiny_catalog: Catalog
) -> None:
    dialect = create_engine(orders_url).dialect.name
    spec = {"name": "slow", "sql": SLOW[dialect], "values": {"orders": "T_ORDERS"}}
    source = build_connector(
        "sql", {"url": orders_url, "timeout_seconds": 1, "queries": [spec]}, "hotline_db"
    )
    started = time.monotonic()
    with pytest.raises(SqlSourceError) as caught:
        read(source, tiny_catalog)
    assert time.monotonic() - started < 1.9
    assert str(caught.value).startswith(
        f"query slow on {masked(orders_url)} took longer than its time limit "
        "(timeout_seconds: 1) and was cancelled: "
    )
