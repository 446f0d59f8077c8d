"""The `http` kind's transport: GET with retries, page following and URLs safe to show.

Transient failures (connection errors, timeouts, 429, 5xx) are retried with exponential
backoff, honouring Retry-After; a 4xx is the request's fault and fails at once.

The token goes only to base_url's origin: a next-page link to another scheme, host or port
is refused. URLs in messages (which end up in the run's record) never show a user:password@
or the values of query parameters named like secrets.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import httpx

from connectors.http_options import Endpoint, HttpOptions, LinkPagination, PagePagination


class HttpSourceError(RuntimeError):
    """The API could not be read; the message names the URL and the status (never the token)."""


Sleep = Callable[[float], None]


# --- fetching ------------------------------------------------------------------------------
RETRIED_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class Fetcher:
    """GET with retries: transient failures wait backoff × 2ⁿ (or Retry-After), capped."""

    def __init__(self, client: httpx.Client, options: HttpOptions, sleep: Sleep) -> None:
        self.client = client
        self.options = options
        self.sleep = sleep

    def get_json(
        self, url: str | httpx.URL, params: dict[str, Any] | None
    ) -> tuple[Any, httpx.URL]:
        """The decoded body and the URL it came from (relative links resolve against it)."""
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            last_try = attempt == attempts - 1
            request = self.client.build_request("GET", url, params=params)
            shown = redact_url(str(request.url))
            try:
                response = self.client.send(request)
            except RETRIED_ERRORS as exc:
                if last_try:
                    raise HttpSourceError(
                        f"GET {shown}: {type(exc).__name__}: {_error_text(exc)}{_after(attempts)}"
                    ) from None
                self.sleep(self._backoff(attempt))
                continue
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # e.g. an unsupported scheme
                raise HttpSourceError(
                    f"GET {shown}: {type(exc).__name__}: {_error_text(exc)}"
                ) from None
            if response.is_success:
                return _decode(response, shown), request.url
            transient = response.status_code == 429 or response.status_code >= 500
            if not transient or last_try:
                raise HttpSourceError(self._status_message(response, shown, attempt + 1))
            waited = _retry_after(response)
            self.sleep(
                self._backoff(attempt)
                if waited is None
                else min(waited, self.options.max_wait_seconds)
            )
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _backoff(self, attempt: int) -> float:
        return min(self.options.backoff_seconds * 2**attempt, self.options.max_wait_seconds)

    def _status_message(self, response: httpx.Response, shown: str, attempts: int) -> str:
        message = f"GET {shown}: HTTP {response.status_code} {response.reason_phrase}"
        if response.status_code in (401, 403):
            where = self.options.token_env or "no token configured (token_env)"
            message += f"; the API refused the token ({where})"
        return message + _after(attempts)


def _error_text(exc: Exception) -> str:
    """The exception's text with any URL in it redacted."""
    return URL_IN_TEXT.sub(lambda found: redact_url(found.group()), str(exc)) or "no response"


# --- what messages may show ----------------------------------------------------------------
SECRET_PARAM_NAME = re.compile(r"token|passw|pwd|secret|key|sign|auth", re.IGNORECASE)
QUERY_PAIR = re.compile(r"(^|[&;])([^&;=]*)=([^&;]*)")
URL_IN_TEXT = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}


def redact_url(url: str) -> str:
    """`url` as a message may show it: no user:password@, and the values of query parameters
    named like secrets (token, password, secret, key, sign, auth) masked as ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(a URL that cannot be parsed)"
    netloc = parts.netloc.rpartition("@")[2]
    query = QUERY_PAIR.sub(_mask_pair, parts.query)
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _mask_pair(pair: re.Match[str]) -> str:
    separator, name, value = pair.groups()
    if value and SECRET_PARAM_NAME.search(unquote_plus(name)):
        value = "***"
    return f"{separator}{name}={value}"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or DEFAULT_PORTS.get(url.scheme)


def _origin_text(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii')}"


def _after(attempts: int) -> str:
    return f" after {attempts} attempts" if attempts > 1 else ""


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After as seconds or an HTTP date; None when absent or unreadable."""
    header = response.headers.get("Retry-After")
    if not header:
        return None
    try:
        seconds = float(header)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(moment.timestamp() - time.time(), 0.0)


def _decode(response: httpx.Response, shown: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise HttpSourceError(f"GET {shown}: the response is not JSON") from None


def dig(document: Any, path: str) -> Any:
    """The value at a dotted path (`data.items`); None where a step is missing."""
    for key in path.split("."):
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


# --- pages ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    number: int  # 1 for the first page read, whatever the server counts from
    total: int | None  # pages the server says there are, if it says
    records: list[Any]


def pages(fetcher: Fetcher, endpoint: Endpoint, params: dict[str, Any]) -> Iterator[Page]:
    """The endpoint's pages, followed as its pagination option says."""
    paging = endpoint.pagination
    if isinstance(paging, PagePagination):
        return _numbered_pages(fetcher, endpoint, params, paging)
    return _linked_pages(fetcher, endpoint, params)


def _numbered_pages(
    fetcher: Fetcher, endpoint: Endpoint, params: dict[str, Any], paging: PagePagination
) -> Iterator[Page]:
    """Pages up to the count the server gives, or, without one, up to the first empty page."""
    number, previous = 1, None
    while True:
        paged = {
            **params,
            paging.page_param: paging.first_page + number - 1,
            paging.size_param: paging.page_size,
        }
        body, url = fetcher.get_json(endpoint.path, paged)
        shown = redact_url(str(url))
        records = _records(body, endpoint.records_at, shown)
        total = _total_pages(body, paging.total_pages_at, shown)
        if records and records == previous:  # else read up to MAX_PAGES times, all the same
            raise HttpSourceError(
                f"GET {shown}: the same records as page {number - 1}; "
                f"does the server honour '{paging.page_param}'?"
            )
        yield Page(number, total, records)
        if (number >= total) if total is not None else not records:
            return
        number, previous = number + 1, records


def _linked_pages(fetcher: Fetcher, endpoint: Endpoint, params: dict[str, Any]) -> Iterator[Page]:
    """The first page, then each page's next link (which carries the query) while there is one."""
    paging = endpoint.pagination
    target: str | httpx.URL = endpoint.path
    query: dict[str, Any] | None = params
    number = 1
    while True:
        body, url = fetcher.get_json(target, query)
        yield Page(number, None, _records(body, endpoint.records_at, redact_url(str(url))))
        if not isinstance(paging, LinkPagination):
            return
        link = dig(body, paging.next_at)
        if link is None or link == "":
            return
        where = f"GET {redact_url(endpoint.path)}: page {number}'s next link"
        if not isinstance(link, str):
            kind = type(link).__name__
            raise HttpSourceError(f"{where} at '{paging.next_at}' is not a string but {kind}")
        target, query = _next_url(fetcher.client.base_url, url, link, where), None
        number += 1


def _next_url(base: httpx.URL, page_url: httpx.URL, link: str, where: str) -> httpx.URL:
    """`link`, resolved against the URL of the page carrying it; only on base_url's origin,
    since the client sends the token with every request."""
    try:
        resolved = page_url.join(link)
    except httpx.InvalidURL as exc:
        raise HttpSourceError(f"{where} {redact_url(link)} is not a URL: {exc}") from None
    if _origin(resolved) != _origin(base):
        raise HttpSourceError(
            f"{where} {redact_url(str(resolved))} is not on {_origin_text(base)}; refused, "
            "as the token would be sent with it"
        )
    return resolved


def _records(body: Any, path: str, shown: str) -> list[Any]:
    records = dig(body, path)
    if not isinstance(records, list):
        raise HttpSourceError(f"GET {shown}: no record list at '{path}' in the response")
    return records


def _total_pages(body: Any, path: str | None, shown: str) -> int | None:
    if path is None:
        return None
    total = dig(body, path)
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise HttpSourceError(f"GET {shown}: no page count at '{path}' in the response")
    return total
