"""The `http` connector: a bureau's JSON data-sharing API (数据共享接口), read page by page.

Each endpoint returns records that carry a period, usually an area, and one or more value
fields; the options say which JSON key holds which and which indicator each value field
feeds. Transient failures (connection errors, timeouts, 429, 5xx) are retried with
exponential backoff, honouring Retry-After; a 4xx is the request's fault and fails at once.
A record that cannot be used becomes a Rejection naming the page, item and field; a null
value means the bureau has not published it yet and is skipped. With `since_param`, only
periods from a few before the latest stored one are asked for.

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
from typing import Annotated, Any, Literal
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, model_validator

from connectors.base import Progress, ReadResult, Rejection, SourceContext, ValueRow
from connectors.cells import CellError, convert_unit, parse_number
from connectors.config import secret_from_env
from connectors.registry import ConnectorConfigError, register
from indicators.model import Indicator
from indicators.periods import Period, PeriodError
from indicators.registry import UnknownIndicatorError


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PagePagination(Strict):
    """?page=N&page_size=M; the page count is read from the response, or, without
    `total_pages_at`, pages are read until one comes back empty. A short page is not taken
    as the last: servers silently cap page_size (asked for 1000, they send 100), so a short
    page proves nothing; the cost is one more request, for the empty page."""

    style: Literal["page"] = "page"
    page_param: str = "page"
    size_param: str = "page_size"
    page_size: int = Field(default=100, ge=1)
    first_page: int = Field(default=1, ge=0)
    total_pages_at: str | None = None  # dotted JSON path, e.g. data.total_pages


class LinkPagination(Strict):
    """Follow the response's link to the next page until it is null. A relative link is
    resolved against the URL of the page that carries it (as a browser would); a link to
    another origin (scheme, host or port) than base_url's is refused, since the token
    would go with it."""

    style: Literal["next_link"]
    next_at: str = "next"  # dotted JSON path, e.g. links.next


class NoPagination(Strict):
    style: Literal["none"]


Pagination = Annotated[PagePagination | LinkPagination | NoPagination, Field(discriminator="style")]


class ValueField(Strict):
    """A value field, when the source reports it in another unit than the catalog's."""

    indicator: str
    unit: str | None = None  # e.g. 次 for an indicator kept in 万次


class Endpoint(Strict):
    path: str = Field(min_length=1)
    params: dict[str, str | int | float | bool] = Field(default_factory=dict)
    records_at: str = "data.items"  # dotted JSON path of the record list
    pagination: Pagination = PagePagination()
    period: str = Field(min_length=1)  # record key of the period (2026-10, 2026-10-05, …)
    area: str | None = None  # record key of the area code or name; None: city figures
    values: dict[str, str | ValueField] = Field(min_length=1)  # record key → indicator
    since_param: str | None = None  # query parameter taking the first period wanted

    def value_fields(self) -> dict[str, ValueField]:
        return {
            key: spec if isinstance(spec, ValueField) else ValueField(indicator=spec)
            for key, spec in self.values.items()
        }


class HttpOptions(Strict):
    base_url: str | None = None
    base_url_env: str | None = None
    token_env: str | None = None  # variable holding the token; no header without it
    auth_header: str = "Authorization"
    auth_scheme: str | None = "Bearer"  # header value "<scheme> <token>", or the bare token
    timeout_seconds: float = Field(default=30, gt=0)
    retries: int = Field(default=3, ge=0, le=10)
    backoff_seconds: float = Field(default=1.0, ge=0)  # first wait; doubles per retry
    max_wait_seconds: float = Field(default=60, ge=0)  # cap, Retry-After included
    since_periods_back: int = Field(default=3, ge=0)  # re-read recent periods (revisions)
    # Merged under every endpoint, so the envelope and paging are said once per source.
    endpoint_defaults: dict[str, Any] = Field(default_factory=dict)
    endpoints: tuple[Endpoint, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _apply_endpoint_defaults(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and isinstance(raw.get("endpoints"), list):
            defaults = raw.get("endpoint_defaults") or {}
            endpoints = [
                {**defaults, **entry} if isinstance(entry, dict) else entry
                for entry in raw["endpoints"]
            ]
            return {**raw, "endpoints": endpoints}
        return raw

    @model_validator(mode="after")
    def _one_base_url(self) -> HttpOptions:
        if (self.base_url is None) == (self.base_url_env is None):
            raise ValueError("give exactly one of base_url and base_url_env")
        return self


class HttpSourceError(RuntimeError):
    """The API could not be read; the message names the URL and the status (never the token)."""


Sleep = Callable[[float], None]
MAX_PAGES = 100_000  # a server that ignores the paging would otherwise be read forever


@register("http", HttpOptions, "JSON APIs (数据共享接口), paginated, with a token header")
class HttpConnector:
    def __init__(self, options: HttpOptions, sleep: Sleep = time.sleep) -> None:
        self.options = options
        self.sleep = sleep  # tests record the backoff instead of waiting

    def read(self, context: SourceContext, progress: Progress) -> ReadResult:
        opts = self.options
        base_url = opts.base_url or secret_from_env(opts.base_url_env or "", "base_url_env")
        headers = {"Accept": "application/json"}
        if opts.token_env:
            token = secret_from_env(opts.token_env, "token_env")
            headers[opts.auth_header] = f"{opts.auth_scheme} {token}" if opts.auth_scheme else token
        plans = [
            _plan(endpoint, index, context, opts.since_periods_back)
            for index, endpoint in enumerate(opts.endpoints)
        ]
        result = ReadResult()
        pages_done = 0
        with httpx.Client(base_url=base_url, headers=headers, timeout=opts.timeout_seconds) as c:
            fetcher = Fetcher(c, opts, self.sleep)
            for number, plan in enumerate(plans, start=1):
                is_last = number == len(plans)
                for page in _pages(fetcher, plan):
                    if page.number > MAX_PAGES:
                        raise HttpSourceError(
                            f"GET {redact_url(plan.endpoint.path)}: more than {MAX_PAGES} pages; "
                            "does the server honour the paging options?"
                        )
                    result.extend(plan.parse(page))
                    pages_done += 1
                    known = is_last and page.total is not None
                    total = pages_done - page.number + page.total if known else None
                    progress("read", pages_done, total)
        return result


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


def _pages(fetcher: Fetcher, plan: EndpointPlan) -> Iterator[Page]:
    paging = plan.endpoint.pagination
    if isinstance(paging, PagePagination):
        return _numbered_pages(fetcher, plan.endpoint, plan.params, paging)
    return _linked_pages(fetcher, plan.endpoint, plan.params)


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


# --- records -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    field: str
    indicator: Indicator
    unit: str | None


@dataclass(frozen=True)
class EndpointPlan:
    """One endpoint resolved against the catalog: its indicators and the query to send."""

    endpoint: Endpoint
    targets: tuple[Target, ...]
    params: dict[str, Any]
    context: SourceContext

    def parse(self, page: Page) -> ReadResult:
        result = ReadResult(rows_read=len(page.records))
        for item, record in enumerate(page.records, start=1):
            where = f"GET {redact_url(self.endpoint.path)} page {page.number} item {item}"
            rows, rejection = self._record(record, where)
            result.rows.extend(rows)
            result.rejections.extend(rejection)
        return result

    def _record(self, record: Any, where: str) -> tuple[list[ValueRow], list[Rejection]]:
        if not isinstance(record, dict):
            return [], [Rejection(where, "(record)", str(record)[:80], "not a JSON object")]
        try:
            period = self._period(record)
            area = self._area(record)
        except _Rejected as exc:
            return [], [Rejection(where, *exc.args)]
        rows, rejections = [], []
        for target in self.targets:
            try:
                value = _value(record, target)
            except _Rejected as exc:
                rejections.append(Rejection(where, *exc.args))
                continue
            if value is not None:
                rows.append(ValueRow(target.indicator.code, period.label, area, value, where))
        return rows, rejections

    def _period(self, record: dict[str, Any]) -> Period:
        key = self.endpoint.period
        raw = record.get(key)
        if raw is None:
            raise _Rejected(key, "", "no period")
        try:
            period = Period.parse(str(raw))
        except PeriodError as exc:
            raise _Rejected(key, str(raw), str(exc)) from None
        frequency = self.targets[0].indicator.frequency
        if period.frequency is not frequency:
            raise _Rejected(key, str(raw), f"a {period.frequency} period where {frequency} is due")
        return period

    def _area(self, record: dict[str, Any]) -> str:
        deployment = self.context.catalog.deployment
        if self.endpoint.area is None:
            return deployment.city.code
        raw = record.get(self.endpoint.area)
        area = deployment.find(str(raw)) if raw is not None else None
        if area is None:
            raise _Rejected(self.endpoint.area, "" if raw is None else str(raw), "unknown area")
        return area.code


class _Rejected(Exception):
    """(field, value, reason) of a record that cannot be used."""


def _value(record: dict[str, Any], target: Target) -> float | None:
    if target.field not in record:
        raise _Rejected(target.field, "", "no such field in the record")
    raw = record[target.field]
    try:
        # "0.5%" for a ‰ indicator would be off by 10: a % sign only where the unit is %.
        value = parse_number(raw, allow_percent=target.indicator.unit == "%")
    except CellError as exc:
        raise _Rejected(target.field, str(raw), str(exc)) from None
    if value is None:  # null or a missing mark: not published yet
        return None
    return convert_unit(value, target.unit, target.indicator.unit) if target.unit else value


def _plan(
    endpoint: Endpoint, index: int, context: SourceContext, periods_back: int
) -> EndpointPlan:
    where = f"endpoints[{index}] ({redact_url(endpoint.path)})"
    targets = []
    for key, spec in endpoint.value_fields().items():
        try:
            indicator = context.catalog.get(spec.indicator)
        except UnknownIndicatorError as exc:
            raise ConnectorConfigError(f"{where}: values.{key}: {exc}") from None
        if spec.unit:
            try:
                convert_unit(1.0, spec.unit, indicator.unit)
            except CellError as exc:
                raise ConnectorConfigError(f"{where}: values.{key}: {exc}") from None
        targets.append(Target(key, indicator, spec.unit))
    frequencies = {target.indicator.frequency for target in targets}
    if len(frequencies) > 1:
        raise ConnectorConfigError(
            f"{where}: one period field cannot serve frequencies {sorted(frequencies)}"
        )
    params = dict(endpoint.params)
    since = context.reread_from((t.indicator.code for t in targets), periods_back)
    if since is not None and endpoint.since_param:
        params[endpoint.since_param] = since.label
    return EndpointPlan(endpoint, tuple(targets), params, context)
