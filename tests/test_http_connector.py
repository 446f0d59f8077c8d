"""The http connector against real local servers: paging, the token, retries and backoff,
rejections naming page/item/field, null values, units and the incremental `since`."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from connectors.base import Rejection, SourceContext, ValueRow
from connectors.config import SourcesError
from connectors.http import HttpConnector
from connectors.http_client import HttpSourceError
from connectors.http_options import HttpOptions
from connectors.registry import ConnectorConfigError, build_connector
from indicators.registry import Catalog

TOKEN = "s3cret-token"


@dataclass
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


Reply = tuple[int, dict[str, str], Any]  # status, headers, JSON body
Responder = Callable[[Request, int], Reply]  # the request and how many came before it


@dataclass
class FakeApi:
    """A stdlib server whose answers each test scripts; it records every request."""

    url: str = ""
    requests: list[Request] = field(default_factory=list)
    responder: Responder = lambda request, count: (404, {}, {})


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {key: values[-1] for key, values in parse_qs(url.query).items()}
            request = Request(url.path, query, {k.lower(): v for k, v in self.headers.items()})
            count = len(api.requests)
            api.requests.append(request)
            status, headers, body = api.responder(request, count)
            payload = json.dumps(body, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout case)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serving() -> Iterator[FakeApi]:
    fake = FakeApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def api() -> Iterator[FakeApi]:
    with serving() as fake:
        yield fake


@pytest.fixture
def other_api() -> Iterator[FakeApi]:
    """A second server: another origin (same host, another port) than `api`."""
    with serving() as fake:
        yield fake


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TEST_API_TOKEN", TOKEN)
    return TOKEN


def options(api: FakeApi, **overrides: Any) -> dict[str, Any]:
    """A source reading monthly 工单 figures by district, paged two records at a time."""
    endpoint = {
        "path": "/orders",
        "params": {"status": "closed"},
        "records_at": "data.items",
        "pagination": {"style": "page", "page_size": 2, "total_pages_at": "data.pages"},
        "period": "month",
        "area": "district",
        "values": {"orders": "T_ORDERS", "closed": "T_CLOSED"},
        "since_param": "since",
    }
    endpoint |= overrides.pop("endpoint", {})
    return {
        "base_url": api.url,
        "token_env": "TEST_API_TOKEN",
        "auth_header": "X-Token",
        "auth_scheme": None,
        "timeout_seconds": 2,
        "retries": 2,
        "backoff_seconds": 0.01,
        "endpoints": [endpoint],
        **overrides,
    }


def read(
    catalog: Catalog,
    raw_options: dict[str, Any],
    latest: dict[str, str] | None = None,
    sleeps: list[float] | None = None,
    progress: list[tuple[str, int, int | None]] | None = None,
) -> Any:
    """Read with backoff waits and progress steps recorded into the given lists."""
    sleeps = sleeps if sleeps is not None else []
    steps = progress if progress is not None else []
    connector = HttpConnector(HttpOptions.model_validate(raw_options), sleep=sleeps.append)
    context = SourceContext(catalog, Path(), latest or {})
    return connector.read(context, lambda stage, done, total: steps.append((stage, done, total)))


RECORDS = [
    {"month": "2026-09", "district": "east", "orders": 10, "closed": 9},
    {"month": "2026-09", "district": "西区", "orders": "1,200", "closed": 1100},
    {"month": "2026年10月", "district": "测试市", "orders": 1230, "closed": None},
]


def paged(records: list[dict[str, Any]], size: int = 2) -> Responder:
    """Serve `records` page by page as {"data": {"items": [...], "pages": N}}, token checked."""

    def respond(request: Request, count: int) -> Reply:
        if request.headers.get("x-token") != TOKEN:
            return 401, {}, {"message": "unauthorised"}
        page = int(request.query.get("page", "1"))
        items = records[(page - 1) * size : page * size]
        return 200, {}, {"data": {"items": items, "pages": -(-len(records) // size)}}

    return respond


# --- paging and the token --------------------------------------------------------------------
def test_reads_every_page_with_the_token_and_fixed_params(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = paged(RECORDS)
    progress: list[tuple[str, int, int | None]] = []
    result = read(tiny_catalog, options(api), progress=progress)
    assert result.rows == [
        ValueRow("T_ORDERS", "2026-09", "east", 10.0),
        ValueRow("T_CLOSED", "2026-09", "east", 9.0),
        ValueRow("T_ORDERS", "2026-09", "west", 1200.0),
        ValueRow("T_CLOSED", "2026-09", "west", 1100.0),
        ValueRow("T_ORDERS", "2026-10", "city", 1230.0),  # null 'closed': not published yet
    ]
    assert result.rejections == []
    assert result.rows_read == 3
    assert [r.query["page"] for r in api.requests] == ["1", "2"]
    assert all(r.query["status"] == "closed" and r.query["page_size"] == "2" for r in api.requests)
    assert all(r.headers["x-token"] == TOKEN for r in api.requests)
    assert "since" not in api.requests[0].query  # nothing stored yet: read everything
    assert progress == [("read", 1, 2), ("read", 2, 2)]


def test_without_a_page_count_an_empty_page_is_the_last(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = paged(RECORDS)
    raw = options(api, endpoint={"pagination": {"style": "page", "page_size": 2}})
    progress: list[tuple[str, int, int | None]] = []
    assert read(tiny_catalog, raw, progress=progress).rows_read == 3
    assert [r.query["page"] for r in api.requests] == ["1", "2", "3"]  # 3 came back empty
    assert progress == [("read", 1, None), ("read", 2, None), ("read", 3, None)]


def test_a_server_capping_the_page_size_is_read_to_the_end(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = paged(RECORDS, size=2)  # asked for 1000 a page, it sends 2: not the end
    raw = options(api, endpoint={"pagination": {"style": "page", "page_size": 1000}})
    result = read(tiny_catalog, raw)
    assert result.rows_read == 3
    assert ValueRow("T_ORDERS", "2026-10", "city", 1230.0) in result.rows
    assert [r.query["page"] for r in api.requests] == ["1", "2", "3"]


def test_a_server_repeating_the_same_page_fails_at_once(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = lambda request, count: (200, {}, {"data": {"items": RECORDS}})
    raw = options(api, endpoint={"pagination": {"style": "page", "page_size": 100}})
    with pytest.raises(HttpSourceError, match=r"GET .*page=2.*: the same records as page 1"):
        read(tiny_catalog, raw)
    assert len(api.requests) == 2


def test_follows_next_links_until_null(api: FakeApi, tiny_catalog: Catalog, token: str) -> None:
    def respond(request: Request, count: int) -> Reply:
        cursor = int(request.query.get("cursor", "0"))
        following = f"/orders?cursor={cursor + 1}" if cursor + 1 < len(RECORDS) else None
        return 200, {}, {"results": [RECORDS[cursor]], "links": {"next": following}}

    api.responder = respond
    raw = options(
        api,
        endpoint={
            "records_at": "results",
            "pagination": {"style": "next_link", "next_at": "links.next"},
        },
    )
    result = read(tiny_catalog, raw, latest={"T_ORDERS": "2026-10", "T_CLOSED": "2026-10"})
    assert result.rows_read == 3
    assert [r.query.get("cursor") for r in api.requests] == [None, "1", "2"]
    assert api.requests[0].query["since"] == "2026-07"  # the link carries the query after that


def next_link_options(api: FakeApi) -> dict[str, Any]:
    return options(
        api,
        endpoint={
            "records_at": "results",
            "pagination": {"style": "next_link", "next_at": "links.next"},
        },
    )


def test_next_links_resolve_like_a_browser_on_the_same_origin(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    following = {0: f"{api.url}/orders?cursor=1", 1: "?cursor=2", 2: None}

    def respond(request: Request, count: int) -> Reply:
        cursor = int(request.query.get("cursor", "0"))
        return 200, {}, {"results": [RECORDS[cursor]], "links": {"next": following[cursor]}}

    api.responder = respond
    assert read(tiny_catalog, next_link_options(api)).rows_read == 3
    assert [(r.path, r.query.get("cursor")) for r in api.requests] == [
        ("/orders", None),
        ("/orders", "1"),
        ("/orders", "2"),
    ]
    assert all(r.headers["x-token"] == TOKEN for r in api.requests)


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/steal",
        "//evil.example.com/steal",
        "{other}/steal",  # same host, another port
        "{https}/orders?cursor=1",  # same host and port, another scheme
    ],
)
def test_a_next_link_to_another_origin_is_refused_without_sending_the_token(
    api: FakeApi, other_api: FakeApi, tiny_catalog: Catalog, token: str, link: str
) -> None:
    link = link.format(other=other_api.url, https=api.url.replace("http:", "https:"))
    api.responder = lambda request, count: (200, {}, {"results": [], "links": {"next": link}})
    other_api.responder = lambda request, count: (200, {}, {"results": [], "links": {}})
    with pytest.raises(HttpSourceError) as caught:
        read(tiny_catalog, next_link_options(api), sleeps=[])
    message = str(caught.value)
    assert message.startswith("GET /orders: page 1's next link ")
    assert f"not on {api.url}" in message
    assert TOKEN not in message
    assert other_api.requests == []
    assert len(api.requests) == 1


def test_a_next_link_that_is_not_text_fails(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = lambda request, count: (200, {}, {"results": [], "links": {"next": 2}})
    with pytest.raises(
        HttpSourceError,
        match=r"^GET /orders: page 1's next link at 'links.next' is not a string but int",
    ):
        read(tiny_catalog, next_link_options(api))


def test_a_server_that_ignores_paging_is_not_read_forever(
    api: FakeApi, tiny_catalog: Catalog, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("connectors.http.MAX_PAGES", 3)
    api.responder = lambda request, count: (200, {}, {"data": {"items": [RECORDS[count % 3]]}})
    raw = options(api, endpoint={"pagination": {"style": "page", "page_size": 2}})
    with pytest.raises(HttpSourceError, match="more than 3 pages"):
        read(tiny_catalog, raw)
    assert len(api.requests) == 4


def test_endpoint_defaults_are_merged_under_each_endpoint(api: FakeApi) -> None:
    raw = options(api)
    endpoint = raw["endpoints"][0]
    raw["endpoint_defaults"] = {"records_at": endpoint.pop("records_at"), "period": "stat_month"}
    parsed = HttpOptions.model_validate(raw)
    assert parsed.endpoints[0].records_at == "data.items"
    assert parsed.endpoints[0].period == "month"  # the endpoint's own setting wins


def test_a_refused_token_fails_naming_url_status_and_variable_not_the_token(
    api: FakeApi, tiny_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_API_TOKEN", "wrong-token")
    api.responder = paged(RECORDS)
    with pytest.raises(HttpSourceError) as caught:
        read(tiny_catalog, options(api), sleeps=(sleeps := []))
    message = str(caught.value)
    assert (
        f"GET {api.url}/orders?status=closed&page=1&page_size=2: HTTP 401 Unauthorized" in message
    )
    assert "TEST_API_TOKEN" in message
    assert "wrong-token" not in message
    assert len(api.requests) == 1 and sleeps == []  # a 4xx is not retried


def test_messages_hide_the_url_password_and_secret_query_values(
    api: FakeApi, tiny_catalog: Catalog, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_API_URL", api.url.replace("://", "://user:pw123@"))
    raw = options(api, base_url_env="TEST_API_URL")
    del raw["base_url"]
    params = {"status": "closed", "sign": "sig-777", "appKey": "k-999", "access_token": "t-1"}
    raw["endpoints"][0]["params"] = params
    api.responder = lambda request, count: (404, {}, {})
    with pytest.raises(HttpSourceError) as caught:
        read(tiny_catalog, raw)
    message = str(caught.value)
    assert api.requests[0].query["sign"] == "sig-777"  # sent as configured, only not shown
    for secret in ("user", "pw123", "sig-777", "k-999", "t-1"):
        assert secret not in message
    assert message.startswith(
        f"GET {api.url}/orders?status=closed&sign=***&appKey=***&access_token=***&page=1"
    )
    assert message.endswith("HTTP 404 Not Found")


def test_an_unreachable_server_behind_a_password_url_hides_the_password(
    tiny_catalog: Catalog, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_API_URL", "http://user:pw123@127.0.0.1:9/api")
    raw = options(FakeApi(), base_url_env="TEST_API_URL", retries=0)
    del raw["base_url"]
    with pytest.raises(HttpSourceError, match=r"^GET http://127.0.0.1:9/api/orders") as caught:
        read(tiny_catalog, raw, sleeps=[])
    assert "user" not in str(caught.value) and "pw123" not in str(caught.value)


def test_a_missing_token_variable_is_a_clear_error(
    api: FakeApi, tiny_catalog: Catalog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TEST_API_TOKEN", raising=False)
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    with pytest.raises(SourcesError, match="TEST_API_TOKEN is not set"):
        read(tiny_catalog, options(api))
    assert api.requests == []


# --- retries -------------------------------------------------------------------------------
def test_retries_a_503_with_exponential_backoff(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    serve = paged(RECORDS[:1])
    api.responder = lambda request, count: (503, {}, {}) if count < 2 else serve(request, count)
    sleeps: list[float] = []
    result = read(tiny_catalog, options(api), sleeps=sleeps)
    assert result.rows_read == 1
    assert len(api.requests) == 3
    assert sleeps == [0.01, 0.02]


def test_honours_retry_after_on_429(api: FakeApi, tiny_catalog: Catalog, token: str) -> None:
    serve = paged(RECORDS[:1])
    api.responder = lambda request, count: (
        (429, {"Retry-After": "7"}, {}) if count == 0 else serve(request, count)
    )
    sleeps: list[float] = []
    read(tiny_catalog, options(api), sleeps=sleeps)
    assert sleeps == [7.0]


def test_retries_after_a_timeout(api: FakeApi, tiny_catalog: Catalog, token: str) -> None:
    serve = paged(RECORDS[:1])

    def respond(request: Request, count: int) -> Reply:
        if count == 0:
            time.sleep(0.6)
        return serve(request, count)

    api.responder = respond
    sleeps: list[float] = []
    result = read(tiny_catalog, options(api, timeout_seconds=0.2), sleeps=sleeps)
    assert result.rows_read == 1
    assert len(api.requests) == 2
    assert sleeps == [0.01]


def test_gives_up_after_the_configured_retries(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = lambda request, count: (503, {}, {})
    with pytest.raises(HttpSourceError, match=r"HTTP 503 Service Unavailable after 3 attempts$"):
        read(tiny_catalog, options(api), sleeps=[])
    assert len(api.requests) == 3


def test_a_404_is_not_retried(api: FakeApi, tiny_catalog: Catalog, token: str) -> None:
    sleeps: list[float] = []
    with pytest.raises(HttpSourceError, match=r"/orders\?.*: HTTP 404 Not Found$"):
        read(tiny_catalog, options(api), sleeps=sleeps)
    assert len(api.requests) == 1 and sleeps == []


def test_an_unreachable_server_names_the_url(tiny_catalog: Catalog, token: str) -> None:
    closed = FakeApi(url="http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(HttpSourceError, match=r"^GET http://127.0.0.1:9/orders.*ConnectError"):
        read(tiny_catalog, options(closed, retries=1), sleeps=[])


def test_a_response_without_the_record_list_fails(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = lambda request, count: (200, {}, {"data": {"rows": []}})
    with pytest.raises(HttpSourceError, match=r"no record list at 'data\.items'"):
        read(tiny_catalog, options(api))


# --- records -------------------------------------------------------------------------------
def test_unusable_records_are_rejected_naming_page_item_and_field(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = paged(
        [
            {"month": "2026-09", "district": "east", "orders": 10, "closed": 9},
            {"month": "2026-09", "district": "west", "orders": "12O", "closed": 11},
            {"month": "2026-09", "district": "north", "orders": 5, "closed": 5},
            {"month": "2026-13", "district": "east", "orders": 5, "closed": 5},
            {"month": "2026-09-01", "district": "east", "orders": 5, "closed": 5},
            {"month": "2026-09", "district": "east", "orders": 5},
            ["2026-09", "east", 7315.2],  # a record that is no object: its figures stay out
        ]
    )
    result = read(tiny_catalog, options(api))
    rejected = {(r.location, r.field, r.value) for r in result.rejections}
    assert rejected == {
        ("GET /orders page 4 item 1", "(record)", "list"),
        ("GET /orders page 1 item 2", "orders", "12O"),
        ("GET /orders page 2 item 1", "district", "north"),
        ("GET /orders page 2 item 2", "month", "2026-13"),
        ("GET /orders page 3 item 1", "month", "2026-09-01"),
        ("GET /orders page 3 item 2", "closed", ""),
    }
    reasons = {r.field: r.reason for r in result.rejections}
    assert reasons["orders"] == "'12O' is not a number"
    assert reasons["district"] == "unknown area"
    assert reasons["closed"] == "no such field in the record"
    assert reasons["(record)"] == "not a JSON object but a list"
    assert {r.indicator_code for r in result.rejections if r.field == "orders"} == {"T_ORDERS"}
    assert ("T_CLOSED", "west") in {(row.indicator_code, row.area) for row in result.rows}
    assert result.rows_read == 7
    assert isinstance(result.rejections[0], Rejection)


def test_values_in_another_unit_are_converted(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = paged([{"month": "202610", "output": 1234.5}])
    raw = options(
        api,
        endpoint={"area": None, "values": {"output": {"indicator": "T_OUTPUT", "unit": "万元"}}},
    )
    assert read(tiny_catalog, raw).rows == [ValueRow("T_OUTPUT", "2026-10", "city", 0.12345)]


def test_a_percent_sign_is_accepted_only_for_a_percent_unit(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    growth = tiny_catalog.get("T_OUTPUT_GROWTH")
    assert growth.unit == "%"
    per_mille = dataclasses.replace(
        tiny_catalog,
        indicators={
            **tiny_catalog.indicators,
            growth.code: growth.model_copy(update={"unit": "‰"}),
        },
    )
    api.responder = paged([{"month": "2026-10", "rate": "0.5%"}, {"month": "2026-11", "rate": 4}])
    raw = options(api, endpoint={"area": None, "values": {"rate": "T_OUTPUT_GROWTH"}})
    assert read(tiny_catalog, raw).rows == [
        ValueRow("T_OUTPUT_GROWTH", "2026-10", "city", 0.5),
        ValueRow("T_OUTPUT_GROWTH", "2026-11", "city", 4.0),
    ]
    result = read(per_mille, raw)
    assert result.rows == [ValueRow("T_OUTPUT_GROWTH", "2026-11", "city", 4.0)]
    assert [(r.field, r.value) for r in result.rejections] == [("rate", "0.5%")]
    assert "percentage" in result.rejections[0].reason


# --- incremental reads -----------------------------------------------------------------------
def test_since_starts_a_few_periods_before_the_earliest_latest_stored(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    api.responder = paged(RECORDS)
    latest = {"T_ORDERS": "2026-10", "T_CLOSED": "2026-08"}
    read(tiny_catalog, options(api, since_periods_back=2), latest=latest)
    assert {r.query["since"] for r in api.requests} == {"2026-06"}


def test_no_since_without_a_since_param(api: FakeApi, tiny_catalog: Catalog, token: str) -> None:
    api.responder = paged(RECORDS)
    latest = {"T_ORDERS": "2026-10", "T_CLOSED": "2026-10"}
    read(tiny_catalog, options(api, endpoint={"since_param": None}), latest=latest)
    assert all("since" not in r.query for r in api.requests)


# --- configuration ---------------------------------------------------------------------------
def test_the_kind_is_registered_and_validates_its_options(api: FakeApi) -> None:
    assert isinstance(build_connector("http", options(api), "env_api"), HttpConnector)
    with pytest.raises(ConnectorConfigError, match=r"env_api: options.*exactly one of base_url"):
        build_connector("http", options(api, base_url_env="API_URL"), "env_api")
    with pytest.raises(ConnectorConfigError, match=r"options\.endpoints\.0\.pagination"):
        build_connector("http", options(api, endpoint={"pagination": {"style": "cursor"}}), "x")


def test_an_unknown_indicator_fails_before_any_request(
    api: FakeApi, tiny_catalog: Catalog, token: str
) -> None:
    raw = options(api, endpoint={"values": {"orders": "T_ORDRES"}})
    with pytest.raises(ConnectorConfigError, match=r"endpoints\[0\] \(/orders\): values.orders"):
        read(tiny_catalog, raw)
    assert api.requests == []
