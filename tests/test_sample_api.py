"""The sample bureaus' API serves every env_api/ops_api figure of the model, and the http
connector configured as in sample_data/sources.yaml reads all of them back."""

from __future__ import annotations

import json
import math
import shutil
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ReadResult, SourceContext
from connectors.config import load_sources
from connectors.registry import build_connector
from indicators.registry import load_catalog
from sample_data.api import SampleApiError, make_server, start_background, stop_background
from sample_data.api_endpoints import ENDPOINTS, served_decimals
from sample_data.model import CityModel
from sample_data.plan import API_PORT, API_TOKEN_VARIABLE

SOURCES = Path(__file__).parents[1] / "sample_data" / "sources.yaml"
HTTP_SOURCES = ("env_api", "ops_api")
TOKEN = "sample-token-7"


@pytest.fixture(scope="module")
def model() -> CityModel:
    return CityModel(load_catalog().catalog, seed=7, today=date(2026, 11, 25))


@pytest.fixture(scope="module")
def base_url(model: CityModel) -> Iterator[str]:
    server = make_server(model, "127.0.0.1", 0, TOKEN)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def read_source(
    model: CityModel, base_url: str, source_id: str, latest: dict[str, str] | None = None
) -> ReadResult:
    """Read with the connector exactly as sources.yaml configures it, but for the port."""
    source = load_sources(SOURCES).get(source_id)
    assert source.options["base_url"] == f"http://127.0.0.1:{API_PORT}"
    assert source.options["token_env"] == API_TOKEN_VARIABLE
    connector = build_connector(source.kind, {**source.options, "base_url": base_url}, source_id)
    return connector.read(SourceContext(model.catalog, SOURCES.parent, latest or {}), _quiet)


def _quiet(stage: str, done: int, total: int | None) -> None:
    pass


def get(url: str, token: str | None = TOKEN) -> tuple[int, Any]:
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("source_id", HTTP_SOURCES)
def test_every_model_value_comes_back_through_the_connector(
    model: CityModel, base_url: str, source_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(API_TOKEN_VARIABLE, TOKEN)
    result = read_source(model, base_url, source_id)
    assert result.rejections == []
    read = {(r.indicator_code, r.period, r.area): r.value for r in result.rows}
    assert len(read) == len(result.rows)
    expected = 0
    for code in model.base_codes(source_id):
        tolerance = _tolerance(model, code)
        for period, row in model.frame(code).iterrows():
            for area, value in row.items():
                if math.isnan(value):
                    continue
                expected += 1
                got = read.get((code, str(period), area))
                assert got is not None, (code, str(period), area)
                assert abs(got - value) <= tolerance, (code, str(period), area, got, value)
    assert expected == len(read)


def _tolerance(model: CityModel, code: str) -> float:
    """Half a unit of the last served decimal, in the catalog's unit."""
    field = next(f for e in ENDPOINTS for f in e.fields if f.code == code)
    ind = model.catalog.get(code)
    decimals = served_decimals(ind, field.unit)
    scale = 1.0 if field.unit is None else 10 ** (ind.decimals - decimals)
    return 0.5 * 10**-decimals * scale + 1e-9


def test_each_http_indicator_is_served_by_exactly_one_field(model: CityModel) -> None:
    served = [field.code for endpoint in ENDPOINTS for field in endpoint.fields]
    wanted = [code for source in HTTP_SOURCES for code in model.base_codes(source)]
    assert sorted(served) == sorted(wanted)


def test_the_catalog_says_which_endpoint_and_field_serve_each_indicator(
    model: CityModel,
) -> None:
    for endpoint in ENDPOINTS:
        for field in endpoint.fields:
            reads = model.catalog.get(field.code).source.reads
            assert reads.startswith(f"{endpoint.path} {field.key}（"), (field.code, reads)


def test_since_reads_only_recent_periods(
    model: CityModel, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(API_TOKEN_VARIABLE, TOKEN)
    latest = {code: model.last_period(code).label for code in model.base_codes("ops_api")}
    result = read_source(model, base_url, "ops_api", latest)
    periods = {row.period for row in result.rows if row.indicator_code == "INF_API_CALLS"}
    assert periods == {"2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"}
    monthly = {row.period for row in result.rows if row.indicator_code == "INF_SEC_ALERTS"}
    assert monthly == {"2026-07", "2026-08", "2026-09", "2026-10"}


def test_the_server_answers_json_pages_and_refuses_bad_requests(base_url: str) -> None:
    status, body = get(f"{base_url}/air/monthly?page=2&page_size=9&since=2026-10")
    assert status == 200
    assert body["data"] == {"items": [], "page": 2, "page_size": 9, "total": 9, "total_pages": 1}
    status, body = get(f"{base_url}/air/monthly?page_size=1")
    assert body["data"]["items"][0]["area_name"] == "新河市"
    assert body["data"]["total_pages"] == 70 * 9
    assert get(f"{base_url}/air/monthly", token=None)[0] == 401
    assert get(f"{base_url}/air/monthly", token="wrong")[0] == 401
    assert get(f"{base_url}/air/yearly")[0] == 404
    assert get(f"{base_url}/air/monthly?page_size=5000")[0] == 400
    status, body = get(f"{base_url}/air/monthly?since=2026-10-01")
    assert (status, body["message"]) == (400, "since: '2026-10-01' is not a month period")
    assert get(f"{base_url}/health", token=None) == (200, {"status": "ok"})


# --- the background process ------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sample_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home as `cockpit sample` leaves it: sample/meta.json and the token in secrets.env."""
    monkeypatch.delenv(API_TOKEN_VARIABLE, raising=False)
    (tmp_path / "sample").mkdir()
    meta = {"seed": 7, "today": "2026-11-25", "scale": "small"}
    (tmp_path / "sample" / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "secrets.env").write_text(f"{API_TOKEN_VARIABLE}={TOKEN}\n", encoding="utf-8")
    return tmp_path


def test_background_process_starts_once_and_stops(sample_home: Path) -> None:
    port = _free_port()
    pid = start_background(sample_home, port)
    try:
        assert (sample_home / "sample" / "api.pid").read_text().strip() == str(pid)
        assert start_background(sample_home, port) == pid  # already running: kept
        status, body = get(f"http://127.0.0.1:{port}/cloud/metrics?since=2026-10")
        assert status == 200
        assert body["data"]["items"][0]["period"] == "2026-10"
    finally:
        assert stop_background(sample_home) is True
    assert not (sample_home / "sample" / "api.pid").exists()
    assert not Path(f"/proc/{pid}").exists()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
    assert stop_background(sample_home) is False


def test_another_homes_api_on_the_port_is_not_mistaken_for_ours(
    sample_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(sample_home, other, dirs_exist_ok=True)
    port = _free_port()
    start_background(other, port)
    try:
        with pytest.raises(SampleApiError, match=f"port {port} is already served by another"):
            start_background(sample_home, port)
        assert not (sample_home / "sample" / "api.pid").exists()
    finally:
        assert stop_background(other) is True


def test_a_taken_port_fails_with_the_servers_own_words(sample_home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SampleApiError, match=f"did not start on port {port}: .*in use"):
            start_background(sample_home, port)
    assert not (sample_home / "sample" / "api.pid").exists()
