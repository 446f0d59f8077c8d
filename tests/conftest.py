"""Shared fixtures: the tiny hand-checked catalog, stores on SQLite and PostgreSQL, and
source databases on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import http.server
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from indicators.registry import Catalog, load_catalog
from indicators.store import MetricStore, open_store
from tests.cockpit_process import cockpit, copy_city

# Pages are tested as the session they are given (or the embedded default) without signing
# in; tests of sign-in set COCKPIT_AUTH themselves. Set here so that the app servers the
# browser tests start inherit it.
os.environ.setdefault("COCKPIT_AUTH", "none")
# The site secret (cockpit.site_secret) for every test that does not make its own, so that no
# test writes a key file into the working directory's default COCKPIT_HOME.
os.environ.setdefault("COCKPIT_SESSION_SECRET", "the-test-suite-site-secret-0123456789abcdef")

pytest_plugins = ["tests.browser_fixtures"]

FIXTURE_CATALOG = Path(__file__).parent / "fixtures" / "catalog"
POSTGRES_URL = os.environ.get(
    "COCKPIT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DATABASES = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]
MARIADB_URL = os.environ.get(
    "COCKPIT_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4"
)


def _server_missing(name: str, url: str, exc: OperationalError) -> None:
    """Skip without the server, unless COCKPIT_REQUIRE_POSTGRES=1 (scripts/test.sh and CI
    set it: both servers run there), where a missing server is a failure."""
    if os.environ.get("COCKPIT_REQUIRE_POSTGRES") == "1":
        raise exc
    pytest.skip(f"{name} not reachable at {url}: {exc.orig}")


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
        _server_missing("PostgreSQL", POSTGRES_URL, exc)
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=DATABASES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store, on each backend the store supports."""
    return _database_url(request, tmp_path / "store.db")


@pytest.fixture
def store(store_url: str) -> Iterator[MetricStore]:
    metric_store = open_store(store_url)
    yield metric_store
    metric_store.engine.dispose()


@pytest.fixture
def mariadb_url() -> Iterator[str]:
    """A URL to a MariaDB database of its own, dropped afterwards."""
    database = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(MARIADB_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4"))
    except OperationalError as exc:
        _server_missing("MariaDB", MARIADB_URL, exc)
    try:
        yield MARIADB_URL.replace("/test?", f"/{database}?")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP DATABASE `{database}`"))
        admin.dispose()


@pytest.fixture(params=DATABASES)
def source_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty source database (a bureau's system the SQL connector reads), on each server."""
    return _database_url(request, tmp_path / "source.db")


def _database_url(request: pytest.FixtureRequest, sqlite_file: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{sqlite_file}"
    fixture = {"postgresql": "postgres_url", "mariadb": "mariadb_url"}[request.param]
    return request.getfixturevalue(fixture)


@pytest.fixture(scope="session")
def sample_city_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """新河市 generated (small scale) and refreshed once a session, for tests that only read it
    (screens, the browser). As planted, power_files failed and 市财政局 is overdue."""
    home = tmp_path_factory.mktemp("sample_city")
    try:
        made = cockpit(home, "sample", "--seed", "11", "--scale", "small", "--progress", "none")
        assert made.returncode == 0, made.stderr
        refreshed = cockpit(home, "refresh", "--progress", "none")
        assert refreshed.returncode == 1, refreshed.stderr  # 1: only the planted failure
    finally:
        cockpit(home, "sample", "serve-api", "--stop")  # only the refresh reads the API
    return home


@pytest.fixture
def in_sample_city(sample_city_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app and the library read the session's sample city (store, sources, freshness)."""
    monkeypatch.setenv("COCKPIT_HOME", str(sample_city_home))
    monkeypatch.delenv("COCKPIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("COCKPIT_SOURCES", raising=False)
    return sample_city_home


@pytest.fixture
def writable_city(sample_city_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the session's sample city that a test may write to (loads, reviews,
    saved templates), and the app and library pointed at it."""
    home = tmp_path / "city"
    copy_city(sample_city_home, home)
    monkeypatch.setenv("COCKPIT_HOME", str(home))
    monkeypatch.delenv("COCKPIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("COCKPIT_SOURCES", raising=False)
    return home


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    """Counts every request: a test that must fetch nothing asserts the list stays empty."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = b"body::after { content: 'LEAKED-HTTP' }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server (port, paths requested) to catch a renderer fetching a URL."""
    _CountingHandler.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _CountingHandler.hits
    server.shutdown()
    server.server_close()
