"""What operators are alerted about, once: a source late, stale or failed, and a quality finding
not yet resolved.

One problem, one alert: `claim_alert` lets one checker (of several processes) send it, and the
next alert for the same problem goes out only when it changes (a late source turns stale, a
finding's severity changes) or comes back after it was resolved. A problem no longer current
is resolved, with a 恢复 notice when `notify_resolved`.

Decisions: a source that never loaded does not alert (configured, not connected yet; `cockpit
status` still shows it). A note (an `info` finding: values of a period not over yet) is never a
problem. An acknowledged finding stays a current problem until it is resolved or disappears,
but is never alerted (known: no new alert, even when it was acknowledged before any check, and
no 恢复); so is a finding last found more than RECENT_FINDINGS ago (alerting switched on over
an established store does not flood the channels with history). When no channel took an
alert, its claim is undone so the next check tries again: the problem's earlier alert, if one
went out and is not resolved, is put back (its 恢复 is still owed), else the record is dropped.
A 恢复 notice that could not be sent is not retried.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine

from connectors.alert_channels import ChannelResult, Notice, deliver
from connectors.alert_config import AlertConfig, load_alerts
from connectors.config import SourceConfig, SourcesFile
from connectors.findings import FindingItem, FindingState, finding_items
from connectors.quality import CHECK_NAMES_ZH
from connectors.status import source_freshness
from indicators.formatting import local_time
from indicators.freshness import FRESHNESS_ZH, Freshness, FreshnessReport, SourceFreshness
from indicators.registry import Catalog
from indicators.store import MetricStore
from indicators.store.operations import (
    RaisedAlert,
    claim_alert,
    forget_alert,
    raised_alerts,
    resolve_alert,
    reviews,
    stored_findings,
)

# A finding alerts only when its latest occurrence was found this recently: switching alerting on
# over a store with months of unresolved findings must not send one alert for each, and a
# finding no load has found for a week is history, not news. Older ones stay current problems
# (listed in the console, never sent a false 恢复) but are never newly alerted.
RECENT_FINDINGS = timedelta(days=7)
SOURCE_SEVERITY = {Freshness.late: "warning", Freshness.stale: "error", Freshness.failed: "error"}
ALERTED_STATUSES = tuple(SOURCE_SEVERITY)

Send = Callable[[AlertConfig, Notice], list[ChannelResult]]


@dataclass(frozen=True)
class Problem:
    key: str  # source:<id> or finding:<finding key>
    fingerprint: str  # what makes it the same problem; a change alerts again
    severity: str  # warning / error
    title: str
    message: str
    source: str
    quiet: bool = False  # current, but never newly alerted (acknowledged, or found long ago)


@dataclass(frozen=True)
class Dispatch:
    """A notice and what each channel made of it (no channels: not sent, by configuration)."""

    notice: Notice
    results: tuple[ChannelResult, ...]

    @property
    def delivered(self) -> bool:
        return any(r.error is None for r in self.results)

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.results if r.error]


@dataclass(frozen=True)
class AlertReport:
    raised: tuple[Dispatch, ...]
    resolved: tuple[Dispatch, ...]
    ongoing: int  # current problems alerted before: nothing sent for them
    quiet: int = 0  # current problems never alerted, on purpose (Problem.quiet)

    @property
    def failed(self) -> bool:
        return any(d.errors for d in (*self.raised, *self.resolved))


def current_problems(
    report: FreshnessReport,
    items: Collection[FindingItem],
    sources: Mapping[str, SourceConfig],
    now: datetime,
    statuses: Collection[str] = ALERTED_STATUSES,
    checks: Collection[str] | None = None,
) -> list[Problem]:
    """Sources in one of `statuses`, then findings open or acknowledged of `checks` (None:
    all), notes never; acknowledged ones and those last found before `now` - RECENT_FINDINGS
    are quiet. `sources` supplies names, owners and contacts; a source not in it is named by
    id."""
    problems = [
        _source_problem(entry, sources.get(entry.source))
        for entry in report.sources
        if entry.status in SOURCE_SEVERITY and entry.status in statuses
    ]
    problems += [
        _finding_problem(item, sources.get(item.latest.source), now)
        for item in items
        if item.state is not FindingState.resolved
        and not item.is_note
        and (checks is None or item.latest.check_name in checks)
    ]
    return problems


def _source_problem(entry: SourceFreshness, config: SourceConfig | None) -> Problem:
    return Problem(
        key=f"source:{entry.source}",
        fingerprint=entry.status.value,
        severity=SOURCE_SEVERITY[entry.status],
        title=f"数据源{_label(entry.source, config)}{FRESHNESS_ZH[entry.status]}",
        message="；".join([*_responsible(config), f"原因：{source_reason(entry)}"]),
        source=entry.source,
    )


def source_reason(entry: SourceFreshness) -> str:
    """Why a source is not fresh, in Chinese, from the structured state (the English
    `SourceFreshness.reason` is for `cockpit status`)."""
    if entry.load_clock is Freshness.failed:
        return f"最近一次加载失败：{entry.runs.last_message or '无错误信息'}"
    if entry.load_clock is Freshness.never:
        return "从未成功加载"
    if entry.load_clock is not Freshness.fresh:
        return f"超过时限未成功加载，最近一次成功加载于 {local_time(entry.runs.last_success_at)}"
    behind = [i for i in entry.indicators if i.status is not Freshness.fresh]
    if not behind:
        return "各期数据均已到"
    first = behind[0]
    latest = f"最新 {first.latest}" if first.latest else "尚无数据"
    return f"{len(behind)} 项指标滞后，如 {first.code}：{latest}，应有 {first.expected}"


def _finding_problem(item: FindingItem, config: SourceConfig | None, now: datetime) -> Problem:
    finding = item.latest
    check = CHECK_NAMES_ZH.get(finding.check_name, finding.check_name)
    about = " ".join(p for p in (finding.indicator_code, finding.area, finding.period) if p)
    return Problem(
        key=f"finding:{item.key}",
        fingerprint=f"{finding.severity}:{finding.check_name}",  # the message carries numbers
        severity=finding.severity,
        title=f"数据源{_label(finding.source, config)}质量检查：{check} {about}".rstrip(),
        message="；".join([f"说明：{finding.message}", *_responsible(config)]),
        source=finding.source,
        quiet=item.state is FindingState.acknowledged or now - finding.found_at > RECENT_FINDINGS,
    )


def _label(source: str, config: SourceConfig | None) -> str:
    return f"{config.name_zh}（{source}）" if config else source


def _responsible(config: SourceConfig | None) -> list[str]:
    """Whom to call: the owner bureau (报送单位) and the contact, where known."""
    if config is None:
        return []
    return [f"报送单位：{config.owner}"] + ([f"联系人：{config.contact}"] if config.contact else [])


def check_alerts(
    store: MetricStore,
    catalog: Catalog,
    sources: SourcesFile | None,
    config: AlertConfig,
    today: date,
    now: datetime,
    send: Send = deliver,
) -> AlertReport:
    """Alert new and changed problems, resolve those gone; never raises for a channel."""
    engine = store.engine
    # What was raised is read before the store is judged: an alert another checker raises
    # after this point is about a state this check has not seen, and must not be resolved here.
    raised = {alert.problem_key: alert for alert in raised_alerts(engine)}
    problems = current_problems(
        source_freshness(store, catalog, sources, today, now),
        finding_items(stored_findings(engine), reviews(engine)),
        {s.id: s for s in sources.sources} if sources else {},
        now,
        config.statuses,
        config.checks,
    )
    sent = tuple(
        _raise(engine, config, problem, raised.get(problem.key), now, send)
        for problem in problems
        if not problem.quiet
        and claim_alert(engine, problem.key, problem.fingerprint, problem.title)
    )
    current = {p.key for p in problems}
    resolved = tuple(
        _resolved(config, alert, now, send)
        for key, alert in raised.items()
        if key not in current and resolve_alert(engine, key)
    )
    quiet = sum(1 for p in problems if p.quiet and p.key not in raised)
    return AlertReport(sent, resolved, len(problems) - len(sent) - quiet, quiet)


def _raise(
    engine: Engine,
    config: AlertConfig,
    problem: Problem,
    earlier: RaisedAlert | None,
    now: datetime,
    send: Send,
) -> Dispatch:
    """Send the alert just claimed; when no channel took it, undo the claim (the next check
    tries again), putting back the `earlier` alert of the problem whose 恢复 is still owed."""
    notice = Notice(
        "raised", problem.key, problem.severity, problem.title, problem.message, problem.source, now
    )
    dispatch = Dispatch(notice, tuple(send(config, notice)))
    if not dispatch.delivered:
        forget_alert(engine, problem.key, earlier)
    return dispatch


def _resolved(config: AlertConfig, alert: RaisedAlert, now: datetime, send: Send) -> Dispatch:
    """The 恢复 notice of `alert` (its stored message is the problem's title)."""
    key = alert.problem_key
    notice = Notice(
        "resolved",
        key,
        "info",
        alert.message,
        f"问题已解除（告警发出于 {local_time(alert.raised_at)}）",
        key.partition(":")[2].split("|")[0],  # source:<id>, finding:<id>|check|…
        now,
    )
    return Dispatch(notice, tuple(send(config, notice)) if config.notify_resolved else ())


def check_if_configured(
    store: MetricStore, catalog: Catalog, sources: SourcesFile | None, today: date, now: datetime
) -> AlertReport | None:
    """The check after a load (`cockpit refresh`, the console's buttons): None when no alerts
    file exists (alerting is off); AlertsError when the file cannot be used."""
    config = load_alerts()
    return None if config is None else check_alerts(store, catalog, sources, config, today, now)
