"""How a session becomes a user, per site: COCKPIT_AUTH chooses the mode.

- `local` (the default): the sign-in form against the store's users (cockpit.accounts).
- `proxy`: a reverse proxy that has authenticated the user passes their username in a header
  (COCKPIT_AUTH_HEADER, default X-Remote-User); the user must exist and be enabled here,
  which gives the role. Only safe when the app is reachable through that proxy alone.
- `oidc`: single sign-on through Streamlit's st.login (an [auth] section in
  .streamlit/secrets.toml); the identity's e-mail is the username looked up here.
- `none`: no sign-in; every session is the embedded default (COCKPIT_DEFAULT_ROLE), for a
  screen on a closed display network and for development.

Streamlit-free: the router hands in what it read (headers, the OIDC identity).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from sqlalchemy import Engine

from cockpit.accounts import normal_username, principal_of
from cockpit.session import Principal
from indicators.store.users import find_user

HEADER_VARIABLE = "COCKPIT_AUTH_HEADER"
DEFAULT_HEADER = "X-Remote-User"


def auth_header() -> str:
    return os.environ.get(HEADER_VARIABLE, "").strip() or DEFAULT_HEADER


def known_user(engine: Engine, username: str | None) -> Principal | None:
    """The enabled user of that name as a principal; None for anyone else (unknown users of
    the proxy or the identity provider get no access here, only a message)."""
    if not username:
        return None
    user = find_user(engine, normal_username(username))
    if user is None or user.disabled:
        return None
    return principal_of(user)


def proxy_username(headers: Mapping[str, str]) -> str | None:
    """The username the trusted proxy put in its header (case-insensitive name)."""
    wanted = auth_header().lower()
    return next((value for name, value in headers.items() if name.lower() == wanted), None)


TRUSTED_PROXIES_VARIABLE = "COCKPIT_TRUSTED_PROXIES"  # comma-separated addresses
LOOPBACK = "127.0.0.1"  # Streamlit reports a connection from this machine as no address


def client_address(peer: str | None, headers: Mapping[str, str]) -> str:
    """The address to put on the audit log for a request from `peer` (None: this machine,
    as Streamlit reports ::1 and 127.0.0.1). Through proxies listed in
    COCKPIT_TRUSTED_PROXIES it is the nearest X-Forwarded-For hop that is not one of them,
    read from the right: each proxy appends what it saw, and entries left of the first
    untrusted one are whatever the client sent."""
    trusted = {a.strip() for a in os.environ.get(TRUSTED_PROXIES_VARIABLE, "").split(",")}
    address = peer or LOOPBACK
    if address not in trusted:
        return address
    forwarded = next((v for k, v in headers.items() if k.lower() == "x-forwarded-for"), "")
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        address = hop
        if hop not in trusted:
            break
    return address
