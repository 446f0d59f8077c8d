"""Shared fixtures: the tiny hand-checked catalog and stores on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from indicators.registry import Catalog, load_catalog
from indicators.store import MetricStore, open_store

FIXTURE_CATALOG = Path(__file__).parent / "fixtures" / "catalog"
POSTGRES_URL = os.environ.get(
    "COCKPIT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def tiny_catalog() -> Catalog:
    result = load_catalog(FIXTURE_CATALOG)
    assert result.problems == []
    return result.catalog


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections live in a schema of their own, dropped afterwards.

    Without a server the PostgreSQL cases skip, unless COCKPIT_REQUIRE_POSTGRES=1 (as in
    scripts/test.sh and CI), where a missing server is a failure."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        if os.environ.get("COCKPIT_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc.orig}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store, on each backend the store supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url: str) -> Iterator[MetricStore]:
    metric_store = open_store(store_url)
    yield metric_store
    metric_store.engine.dispose()
