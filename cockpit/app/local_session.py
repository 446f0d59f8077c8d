"""A local (password) sign-in in the Streamlit session: started after the password was right,
checked on every run, resumed from the browser's signed cookie on a new page load, and the
cookie written and taken back (rules in cockpit.session_cookie)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import streamlit as st

from cockpit.data_access import metric_store
from cockpit.session import Principal
from cockpit.session_cookie import (
    COOKIE,
    Ended,
    SignedIn,
    check,
    issue,
    read,
    session_lifetime,
    signed_in,
)
from cockpit.site_secret import site_secret
from indicators.store.users import find_user

SIGNED_IN_KEY = "signed_in"  # the session's SignedIn
NEW_COOKIE_KEY = "new_session_cookie"  # written by the first run after a password sign-in
SIGNED_OUT_KEY = "signed_out"  # the run after 退出 takes the cookie back


def start(username: str) -> None:
    """Remember the sign-in that just succeeded, and have the browser keep it."""
    user = find_user(metric_store().engine, username)
    if user is None:  # removed between the password check and now
        return
    held = signed_in(user, datetime.now(UTC))
    st.session_state[SIGNED_IN_KEY] = held
    st.session_state[NEW_COOKIE_KEY] = issue(held, site_secret())


def current() -> Principal | Ended | None:
    """The session's principal as the store has it now, why the sign-in ended, or None
    when this session holds no local sign-in."""
    held = st.session_state.get(SIGNED_IN_KEY)
    if not isinstance(held, SignedIn):
        return None
    return check(metric_store().engine, held, datetime.now(UTC))


def resume(token: object) -> Principal | None:
    """The user a new page load of a signed-in browser is, from its cookie."""
    held = read(token, site_secret()) if isinstance(token, str) and token else None
    if held is None:
        return None
    found = check(metric_store().engine, held, datetime.now(UTC))
    if isinstance(found, Ended):
        return None
    st.session_state[SIGNED_IN_KEY] = held
    return found


def write_cookie() -> None:
    """Give the browser its signed sign-in once, right after the password was right (and
    take it back after 退出), so later page loads of this browser need no password."""
    token = st.session_state.pop(NEW_COOKIE_KEY, None)
    if token is not None:
        age = int(session_lifetime().total_seconds())
        _set_cookie(f"{COOKIE}={token}; max-age={age}")
    elif st.session_state.pop(SIGNED_OUT_KEY, False):
        _set_cookie(f"{COOKIE}=; max-age=0")


def mark_signed_out() -> None:
    st.session_state[SIGNED_OUT_KEY] = True


def _set_cookie(value: str) -> None:
    script = (
        f"<script>document.cookie = {json.dumps(value + '; path=/; SameSite=Strict')}"
        ' + (location.protocol === "https:" ? "; Secure" : "");</script>'
    )
    st.html(script, unsafe_allow_javascript=True)
