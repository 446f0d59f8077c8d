"""Who is looking, for the router: the session's principal by the site's sign-in mode
(cockpit.auth), checked again on every run; the sign-in form when there is none yet; the page
a bookmark asked for; signing out. Every password sign-in, failure, sign-out and session
ended by an account change is on the audit log (a page load resumed from the sign-in cookie
is not: it is the same sign-in)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from cockpit import i18n
from cockpit.accounts import Attempt, SignInRefused, normal_username, sign_in
from cockpit.app import local_session
from cockpit.app.plain import as_plain_text
from cockpit.auth import client_address, known_user, proxy_username
from cockpit.data_access import metric_store
from cockpit.session import PRINCIPAL_KEY, AuthMode, Principal, auth_mode, current_principal
from cockpit.session_cookie import COOKIE, Ended
from indicators.store.audit import AuditEvent, record
from indicators.store.users import users

# Modes with a sign-out: behind a trusted proxy the proxy's session decides, not ours.
SIGNS_OUT = frozenset({AuthMode.local, AuthMode.oidc})
SIGN_IN_CSS = """
<style>
.st-key-signin { max-width: 26rem; margin: 12vh auto 0 auto; }
.signin-title { font-size: 1.6rem; font-weight: 600; margin-bottom: 0.6rem; }
</style>
"""


def session_principal(mode: AuthMode) -> Principal | None:
    """The signed-in principal, or None when this session must sign in first. A held
    principal is read again from the store on every run: disabling an account, a new
    password or 退出 elsewhere ends sessions already open; a changed role or bureau applies."""
    if mode is AuthMode.none:
        return current_principal(st.session_state)
    held = st.session_state.get(PRINCIPAL_KEY)
    if isinstance(held, Principal):
        return _as_stored_now(held)
    if mode is AuthMode.local:
        return _keep(local_session.resume(st.context.cookies.get(COOKIE)))
    if mode is AuthMode.proxy:
        return _adopt(proxy_username(st.context.headers))
    if (
        mode is AuthMode.oidc
        and st.user.is_logged_in
        and st.user.get("email_verified") is not False
    ):
        return _adopt(str(st.user.get("email") or ""))
    return None


def follow_account_changes() -> None:
    """For fragments that rerun on a timer (a wall screen left open for days): when the
    account behind the session changed or was disabled, run the whole app, whose router
    applies it, instead of another refresh with the old clearance."""
    if auth_mode() is AuthMode.none:
        return
    held = st.session_state.get(PRINCIPAL_KEY)
    if not isinstance(held, Principal) or _as_stored(held) != held:
        st.rerun(scope="app")


def _as_stored(held: Principal) -> Principal | Ended:
    """The held principal as it stands now: a local sign-in by its rules (expiry, password,
    退出 elsewhere), any other by its account alone."""
    found = local_session.current()
    if found is not None:
        return found
    return known_user(metric_store().engine, held.user) or Ended("disabled")


def _as_stored_now(held: Principal) -> Principal | None:
    found = _as_stored(held)
    if isinstance(found, Ended):
        _audit("session_ended", held.user, found.reason)
        _forget_session()
        return None
    return _keep(found)


def _keep(principal: Principal | None) -> Principal | None:
    if principal is not None:
        st.session_state[PRINCIPAL_KEY] = principal
    return principal


REFUSED_IDENTITY_KEY = "refused_identity"  # logged once per session, not on every rerun


def _adopt(identity: str | None) -> Principal | None:
    """The principal of the identity the proxy or the identity provider vouched for, kept for
    the session; an identity with no enabled account here is logged as a refused sign-in."""
    if not identity:
        return None
    principal = known_user(metric_store().engine, identity)
    if principal is not None:
        st.session_state[PRINCIPAL_KEY] = principal
        _audit("sign_in", principal.user, "ok")
    elif st.session_state.get(REFUSED_IDENTITY_KEY) != identity:
        st.session_state[REFUSED_IDENTITY_KEY] = identity
        _audit("sign_in", normal_username(identity), "failed", reason="no account here")
    return principal


REQUESTED_PAGE_KEY = "requested_page"  # the page a bookmark asked for before signing in


def render_sign_in(mode: AuthMode) -> None:
    """The page a session sees until it is signed in, whatever page its URL names; that page
    is remembered, so a bookmark or a wall's kiosk URL opens where it points once signed in."""
    st.session_state[REQUESTED_PAGE_KEY] = requested_page(st.context.url or "")
    st.html(SIGN_IN_CSS)
    with st.container(key="signin"):
        st.html(f'<div class="signin-title">{i18n.text("app_title", "zh")} · 登录</div>')
        if mode is AuthMode.oidc:
            _single_sign_on()
        elif mode is AuthMode.proxy:
            st.error(
                "未识别的用户：统一身份认证已通过，但本系统没有为该账号开通权限，请联系管理员。"
            )
        else:
            _password_form()


def _single_sign_on() -> None:
    if st.user.is_logged_in:  # the provider knows them, we don't
        st.error("该账号未在本系统开通，请联系管理员。")
        st.button("退出统一身份认证", on_click=st.logout)
    else:
        st.button("通过统一身份认证登录", on_click=st.login, type="primary")


def _password_form() -> None:
    engine = metric_store().engine
    if not users(engine):
        st.info(
            "尚未创建用户。请管理员在服务器上运行："
            "`cockpit user add <用户名> --name <姓名> --role admin`"
        )
        return
    with st.form("signin_form"):
        username = st.text_input("用户名", key="signin_user")
        password = st.text_input("密码", type="password", key="signin_password")
        submitted = st.form_submit_button("登录", type="primary")
    if not submitted:
        return
    client = client_address(st.context.ip_address, st.context.headers)
    try:
        principal = sign_in(engine, Attempt(username, password, client), datetime.now(UTC))
    except SignInRefused as exc:
        st.error(as_plain_text(str(exc)))
        return
    st.session_state[PRINCIPAL_KEY] = principal
    local_session.start(principal.user)
    st.rerun()


def requested_page(url: str) -> str:
    """The page part of the app's URL: its last path segment ('' for the overview), so a
    deployment under a path prefix (server.baseUrlPath) finds the same page."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def open_requested_page(current: StreamlitPage, pages: Sequence[StreamlitPage]) -> None:
    """Once signed in, switch to the page the URL named before (with its query), when this
    user may open it; otherwise stay where navigation put them."""
    wanted = st.session_state.pop(REQUESTED_PAGE_KEY, None)
    if wanted is None or current.url_path == wanted:
        return
    page = next((p for p in pages if p.url_path == wanted), None)
    if page is not None:
        st.switch_page(page, query_params=st.query_params.to_dict())


def sign_out() -> None:
    """Forget the session's user and everything the session held for them (a draft, filters),
    then run the whole app again: a click inside a screen's fragment would otherwise rerun
    only the fragment. With single sign-on, the provider's session ends too."""
    principal = st.session_state.get(PRINCIPAL_KEY)
    if isinstance(principal, Principal):
        _audit("sign_out", principal.user, "ok")
    _forget_session()
    local_session.mark_signed_out()
    if auth_mode() is AuthMode.oidc:
        st.logout()
    st.rerun(scope="app")


def _forget_session() -> None:
    for key in list(st.session_state):
        del st.session_state[key]


def _audit(action: str, username: str, outcome: str, **detail: str) -> None:
    client = client_address(st.context.ip_address, st.context.headers)
    event = AuditEvent(
        datetime.now(UTC), username, action, username, outcome, {"client": client} | detail
    )
    record(metric_store().engine, event)
