"""Signing in to the app under AppTest (COCKPIT_AUTH=local, the default): nothing but the
sign-in form until the password is right, one answer for every failure, throttling, signing
out, and what the first administrator is told when there is no user yet."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.accounts import MAX_FAILURES, hash_password
from cockpit.auth import known_user, proxy_username
from cockpit.session import Principal, Role
from indicators.store import open_store
from indicators.store.audit import AuditEvent, entries, record
from indicators.store.users import UserRecord, add_user, change_user
from tests.apptest_pages import APP

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
PASSWORD = "correct-horse-battery"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty city (no data loaded) whose store holds one bureau head, signing in locally."""
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    monkeypatch.delenv("COCKPIT_DATABASE_URL", raising=False)
    monkeypatch.setenv("COCKPIT_AUTH", "local")
    engine = open_store().engine
    user = UserRecord(
        "zhang", "张三", "bureau_head", "市统计局", hash_password(PASSWORD), False, NOW, NOW
    )
    add_user(engine, user)
    return tmp_path


def started() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception, app.exception
    return app


def submit(app: AppTest, username: str, password: str) -> AppTest:
    app.text_input(key="signin_user").input(username)
    app.text_input(key="signin_password").input(password)
    return app.button(key="FormSubmitter:signin_form-登录").click().run()


def test_only_the_sign_in_form_is_shown_before_signing_in(home: Path) -> None:
    app = started()
    assert [t.label for t in app.text_input] == ["用户名", "密码"]
    # no page of the cockpit is even registered: only the entry script itself
    assert [info.get("url_pathname") for info in app._registered_pages.values()] == [None]
    assert "principal" not in app.session_state


def test_the_right_password_opens_the_cockpit_as_that_user(home: Path) -> None:
    app = submit(started(), "zhang", PASSWORD)
    assert not app.exception and not app.error
    assert app.session_state["principal"] == Principal(
        "zhang", "张三", Role.bureau_head, "市统计局"
    )
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "briefing" in paths and "ops" not in paths  # a bureau head's pages
    assert any("张三" in h.proto.body for h in app.get("html"))  # named in the header


def test_a_wrong_password_and_an_unknown_user_get_one_answer(home: Path) -> None:
    app = submit(started(), "zhang", "wrong-password-1")
    assert [e.value for e in app.error] == ["用户名或密码错误"]
    app = submit(app, "nobody", PASSWORD)
    assert [e.value for e in app.error] == ["用户名或密码错误"]
    assert "principal" not in app.session_state


def test_repeated_failures_are_throttled_even_for_the_right_password(home: Path) -> None:
    app = started()
    for _ in range(MAX_FAILURES):
        app = submit(app, "zhang", "wrong-password-1")
    app = submit(app, "zhang", PASSWORD)
    assert [e.value for e in app.error] == ["失败次数过多，请 15 分钟后再试"]
    assert "principal" not in app.session_state


def test_signing_out_returns_to_the_form_and_is_audited(home: Path) -> None:
    app = submit(started(), "zhang", PASSWORD)
    app.button(key="sign_out").click().run()
    assert "principal" not in app.session_state
    assert [t.label for t in app.text_input] == ["用户名", "密码"]
    logged = entries(open_store().engine)  # (the app's own catalog entry aside)
    actions = [(e.action, e.outcome) for e in logged if e.action != "catalog_change"]
    assert actions == [("sign_out", "ok"), ("sign_in", "ok")]


def test_with_no_user_yet_the_first_administrator_is_told_how_to_add_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    monkeypatch.delenv("COCKPIT_DATABASE_URL", raising=False)
    monkeypatch.setenv("COCKPIT_AUTH", "local")
    app = started()
    (info,) = app.info
    assert "cockpit user add" in info.value and not app.text_input


def test_an_unknown_mode_is_one_line(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COCKPIT_AUTH", "ldap")
    app = started()
    assert [e.value for e in app.error] == [
        "COCKPIT_AUTH='ldap' is no mode (use local, proxy, oidc, none)"
    ]


def test_a_proxy_vouches_only_for_enabled_users_known_here(home: Path) -> None:
    engine = open_store().engine
    headers = {"Host": "cockpit", "x-remote-user": "zhang"}
    assert known_user(engine, proxy_username(headers)).role is Role.bureau_head
    assert known_user(engine, proxy_username({"X-Remote-User": "stranger"})) is None
    assert proxy_username({"Host": "cockpit"}) is None
    change_user(engine, "zhang", NOW, disabled=True)
    assert known_user(engine, "zhang") is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda engine: change_user(engine, "zhang", NOW, disabled=True), "disabled"),
        (
            lambda engine: change_user(
                engine, "zhang", NOW, password_hash=hash_password("another-horse-battery")
            ),
            "password changed",
        ),
        (  # 退出 in another tab or browser
            lambda engine: record(
                engine, AuditEvent(datetime.now(UTC), "zhang", "sign_out", "zhang", "ok")
            ),
            "signed out",
        ),
    ],
    ids=["disabled", "new-password", "signed-out-elsewhere"],
)
def test_an_open_session_ends_at_its_next_run(home: Path, change: Any, reason: str) -> None:
    app = submit(started(), "zhang", PASSWORD)
    change(open_store().engine)
    app.run()
    assert "principal" not in app.session_state
    assert [t.label for t in app.text_input] == ["用户名", "密码"]
    (ended,) = entries(open_store().engine, action="session_ended")
    assert (ended.actor, ended.outcome) == ("zhang", reason)


def test_a_role_changed_during_a_session_applies_at_the_next_run(home: Path) -> None:
    app = submit(started(), "zhang", PASSWORD)
    change_user(open_store().engine, "zhang", NOW, role="operator", bureau=None)
    app.run()
    assert app.session_state["principal"] == Principal("zhang", "张三", Role.operator)
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "ops" in paths and "briefing" not in paths


def test_an_identity_with_no_account_here_is_logged_once_per_session(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # AppTest sends no request headers; stand in for the proxy's header only.
    monkeypatch.setattr("cockpit.app.signin.proxy_username", lambda headers: "Stranger@City.gov")
    monkeypatch.setenv("COCKPIT_AUTH", "proxy")
    app = started()
    assert "没有为该账号开通权限" in app.error[0].value
    app.run()
    (refused,) = entries(open_store().engine, action="sign_in")
    assert (refused.actor, refused.outcome, refused.detail["reason"]) == (
        "stranger@city.gov", "failed", "no account here"
    )  # fmt: skip
