"""Who is looking, for the router: the session's principal by the site's sign-in mode
(cockpit.auth), the sign-in form when there is none yet, and signing out. Every sign-in and
sign-out is on the audit log."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from cockpit import i18n
from cockpit.accounts import Attempt, SignInRefused, sign_in
from cockpit.app.plain import as_plain_text
from cockpit.auth import known_user, proxy_username
from cockpit.data_access import metric_store
from cockpit.session import PRINCIPAL_KEY, AuthMode, Principal, auth_mode, current_principal
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
    """The signed-in principal, or None when this session must sign in first."""
    if mode is AuthMode.none:
        return current_principal(st.session_state)
    held = st.session_state.get(PRINCIPAL_KEY)
    if isinstance(held, Principal):
        return held
    if mode is AuthMode.proxy:
        return _adopt(known_user(metric_store().engine, proxy_username(st.context.headers)))
    if (
        mode is AuthMode.oidc
        and st.user.is_logged_in
        and st.user.get("email_verified") is not False
    ):
        return _adopt(known_user(metric_store().engine, str(st.user.get("email") or "")))
    return None


def _adopt(principal: Principal | None) -> Principal | None:
    """A principal the proxy or the identity provider vouched for, kept for the session."""
    if principal is not None:
        st.session_state[PRINCIPAL_KEY] = principal
        _audit("sign_in", principal.user, "ok")
    return principal


def render_sign_in(mode: AuthMode) -> None:
    """The page a session sees until it is signed in."""
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
    client = st.context.ip_address or "unknown"
    try:
        principal = sign_in(engine, Attempt(username, password, client), datetime.now(UTC))
    except SignInRefused as exc:
        st.error(as_plain_text(str(exc)))
        return
    st.session_state[PRINCIPAL_KEY] = principal
    st.rerun()


def sign_out() -> None:
    """Forget the session's user and everything the session held for them (a draft, filters),
    then run the whole app again: a click inside a screen's fragment would otherwise rerun
    only the fragment. With single sign-on, the provider's session ends too."""
    principal = st.session_state.get(PRINCIPAL_KEY)
    if isinstance(principal, Principal):
        _audit("sign_out", principal.user, "ok")
    for key in list(st.session_state):
        del st.session_state[key]
    if auth_mode() is AuthMode.oidc:
        st.logout()
    st.rerun(scope="app")


def _audit(action: str, username: str, outcome: str) -> None:
    client = st.context.ip_address or "unknown"
    event = AuditEvent(datetime.now(UTC), username, action, username, outcome, {"client": client})
    record(metric_store().engine, event)
