"""The alerts file: absent means alerting is off; a mistake or a secret written into it is one
line naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.alert_config import AlertsError, load_alerts
from connectors.quality import CHECK_NAMES_ZH

EMAIL = (
    "email: {host: mail.example.gov.cn, sender: a@example.gov.cn, recipients: [b@example.gov.cn]"
)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    monkeypatch.delenv("COCKPIT_ALERTS", raising=False)
    return tmp_path


def test_without_an_alerts_file_alerting_is_off(home: Path) -> None:
    assert load_alerts() is None


def test_an_alerts_file_named_by_cockpit_alerts_must_exist(home, monkeypatch) -> None:
    monkeypatch.setenv("COCKPIT_ALERTS", str(home / "elsewhere.yaml"))
    with pytest.raises(AlertsError) as caught:
        load_alerts()
    assert str(caught.value) == f"{home / 'elsewhere.yaml'}: no alerts file"


def test_defaults_of_a_small_file(home: Path) -> None:
    (home / "alerts.yaml").write_text(EMAIL + "}\n", encoding="utf-8")
    config = load_alerts()
    assert config is not None and config.webhook is None and config.email is not None
    assert (config.email.port, config.email.starttls, config.email.timeout_seconds) == (
        25,
        False,
        10,
    )
    assert (config.notify_resolved, config.statuses, config.checks) == (
        True,
        ("late", "stale", "failed"),
        None,
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("webhook: {}", "webhook: give exactly one of url and url_env"),
        ("webhook: {url: 'ftp://x/h'}", "webhook.url: must start with http:// or https://"),
        (
            "webhook: {url: 'https://oapi.dingtalk.com/robot/send?access_token=abc'}",
            "webhook.url: the URL carries a secret; give it through url_env",
        ),
        (
            "webhook: {url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc'}",
            "webhook.url: the URL carries a secret; give it through url_env",
        ),
        (
            "webhook: {url: 'https://u:pw@hooks.example.gov.cn/h'}",
            "webhook.url: the URL carries a secret; give it through url_env",
        ),
        (
            "webhook: {url: 'https://x/h', headers: {Authorization: Bearer abc}}",
            "webhook.headers.Authorization: secrets do not belong in the alerts file; "
            "name an environment variable with 'headers_env' instead",
        ),
        (
            "webhook: {url: 'https://x/h', headers: {X-Api-Key: abc}}",
            "webhook.headers.X-Api-Key: secrets do not belong in the alerts file; "
            "name an environment variable with 'headers_env' instead",
        ),
        (
            "webhook: {url: 'https://x/h', headers: {X-Team: 值班}}",
            "webhook.headers: header X-Team: HTTP headers take printable ASCII only",
        ),
        (
            EMAIL + ", password: hunter2}",
            "email.password: secrets do not belong in the alerts file; "
            "name an environment variable with 'password_env' instead",
        ),
        (
            EMAIL + ", username: cockpit}",
            "email: username needs password_env (the variable holding the password)",
        ),
        (
            "email: {host: h, sender: a@b, recipients: [b@c, 值班室]}",
            "email.recipients.1: '值班室' is not an e-mail address",
        ),
        ("email: {host: h, recipients: [b@c]}", "email.sender: Field required"),
        (
            "webhook: {url: 'https://x/h'}\nchecks: [jumps]",
            "checks: unknown check jumps (known: row_count, missing_areas, range, jump, duplicate)",
        ),
        (
            "webhook: {url: 'https://x/h'}\nchecks: [range, partial_period]",
            "checks: partial_period findings are notes (a period not over yet), never alerted; "
            "remove it from checks",
        ),
        (
            "webhook: {url: 'https://x/h'}\nstatuses: [never]",
            "statuses.0: Input should be 'late', 'stale' or 'failed'",
        ),
        ("webhook: {url: 'https://x/h'}\nwebhok: {}", "webhok: Extra inputs are not permitted"),
        ("notify_resolved: false", "(top level): configure webhook, email or both"),
        ("- webhook", "expected a mapping with webhook and/or email"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_and_field(
    home: Path, text: str, error: str
) -> None:
    path = home / "alerts.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(AlertsError) as caught:
        load_alerts()
    assert str(caught.value) == f"{path}: {error}"


def test_every_check_that_alerts_can_be_chosen(home: Path) -> None:
    names = [name for name in CHECK_NAMES_ZH if name != "partial_period"]
    (home / "alerts.yaml").write_text(
        f"webhook: {{url: 'https://x/h'}}\nchecks: [{', '.join(names)}]\n", encoding="utf-8"
    )
    config = load_alerts()
    assert config is not None and config.checks == tuple(names)


def test_headers_named_like_a_secret_come_through_headers_env(home: Path, monkeypatch) -> None:
    """The keys of headers_env are header names (their values are variables): X-Api-Key is
    no secret written into the file there."""
    (home / "alerts.yaml").write_text(
        "webhook:\n  url: https://x/h\n"
        "  headers_env: {X-Api-Key: HOOK_KEY, X-Api-Token: HOOK_TOKEN}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOOK_KEY", "k3y")
    monkeypatch.setenv("HOOK_TOKEN", "t0k3n")
    config = load_alerts()
    assert config is not None and config.webhook is not None
    assert config.webhook.target("webhook") == (
        "https://x/h",
        {"X-Api-Key": "k3y", "X-Api-Token": "t0k3n"},
    )


def test_variables_the_file_names_must_be_set(home: Path, monkeypatch) -> None:
    path = home / "alerts.yaml"
    path.write_text(
        "webhook: {url_env: ALERT_HOOK_URL, headers_env: {Authorization: ALERT_HOOK_AUTH}}\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("ALERT_HOOK_URL", raising=False)
    monkeypatch.delenv("ALERT_HOOK_AUTH", raising=False)
    with pytest.raises(AlertsError) as caught:
        load_alerts()
    assert str(caught.value) == (
        f"{path}: webhook.url_env: environment variable ALERT_HOOK_URL is not set "
        f"(nor in {home / 'secrets.env'})"
    )
    (home / "secrets.env").write_text("ALERT_HOOK_URL=https://x/h?access_token=s\n")
    with pytest.raises(AlertsError) as caught:
        load_alerts()
    assert str(caught.value).startswith(
        f"{path}: webhook.headers_env.Authorization: environment variable ALERT_HOOK_AUTH"
    )
    monkeypatch.setenv("ALERT_HOOK_AUTH", "Bearer t")
    config = load_alerts()
    assert config is not None and config.webhook is not None
    assert config.webhook.target("webhook") == (
        "https://x/h?access_token=s",
        {"Authorization": "Bearer t"},
    )
