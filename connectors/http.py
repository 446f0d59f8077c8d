"""The `http` connector: a bureau's JSON data-sharing API (数据共享接口), read page by page.

Each endpoint returns records that carry a period, usually an area, and one or more value
fields; the options (connectors.http_options) say which JSON key holds which and which
indicator each value field feeds; fetching, retries and paging are connectors.http_client's.
A record that cannot be used becomes a Rejection naming the page, item and field; a null
value means the bureau has not published it yet and is skipped. With `since_param`, only
periods from a few before the latest stored one are asked for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from connectors.base import Progress, ReadResult, Rejection, SourceContext, ValueRow
from connectors.cells import CellError, convert_unit, parse_number
from connectors.config import secret_from_env
from connectors.http_client import Fetcher, HttpSourceError, Page, Sleep, pages, redact_url
from connectors.http_options import Endpoint, HttpOptions
from connectors.registry import ConnectorConfigError, register
from indicators.model import Indicator
from indicators.periods import Period, PeriodError
from indicators.registry import UnknownIndicatorError

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
                for page in pages(fetcher, plan.endpoint, plan.params):
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
            # its type, not its text: a record may hold figures of any indicator
            kind = type(record).__name__
            return [], [Rejection(where, "(record)", kind, f"not a JSON object but a {kind}")]
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
                rejections.append(Rejection(where, *exc.args, target.indicator.code))
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
