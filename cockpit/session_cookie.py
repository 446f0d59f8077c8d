"""Keeping a local sign-in across page loads (a tile's drill-down, a reload, a new tab).

A Streamlit session lives as long as one browser connection, so every full page load would
ask for the password again. After a password sign-in the browser gets a cookie holding the
username and the sign-in time, signed with the site's secret (HMAC-SHA256). A new session
presenting it is that user again while all of these hold:

- the signature is right and the sign-in is at most COCKPIT_SESSION_HOURS old (default 12);
- the account exists, is enabled, and has not changed since (a new password, role, bureau
  or a disabling ends every session of it);
- the user has not signed out since (退出 in any tab ends every session of that user).

The secret is COCKPIT_SESSION_SECRET, else COCKPIT_HOME/session.key (made on first use,
readable by the service account only); app servers behind one proxy must share it.
Streamlit-free: the router reads the cookie and writes it with a script.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from cockpit.accounts import principal_of
from cockpit.session import Principal
from indicators.settings import cockpit_home
from indicators.store.audit import last_at
from indicators.store.users import find_user

COOKIE = "cockpit_session"
HOURS_VARIABLE = "COCKPIT_SESSION_HOURS"
DEFAULT_HOURS = 12.0  # a working day
SECRET_VARIABLE = "COCKPIT_SESSION_SECRET"
KEY_FILE = "session.key"
CLOCK_SKEW = timedelta(minutes=1)  # app servers' clocks may differ a little


class SessionLifetimeError(ValueError):
    """COCKPIT_SESSION_HOURS is not a positive number of hours."""


@dataclass(frozen=True)
class SignedIn:
    username: str
    at: datetime


def session_lifetime() -> timedelta:
    configured = os.environ.get(HOURS_VARIABLE, "").strip()
    try:
        hours = float(configured) if configured else DEFAULT_HOURS
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 31:
        raise SessionLifetimeError(f"{HOURS_VARIABLE}={configured!r} is not 0 < hours ≤ 744")
    return timedelta(hours=hours)


def session_secret() -> bytes:
    """The site's signing secret: the variable, else the key file (created once, 0600)."""
    configured = os.environ.get(SECRET_VARIABLE, "")
    if configured:
        return configured.encode()
    path = cockpit_home() / KEY_FILE
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return _new_key(path)


def _new_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    try:  # two servers starting at once: the first one's key wins
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(descriptor, "wb") as file:
        file.write(key)
    return key


def issue(username: str, at: datetime, secret: bytes) -> str:
    """The cookie value for `username` signed in at `at`."""
    payload = f"{username}|{round(at.timestamp() * 1_000_000)}".encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{body}.{_signature(body, secret)}"


def read(token: str, secret: bytes) -> SignedIn | None:
    """Who the cookie says signed in and when; None unless the signature is the site's."""
    body, _, signature = token.partition(".")
    if not body or not hmac.compare_digest(signature, _signature(body, secret)):
        return None
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
        username, _, micros = payload.rpartition("|")
        at = datetime.fromtimestamp(int(micros) / 1_000_000, UTC)
    except (ValueError, OverflowError):
        return None
    return SignedIn(username, at)


def resumed(engine: Engine, token: str, now: datetime) -> Principal | None:
    """The principal a cookie stands for, by the rules above; None to sign in again."""
    held = read(token, session_secret())
    if held is None or not held.at - CLOCK_SKEW <= now <= held.at + session_lifetime():
        return None
    user = find_user(engine, held.username)
    if user is None or user.disabled or user.updated_at > held.at:
        return None
    signed_out = last_at(engine, held.username, "sign_out", "ok")
    if signed_out is not None and signed_out >= held.at:
        return None
    return principal_of(user)


def _signature(body: str, secret: bytes) -> str:
    return hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
