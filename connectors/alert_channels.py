"""Sending one alert on each configured channel: a JSON POST to a webhook, an e-mail by SMTP.

A channel never raises: it answers None when the message was taken, else one line saying why
not, which never shows a secret (a webhook URL from `url_env` is shown by its variable, a plain
one redacted; header values and the SMTP password never).

The webhook body (`format: json`) is
`{"event": "raised"|"resolved"|"test", "key", "severity", "title", "message", "source",
"time": ISO 8601 in the display time zone, "text": "【驾驶舱告警】title：message"}`; receivers
that show a top-level `text` (Slack-compatible ones, Mattermost, Rocket.Chat) show the Chinese
line as it is. 钉钉 and 企业微信 group robots want their own shape, `format: robot`:
`{"msgtype": "text", "text": {"content": line}}`, and answer HTTP 200 with a nonzero `errcode`
when they refuse, which counts as a failure. Redirects are not followed, so the body and any
token in the URL go to the configured host only: a webhook is configured at its final address.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Any

import httpx

from connectors.alert_config import AlertConfig, EmailConfig, WebhookConfig
from connectors.config import SourcesError
from connectors.http_client import URL_IN_TEXT, redact_url
from indicators.formatting import local_time
from indicators.settings import display_timezone

EVENT_TAGS = {"raised": "【驾驶舱告警】", "resolved": "【驾驶舱恢复】", "test": "【驾驶舱测试】"}
SENDER_NAME = "政务驾驶舱"


@dataclass(frozen=True)
class Notice:
    """One message to operators: a problem raised or resolved, or a test."""

    event: str  # raised / resolved / test
    key: str
    severity: str  # warning / error / info
    title: str
    message: str
    source: str
    time: datetime  # aware

    @property
    def subject(self) -> str:
        return f"{EVENT_TAGS[self.event]}{self.title}"

    @property
    def line(self) -> str:
        return f"{self.subject}：{self.message}"


@dataclass(frozen=True)
class ChannelResult:
    channel: str  # webhook / email
    error: str | None  # None: the channel took the message


def deliver(config: AlertConfig, notice: Notice) -> list[ChannelResult]:
    """Send `notice` on every configured channel, each independently of the others."""
    results = []
    if config.webhook:
        results.append(ChannelResult("webhook", send_webhook(config.webhook, notice)))
    if config.email:
        results.append(ChannelResult("email", send_email(config.email, notice)))
    return results


# --- webhook -------------------------------------------------------------------------------------
def webhook_body(notice: Notice, fmt: str) -> dict[str, Any]:
    if fmt == "robot":
        return {"msgtype": "text", "text": {"content": notice.line}}
    return {
        "event": notice.event,
        "key": notice.key,
        "severity": notice.severity,
        "title": notice.title,
        "message": notice.message,
        "source": notice.source,
        "time": notice.time.astimezone(display_timezone()).isoformat(),
        "text": notice.line,
    }


def send_webhook(config: WebhookConfig, notice: Notice) -> str | None:
    try:
        url, headers = config.target("webhook")
    except SourcesError as exc:
        return str(exc)
    shown = f"${config.url_env}" if config.url_env else redact_url(url)
    try:
        response = httpx.post(
            url,
            json=webhook_body(notice, config.format),
            headers=headers,
            timeout=config.timeout_seconds,
            follow_redirects=False,
        )
    except (httpx.HTTPError, httpx.InvalidURL, UnicodeEncodeError) as exc:  # the last: a header
        return f"webhook {shown}: {type(exc).__name__}: {_scrubbed(str(exc), url, shown)}"
    if response.is_redirect:
        return f"webhook {shown}: HTTP {response.status_code} redirect (redirects are not followed)"
    if not response.is_success:
        return f"webhook {shown}: HTTP {response.status_code} {response.reason_phrase}"
    refusal = _robot_refusal(response) if config.format == "robot" else None
    return f"webhook {shown}: {refusal}" if refusal else None


def _robot_refusal(response: httpx.Response) -> str | None:
    """钉钉 and 企业微信 say no with HTTP 200 and {"errcode": n, "errmsg": …}."""
    try:
        answer = response.json()
    except ValueError:
        return "the robot's answer is not JSON"
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    return f"refused: errcode {code}: {answer.get('errmsg', '')}" if code else None


def _scrubbed(text: str, url: str, shown: str) -> str:
    """One line of an error text with the URL as it may be shown."""
    first = (text.replace(url, shown).splitlines() or ["no response"])[0]
    return URL_IN_TEXT.sub(lambda found: redact_url(found.group()), first)


# --- e-mail --------------------------------------------------------------------------------------
def email_message(config: EmailConfig, notice: Notice) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = notice.subject
    message["From"] = Address(SENDER_NAME, addr_spec=config.sender)
    message["To"] = ", ".join(config.recipients)
    message.set_content(
        "\n".join(
            [
                notice.title,
                notice.message,
                "",
                f"时间：{local_time(notice.time)}",
                f"数据源：{notice.source or '—'}",
                f"问题标识：{notice.key}",
                f"级别：{notice.severity}",
                "",
                f"—— {SENDER_NAME}自动发送，请勿直接回复",
            ]
        )
    )
    return message


def send_email(config: EmailConfig, notice: Notice) -> str | None:
    where = f"email via {config.host}:{config.port}"
    try:
        password = config.password("email")
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout_seconds) as smtp:
            if config.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if password is not None:
                smtp.login(config.username, password)
            smtp.send_message(email_message(config, notice))
    except SourcesError as exc:
        return str(exc)
    except UnicodeError as exc:  # its text quotes what would not encode: maybe the password
        return f"{where}: {type(exc).__name__}: a user name, password or address is not ASCII"
    except (smtplib.SMTPException, OSError, ValueError) as exc:  # the last: CR/LF in a header
        text = (str(exc).splitlines() or ["no answer"])[0]
        return f"{where}: {type(exc).__name__}: {text}"
    return None
