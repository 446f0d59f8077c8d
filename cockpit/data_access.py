"""Cached reads behind every page: one catalog, one store, and computed screens kept until
the store's data version moves (a load run finished), so a refresh shows up within
`VERSION_TTL` seconds and nothing is recomputed in between.

The only module of the app that talks to the store; pages call these functions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import NamedTuple

import streamlit as st
from sqlalchemy.exc import NoResultFound

from cockpit.catalog_audit import record_catalog_change
from cockpit.clearance import visible_codes
from cockpit.i18n import Lang
from cockpit.indicator_model import IndicatorDetail, build_detail
from cockpit.screen_model import (
    DistrictView,
    ScreenView,
    build_district_view,
    build_screen,
    screen_values,
)
from cockpit.session import current_principal
from connectors.config import SourcesError, SourcesFile, load_sources, sources_path
from connectors.delivery import DeliveryReport, stored_delivery_report
from connectors.findings import FindingItem, finding_items
from connectors.status import source_freshness
from indicators.freshness import FreshnessReport, IndicatorFreshness
from indicators.overview import overview_since
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from indicators.screens import Screen, load_screens
from indicators.settings import database_url
from indicators.snapshot import SnapshotBuilder, load_snapshot_builder, required_codes
from indicators.store import Finding, LoadRun, MetricStore, Rejection, open_store
from indicators.store.operations import reviews, stored_findings

VERSION_TTL = 15  # seconds between asks whether a load run finished
FRESHNESS_TTL = 300  # the load-age clock moves with time even when no run finishes


@st.cache_resource(show_spinner=False)
def shipped_catalog() -> Catalog:
    """Loaded once per server process; the catalog changes only with a deployment, which
    the audit log records when a server first reads it."""
    record_catalog_change(metric_store().engine, DEFAULT_CATALOG, "app")
    return load_catalog(DEFAULT_CATALOG).catalog


@st.cache_resource(show_spinner=False)
def shipped_screens() -> dict[str, Screen]:
    return load_screens(shipped_catalog(), DEFAULT_CATALOG)


@st.cache_resource(show_spinner=False, on_release=lambda store: store.engine.dispose())
def _store(url: str) -> MetricStore:
    return open_store(url)


def metric_store() -> MetricStore:
    """The store COCKPIT_DATABASE_URL (or COCKPIT_HOME) points at; one per URL and process."""
    return _store(database_url())


class DataVersion(NamedTuple):
    """Which store, and how far its loads have got: a new value means new figures."""

    url: str
    finished_runs: int
    last_finished: datetime | None


@st.cache_data(ttl=VERSION_TTL, show_spinner=False)
def _data_version(url: str) -> DataVersion:
    return DataVersion(url, *_store(url).data_version())


def data_version() -> DataVersion:
    return _data_version(database_url())


@st.cache_data(max_entries=4, show_spinner=False)
def last_successful_load(version: DataVersion) -> datetime | None:
    """When the latest successful load run finished: what "数据更新" means (a failed run
    moves the data version, for freshness, but refreshed nothing)."""
    finished = [ok.finished_at for _, ok in _store(version.url).last_runs().values() if ok]
    return max((f for f in finished if f is not None), default=None)


def refresh_landed() -> None:
    """Forget the cached data version now instead of after VERSION_TTL: for a process that
    just ran a refresh itself (the operators' refresh button) and should show it at once."""
    _data_version.clear()


# The live view's builder and a few look-backs into earlier years.
@st.cache_resource(max_entries=4, show_spinner=False)
def snapshot_builder(version: DataVersion, since: str) -> SnapshotBuilder:
    """The city's and districts' values since `since`, shared by all sessions. Its series
    are computed lazily and memoised in plain dicts without a lock: two sessions may compute
    the same series at once (work done twice), never a different one, as nothing mutates
    a series once stored."""
    catalog = shipped_catalog()
    return SnapshotBuilder(catalog, screen_values(_store(version.url), catalog, since))


def configured_sources() -> tuple[SourcesFile | None, str | None]:
    """The sources file, or None and why it cannot be used (read afresh: operators edit it)."""
    try:
        return load_sources(), None
    except SourcesError as exc:
        return None, str(exc)


def sources_stamp() -> int | None:
    """When the sources file last changed: part of the key of what is computed from it, so
    an edited file shows at once, not after the cache's time-to-live."""
    try:
        return sources_path().stat().st_mtime_ns
    except OSError:
        return None


def freshness_report(version: DataVersion, today: date) -> FreshnessReport:
    """Without a usable sources file every source is judged by the store alone; the
    operators' console says why."""
    return _freshness_report(version, today, sources_stamp())


@st.cache_data(ttl=FRESHNESS_TTL, max_entries=4, show_spinner=False)
def _freshness_report(version: DataVersion, today: date, stamp: int | None) -> FreshnessReport:
    """`stamp` (the sources file's change time) only keys the cache."""
    sources, _ = configured_sources()
    return source_freshness(
        _store(version.url), shipped_catalog(), sources, today, datetime.now(UTC)
    )


def indicator_freshness(version: DataVersion, today: date) -> dict[str, IndicatorFreshness]:
    return freshness_report(version, today).indicators


def session_visible() -> frozenset[str]:
    """The codes the session's user may see (cockpit.clearance)."""
    return visible_codes(shipped_catalog(), current_principal(st.session_state))


def viewer_catalog() -> Catalog:
    """The catalog as the session's user may list, search and pick from it."""
    return shipped_catalog().only(session_visible())


# Kept no longer than the freshness it shows: a source can turn late by load age alone.
@st.cache_data(ttl=FRESHNESS_TTL, max_entries=64, show_spinner=False)
def screen_view(
    version: DataVersion,
    screen_key: str,
    area: str,
    today: date,
    live: bool,
    lang: Lang,
    visible: frozenset[str],
) -> ScreenView:
    """One screen for one area, of the indicators `visible` to the viewer. `today` is the
    live day or the look-back day; `live` adds freshness marks (a look back has nothing
    overdue)."""
    freshness = indicator_freshness(version, today) if live else None
    return build_screen(
        snapshot_builder(version, overview_since(today)),
        shipped_screens()[screen_key],
        area,
        today,
        freshness,
        lang,
        visible,
    )


@st.cache_data(max_entries=64, show_spinner=False)
def district_view(version: DataVersion, code: str, today: date, lang: Lang) -> DistrictView | None:
    return build_district_view(snapshot_builder(version, overview_since(today)), code, today, lang)


# --- the indicator page ---------------------------------------------------------------------
@st.cache_resource(max_entries=8, show_spinner=False)
def indicator_builder(version: DataVersion, code: str) -> SnapshotBuilder:
    """The full history of what `code` is computed from: the drill-down's series reaches
    back further than the overview's years, and one indicator's rows are few."""
    catalog = shipped_catalog()
    return load_snapshot_builder(catalog, _store(version.url), required_codes(catalog, code))


@st.cache_data(max_entries=64, show_spinner=False)
def indicator_detail(
    version: DataVersion,
    code: str,
    area: str | None,
    period: str | None,
    today: date,
    lang: Lang,
    visible: frozenset[str],
) -> IndicatorDetail:
    """One indicator page for a reader cleared for `visible`; `period` None is the latest
    complete period with data, as in `cockpit show`. Raises UnknownIndicatorError or
    DetailError (not cached)."""
    builder = indicator_builder(version, code)
    return build_detail(builder, code, area, period, today, lang, visible)


@st.cache_data(max_entries=64, show_spinner=False)
def load_run(version: DataVersion, run_id: int) -> LoadRun | None:
    """A load run named in a figure's provenance (None if it has since been purged)."""
    try:
        return _store(version.url).run(run_id)
    except NoResultFound:
        return None


# --- the operators' console -------------------------------------------------------------------
@st.cache_data(max_entries=4, show_spinner=False)
def recent_runs(version: DataVersion, limit: int) -> list[LoadRun]:
    """The newest `limit` load runs; a run starting moves nothing, so a running one shows
    once a run finishes or the console's 立即刷新 clears the version."""
    return _store(version.url).runs(limit=limit)


@st.cache_data(max_entries=32, show_spinner=False)
def run_details(url: str, run_id: int) -> tuple[list[Rejection], list[Finding]]:
    """A finished run's rejected rows and findings never change."""
    store = _store(url)
    return store.rejections(run_id), store.findings(run_id)


def current_findings() -> list[FindingItem]:
    """Findings with their review state, read each time: a review changes no data version."""
    engine = metric_store().engine
    return finding_items(stored_findings(engine), reviews(engine))


def delivery_record(version: DataVersion, today: date, months: int) -> DeliveryReport | None:
    """On-time delivery of the configured sources over the last `months` months (None
    without a usable sources file)."""
    return _delivery_record(version, today, months, sources_stamp())


@st.cache_data(ttl=FRESHNESS_TTL, max_entries=4, show_spinner=False)
def _delivery_record(
    version: DataVersion, today: date, months: int, stamp: int | None
) -> DeliveryReport | None:
    sources, _ = configured_sources()
    if sources is None:
        return None
    return stored_delivery_report(
        _store(version.url), shipped_catalog(), sources.sources, today, months
    )
