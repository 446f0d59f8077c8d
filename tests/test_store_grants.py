"""The deployment docs/security.md describes for MariaDB, for real: the schema is migrated by
the owner account, the app runs as an account with data rights only. Then the store works,
and the audit log is safe from TRUNCATE too (MariaDB's triggers see UPDATE and DELETE only;
TRUNCATE needs the DROP right the app account lacks)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from indicators.store import ValueRow, open_store
from indicators.store.audit import AuditEvent, entries, record

pytestmark = pytest.mark.mariadb
RUNTIME_GRANTS = "SELECT, INSERT, UPDATE, DELETE"  # as docs/security.md gives them
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.fixture
def runtime_url(mariadb_url: str) -> Iterator[str]:
    """`mariadb_url`'s database, migrated as its owner, and a URL for an app account."""
    open_store(mariadb_url).engine.dispose()  # the owner migrates
    owner_url = make_url(mariadb_url)
    name, password = f"app_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    admin = create_engine(owner_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE USER '{name}'@'%' IDENTIFIED BY '{password}'"))
        conn.execute(text(f"GRANT {RUNTIME_GRANTS} ON `{owner_url.database}`.* TO '{name}'@'%'"))
    try:
        yield owner_url.set(username=name, password=password).render_as_string(False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP USER '{name}'@'%'"))
        admin.dispose()


def test_the_app_account_runs_the_store_but_cannot_empty_the_audit_log(runtime_url: str) -> None:
    store = open_store(runtime_url)  # the migration finds the schema current: reads only
    run = store.start_run("stats_files")
    store.write_run(run, [ValueRow("ECO_GDP", "2026-09", "xinhe", 1.5)], 1)
    record(store.engine, AuditEvent(NOW, "zhang", "upload", "a.xlsx"))
    for statement, refusal in [
        ("TRUNCATE TABLE audit_log", "DROP command denied"),
        ("DELETE FROM audit_log", "append-only"),
        ("DROP TABLE audit_log", "DROP command denied"),
    ]:
        with pytest.raises(DBAPIError, match=refusal), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert [e.target for e in entries(store.engine)] == ["a.xlsx"]
    store.engine.dispose()
