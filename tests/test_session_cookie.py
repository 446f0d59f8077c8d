"""A signed-in session and the cookie that carries it across page loads, on every store
backend: it stands for its user only while signed with the site's secret, young enough, the
account enabled with the same password, and the user not signed out since; a changed role
applies at once. And the site secret itself: long enough, made once, private."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.accounts import hash_password
from cockpit.session import Principal, Role
from cockpit.session_cookie import (
    Ended,
    SessionLifetimeError,
    SignedIn,
    check,
    issue,
    read,
    session_lifetime,
    signed_in,
)
from cockpit.site_secret import KEY_FILE, SiteSecretError, site_secret
from indicators.store import MetricStore
from indicators.store.audit import AuditEvent, record
from indicators.store.users import UserRecord, add_user, change_user, find_user

CREATED = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
AT = datetime(2026, 11, 26, 2, 0, 0, 123456, tzinfo=UTC)
SECRET = b"a-site-secret-of-at-least-32-bytes!!"


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


def held(store: MetricStore, at: datetime = AT) -> SignedIn:
    user = find_user(store.engine, "zhang")
    assert user is not None
    return signed_in(user, at)


def test_the_cookie_says_who_signed_in_only_under_the_sites_secret() -> None:
    signed = SignedIn("zhang", AT, "mark")
    token = issue(signed, SECRET)
    assert read(token, SECRET) == signed
    assert read(token, b"another-site-secret-of-32-bytes-or-more") is None
    forged = issue(SignedIn("admin", AT, "mark"), b"a guess at the secret, 32 bytes long")
    assert read(forged.split(".")[0] + "." + token.split(".")[1], SECRET) is None
    for junk in ("", "no-dot", ".", "abc.é", "é.é"):  # non-ASCII: refused, not a crash
        assert read(junk, SECRET) is None


def test_a_fresh_sign_in_stands_and_follows_a_role_change(with_user: MetricStore) -> None:
    signed = held(with_user)
    later = AT + timedelta(hours=11, minutes=59)
    assert check(with_user.engine, signed, later) == Principal(
        "zhang", "张三", Role.bureau_head, "市统计局"
    )
    change_user(with_user.engine, "zhang", AT + timedelta(minutes=5), role="leader", bureau=None)
    assert check(with_user.engine, signed, later) == Principal("zhang", "张三", Role.leader)


def test_an_old_or_future_sign_in_does_not(with_user: MetricStore) -> None:
    signed = held(with_user)
    assert check(with_user.engine, signed, AT + timedelta(hours=12, seconds=1)) == Ended("expired")
    assert check(with_user.engine, signed, AT - timedelta(minutes=2)) == Ended("expired")


def test_a_new_password_or_disabling_ends_every_session(with_user: MetricStore) -> None:
    signed = held(with_user)
    new_hash = hash_password("another-horse-battery")
    change_user(with_user.engine, "zhang", AT + timedelta(minutes=5), password_hash=new_hash)
    assert check(with_user.engine, signed, AT + timedelta(minutes=6)) == Ended("password changed")
    again = held(with_user, AT + timedelta(minutes=7))
    assert isinstance(check(with_user.engine, again, AT + timedelta(minutes=8)), Principal)
    change_user(with_user.engine, "zhang", AT + timedelta(minutes=9), disabled=True)
    assert check(with_user.engine, again, AT + timedelta(minutes=10)) == Ended("disabled")


def test_signing_out_ends_every_earlier_session_of_that_user(with_user: MetricStore) -> None:
    signed = held(with_user)
    out = AT + timedelta(minutes=30)
    record(with_user.engine, AuditEvent(out, "zhang", "sign_out", "zhang", "ok"))
    assert check(with_user.engine, signed, out + timedelta(minutes=1)) == Ended("signed out")
    after = held(with_user, out + timedelta(minutes=2))
    assert check(with_user.engine, after, out + timedelta(minutes=3)).user == "zhang"


def test_the_secret_is_made_once_for_the_service_account_only(home: Path) -> None:
    first = site_secret()
    assert len(first) == 64 and site_secret() == first
    assert stat.S_IMODE((home / KEY_FILE).stat().st_mode) == 0o600
    assert [p.name for p in home.iterdir()] == [KEY_FILE]  # no draft left behind


def test_the_secret_may_be_configured_but_not_short(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / "secrets.env").write_text("COCKPIT_SESSION_SECRET=" + "s" * 40 + "\n")
    assert site_secret() == b"s" * 40  # like every other secret, secrets.env will do
    monkeypatch.setenv("COCKPIT_SESSION_SECRET", "shared-by-every-app-server-behind-the-proxy")
    assert site_secret() == b"shared-by-every-app-server-behind-the-proxy"
    monkeypatch.setenv("COCKPIT_SESSION_SECRET", "x")
    with pytest.raises(SiteSecretError, match=r"COCKPIT_SESSION_SECRET: .* at least 32 bytes"):
        site_secret()
    monkeypatch.delenv("COCKPIT_SESSION_SECRET")
    (home / "secrets.env").unlink()
    (home / KEY_FILE).write_bytes(b"")  # an empty key signs nothing
    with pytest.raises(SiteSecretError, match=r"session\.key: .* at least 32 bytes"):
        site_secret()


def test_the_session_lifetime_may_be_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COCKPIT_SESSION_HOURS", "8")
    assert session_lifetime() == timedelta(hours=8)
    monkeypatch.setenv("COCKPIT_SESSION_HOURS", "forever")
    with pytest.raises(SessionLifetimeError, match="COCKPIT_SESSION_HOURS='forever'"):
        session_lifetime()
