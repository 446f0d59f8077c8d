"""Who is looking: the current user and role, decided once per session in the router.

A signed-in session keeps its principal under PRINCIPAL_KEY (cockpit.app.signin puts it
there). A site running without sign-in (COCKPIT_AUTH=none) gives every session the embedded
default, a leader, or the role COCKPIT_DEFAULT_ROLE names (an operations-only screen sets
operator so its console can act).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from enum import StrEnum


class Role(StrEnum):
    leader = "leader"  # 领导: every screen
    bureau_head = "bureau_head"  # 委办局负责人
    operator = "operator"  # 运维人员
    admin = "admin"  # 管理员


@dataclass(frozen=True)
class Principal:
    user: str
    display_name: str
    role: Role
    bureau: str | None = None  # the 责任单位 a bureau head answers for


DEFAULT_PRINCIPAL = Principal("default", "默认用户", Role.leader)
PRINCIPAL_KEY = "principal"  # where a signed-in session keeps its principal
DEFAULT_ROLE_VARIABLE = "COCKPIT_DEFAULT_ROLE"
AUTH_VARIABLE = "COCKPIT_AUTH"


class AuthMode(StrEnum):
    local = "local"
    proxy = "proxy"
    oidc = "oidc"
    none = "none"


class AuthSettingError(ValueError):
    """COCKPIT_AUTH names no mode."""


def auth_mode() -> AuthMode:
    configured = os.environ.get(AUTH_VARIABLE, "").strip() or AuthMode.local.value
    try:
        return AuthMode(configured)
    except ValueError:
        known = ", ".join(mode.value for mode in AuthMode)
        raise AuthSettingError(f"{AUTH_VARIABLE}={configured!r} is no mode (use {known})") from None


class NotSignedIn(PermissionError):
    """A page asked who is looking in a session that has not signed in."""


class SessionSettingError(ValueError):
    """COCKPIT_DEFAULT_ROLE names no role."""


def default_principal() -> Principal:
    """The embedded default, with the role COCKPIT_DEFAULT_ROLE names (a leader if unset)."""
    configured = os.environ.get(DEFAULT_ROLE_VARIABLE, "").strip()
    if not configured:
        return DEFAULT_PRINCIPAL
    try:
        return replace(DEFAULT_PRINCIPAL, role=Role(configured))
    except ValueError:
        known = ", ".join(role.value for role in Role)
        raise SessionSettingError(
            f"{DEFAULT_ROLE_VARIABLE}={configured!r} is no role (use one of {known})"
        ) from None


OPERATING_ROLES = frozenset({Role.operator, Role.admin})


def may_operate(principal: Principal) -> bool:
    """Refresh, upload and review findings: operators' work (leaders may only look)."""
    return principal.role in OPERATING_ROLES


def current_principal(session: dict[str, object]) -> Principal:
    """The session's principal (`session` is st.session_state); the embedded default only
    where the site runs without sign-in. Anywhere else a session without one fails closed
    (a fragment rerunning after sign-out must not fall back to a leader)."""
    found = session.get(PRINCIPAL_KEY)
    if isinstance(found, Principal):
        return found
    if auth_mode() is AuthMode.none:
        return default_principal()
    raise NotSignedIn("not signed in")
