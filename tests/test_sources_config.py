"""The sources file: valid sources load, secrets are refused in the file and read from the
environment (or COCKPIT_HOME/secrets.env), and every mistake names the file and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from connectors.config import SourcesError, load_sources, secret_from_env
from connectors.registry import ConnectorConfigError, build_connector, load_kinds
from indicators.model import Kind
from indicators.registry import DEFAULT_CATALOG, load_catalog

SAMPLE_SOURCES = Path(__file__).parents[1] / "sample_data" / "sources.yaml"
HEAD = "sources:\n  - id: env_api\n    name_zh: 环境\n    owner: 市生态环境局\n    kind: http\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sample_sources_cover_every_source_the_catalog_names() -> None:
    sources = load_sources(SAMPLE_SOURCES)
    catalog = load_catalog(DEFAULT_CATALOG).catalog
    named = {ind.source.connector for ind in catalog if ind.kind is Kind.base}
    assert named <= {s.id for s in sources.sources}
    assert sources.base_dir == SAMPLE_SOURCES.parent
    for source in sources.sources:  # every stanza builds a connector of a registered kind
        build_connector(source.kind, source.options, source.id)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("    options: {token: abc}\n", "sources[0].options.token: secrets do not belong"),
        ("    options: {headers: {api_key: abc}}\n", "options.headers.api_key: secrets do not"),
        (
            "    options: {url: 'postgresql://etl:s3cret@db/x'}\n",
            "sources[0].options.url: URL contains a password; use url_env",
        ),
        ("    options: {url: 'postgresql://etl@db/x?password=s3cret'}\n", "URL contains a"),
        ("    options: {url: 'mysql://:pw@db/x'}\n", "URL contains a password"),
        ("    options: {headers: {appSecret: abc}}\n", "options.headers.appSecret: secrets"),
        ("    options: {headers: {accessToken: abc}}\n", "headers.accessToken: secrets do"),
        ("    options: {headers: {x-api-key: abc}}\n", "headers.x-api-key: secrets do not"),
    ],
)
def test_secrets_in_the_file_are_refused(tmp_path: Path, options: str, message: str) -> None:
    with pytest.raises(SourcesError, match=re.escape(message)):
        load_sources(write(tmp_path, HEAD + options))


def test_mistakes_name_the_file_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "    max_rejected: -1\n")
    with pytest.raises(SourcesError, match=rf"^{path}: sources\.0\.max_rejected: "):
        load_sources(path)
    with pytest.raises(SourcesError, match="declared twice"):
        load_sources(write(tmp_path, HEAD + HEAD.removeprefix("sources:\n")))
    with pytest.raises(SourcesError, match="no sources file"):
        load_sources(tmp_path / "missing.yaml")
    with pytest.raises(SourcesError, match="unknown source 'nope'"):
        load_sources(write(tmp_path, HEAD)).get("nope")


def test_unknown_kinds_and_bad_options_are_clear() -> None:
    with pytest.raises(ConnectorConfigError, match="x: unknown connector kind 'ftp'"):
        build_connector("ftp", {}, "x")
    with pytest.raises(ConnectorConfigError, match=r"^x: options"):
        build_connector("http", {"no_such_option": 1}, "x")
    assert {"files", "sql", "http", "manual"} <= set(load_kinds())


def test_secrets_come_from_the_environment_then_secrets_env(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    monkeypatch.delenv("SAMPLE_TOKEN", raising=False)
    with pytest.raises(SourcesError, match="env_api: environment variable SAMPLE_TOKEN is not set"):
        secret_from_env("SAMPLE_TOKEN", "env_api")
    (tmp_path / "secrets.env").write_text('# tokens\nSAMPLE_TOKEN="from-file"\n', encoding="utf-8")
    assert secret_from_env("SAMPLE_TOKEN", "env_api") == "from-file"
    monkeypatch.setenv("SAMPLE_TOKEN", "from-env")
    assert secret_from_env("SAMPLE_TOKEN", "env_api") == "from-env"


def test_names_of_variables_and_plain_options_are_not_secrets(tmp_path: Path) -> None:
    options = "    options: {token_env: T, url_env: U, auth_header: X-Token-Name, since_param: s}\n"
    assert load_sources(write(tmp_path, HEAD + options)).sources[0].options["token_env"] == "T"
