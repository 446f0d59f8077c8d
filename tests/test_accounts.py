"""Local accounts on every store backend: argon2id hashes, one answer for every kind of
failed sign-in, throttling of repeated failures read from the audit log, and an audit log
the database itself keeps append-only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cockpit.accounts import (
    LOCKOUT,
    MAX_FAILURES,
    WRONG,
    Attempt,
    PasswordRejected,
    SignInRefused,
    hash_password,
    sign_in,
    unknown_name,
)
from cockpit.session import Principal, Role
from indicators.store import MetricStore
from indicators.store.audit import REDACTED, AuditEvent, entries, record
from indicators.store.users import UserRecord, add_user, change_user

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
PASSWORD = "correct-horse-battery"


@pytest.fixture
def with_user(store: MetricStore) -> MetricStore:
    hashed = hash_password(PASSWORD)
    add_user(
        store.engine,
        UserRecord("zhang", "张三", "bureau_head", "市统计局", hashed, False, NOW, NOW),
    )
    return store


def attempt(password: str, username: str = "zhang") -> Attempt:
    return Attempt(username, password, "127.0.0.1")


def refusal(store: MetricStore, password: str, at: datetime, username: str = "zhang") -> str:
    with pytest.raises(SignInRefused) as refused:
        sign_in(store.engine, attempt(password, username), at)
    return str(refused.value)


def test_the_hash_is_argon2id_and_never_the_password() -> None:
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert hash_password(PASSWORD) != hashed  # salted


@pytest.mark.parametrize("weak", ["short", "aaaaaaaaaaaa", " padded-password "])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(PasswordRejected):
        hash_password(weak)


def test_the_right_password_signs_in_as_the_users_principal(with_user: MetricStore) -> None:
    principal = sign_in(with_user.engine, attempt(PASSWORD), NOW)
    assert principal == Principal("zhang", "张三", Role.bureau_head, "市统计局")
    (logged,) = entries(with_user.engine, action="sign_in")
    assert (logged.actor, logged.outcome, logged.detail) == ("zhang", "ok", {"client": "127.0.0.1"})


def test_unknown_user_wrong_password_and_disabled_get_one_answer(with_user: MetricStore) -> None:
    assert refusal(with_user, "wrong-password-1", NOW) == WRONG
    assert refusal(with_user, PASSWORD, NOW, username="nobody") == WRONG
    change_user(with_user.engine, "zhang", NOW, disabled=True)
    assert refusal(with_user, PASSWORD, NOW) == WRONG
    reasons = [e.detail["reason"] for e in entries(with_user.engine, action="sign_in")]
    assert reasons == ["disabled", "unknown user", "password"]  # the log knows, the user not


def test_a_name_that_is_no_account_goes_on_the_log_as_a_digest(with_user: MetricStore) -> None:
    typed = "Tr0ub4dor&3-typed-in-the-wrong-field"
    for minute in range(MAX_FAILURES + 1):
        answer = refusal(with_user, PASSWORD, NOW + timedelta(minutes=minute), username=typed)
    assert answer == "失败次数过多，请 15 分钟后再试"  # locked like an account, or names leak
    logged = entries(with_user.engine, action="sign_in")
    digest = unknown_name(typed.lower())  # names are compared in lower case
    assert {(e.actor, e.target) for e in logged} == {(digest, digest)}
    assert digest.startswith("unknown:") and len(digest) == 20
    assert not any(typed.lower() in str(e) for e in logged)
    assert sign_in(with_user.engine, attempt(PASSWORD), NOW + timedelta(minutes=6)).user == "zhang"


def test_repeated_failures_lock_the_user_out_then_let_them_in(with_user: MetricStore) -> None:
    for minute in range(MAX_FAILURES):
        assert refusal(with_user, "wrong-password-1", NOW + timedelta(minutes=minute)) == WRONG
    last = NOW + timedelta(minutes=MAX_FAILURES - 1)
    locked = refusal(with_user, PASSWORD, last + timedelta(minutes=1))  # even the right one
    assert locked == "失败次数过多，请 15 分钟后再试"
    outcomes = [e.outcome for e in entries(with_user.engine, action="sign_in")]
    assert outcomes[0] == "refused" and outcomes.count("failed") == MAX_FAILURES
    principal = sign_in(with_user.engine, attempt(PASSWORD), last + LOCKOUT + timedelta(seconds=1))
    assert principal.user == "zhang"


def test_the_lock_lasts_its_full_time_however_the_failures_were_spread(
    with_user: MetricStore,
) -> None:
    for minute in (0, 4, 8, 12, 14):  # the fifth completes five within 15 minutes
        refusal(with_user, "wrong-password-1", NOW + timedelta(minutes=minute))
    last = NOW + timedelta(minutes=14)
    for later in (1, 2, 14):  # the first failure leaves the window; the lock holds
        assert refusal(with_user, PASSWORD, last + timedelta(minutes=later)).startswith(
            "失败次数过多"
        )
    assert sign_in(with_user.engine, attempt(PASSWORD), last + LOCKOUT).user == "zhang"


def test_a_success_starts_the_count_again(with_user: MetricStore) -> None:
    for minute in range(MAX_FAILURES - 1):
        refusal(with_user, "wrong-password-1", NOW + timedelta(minutes=minute))
    sign_in(with_user.engine, attempt(PASSWORD), NOW + timedelta(minutes=5))
    for minute in range(6, 6 + MAX_FAILURES - 1):
        refusal(with_user, "wrong-password-1", NOW + timedelta(minutes=minute))
    assert sign_in(with_user.engine, attempt(PASSWORD), NOW + timedelta(minutes=11)).user == "zhang"


def test_the_audit_log_is_append_only_in_the_database(store: MetricStore) -> None:
    record(store.engine, AuditEvent(NOW, "zhang", "upload", "a.xlsx"))
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert [e.actor for e in entries(store.engine)] == ["zhang"]


def test_secrets_never_reach_the_audit_log(store: MetricStore) -> None:
    detail = {"client": "10.0.0.8", "password": PASSWORD, "headers": {"Authorization": "t0k"}}
    record(store.engine, AuditEvent(NOW, "zhang", "sign_in", "zhang", "failed", detail))
    (logged,) = entries(store.engine)
    assert logged.detail == {
        "client": "10.0.0.8", "password": REDACTED, "headers": {"Authorization": REDACTED}
    }  # fmt: skip
