"""Writing generated tables into a database fast, on SQLite, PostgreSQL or MariaDB.

Columns arrive as numpy arrays (datetime64 with NaT for NULL times, object arrays holding
None for other NULLs) and go in through the driver's executemany in large batches inside one
transaction; indexes are built after the rows, which is several times faster than
maintaining them row by row. SQLite writes with journal_mode=OFF and synchronous=OFF: a
half-written sample is thrown away and generated again, never repaired.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, make_url

BATCH_ROWS = 50_000
Columns = Mapping[str, np.ndarray]


def open_database(url: str) -> Engine:
    """An engine on `url`; a SQLite file is replaced by a new one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url)
    if parsed.database:
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _fast(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    return engine


def create_tables(conn: Connection, metadata: MetaData) -> None:
    """The tables of `metadata` (declared without indexes), replacing earlier ones."""
    metadata.drop_all(conn)
    metadata.create_all(conn)


def create_indexes(conn: Connection, indexes: Mapping[str, tuple[str, Sequence[str]]]) -> None:
    """Indexes by name: (table, columns). Plain DDL, the same on every database here."""
    for name, (table, columns) in indexes.items():
        conn.exec_driver_sql(f"CREATE INDEX {name} ON {table} ({', '.join(columns)})")


def insert(conn: Connection, table: Table, columns: Columns) -> int:
    """Insert the rows given column by column; returns how many."""
    names = list(columns)
    values = [_python_values(columns[name], conn.dialect.name) for name in names]
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([marker] * len(names))})"
    )
    rows = list(zip(*values, strict=True))
    for start in range(0, len(rows), BATCH_ROWS):
        conn.exec_driver_sql(statement, rows[start : start + BATCH_ROWS])
    return len(rows)


def insert_numbered(conn: Connection, table: Table, parts: Sequence[Columns], first_id: int) -> int:
    """Insert records generated in parts (e.g. one per district), numbering them from
    `first_id` in the `id` column; returns how many."""
    columns = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    rows = len(next(iter(columns.values())))
    return insert(conn, table, {"id": np.arange(first_id, first_id + rows), **columns})


def _python_values(values: np.ndarray, dialect: str) -> list[Any]:
    """Plain Python values the drivers accept: SQLite keeps times as ISO text with a space
    (what strftime reads), the servers get datetime/date objects; NaT becomes None."""
    if np.issubdtype(values.dtype, np.datetime64):
        if dialect == "sqlite":
            unit = "D" if values.dtype == np.dtype("datetime64[D]") else "s"
            text = np.datetime_as_string(values, unit=unit)
            return [None if t == "NaT" else t.replace("T", " ") for t in text.tolist()]
        return values.tolist()
    return values.tolist()


# --- building columns ------------------------------------------------------------------------
def choose(rng: np.random.Generator, options: Sequence[tuple[str, float]], n: int) -> np.ndarray:
    """`n` labels drawn with the given weights."""
    names = np.array([name for name, _ in options], dtype=object)
    weights = np.array([weight for _, weight in options])
    return names[rng.choice(len(names), size=n, p=weights / weights.sum())]


def nullable(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """`values` where `present`, NULL elsewhere."""
    out = values.astype(object)
    out[~present] = None
    return out


def nulls(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def times(start: np.datetime64, offsets: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Timestamps `offsets` seconds after `start`; NULL (NaT) where not `present`."""
    return np.where(present, start + offsets.astype("timedelta64[s]"), np.datetime64("NaT"))


def no_times(n: int) -> np.ndarray:
    return np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")


def with_copies(
    rng: np.random.Generator, columns: dict[str, np.ndarray], count: int, **changed: np.ndarray
) -> dict[str, np.ndarray]:
    """`columns` plus `count` copies of random rows with some columns `changed` (repeat
    reports merged into an earlier record look like it)."""
    if count == 0:
        return columns
    copied = rng.integers(0, len(next(iter(columns.values()))), count)
    extra = {name: changed.get(name, values[copied]) for name, values in columns.items()}
    return {name: np.concatenate([columns[name], extra[name]]) for name in columns}
