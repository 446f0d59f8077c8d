"""Options of the `http` kind: which endpoints to read and which JSON key holds what.

Kept apart from the connector so the transport (connectors.http_client) can follow the paging
options without importing the connector that uses it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from connectors.config import Strict


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
