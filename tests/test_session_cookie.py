"""The signed sign-in cookie that keeps a local sign-in across page loads, on every store
backend: it stands for its user only while signed with the site's secret, young enough, the
account unchanged and enabled, and the user not signed out since."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.accounts import hash_password
from cockpit.session import Principal, Role
from cockpit.session_cookie import (
    KEY_FILE,
    SessionLifetimeError,
    issue,
    read,
    resumed,
    session_lifetime,
    session_secret,
)
from indicators.store import MetricStore
from indicators.store.audit import AuditEvent, record
from indicators.store.users import UserRecord, add_user, change_user

CREATED = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
SIGNED_IN = datetime(2026, 11, 26, 2, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    monkeypatch.delenv("COCKPIT_SESSION_SECRET", raising=False)
    monkeypatch.delenv("COCKPIT_SESSION_HOURS", raising=False)
    return tmp_path


@pytest.fixture
def with_user(store: MetricStore, home: Path) -> MetricStore:
    hashed = hash_password("correct-horse-battery")
    add_user(
        store.engine,
        UserRecord("zhang", "张三", "bureau_head", "市统计局", hashed, False, CREATED, CREATED),
    )
    return store


def test_the_cookie_names_its_user_and_time_only_under_the_sites_secret() -> None:
    token = issue("zhang", SIGNED_IN, b"site-secret")
    held = read(token, b"site-secret")
    assert held is not None and (held.username, held.at) == ("zhang", SIGNED_IN)
    assert read(token, b"another-site") is None
    forged = issue("admin", SIGNED_IN, b"guess")
    assert read(forged.split(".")[0] + "." + token.split(".")[1], b"site-secret") is None
    assert read("", b"site-secret") is None and read("no-dot", b"site-secret") is None


def test_a_fresh_cookie_resumes_the_user(with_user: MetricStore) -> None:
    token = issue("zhang", SIGNED_IN, session_secret())
    later = SIGNED_IN + timedelta(hours=11, minutes=59)
    assert resumed(with_user.engine, token, later) == Principal(
        "zhang", "张三", Role.bureau_head, "市统计局"
    )


def test_an_old_or_future_cookie_does_not(with_user: MetricStore) -> None:
    token = issue("zhang", SIGNED_IN, session_secret())
    assert resumed(with_user.engine, token, SIGNED_IN + timedelta(hours=12, seconds=1)) is None
    assert resumed(with_user.engine, token, SIGNED_IN - timedelta(minutes=2)) is None


def test_changing_or_disabling_the_account_ends_its_cookies(with_user: MetricStore) -> None:
    token = issue("zhang", SIGNED_IN, session_secret())
    change_user(with_user.engine, "zhang", SIGNED_IN + timedelta(minutes=5), role="leader")
    assert resumed(with_user.engine, token, SIGNED_IN + timedelta(minutes=6)) is None
    again = issue("zhang", SIGNED_IN + timedelta(minutes=7), session_secret())
    assert resumed(with_user.engine, again, SIGNED_IN + timedelta(minutes=8)).role is Role.leader
    change_user(with_user.engine, "zhang", SIGNED_IN + timedelta(minutes=9), disabled=True)
    assert resumed(with_user.engine, again, SIGNED_IN + timedelta(minutes=10)) is None


def test_signing_out_ends_every_earlier_cookie_of_that_user(with_user: MetricStore) -> None:
    token = issue("zhang", SIGNED_IN, session_secret())
    out = SIGNED_IN + timedelta(minutes=30)
    record(with_user.engine, AuditEvent(out, "zhang", "sign_out", "zhang", "ok"))
    assert resumed(with_user.engine, token, out + timedelta(minutes=1)) is None
    after = issue("zhang", out + timedelta(minutes=2), session_secret())
    assert resumed(with_user.engine, after, out + timedelta(minutes=3)).user == "zhang"


def test_the_secret_is_made_once_for_the_service_account_only(home: Path) -> None:
    first = session_secret()
    assert len(first) == 64 and session_secret() == first
    assert stat.S_IMODE((home / KEY_FILE).stat().st_mode) == 0o600


def test_the_secret_and_lifetime_may_be_configured(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCKPIT_SESSION_SECRET", "shared-by-every-app-server")
    assert session_secret() == b"shared-by-every-app-server"
    assert not (home / KEY_FILE).exists()
    monkeypatch.setenv("COCKPIT_SESSION_HOURS", "8")
    assert session_lifetime() == timedelta(hours=8)
    monkeypatch.setenv("COCKPIT_SESSION_HOURS", "forever")
    with pytest.raises(SessionLifetimeError, match="COCKPIT_SESSION_HOURS='forever'"):
        session_lifetime()
