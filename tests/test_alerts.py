"""Alerts reach operators once per problem, through a real HTTP receiver and a real SMTP server
(aiosmtpd): raised when a source turns late, stale or failed or a quality check fires, again only
when the problem changes, 恢复 when it is gone, and retried when no channel took it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import update
from typer.testing import CliRunner

from cockpit.cli import app
from connectors.alert_channels import Notice, send_email, send_webhook
from connectors.alert_config import AlertConfig, load_alerts
from connectors.alerts import AlertReport, check_alerts
from connectors.config import SourcesFile
from indicators.model import Frequency
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.settings import local_today
from indicators.store import Finding, MetricStore, ValueRow, open_store
from indicators.store.operations import raised_alerts, review_finding
from indicators.store.schema import load_run
from tests import refresh_kinds  # noqa: F401  (registers the inline kind)
from tests.cockpit_process import free_port
from tests.conftest import FIXTURE_CATALOG

TODAY = date(2026, 10, 20)  # T_ORDERS and T_CLOSED of 2026-09 are due (lag 2 days) and present
HOTLINE = {
    "id": "hotline_db",
    "name_zh": "12345热线工单系统",
    "owner": "市热线中心",
    "contact": "王工 0571-8888 1234",
    "kind": "inline",
}
SOURCES = SourcesFile(sources=[HOTLINE], base_dir=Path())
LABEL = "数据源12345热线工单系统（hotline_db）"
RESPONSIBLE = "报送单位：市热线中心；联系人：王工 0571-8888 1234"
SENDER, RECIPIENTS = "cockpit@example.gov.cn", ["duty@example.gov.cn", "ops@example.gov.cn"]


def month_rows(period: str) -> list[tuple[str, str, str, int]]:
    return [
        (code, period, area, value)
        for code, value in (("T_ORDERS", 120), ("T_CLOSED", 100))
        for area in ("city", "east", "west")
    ]


def jump(area: str = "east", period: str = "2026-09", severity: str = "warning") -> Finding:
    message = f"受理件数 {area} {period}: 500 against a usual change of ±20"
    return Finding("jump", severity, message, "T_ORDERS", area, period)


# --- a real webhook receiver and a real SMTP server ---------------------------------------------
@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST and answers `status` with `answer`."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.status = 200
        self.answer: dict[str, Any] = {"ok": True}
        self.extra_headers: dict[str, str] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.requests.append(Received(self.path, dict(self.headers), body))
                answer = json.dumps(receiver.answer).encode()
                self.send_response(receiver.status)
                for name, value in receiver.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@dataclass(frozen=True)
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class Mailbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    @property
    def subjects(self) -> list[str]:
        return [m.message["Subject"] for m in self.mails]


def smtp_server(mailbox: Mailbox, **options: Any) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = smtp_server(box)
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path / "home"))
    for variable in ("COCKPIT_ALERTS", "COCKPIT_TIMEZONE", "COCKPIT_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)


def configure(tmp_path: Path, **sections: Any) -> AlertConfig:
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump(sections, allow_unicode=True), encoding="utf-8")
    config = load_alerts(path)
    assert config is not None
    return config


@pytest.fixture
def config(tmp_path: Path, receiver: Receiver, mailbox: Mailbox) -> AlertConfig:
    email = {"host": "127.0.0.1", "port": mailbox.port, "sender": SENDER, "recipients": RECIPIENTS}
    return configure(tmp_path, webhook={"url": receiver.url}, email=email)


# --- store states -------------------------------------------------------------------------------
def failed_load(store: MetricStore) -> None:
    store.fail_run(store.start_run("hotline_db"), "connection refused")


def good_load(store: MetricStore, *findings: Finding, period: str = "2026-09") -> None:
    rows = [ValueRow(*row) for row in month_rows(period)]
    store.write_run(store.start_run("hotline_db"), rows, findings=findings)


def last_success(store: MetricStore) -> datetime:
    finished = next(r.finished_at for r in store.runs("hotline_db") if r.status == "succeeded")
    assert finished is not None
    return finished


def age_runs(store: MetricStore, days: int) -> None:
    """Move every run so far `days` into the past (a store with history)."""
    with store.engine.begin() as conn:
        for run in store.runs():
            assert run.finished_at is not None
            when = run.finished_at - timedelta(days=days)
            conn.execute(update(load_run).where(load_run.c.id == run.id).values(finished_at=when))


def check(
    store: MetricStore, catalog: Catalog, config: AlertConfig, hours: float = 0
) -> AlertReport:
    """A check `hours` after now (the load-age clock), on TODAY (the period clock)."""
    now = datetime.now(UTC) + timedelta(hours=hours)
    return check_alerts(store, catalog, SOURCES, config, TODAY, now)


def beijing(moment: datetime) -> str:
    return f"{moment.astimezone(UTC) + timedelta(hours=8):%Y-%m-%d %H:%M} 北京时间"


# --- raised once, on every channel, with the right words ----------------------------------------
def test_a_failed_source_alerts_once_on_each_channel(
    store, tiny_catalog, config, receiver, mailbox
) -> None:
    failed_load(store)
    now = datetime(2026, 10, 20, 1, 30, tzinfo=UTC)
    report = check_alerts(store, tiny_catalog, SOURCES, config, TODAY, now)

    # env_api and stats_files of the catalog never loaded (not connected): no alert for them
    [dispatch] = report.raised
    assert [r.error for r in dispatch.results] == [None, None]
    title = f"{LABEL}加载失败"
    message = f"{RESPONSIBLE}；原因：最近一次加载失败：connection refused"
    [hook] = receiver.requests
    assert hook.path == "/hook" and hook.headers["Content-Type"] == "application/json"
    assert hook.body == {
        "event": "raised",
        "key": "source:hotline_db",
        "severity": "error",
        "title": title,
        "message": message,
        "source": "hotline_db",
        "time": "2026-10-20T09:30:00+08:00",
        "text": f"【驾驶舱告警】{title}：{message}",
    }
    [mail] = mailbox.mails
    assert (mail.mail_from, mail.rcpt_tos) == (SENDER, RECIPIENTS)
    assert mail.message["Subject"] == f"【驾驶舱告警】{title}"
    assert mail.message["From"] == f"政务驾驶舱 <{SENDER}>"
    assert mail.message["To"] == ", ".join(RECIPIENTS)
    assert mail.message.get_content().splitlines() == [
        title,
        message,
        "",
        "时间：2026-10-20 09:30 北京时间",
        "数据源：hotline_db",
        "问题标识：source:hotline_db",
        "级别：error",
        "",
        "—— 政务驾驶舱自动发送，请勿直接回复",
    ]

    again = check(store, tiny_catalog, config)
    assert (again.raised, again.resolved, again.ongoing) == ((), (), 1)
    assert len(receiver.requests) == 1 and len(mailbox.mails) == 1


def test_late_then_stale_alerts_twice_and_fresh_again_sends_one_resolved_notice(
    store, tiny_catalog, config, receiver, mailbox
) -> None:
    good_load(store)
    loaded = last_success(store)
    assert check(store, tiny_catalog, config).raised == ()  # fresh
    check(store, tiny_catalog, config, hours=49)  # past late_after_hours (48)
    check(store, tiny_catalog, config, hours=60)  # still late: nothing new
    check(store, tiny_catalog, config, hours=169)  # past stale_after_hours (168)
    [raised] = raised_alerts(store.engine)
    good_load(store)
    resolved = check(store, tiny_catalog, config)
    check(store, tiny_catalog, config)

    late, stale = f"{LABEL}迟报", f"{LABEL}超期"
    assert [(b["event"], b["severity"], b["title"]) for b in receiver.bodies] == [
        ("raised", "warning", late),
        ("raised", "error", stale),
        ("resolved", "info", stale),
    ]
    assert receiver.bodies[0]["message"] == (
        f"{RESPONSIBLE}；原因：超过时限未成功加载，最近一次成功加载于 {beijing(loaded)}"
    )
    [notice] = [d.notice for d in resolved.resolved]
    assert notice.message == f"问题已解除（告警发出于 {beijing(raised.raised_at)}）"
    assert receiver.bodies[2]["text"] == f"【驾驶舱恢复】{stale}：{notice.message}"
    assert mailbox.subjects == [
        f"【驾驶舱告警】{late}",
        f"【驾驶舱告警】{stale}",
        f"【驾驶舱恢复】{stale}",
    ]
    assert raised_alerts(store.engine) == []


def test_a_quality_finding_alerts_once_acknowledged_stays_quiet_resolved_sends_a_notice(
    store, tiny_catalog, config, receiver, mailbox
) -> None:
    good_load(store, jump())
    check(store, tiny_catalog, config)
    key = "hotline_db|jump|T_ORDERS|east|2026-09"
    title = f"{LABEL}质量检查：异常跳变 T_ORDERS east 2026-09"
    assert receiver.bodies == [
        {
            "event": "raised",
            "key": f"finding:{key}",
            "severity": "warning",
            "title": title,
            "message": f"说明：受理件数 east 2026-09: 500 against a usual change of ±20；{RESPONSIBLE}",
            "source": "hotline_db",
            "time": receiver.bodies[0]["time"],
            "text": f"【驾驶舱告警】{title}：说明：受理件数 east 2026-09: 500 against a usual change of ±20；{RESPONSIBLE}",
        }
    ]

    review_finding(store.engine, key, "acknowledged", "值班员")
    good_load(store, jump())  # the next load finds it again: still the same, known item
    acknowledged = check(store, tiny_catalog, config)
    assert (acknowledged.raised, acknowledged.resolved, acknowledged.ongoing) == ((), (), 1)

    review_finding(store.engine, key, "resolved", "值班员", "源数据已更正")
    check(store, tiny_catalog, config)
    check(store, tiny_catalog, config)
    assert [(b["event"], b["key"], b["title"]) for b in receiver.bodies] == [
        ("raised", f"finding:{key}", title),
        ("resolved", f"finding:{key}", title),
    ]
    assert mailbox.subjects == [f"【驾驶舱告警】{title}", f"【驾驶舱恢复】{title}"]


def test_a_finding_that_turns_into_an_error_alerts_again(
    store, tiny_catalog, config, receiver
) -> None:
    good_load(store, jump())
    check(store, tiny_catalog, config)
    good_load(store, jump(severity="error"))
    check(store, tiny_catalog, config)
    assert [b["severity"] for b in receiver.bodies] == ["warning", "error"]


def test_a_source_behind_on_periods_says_which_in_chinese(
    store, tiny_catalog, config, receiver
) -> None:
    good_load(store, period="2026-08")  # loaded just now, but 2026-09 was due on 10-02
    [dispatch] = check(store, tiny_catalog, config).raised
    assert dispatch.notice.message == (
        f"{RESPONSIBLE}；原因：2 项指标滞后，如 T_CLOSED：最新 2026-08，应有 2026-09"
    )


# --- what never alerts: notes, known findings, history -----------------------------------------
def test_a_note_of_a_period_not_over_yet_is_never_a_problem(
    store, tiny_catalog, config, receiver, mailbox
) -> None:
    note = Finding(
        "partial_period",
        "info",
        "3 value(s) of a period not over yet, not loaded",
        "T_ORDERS",
        None,
        "2026-10",
    )
    good_load(store, note)
    report = check(store, tiny_catalog, config)
    assert receiver.requests == [] and mailbox.mails == [] and raised_alerts(store.engine) == []
    assert (report.raised, report.resolved, report.ongoing, report.quiet) == ((), (), 0, 0)


def test_a_finding_acknowledged_before_any_check_is_never_alerted(
    store, tiny_catalog, config, receiver, mailbox
) -> None:
    """Acknowledged before alerting was switched on (or before the first check): known."""
    good_load(store, jump())
    key = "hotline_db|jump|T_ORDERS|east|2026-09"
    review_finding(store.engine, key, "acknowledged", "值班员")
    first = check(store, tiny_catalog, config)
    assert receiver.requests == [] and raised_alerts(store.engine) == []
    assert (first.raised, first.resolved, first.ongoing, first.quiet) == ((), (), 0, 1)
    good_load(store, jump(severity="error"))  # found again, worse: still known
    assert check(store, tiny_catalog, config).raised == ()

    review_finding(store.engine, key, "resolved", "值班员")
    gone = check(store, tiny_catalog, config)
    assert (gone.raised, gone.resolved, gone.quiet) == ((), (), 0)  # never alerted: no 恢复
    assert receiver.requests == [] and mailbox.mails == []


def test_only_findings_found_recently_alert_older_ones_stay_current(
    store, tiny_catalog, config, receiver
) -> None:
    """Alerting switched on over a store with history does not send its backlog."""
    good_load(store, jump("east"))
    check(store, tiny_catalog, config)  # east alerted while it was news
    good_load(store, jump("west"))  # west comes before alerting notices it…
    age_runs(store, days=30)  # …and both are a month old now
    good_load(store, jump("city"))

    report = check(store, tiny_catalog, config)
    assert [d.notice.key for d in report.raised] == [
        "finding:hotline_db|jump|T_ORDERS|city|2026-09"
    ]
    assert report.resolved == ()  # east is old, not gone: no 恢复
    assert (report.ongoing, report.quiet) == (1, 1)  # east alerted before; west held back
    assert [b["key"] for b in receiver.bodies] == [
        "finding:hotline_db|jump|T_ORDERS|east|2026-09",
        "finding:hotline_db|jump|T_ORDERS|city|2026-09",
    ]
    assert {a.problem_key.split("|")[3] for a in raised_alerts(store.engine)} == {"east", "city"}


# --- failures: reported, retried when nobody was told --------------------------------------------
def test_a_receiver_answering_500_is_reported_and_the_alert_is_retried(
    store, tiny_catalog, tmp_path, receiver
) -> None:
    config = configure(tmp_path, webhook={"url": receiver.url})
    failed_load(store)
    receiver.status = 500
    report = check(store, tiny_catalog, config)
    assert report.failed
    assert report.raised[0].errors == [f"webhook {receiver.url}: HTTP 500 Internal Server Error"]
    assert raised_alerts(store.engine) == []  # forgotten: the next check tries again

    receiver.status = 200
    retried = check(store, tiny_catalog, config)
    assert not retried.failed and len(retried.raised) == 1
    assert check(store, tiny_catalog, config).raised == ()
    assert [b["key"] for b in receiver.bodies] == ["source:hotline_db"] * 2


def test_a_change_nobody_was_told_of_keeps_the_earlier_alert_so_its_recovery_is_sent(
    store, tiny_catalog, tmp_path, receiver
) -> None:
    config = configure(tmp_path, webhook={"url": receiver.url})
    good_load(store)
    check(store, tiny_catalog, config, hours=49)  # late, delivered
    [late] = raised_alerts(store.engine)
    receiver.status = 500
    assert check(store, tiny_catalog, config, hours=169).failed  # stale, not delivered
    assert raised_alerts(store.engine) == [late]  # the late alert is still owed its 恢复

    receiver.status = 200
    good_load(store)
    [resolved] = check(store, tiny_catalog, config).resolved
    assert resolved.delivered
    assert [(b["event"], b["title"]) for b in receiver.bodies] == [
        ("raised", f"{LABEL}迟报"),
        ("raised", f"{LABEL}超期"),
        ("resolved", f"{LABEL}迟报"),
    ]
    assert receiver.bodies[2]["message"] == f"问题已解除（告警发出于 {beijing(late.raised_at)}）"
    assert raised_alerts(store.engine) == []


def test_one_channel_taking_the_alert_is_enough_not_to_retry(
    store, tiny_catalog, config, receiver, mailbox
) -> None:
    failed_load(store)
    receiver.status = 500
    report = check(store, tiny_catalog, config)
    assert report.failed and len(report.raised[0].errors) == 1
    receiver.status = 200
    assert check(store, tiny_catalog, config).raised == ()
    assert len(receiver.requests) == 1 and len(mailbox.mails) == 1


def test_two_checkers_at_once_send_each_alert_exactly_once(
    store, store_url, tiny_catalog, config, receiver, mailbox
) -> None:
    good_load(
        store,
        *(jump(area, period) for area in ("east", "west") for period in ("2026-08", "2026-09")),
    )
    failed_load(store)  # five problems: the failed source and four findings
    other = open_store(store_url)  # a second process's store
    barrier = threading.Barrier(2)
    reports: list[AlertReport] = []

    def run(on: MetricStore) -> None:
        barrier.wait()
        reports.append(check(on, tiny_catalog, config))

    threads = [threading.Thread(target=run, args=(s,)) for s in (store, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.engine.dispose()

    assert len(reports) == 2
    assert sum(len(r.raised) for r in reports) == 5
    keys = [b["key"] for b in receiver.bodies]
    assert len(keys) == 5 and len(set(keys)) == 5
    assert len(mailbox.mails) == 5


# --- what is configured to alert -----------------------------------------------------------------
def test_only_the_statuses_and_checks_configured_alert_and_resolved_notices_can_be_off(
    store, tiny_catalog, tmp_path, receiver
) -> None:
    config = configure(
        tmp_path,
        webhook={"url": receiver.url},
        statuses=["stale", "failed"],
        checks=["range"],
        notify_resolved=False,
    )
    good_load(store, jump())
    assert check(store, tiny_catalog, config, hours=49).raised == ()  # late; a jump
    stale = check(store, tiny_catalog, config, hours=169)
    assert [d.notice.title for d in stale.raised] == [f"{LABEL}超期"]
    good_load(store)
    fresh = check(store, tiny_catalog, config)
    assert [(d.notice.event, d.results) for d in fresh.resolved] == [("resolved", ())]
    assert len(receiver.requests) == 1


# --- the channels ------------------------------------------------------------------------------
NOTICE = Notice(
    "raised", "source:x", "error", "数据源x加载失败", "原因：timeout", "x", datetime.now(UTC)
)


def test_a_robot_webhook_gets_the_robots_body_and_its_refusal_is_a_failure(
    tmp_path, receiver
) -> None:
    webhook = configure(tmp_path, webhook={"url": receiver.url, "format": "robot"}).webhook
    assert webhook is not None
    assert send_webhook(webhook, NOTICE) is None
    assert receiver.bodies == [
        {"msgtype": "text", "text": {"content": "【驾驶舱告警】数据源x加载失败：原因：timeout"}}
    ]
    receiver.answer = {"errcode": 310000, "errmsg": "keywords not in content"}
    assert send_webhook(webhook, NOTICE) == (
        f"webhook {receiver.url}: refused: errcode 310000: keywords not in content"
    )


def test_a_webhook_redirect_is_not_followed(tmp_path, receiver) -> None:
    webhook = configure(tmp_path, webhook={"url": receiver.url}).webhook
    assert webhook is not None
    receiver.status = 307
    receiver.extra_headers = {"Location": "http://203.0.113.9/collect"}
    assert send_webhook(webhook, NOTICE) == (
        f"webhook {receiver.url}: HTTP 307 redirect (redirects are not followed)"
    )
    assert len(receiver.requests) == 1


def test_a_webhook_secret_from_the_environment_is_sent_and_never_shown(
    tmp_path, receiver, monkeypatch
) -> None:
    monkeypatch.setenv("ALERT_HOOK_URL", f"{receiver.url}?access_token=s3cr3t")
    monkeypatch.setenv("ALERT_HOOK_AUTH", "Bearer t0k3n")
    monkeypatch.setenv("HOOK_KEY", "k3y")
    monkeypatch.setenv("HOOK_TOKEN", "t0k3n2")
    webhook = configure(
        tmp_path,
        webhook={
            "url_env": "ALERT_HOOK_URL",
            "headers": {"X-Team": "duty"},
            "headers_env": {
                "Authorization": "ALERT_HOOK_AUTH",
                "X-Api-Key": "HOOK_KEY",
                "X-Api-Token": "HOOK_TOKEN",
            },
        },
    ).webhook
    assert webhook is not None
    receiver.status = 502
    error = send_webhook(webhook, NOTICE)
    assert error == "webhook $ALERT_HOOK_URL: HTTP 502 Bad Gateway"
    [hook] = receiver.requests
    assert hook.path == "/hook?access_token=s3cr3t"
    assert (hook.headers["Authorization"], hook.headers["X-Team"]) == ("Bearer t0k3n", "duty")
    assert (hook.headers["X-Api-Key"], hook.headers["X-Api-Token"]) == ("k3y", "t0k3n2")


def test_a_webhook_nobody_answers_is_one_line(tmp_path) -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    webhook = configure(tmp_path, webhook={"url": url, "timeout_seconds": 2}).webhook
    assert webhook is not None
    error = send_webhook(webhook, NOTICE)
    assert error is not None and error.startswith(f"webhook {url}: ConnectError: ")
    assert "\n" not in error


def test_email_logs_in_with_the_password_from_the_environment(tmp_path, monkeypatch) -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:  # type: ignore[no-untyped-def]
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"p@ss", handled=False)

    box = Mailbox()
    controller = smtp_server(
        box,
        authenticator=authenticator,
        auth_require_tls=False,
        auth_exclude_mechanism=["LOGIN"],  # one attempt (PLAIN): smtplib tries every mechanism
    )
    try:
        section = {"host": "127.0.0.1", "port": controller.port, "sender": SENDER}
        login = {"username": "cockpit", "password_env": "SMTP_PASSWORD"}
        monkeypatch.setenv("SMTP_PASSWORD", "p@ss")
        email = configure(tmp_path, email={**section, "recipients": RECIPIENTS, **login}).email
        assert email is not None
        assert send_email(email, NOTICE) is None
        monkeypatch.setenv("SMTP_PASSWORD", "wrong")
        error = send_email(email, NOTICE)
    finally:
        controller.stop()
    assert logins == [(b"cockpit", b"p@ss"), (b"cockpit", b"wrong")]
    assert [m.message["Subject"] for m in box.mails] == ["【驾驶舱告警】数据源x加载失败"]
    assert error is not None and error.startswith(
        f"email via 127.0.0.1:{controller.port}: SMTPAuthenticationError: (535"
    )
    assert "wrong" not in error and "\n" not in error


def test_email_with_a_password_that_is_not_ascii_is_a_one_line_failure(
    tmp_path, monkeypatch
) -> None:
    def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:  # type: ignore[no-untyped-def]
        return AuthResult(success=True, handled=False)

    box = Mailbox()
    controller = smtp_server(
        box, authenticator=authenticator, auth_require_tls=False, auth_exclude_mechanism=["LOGIN"]
    )
    try:
        section = {"host": "127.0.0.1", "port": controller.port, "sender": SENDER}
        login = {"username": "cockpit", "password_env": "SMTP_PASSWORD"}
        monkeypatch.setenv("SMTP_PASSWORD", "密码pässwort")
        email = configure(tmp_path, email={**section, "recipients": RECIPIENTS, **login}).email
        assert email is not None
        error = send_email(email, NOTICE)
    finally:
        controller.stop()
    assert error == (
        f"email via 127.0.0.1:{controller.port}: UnicodeEncodeError: "
        "a user name, password or address is not ASCII"
    )
    assert box.mails == []


def test_email_with_a_line_break_in_its_subject_is_a_one_line_failure(mailbox, tmp_path) -> None:
    section = {"host": "127.0.0.1", "port": mailbox.port, "sender": SENDER}
    email = configure(tmp_path, email={**section, "recipients": RECIPIENTS}).email
    assert email is not None
    error = send_email(email, replace(NOTICE, title="数据源x\r\n加载失败"))
    assert error == (
        f"email via 127.0.0.1:{mailbox.port}: ValueError: "
        "Header values may not contain linefeed or carriage return characters"
    )
    assert mailbox.mails == []


# --- the command line ----------------------------------------------------------------------------
@pytest.fixture
def home(tmp_path: Path) -> Path:
    """COCKPIT_HOME with the hotline source (failing when refreshed) and an embedded store."""
    home = tmp_path / "home"
    home.mkdir()
    source = {**HOTLINE, "options": {"error": "connection refused"}}
    (home / "sources.yaml").write_text(
        yaml.safe_dump({"sources": [source]}, allow_unicode=True), encoding="utf-8"
    )
    return home


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, [*args, "--catalog", str(FIXTURE_CATALOG)])


def write_alerts(home: Path, receiver: Receiver) -> None:
    (home / "alerts.yaml").write_text(f"webhook:\n  url: {receiver.url}\n", encoding="utf-8")


def test_alerts_check_without_an_alerts_file_is_an_error(home) -> None:
    result = cli("alerts", "check")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {home / 'alerts.yaml'}: no alerts file; alerting is off (see README, Alerts)\n"
    )


def test_alerts_check_prints_what_it_sent_and_exits_1_when_a_channel_failed(home, receiver) -> None:
    write_alerts(home, receiver)
    store = open_store()
    failed_load(store)
    store.engine.dispose()
    title = f"【驾驶舱告警】{LABEL}加载失败"

    receiver.status = 500
    failed = cli("alerts", "check")
    assert failed.exit_code == 1
    assert (
        failed.stdout
        == f"告警 raised: {title} → not sent\nalerts: 1 raised, 0 resolved, 0 already alerted, 0 not alerted (acknowledged or old)\n"
    )
    assert failed.stderr == (
        f"alert failed: source:hotline_db: webhook {receiver.url}: HTTP 500 Internal Server Error\n"
    )
    receiver.status = 200
    sent = cli("alerts", "check")
    assert sent.exit_code == 0
    assert (
        sent.stdout
        == f"告警 raised: {title} → webhook\nalerts: 1 raised, 0 resolved, 0 already alerted, 0 not alerted (acknowledged or old)\n"
    )
    quiet = cli("alerts", "check")
    assert (
        quiet.stdout
        == "alerts: 0 raised, 0 resolved, 1 already alerted, 0 not alerted (acknowledged or old)\n"
    )
    assert len(receiver.requests) == 2


def test_alerts_test_sends_one_test_message(home, receiver) -> None:
    write_alerts(home, receiver)
    result = CliRunner().invoke(app, ["alerts", "test"])
    assert result.exit_code == 0
    assert result.stdout == "测试 test: 【驾驶舱测试】告警通道测试 test alert → webhook\n"
    [body] = receiver.bodies
    assert (body["event"], body["key"], body["severity"]) == ("test", "test", "info")
    assert body["text"] == (
        "【驾驶舱测试】告警通道测试 test alert：这是一条测试消息，收到即表示告警通道畅通。"
        "This is a test of the cockpit's alert channel."
    )


def test_a_bad_alerts_file_is_one_line_naming_file_and_field(home) -> None:
    (home / "alerts.yaml").write_text("webhook:\n  url: 'https://x/?token=abc'\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["alerts", "test"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {home / 'alerts.yaml'}: webhook.url: the URL carries a secret; give it through url_env\n"
    )


def test_refresh_checks_alerts_when_configured_without_changing_its_exit_code(
    home, receiver
) -> None:
    plain = cli("refresh", "--progress", "none")
    assert plain.exit_code == 1 and "alerts:" not in plain.stdout  # no alerts file: off

    write_alerts(home, receiver)
    failing = cli("refresh", "--progress", "none")
    assert failing.exit_code == 1  # the source failed, as before
    assert f"告警 raised: 【驾驶舱告警】{LABEL}加载失败 → webhook" in failing.stdout

    month = Period.latest_complete(Frequency.month, local_today()).label
    repeated = [*month_rows(month), ("T_ORDERS", month, "east", 120)]  # noted as a duplicate
    source = {**HOTLINE, "options": {"rows": repeated}}
    (home / "sources.yaml").write_text(
        yaml.safe_dump({"sources": [source]}, allow_unicode=True), encoding="utf-8"
    )
    receiver.status = 500
    loaded = cli("refresh", "--progress", "none")
    assert loaded.exit_code == 0  # the refresh succeeded; only the alert failed
    assert f"恢复 resolved: 【驾驶舱恢复】{LABEL}加载失败 → not sent" in loaded.stdout
    finding = f"finding:hotline_db|duplicate|T_ORDERS|east|{month}"
    assert (
        f"alert failed: {finding}: webhook {receiver.url}: HTTP 500 Internal Server Error"
        in loaded.stderr
    )

    (home / "alerts.yaml").write_text("webhook: {url: 'hooks.example'}\n", encoding="utf-8")
    misconfigured = cli("refresh", "--progress", "none")
    assert misconfigured.exit_code == 0
    assert misconfigured.stderr == (
        f"alerts not checked: {home / 'alerts.yaml'}: webhook.url: must start with http:// or https://\n"
    )
