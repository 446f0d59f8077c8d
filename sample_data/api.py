"""The sample bureaus' data-sharing API over HTTP (stdlib only), and its background process.

GET <endpoint>?page=N&page_size=M[&since=PERIOD] with `Authorization: Bearer <token>` answers
{"code": 0, "message": "成功", "data": {"items": [...], "page", "page_size", "total",
"total_pages"}}; a missing or wrong token is 401, an unknown path 404, a bad query 400.
GET /health answers without a token, so a supervisor can tell the server is up.

`cockpit sample` writes COCKPIT_HOME/sample/meta.json (seed, today, scale) and the token into
COCKPIT_HOME/secrets.env; the served process rebuilds the same CityModel from them, so the API
serves exactly the figures the other sample sources were written from.
"""

from __future__ import annotations

import argparse
import hmac
import json
import math
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.config import SECRETS_FILE, read_env_file
from indicators.periods import Period, PeriodError
from indicators.registry import load_catalog
from sample_data.api_endpoints import ENDPOINTS, Table, build_table
from sample_data.model import CityModel
from sample_data.plan import API_PORT, API_TOKEN_VARIABLE, OVERDUE_SOURCES, SAMPLE_DIR

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
META_FILE = "meta.json"
PID_FILE = "api.pid"
LOG_FILE = "api.log"
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 5.0
# Processes this interpreter started, kept so that stopping them reaps them (no zombies).
_STARTED: dict[int, subprocess.Popen[bytes]] = {}


class SampleApiError(RuntimeError):
    """The sample API cannot be served: no token, a broken catalog, a port already taken."""


class QueryError(ValueError):
    """A query parameter the API cannot use (answered with 400)."""


class SampleApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], tables: dict[str, Table], token: str) -> None:
        super().__init__(address, ApiHandler)
        self.tables = tables
        self.token = token

    def authorised(self, header: str | None) -> bool:
        scheme, _, token = (header or "").partition(" ")
        return scheme == "Bearer" and hmac.compare_digest(token.encode(), self.token.encode())


class ApiHandler(BaseHTTPRequestHandler):
    server: SampleApiServer

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/health":
            self._send(200, {"status": "ok"})
            return
        if not self.server.authorised(self.headers.get("Authorization")):
            self._send(401, {"code": 401, "message": "未授权：缺少或错误的访问令牌"})
            return
        table = self.server.tables.get(url.path.rstrip("/"))
        if table is None:
            self._send(404, {"code": 404, "message": f"接口不存在：{url.path}"})
            return
        try:
            body = page_of(table, parse_qs(url.query))
        except QueryError as exc:
            self._send(400, {"code": 400, "message": str(exc)})
            return
        self._send(200, {"code": 0, "message": "成功", "data": body})

    def _send(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        if status == 401:
            self.send_header("WWW-Authenticate", 'Bearer realm="sample"')
        self.end_headers()
        self.wfile.write(payload)


def page_of(table: Table, query: dict[str, list[str]]) -> dict[str, Any]:
    """One page of an endpoint's records from `since` on."""
    page = _int_param(query, "page", 1, 1, None)
    size = _int_param(query, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    since = query.get("since", [None])[-1]
    if since is not None:
        try:
            period = Period.parse(since)
        except PeriodError as exc:
            raise QueryError(f"since: {exc}") from None
        if period.frequency != table.frequency:
            raise QueryError(f"since: '{since}' is not a {table.frequency} period")
        since = period.label
    records = table.since(since)
    start = (page - 1) * size
    return {
        "items": list(records[start : start + size]),
        "page": page,
        "page_size": size,
        "total": len(records),
        "total_pages": math.ceil(len(records) / size),
    }


def _int_param(
    query: dict[str, list[str]], name: str, default: int, low: int, high: int | None
) -> int:
    text = query.get(name, [str(default)])[-1]
    try:
        value = int(text)
    except ValueError:
        raise QueryError(f"{name}: '{text}' is not a whole number") from None
    if value < low or (high is not None and value > high):
        raise QueryError(f"{name}: {value} is outside {low}–{high or '∞'}")
    return value


def make_server(model: CityModel, host: str, port: int, token: str) -> ThreadingHTTPServer:
    """A server for the model's env_api and ops_api figures (port 0 picks a free port)."""
    tables = {endpoint.path: build_table(model, endpoint) for endpoint in ENDPOINTS}
    return SampleApiServer((host, port), tables, token)


# --- the served process -------------------------------------------------------------------
def model_from_home(home: Path) -> CityModel:
    """The CityModel `cockpit sample` generated the home's sources from (sample/meta.json)."""
    meta = json.loads((home / SAMPLE_DIR / META_FILE).read_text(encoding="utf-8"))
    loaded = load_catalog()
    if loaded.problems:
        raise SampleApiError(f"the catalog has problems, e.g. {loaded.problems[0]}")
    return CityModel(
        loaded.catalog,
        seed=int(meta["seed"]),
        today=date.fromisoformat(meta["today"]),
        overdue_sources=OVERDUE_SOURCES,
    )


def token_from_home(home: Path) -> str:
    """The API token: the environment first, then home/secrets.env, as the connector reads it."""
    secrets = home / SECRETS_FILE
    token = os.environ.get(API_TOKEN_VARIABLE) or read_env_file(secrets).get(API_TOKEN_VARIABLE)
    if not token:
        raise SampleApiError(f"{API_TOKEN_VARIABLE} is neither in the environment nor in {secrets}")
    return token


def serve_forever(home: Path, port: int = API_PORT, host: str = "127.0.0.1") -> None:
    """Serve the home's sample API in the foreground until interrupted."""
    server = make_server(model_from_home(home), host, port, token_from_home(home))
    print(f"sample API on http://{host}:{server.server_port} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


# --- background management ----------------------------------------------------------------
def start_background(home: Path, port: int = API_PORT) -> int:
    """Start the API as a detached process serving `home` on 127.0.0.1:`port` and return its
    pid once the port answers; a process already started from this home that answers is kept."""
    pid_file = home / SAMPLE_DIR / PID_FILE
    running = _read_pid(pid_file)
    if running is not None and _alive(running) and _answers(port):
        return running
    stop_background(home)
    if _answers(port):  # someone else's server: ours would fail to bind and theirs would answer
        raise SampleApiError(
            f"port {port} is already served by another process (a sample API of another "
            "COCKPIT_HOME? stop it with `cockpit sample serve-api --stop` there)"
        )
    log_path = home / SAMPLE_DIR / LOG_FILE
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "sample_data.api", "--home", str(home), "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _STARTED[process.pid] = process
    pid_file.write_text(f"{process.pid}\n", encoding="utf-8")
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_background(home)
            tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-5:]
            raise SampleApiError(f"the sample API did not start on port {port}: {' | '.join(tail)}")
        time.sleep(0.1)
    return process.pid


def stop_background(home: Path) -> bool:
    """Stop the process started from `home`, if any; True when one was running."""
    pid_file = home / SAMPLE_DIR / PID_FILE
    pid = _read_pid(pid_file)
    pid_file.unlink(missing_ok=True)
    if pid is None or not _alive(pid) or not _is_sample_api(pid):
        return False
    os.kill(pid, signal.SIGTERM)
    if not _ended_within(pid, STOP_TIMEOUT_SECONDS):
        os.kill(pid, signal.SIGKILL)
        _ended_within(pid, STOP_TIMEOUT_SECONDS)
    _STARTED.pop(pid, None)
    return True


def _read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text(encoding="utf-8").strip())
    except (FileNotFoundError, ValueError):
        return None


def _ended_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _alive(pid: int) -> bool:
    """Whether `pid` still runs (our own child is polled, which reaps it once it ends)."""
    if pid in _STARTED:
        return _STARTED[pid].poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_sample_api(pid: int) -> bool:
    """Guard against a recycled pid: where /proc tells, the process must be this module."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not Path("/proc/self").exists():
        return True
    try:
        return b"sample_data.api" in cmdline.read_bytes()
    except OSError:
        return False


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the sample bureaus' data-sharing API.")
    parser.add_argument("--home", type=Path, required=True, help="COCKPIT_HOME of the sample")
    parser.add_argument("--port", type=int, default=API_PORT)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop_background ends it cleanly
    serve_forever(args.home.resolve(), args.port, args.host)


if __name__ == "__main__":
    main()
