"""Opening the store: engine, SQLite pragmas and automatic Alembic migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from indicators.settings import database_url
from indicators.store.repository import MetricStore

MIGRATIONS = Path(__file__).parent / "migrations"


def create_store_engine(url: str) -> Engine:
    """An engine for `url`; for SQLite the folder is created and WAL and foreign keys are on."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is already there)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class StoreOpenError(RuntimeError):
    """The store cannot be reached or migrated; the message hides any password."""


def open_store(url: str | None = None) -> MetricStore:
    """Open (and migrate) the store at `url`, by default COCKPIT_DATABASE_URL or the
    embedded SQLite file under COCKPIT_HOME."""
    url = url or database_url()
    try:
        engine = create_store_engine(url)
        migrate(engine)
    except (ArgumentError, DBAPIError, OSError) as exc:
        shown = _safe_url(url)
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreOpenError(f"cannot open the store at {shown}: {reason}") from None
    return MetricStore(engine)


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable COCKPIT_DATABASE_URL)"
