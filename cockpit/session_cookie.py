"""Keeping a local sign-in across page loads (a tile's drill-down, a reload, a new tab), and
deciding on every run whether a signed-in session still stands.

A Streamlit session lives as long as one browser connection, so every full page load would
ask for the password again. After a password sign-in the browser gets a cookie holding the
username, the sign-in time and a mark of the password hash, signed with the site's secret
(HMAC-SHA256, cockpit.site_secret). A session — one already open, or a new one presenting
the cookie — stands while all of these hold:

- the signature is right and the sign-in is at most COCKPIT_SESSION_HOURS old (default 12);
- the account exists and is enabled, and its password is the one signed in with (a new
  password ends every session; a changed role or bureau applies at once);
- the user has not signed out since (退出 in any tab ends every session of that user).

Streamlit-free: the router reads the cookie and writes it with a script.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from cockpit.accounts import principal_of
from cockpit.session import Principal
from cockpit.site_secret import keyed_digest
from indicators.store.audit import last_at
from indicators.store.users import UserRecord, find_user

COOKIE = "cockpit_session"
HOURS_VARIABLE = "COCKPIT_SESSION_HOURS"
DEFAULT_HOURS = 12.0  # a working day
CLOCK_SKEW = timedelta(minutes=1)  # app servers' clocks may differ a little


class SessionLifetimeError(ValueError):
    """COCKPIT_SESSION_HOURS is not a positive number of hours."""


@dataclass(frozen=True)
class SignedIn:
    username: str
    at: datetime
    password_mark: str  # cockpit.site_secret.keyed_digest of the password hash signed in with


@dataclass(frozen=True)
class Ended:
    reason: str  # for the audit log (its outcome column: 16 characters at most)


def session_lifetime() -> timedelta:
    configured = os.environ.get(HOURS_VARIABLE, "").strip()
    try:
        hours = float(configured) if configured else DEFAULT_HOURS
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 31:
        raise SessionLifetimeError(f"{HOURS_VARIABLE}={configured!r} is not 0 < hours ≤ 744")
    return timedelta(hours=hours)


def signed_in(user: UserRecord, at: datetime) -> SignedIn:
    return SignedIn(user.username, at, password_mark(user))


def password_mark(user: UserRecord) -> str:
    return keyed_digest(f"password:{user.password_hash or ''}")


def issue(held: SignedIn, secret: bytes) -> str:
    """The cookie value for `held`."""
    micros = round(held.at.timestamp() * 1_000_000)
    payload = f"{held.username}|{micros}|{held.password_mark}".encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{body}.{_signature(body, secret)}"


def read(token: str, secret: bytes) -> SignedIn | None:
    """What the cookie says; None unless it is well formed and signed with the site secret."""
    body, _, signature = token.partition(".")
    expected = _signature(body, secret).encode()
    if not body or not hmac.compare_digest(signature.encode("utf-8", "replace"), expected):
        return None
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
        username, micros, mark = payload.rsplit("|", 2)
        at = datetime.fromtimestamp(int(micros) / 1_000_000, UTC)
    except (ValueError, OverflowError):
        return None
    return SignedIn(username, at, mark)


def check(engine: Engine, held: SignedIn, now: datetime) -> Principal | Ended:
    """The principal `held` stands for now, by the rules above, or why it no longer does."""
    if not held.at - CLOCK_SKEW <= now <= held.at + session_lifetime():
        return Ended("expired")
    user = find_user(engine, held.username)
    if user is None or user.disabled:
        return Ended("disabled")
    if not hmac.compare_digest(password_mark(user), held.password_mark):
        return Ended("password changed")
    signed_out = last_at(engine, held.username, "sign_out", "ok")
    if signed_out is not None and signed_out >= held.at:
        return Ended("signed out")
    return principal_of(user)


def _signature(body: str, secret: bytes) -> str:
    return hmac.new(secret, body.encode("utf-8", "replace"), hashlib.sha256).hexdigest()
