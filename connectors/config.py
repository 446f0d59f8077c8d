"""The sources file: which sources exist, which connector kind reads each, and their limits.

Secrets never live in this file: an option whose name ends in `_env` names an environment
variable that holds the value (`token_env: ENV_API_TOKEN`, `url_env: HOTLINE_DB_URL`), and
options named like a secret (token, password, secret, api_key) or URLs with a password are
refused when the file is loaded. Besides the process environment, variables may come from
`secrets.env` under COCKPIT_HOME (KEY=value lines, mode 600, like a systemd EnvironmentFile;
COCKPIT_HOME belongs outside the checkout in production, and `.cockpit/` is git-ignored);
`cockpit sample` writes the sample API's token there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from indicators.settings import cockpit_home

# Key names that hold secrets however they are spelt: token, accessToken, app_secret,
# x-api-key, PASSWORD, passwd, sign_key … (compared with case and separators removed).
SECRET_WORDS = ("token", "password", "passwd", "pwd", "secret", "apikey", "accesskey", "signkey")


class SourcesError(ValueError):
    """The sources file cannot be used; the message names the file and the field."""


class Strict(BaseModel):
    """Options models of the sources file and of every connector kind: an unknown key is a
    typo to report, not something to ignore."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LoadAgeLimits(Strict):
    """The load-age clock: how long since the last successful refresh before the source
    counts as late or stale. Independent of the period clock (see indicators.freshness)."""

    late_after_hours: float = Field(default=48, gt=0)
    stale_after_hours: float = Field(default=168, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> LoadAgeLimits:
        if self.stale_after_hours < self.late_after_hours:
            raise ValueError("stale_after_hours must not be below late_after_hours")
        return self


class QualityLimits(Strict):
    """Thresholds of the checks run on every load (connectors.quality)."""

    jump_sd: float = Field(default=4.0, gt=0)  # a change this many SDs from the usual is flagged
    min_history: int = Field(default=8, ge=3)  # changes needed before jumps are judged
    # …and only a change of at least this share of the previous value: +2 enterprises on a
    # smooth count of 300 is unusual but not news.
    jump_min_share: float = Field(default=0.01, ge=0)
    row_count_drop: float = Field(default=0.5, gt=0, lt=1)  # below this share of the median


class SourceConfig(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    name_zh: str = Field(min_length=1)
    name_en: str = ""
    owner: str = Field(min_length=1)  # 报送单位 / 责任单位
    contact: str = ""  # 联系人及电话: whom an operator calls when the source is late
    kind: str = Field(min_length=1)
    options: dict[str, Any] = Field(default_factory=dict)
    max_rejected: int = Field(default=0, ge=0)  # more rejected rows than this fails the run
    load_age: LoadAgeLimits = LoadAgeLimits()
    quality: QualityLimits = QualityLimits()


class SourcesFile(Strict):
    sources: tuple[SourceConfig, ...]
    base_dir: Path  # relative paths in options are resolved against the file's folder
    # Further folders file sources may read besides base_dir (top-level `folders:`), resolved.
    folders: tuple[Path, ...] = ()

    def get(self, source_id: str) -> SourceConfig:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources)
        raise SourcesError(f"unknown source '{source_id}' (configured: {known})")


def sources_path() -> Path:
    """COCKPIT_SOURCES, else sources.yaml under COCKPIT_HOME (where `cockpit sample` puts it)."""
    configured = os.environ.get("COCKPIT_SOURCES")
    return Path(configured).resolve() if configured else cockpit_home() / "sources.yaml"


def load_sources(path: Path | None = None) -> SourcesFile:
    path = path or sources_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(
            f"{path}: no sources file (run `cockpit sample` or set COCKPIT_SOURCES)"
        ) from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}".splitlines()[0]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), list):
        raise SourcesError(f"{path}: expected a mapping with a 'sources' list")
    for index, entry in enumerate(raw["sources"]):
        _refuse_secrets(entry, f"{path}: sources[{index}]")
    try:
        parsed = SourcesFile(
            sources=raw["sources"],
            base_dir=path.parent,
            folders=_listed_folders(raw.get("folders"), path),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SourcesError(f"{path}: {where}: {first['msg']}") from None
    seen: set[str] = set()
    for source in parsed.sources:
        if source.id in seen:
            raise SourcesError(f"{path}: source id '{source.id}' is declared twice")
        seen.add(source.id)
    return parsed


def _listed_folders(raw: Any, path: Path) -> tuple[Path, ...]:
    """The `folders:` list, each entry relative to the file's folder unless absolute and
    resolved; an entry that is no existing folder names itself."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise SourcesError(f"{path}: folders: expected a list of folders")
    folders = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, str) or not entry.strip():
            raise SourcesError(f"{path}: folders[{index}]: expected a folder path")
        folder = (path.parent / entry).resolve()
        if not folder.is_dir():
            raise SourcesError(f"{path}: folders[{index}]: {entry!r} is not a folder ({folder})")
        folders.append(folder)
    return tuple(folders)


def is_secret_name(key: str) -> bool:
    folded = re.sub(r"[^a-z0-9]", "", key.lower())
    return not folded.endswith("env") and folded.endswith(SECRET_WORDS)


def url_carries_secret(text: str) -> bool:
    """A URL with a password in its user part or a secret-named query parameter."""
    if "://" not in text:
        return False
    parts = urlsplit(text.strip())
    try:
        password = parts.password
    except ValueError:
        return False
    return bool(password) or any(is_secret_name(k) for k, _ in parse_qsl(parts.query))


def _refuse_secrets(node: Any, where: str) -> None:
    """Raise if a secret is written into the file instead of named by an *_env option."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}"
            if isinstance(key, str) and is_secret_name(key) and value not in (None, ""):
                raise SourcesError(
                    f"{here}: secrets do not belong in the sources file; "
                    f"name an environment variable with '{key}_env' instead"
                )
            _refuse_secrets(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _refuse_secrets(value, f"{where}[{index}]")
    elif isinstance(node, str) and url_carries_secret(node):
        raise SourcesError(f"{where}: URL contains a password; use url_env and the environment")


SECRETS_FILE = "secrets.env"


def secret_from_env(variable: str, where: str) -> str:
    """The value of the variable an *_env option names: the process environment first, then
    COCKPIT_HOME/secrets.env; a clear error when neither has it."""
    value = os.environ.get(variable) or read_env_file(cockpit_home() / SECRETS_FILE).get(variable)
    if not value:
        raise SourcesError(
            f"{where}: environment variable {variable} is not set "
            f"(nor in {cockpit_home() / SECRETS_FILE})"
        )
    return value


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines (comments and blank lines ignored); empty when the file is absent."""
    if not path.exists():
        return {}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.strip().startswith("#"):
            pairs[key.strip()] = value.strip().strip("\"'")
    return pairs
