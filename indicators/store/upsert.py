"""INSERT … ON CONFLICT (PostgreSQL, SQLite) / ON DUPLICATE KEY (MySQL, MariaDB): one
statement per dialect, so concurrent writers of one key never fail on a duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import mysql, postgresql, sqlite


def upsert_statement(table: Table, dialect: str, changed: Sequence[str]) -> Any:
    """Insert rows of `table`; on its primary key already present, overwrite the `changed`
    columns, or (none given) keep the row as it is."""
    if dialect in ("mysql", "mariadb"):
        stmt = mysql.insert(table)
        keep = {c.name: stmt.inserted[c.name] for c in table.primary_key.columns}
        update = {c: stmt.inserted[c] for c in changed} or dict(list(keep.items())[:1])
        return stmt.on_duplicate_key_update(update)
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"the metric store does not support {dialect}")
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(table)
    keys = [c.name for c in table.primary_key.columns]
    if not changed:
        return stmt.on_conflict_do_nothing(index_elements=keys)
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={c: stmt.excluded[c] for c in changed}
    )
