"""Local accounts: argon2id password hashes and signing in, with repeated failures throttled.

Every sign-in attempt is on the audit log, and the throttle reads it there, so several app
servers behind the proxy count one user's failures together. An unknown user, a wrong
password and a disabled account get the same answer (and the same argon2 work), so the
answer never tells which usernames exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine

from cockpit.session import Principal, Role
from cockpit.site_secret import keyed_digest
from indicators.store.audit import AuditEvent, count_since, last_at, record
from indicators.store.users import UserRecord, find_user

HASHER = PasswordHasher()  # argon2id, the library's current recommended parameters
MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = 5  # failed attempts for one username within WINDOW lock it for LOCKOUT
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
SIGN_IN = "sign_in"
WRONG = "用户名或密码错误"
# Verified against when the user does not exist, so that answer costs the same time.
_DUMMY_HASH = HASHER.hash("no such user: constant-time answer")


class SignInRefused(PermissionError):
    """Why a sign-in did not succeed, in words fit to show."""


class PasswordRejected(ValueError):
    """A new password that is too weak to set."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(f"password needs at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip() != password or len(set(password)) < 4:
        raise PasswordRejected("password is too simple (repeated characters or spaces at an end)")
    return HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def normal_username(text: str) -> str:
    """Usernames are kept and looked up in lower case (e-mail addresses too), so that every
    store backend — case-sensitive or not — finds the same one."""
    return text.strip().lower()[:64]


def principal_of(user: UserRecord) -> Principal:
    return Principal(user.username, user.display_name, Role(user.role), user.bureau)


@dataclass(frozen=True)
class Attempt:
    username: str
    password: str
    client: str  # where it came from, for the log (an address or "cli")


def sign_in(engine: Engine, attempt: Attempt, now: datetime) -> Principal:
    """The user's principal, or SignInRefused; every outcome goes on the audit log."""
    username = normal_username(attempt.username)
    user = find_user(engine, username)
    logged_as = username if user is not None else unknown_name(username)
    locked_until = _locked_until(engine, logged_as, now)
    detail = {"client": attempt.client}
    if locked_until is not None:
        record(engine, AuditEvent(now, logged_as, SIGN_IN, logged_as, "refused", detail))
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise SignInRefused(f"失败次数过多，请 {minutes} 分钟后再试")
    matches = password_matches(user.password_hash if user else None, attempt.password)
    if user is None or not matches or user.disabled:
        reason = "unknown user" if user is None else "disabled" if user.disabled else "password"
        record(
            engine,
            AuditEvent(now, logged_as, SIGN_IN, logged_as, "failed", detail | {"reason": reason}),
        )
        raise SignInRefused(WRONG)
    record(engine, AuditEvent(now, username, SIGN_IN, username, "ok", detail))
    return principal_of(user)


UNKNOWN_PREFIX = "unknown:"


def unknown_name(username: str) -> str:
    """How a name that is no account goes on the log: a digest keyed with the site secret,
    since it is often a password typed into the wrong field (a plain hash could be guessed
    back from the log). The same typed name gives the same digest, so its failures are still
    counted, and locked, like an account's (a lock that only real accounts got would tell
    which names exist)."""
    return UNKNOWN_PREFIX + keyed_digest(f"username:{username}", 12)


def _locked_until(engine: Engine, username: str, now: datetime) -> datetime | None:
    """When the lock ends: LOCKOUT after the last failure, if it completed MAX_FAILURES
    failures within WINDOW (since the last success). The lock lasts the full LOCKOUT, however
    the earlier failures were spread."""
    last_failure = last_at(engine, username, SIGN_IN, "failed")
    if last_failure is None or now >= last_failure + LOCKOUT:
        return None
    since = last_failure - WINDOW
    success = last_at(engine, username, SIGN_IN, "ok")
    if success is not None and success > since:
        since = success
    if count_since(engine, username, SIGN_IN, "failed", since) < MAX_FAILURES:
        return None
    return last_failure + LOCKOUT
