"""The site's own secret key: it signs the sign-in cookie and keys the digests the audit log
keeps instead of unknown usernames, so neither can be made or guessed without it.

COCKPIT_SESSION_SECRET (environment, or COCKPIT_HOME/secrets.env like every other secret),
else COCKPIT_HOME/session.key, made on first use and readable by the service account only.
App servers behind one proxy must share it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from connectors.config import SECRETS_FILE, read_env_file
from indicators.settings import cockpit_home

SECRET_VARIABLE = "COCKPIT_SESSION_SECRET"
KEY_FILE = "session.key"
MIN_BYTES = 32


class SiteSecretError(ValueError):
    """The configured secret is too short to sign anything."""


def site_secret() -> bytes:
    configured = os.environ.get(SECRET_VARIABLE) or read_env_file(
        cockpit_home() / SECRETS_FILE
    ).get(SECRET_VARIABLE, "")
    if configured:
        return _long_enough(configured.encode(), SECRET_VARIABLE)
    path = cockpit_home() / KEY_FILE
    if not path.exists():
        _make_key(path)
    return _long_enough(path.read_bytes(), str(path))


def keyed_digest(text: str, length: int = 16) -> str:
    """A digest of `text` under the site secret (hex, `length` characters)."""
    return hmac.new(site_secret(), text.encode(), hashlib.sha256).hexdigest()[:length]


def _long_enough(secret: bytes, where: str) -> bytes:
    if len(secret) < MIN_BYTES:
        raise SiteSecretError(f"{where}: the site secret needs at least {MIN_BYTES} bytes")
    return secret


def _make_key(path: Path) -> None:
    """Write a new key under a temporary name and link it into place: a server starting at
    the same moment finds either no key or a whole one, never an empty file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(secrets.token_hex(32).encode())
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another server's key is in place: theirs it is
    finally:
        draft.unlink()
