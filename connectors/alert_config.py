"""The alerts file: where operators are told that a source turned late, stale or failed or a
quality check fired (`connectors.alerts` decides what, `connectors.alert_channels` sends).

`alerts.yaml` under COCKPIT_HOME, or the file COCKPIT_ALERTS names; without it alerting is off.
As in the sources file, secrets are never written here: a webhook URL that carries a token comes
through `url_env`, header values through `headers_env`, the SMTP password through
`password_env`, each naming a variable of the environment or of COCKPIT_HOME/secrets.env.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlsplit

import yaml
from pydantic import AfterValidator, Field, ValidationError, field_validator, model_validator

from connectors.config import (
    SourcesError,
    Strict,
    is_secret_name,
    secret_from_env,
    url_carries_secret,
)
from connectors.http_client import SECRET_PARAM_NAME
from connectors.quality import CHECK_NAMES_ZH
from indicators.settings import cockpit_home

# Checks whose findings are notes (severity info, connectors.validation: values of a period
# not over yet): they never alert, so `checks:` refuses them rather than accept a silent no-op.
NOTE_CHECKS = ("partial_period",)
# Header names that carry credentials without saying so.
SECRET_HEADERS = ("authorization", "proxy-authorization", "cookie")
ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+")


def _address(text: str) -> str:
    if not ADDRESS.fullmatch(text):
        raise ValueError(f"'{text}' is not an e-mail address")
    return text


Address = Annotated[str, AfterValidator(_address)]


class AlertsError(ValueError):
    """The alerts file cannot be used; the message names the file and the field."""


class WebhookConfig(Strict):
    """A JSON POST per alert. `format: robot` sends the body 钉钉 and 企业微信 group robots
    expect (see connectors.alert_channels)."""

    url: str = ""
    url_env: str = ""
    format: Literal["json", "robot"] = "json"
    timeout_seconds: float = Field(default=10, gt=0)
    headers: dict[str, str] = Field(default_factory=dict)
    headers_env: dict[str, str] = Field(default_factory=dict)  # header name → variable

    @model_validator(mode="after")
    def _one_url(self) -> WebhookConfig:
        if bool(self.url) == bool(self.url_env):
            raise ValueError("give exactly one of url and url_env")
        return self

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if url and not url.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return url

    @field_validator("headers")
    @classmethod
    def _ascii_headers(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, value in headers.items():
            if not f"{name}{value}".isascii() or not value.isprintable():
                raise ValueError(f"header {name}: HTTP headers take printable ASCII only")
        return headers

    def target(self, where: str) -> tuple[str, dict[str, str]]:
        """The URL and headers to send to, secrets read from the environment now."""
        url = self.url or secret_from_env(self.url_env, f"{where}.url_env")
        secret_headers = {
            name: secret_from_env(variable, f"{where}.headers_env.{name}")
            for name, variable in self.headers_env.items()
        }
        return url, {**self.headers, **secret_headers}


class EmailConfig(Strict):
    """Plain SMTP, upgraded with STARTTLS when `starttls`; a login when `username` is set."""

    host: str = Field(min_length=1)
    port: int = Field(default=25, gt=0, lt=65536)
    starttls: bool = False
    username: str = ""
    password_env: str = ""
    sender: Address
    recipients: tuple[Address, ...] = Field(min_length=1)
    timeout_seconds: float = Field(default=10, gt=0)

    @model_validator(mode="after")
    def _login_has_password(self) -> EmailConfig:
        if self.username and not self.password_env:
            raise ValueError("username needs password_env (the variable holding the password)")
        return self

    def password(self, where: str) -> str | None:
        """The SMTP password from the environment now; None without a login."""
        if not self.username:
            return None
        return secret_from_env(self.password_env, f"{where}.password_env")


class AlertConfig(Strict):
    webhook: WebhookConfig | None = None
    email: EmailConfig | None = None
    notify_resolved: bool = True  # send a 恢复 notice when a problem alerted goes away
    statuses: tuple[Literal["late", "stale", "failed"], ...] = ("late", "stale", "failed")
    checks: tuple[str, ...] | None = None  # quality checks that alert; None: all

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, checks: tuple[str, ...] | None) -> tuple[str, ...] | None:
        alerting = [name for name in CHECK_NAMES_ZH if name not in NOTE_CHECKS]
        for name in checks or ():
            if name in NOTE_CHECKS:
                raise ValueError(
                    f"{name} findings are notes (a period not over yet), never alerted; "
                    "remove it from checks"
                )
            if name not in CHECK_NAMES_ZH:
                raise ValueError(f"unknown check {name} (known: {', '.join(alerting)})")
        return checks

    @model_validator(mode="after")
    def _has_a_channel(self) -> AlertConfig:
        if self.webhook is None and self.email is None:
            raise ValueError("configure webhook, email or both")
        return self


def alerts_path() -> Path:
    configured = os.environ.get("COCKPIT_ALERTS")
    return Path(configured).resolve() if configured else cockpit_home() / "alerts.yaml"


def load_alerts(path: Path | None = None) -> AlertConfig | None:
    """The alerts configuration; None when alerting is off (no alerts.yaml under COCKPIT_HOME).
    A file named explicitly (argument or COCKPIT_ALERTS) must exist."""
    explicit = path is not None or "COCKPIT_ALERTS" in os.environ
    path = path or alerts_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if explicit:
            raise AlertsError(f"{path}: no alerts file") from None
        return None
    except yaml.YAMLError as exc:
        raise AlertsError(f"{path}: not valid YAML: {exc}".splitlines()[0]) from None
    if not isinstance(raw, dict):
        raise AlertsError(f"{path}: expected a mapping with webhook and/or email")
    _refuse_secrets(raw, "", path)
    try:
        config = AlertConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        raise AlertsError(f"{path}: {where}: {message}") from None
    try:  # the variables the file names must be set before anything is sent
        if config.webhook:
            config.webhook.target(f"{path}: webhook")
        if config.email:
            config.email.password(f"{path}: email")
    except SourcesError as exc:
        raise AlertsError(str(exc)) from None
    return config


def _refuse_secrets(node: Any, where: str, path: Path) -> None:
    """Raise if a secret is written into the file instead of named by an *_env option (the
    sources file's rule, plus credential headers)."""
    if isinstance(node, dict):
        # The keys of an *_env mapping (headers_env) are names whose values are variables.
        variables = where.rpartition(".")[2].endswith("_env")
        for key, value in node.items():
            here = f"{where}.{key}" if where else str(key)
            header = where.endswith("headers")
            named = (
                isinstance(key, str)
                and not variables
                and (is_secret_name(key) or (header and key.lower() in SECRET_HEADERS))
            )
            if named and value not in (None, ""):
                option = "headers_env" if header else f"{key}_env"
                raise AlertsError(
                    f"{path}: {here}: secrets do not belong in the alerts file; "
                    f"name an environment variable with '{option}' instead"
                )
            _refuse_secrets(value, here, path)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _refuse_secrets(value, f"{where}[{index}]", path)
    elif isinstance(node, str) and _url_has_secret(node):
        raise AlertsError(f"{path}: {where}: the URL carries a secret; give it through url_env")


def _url_has_secret(text: str) -> bool:
    """The sources file's rule, and query parameters named like a secret in any way (企业微信's
    `key`, 钉钉's `access_token` and `sign`)."""
    if url_carries_secret(text):
        return True
    query = urlsplit(text.strip()).query if "://" in text else ""
    return any(SECRET_PARAM_NAME.search(name) for name, _ in parse_qsl(query))
