"""Who is looking before sign-in: the embedded default user, a leader unless the instance
names another role; only operators and admins may act on the operators' console."""

from __future__ import annotations

import pytest

from cockpit.session import (
    DEFAULT_PRINCIPAL,
    NotSignedIn,
    Principal,
    Role,
    SessionSettingError,
    current_principal,
    may_operate,
)


def test_the_default_user_is_a_leader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COCKPIT_DEFAULT_ROLE", raising=False)
    assert current_principal({}) == DEFAULT_PRINCIPAL
    assert DEFAULT_PRINCIPAL.role is Role.leader


def test_an_operations_instance_names_its_role(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COCKPIT_DEFAULT_ROLE", "operator")
    principal = current_principal({})
    assert (principal.user, principal.role) == ("default", Role.operator)
    signed_in = Principal("li", "李四", Role.bureau_head)
    assert current_principal({"principal": signed_in}) == signed_in  # a session's own wins


def test_an_unknown_role_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COCKPIT_DEFAULT_ROLE", "boss")
    with pytest.raises(SessionSettingError) as error:
        current_principal({})
    assert str(error.value) == (
        "COCKPIT_DEFAULT_ROLE='boss' is no role (use one of leader, bureau_head, operator, admin)"
    )


def test_only_operators_and_admins_may_operate() -> None:
    allowed = {role for role in Role if may_operate(Principal("x", "x", role))}
    assert allowed == {Role.operator, Role.admin}


def test_without_sign_in_off_a_session_that_has_not_signed_in_fails_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COCKPIT_AUTH", "local")
    with pytest.raises(NotSignedIn):
        current_principal({})
    monkeypatch.setenv("COCKPIT_AUTH", "none")
    assert current_principal({}).role is Role.leader


def test_behind_a_trusted_proxy_the_client_is_what_the_proxy_saw(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cockpit.auth import client_address

    headers = {"X-Forwarded-For": "6.6.6.6, 10.2.3.4"}  # the client wrote 6.6.6.6 itself
    assert client_address("10.0.0.2", headers) == "10.0.0.2"  # no proxy trusted: the peer
    assert client_address(None, headers) == "127.0.0.1"  # Streamlit's word for this machine
    monkeypatch.setenv("COCKPIT_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.2")
    assert client_address(None, headers) == "10.2.3.4"  # a proxy on this machine
    assert client_address("10.0.0.2", headers) == "10.2.3.4"
    two_proxies = {"x-forwarded-for": "6.6.6.6, 10.2.3.4, 10.0.0.2"}  # outer, then inner
    assert client_address(None, two_proxies) == "10.2.3.4"
    assert client_address("10.9.9.9", headers) == "10.9.9.9"  # not a proxy of ours
    assert client_address(None, {}) == "127.0.0.1"
