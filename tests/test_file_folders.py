"""File sources read only inside the sources file's folder and the folders its `folders:`
lists: a glob reaching elsewhere is refused before anything is read, and a file in an inbox
that links elsewhere is rejected by name and never read. Real files and real symlinks."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from connectors.base import ReadResult, Rejection, SourceContext, no_progress
from connectors.config import SourcesError, SourcesFile, load_sources
from connectors.folders import LINKS_OUTSIDE, OWN_FILE
from connectors.refresh import refresh_source
from connectors.registry import ConnectorConfigError, build_connector
from connectors.sql_session import SqlSourceError
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from indicators.store import ValueRow, open_store
from tests.test_manual_connector import filled, row

ELECTRICITY = {
    "name": "电力运行月报",
    "item_column": "指标名称",
    "period": "file_name",
    "columns": [{"item": "全社会用电量", "indicator": "ECO_ELECTRICITY"}],
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEFAULT_CATALOG).catalog


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """The sources file's folder; `outside` and `shared` are its siblings."""
    for name in ("config", "outside", "shared"):
        (tmp_path / name).mkdir()
    return tmp_path / "config"


def electricity(path: Path, value: str) -> Path:
    """A 电力运行月报 CSV whose file name gives the period."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["指标名称", "10月"], ["全社会用电量", value]])
    return path


def read_files(context: SourceContext, *files: str) -> ReadResult:
    tables = [{**ELECTRICITY, "files": pattern} for pattern in files]
    return build_connector("files", {"tables": tables}, "t").read(context, no_progress)


def read_inbox(context: SourceContext, inbox: str) -> ReadResult:
    return build_connector("manual", {"inbox": inbox}, "manual_report").read(context, no_progress)


def outside_message(option: str, pattern: str, *folders: Path) -> str:
    shown = ", ".join(str(folder.resolve()) for folder in folders)
    return (
        f"{option}: {pattern} is outside the folders this sources file may read ({shown}); "
        "list the folder under folders:"
    )


def sources_file(config: Path, text: str) -> SourcesFile:
    path = config / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return load_sources(path)


MANUAL_SOURCE = """
  - id: manual_report
    name_zh: 基层填报
    owner: 市政府办公室
    kind: manual
    options: {{inbox: "{inbox}"}}
"""


# --- patterns ---------------------------------------------------------------------------------
def test_a_relative_pattern_climbing_out_is_refused(
    catalog: Catalog, config: Path, tmp_path: Path
) -> None:
    electricity(tmp_path / "outside" / "电力运行月报_2026年10月.csv", "12.05")
    context = SourceContext(catalog, config)
    message = outside_message("options.tables[0].files", "../outside/*.csv", config)
    with pytest.raises(ConnectorConfigError) as refused:
        read_files(context, "../outside/*.csv")
    assert str(refused.value) == message
    message = outside_message("options.inbox", "../../etc/*", config)
    with pytest.raises(ConnectorConfigError) as refused:
        read_inbox(context, "../../etc/*")
    assert str(refused.value) == message


def test_an_absolute_pattern_outside_is_refused(catalog: Catalog, config: Path) -> None:
    context = SourceContext(catalog, config)
    with pytest.raises(ConnectorConfigError) as refused:
        read_inbox(context, "/etc/*")
    assert str(refused.value) == outside_message("options.inbox", "/etc/*", config)


def test_going_up_after_a_wildcard_is_refused(catalog: Catalog, config: Path) -> None:
    (config / "inbox").mkdir()
    with pytest.raises(ConnectorConfigError) as refused:
        read_inbox(SourceContext(catalog, config), "inbox/*/../../../outside/*.xlsx")
    assert str(refused.value) == (
        "options.inbox: inbox/*/../../../outside/*.xlsx goes up (..) after a wildcard, so the "
        "folders it reads cannot be checked; write the folder before any * ? ["
    )


def test_an_absolute_pattern_inside_a_listed_folder_is_read(
    catalog: Catalog, config: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    electricity(shared / "电力运行月报_2026年10月.csv", "12.05")
    sources = sources_file(config, "folders: [../shared]\nsources: []\n")
    assert sources.folders == (shared.resolve(),)
    context = SourceContext(catalog, sources.base_dir, folders=sources.folders)
    result = read_files(context, f"{shared}/*.csv")
    assert result.rejections == []
    assert result.rows == [
        ValueRow("ECO_ELECTRICITY", "2026-10", "xinhe", 12.05, origin=result.rows[0].origin)
    ]
    unlisted = SourceContext(catalog, sources.base_dir)  # the same glob without folders:
    with pytest.raises(ConnectorConfigError, match=re.escape("is outside the folders")):
        read_files(unlisted, f"{shared}/*.csv")


def test_a_refresh_reads_listed_folders_and_fails_on_others(
    catalog: Catalog, config: Path, tmp_path: Path
) -> None:
    """refresh_source hands the sources file's folders to the connector."""
    shared, outside = tmp_path / "shared", tmp_path / "outside"
    filled(catalog, shared / "a.xlsx", [row("GOV_FIRES", "2026年10月", "全市", 10)])
    filled(catalog, outside / "b.xlsx", [row("GOV_FIRES", "2026年9月", "全市", 99)])
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        listed = sources_file(
            config,
            "folders: ["
            + str(shared)
            + "]\nsources:"
            + MANUAL_SOURCE.format(inbox=f"{shared}/*.xlsx"),
        )
        assert refresh_source(store, catalog, listed, "manual_report").succeeded
        not_listed = sources_file(
            config, "sources:" + MANUAL_SOURCE.format(inbox=f"{outside}/*.xlsx")
        )
        failed = refresh_source(store, catalog, not_listed, "manual_report")
        assert failed.run.message == outside_message("options.inbox", f"{outside}/*.xlsx", config)
        frame = store.values()
        assert list(zip(frame.period, frame.value, strict=True)) == [("2026-10", 10.0)]
    finally:
        store.engine.dispose()


# --- links ------------------------------------------------------------------------------------
def test_a_link_out_of_the_inbox_is_rejected_and_not_read(
    catalog: Catalog, config: Path, tmp_path: Path
) -> None:
    inbox = config / "inbox"
    inbox.mkdir()
    filled(catalog, inbox / "a.xlsx", [row("GOV_FIRES", "2026年10月", "全市", 10)])
    secret = tmp_path / "outside" / "secret.xlsx"
    filled(catalog, secret, [row("GOV_FIRES", "2026年9月", "全市", 99)])
    (inbox / "b.xlsx").symlink_to(secret)
    result = read_inbox(SourceContext(catalog, config), "inbox/*.xlsx")
    assert result.rows == [ValueRow("GOV_FIRES", "2026-10", "xinhe", 10.0, origin="a.xlsx row 3")]
    assert result.rejections == [Rejection("b.xlsx", "file", str(inbox / "b.xlsx"), LINKS_OUTSIDE)]
    assert result.rejections[0].describe() == (
        f"b.xlsx: file: links outside the configured folders ('{inbox / 'b.xlsx'}')"
    )
    assert result.rows_read == 1  # the linked workbook's row was never looked at


def test_the_cockpits_own_files_are_never_read_even_from_its_home(
    catalog: Catalog, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cockpit sample` puts the sources file in COCKPIT_HOME, beside the site secret, the
    secrets file and the embedded store: a link to them, or a glob over them, reads nothing."""
    monkeypatch.setenv("COCKPIT_HOME", str(config))
    monkeypatch.delenv("COCKPIT_DATABASE_URL", raising=False)
    (config / "session.key").write_text("k" * 64)
    (config / "secrets.env").write_text("TOKEN=abc\n")
    inbox = config / "inbox"
    inbox.mkdir()
    (inbox / "key.xlsx").symlink_to(config / "session.key")
    result = read_inbox(SourceContext(catalog, config), "inbox/*.xlsx")
    assert [(r.location, r.reason) for r in result.rejections] == [("key.xlsx", OWN_FILE)]
    assert result.rows_read == 0
    direct = read_inbox(SourceContext(catalog, config), "secrets.*")
    assert [(r.location, r.reason) for r in direct.rejections] == [("secrets.env", OWN_FILE)]
    open_store().engine.dispose()  # the embedded store, cockpit.db, exists
    sql = {"name": "q", "sql": "SELECT 1 AS n", "values": {"n": "GOV_FIRES"}}
    source = build_connector("sql", {"url": "sqlite:///cockpit.db", "queries": [sql]}, "x")
    with pytest.raises(SqlSourceError, match=f"cockpit.db {re.escape(OWN_FILE)}"):
        source.read(SourceContext(catalog, config), no_progress)


def test_a_link_out_of_a_table_folder_is_rejected_and_not_read(
    catalog: Catalog, config: Path, tmp_path: Path
) -> None:
    """A linked file and a linked folder alike; the sibling normal file is read."""
    stats, outside = config / "stats", tmp_path / "outside"
    (stats / "here").mkdir(parents=True)
    electricity(stats / "here" / "电力运行月报_2026年10月.csv", "12.05")
    electricity(outside / "电力运行月报_2026年9月.csv", "99")
    (outside / "more").mkdir()
    electricity(outside / "more" / "电力运行月报_2026年8月.csv", "98")
    (stats / "电力运行月报_2026年9月.csv").symlink_to(outside / "电力运行月报_2026年9月.csv")
    (stats / "more").symlink_to(outside / "more", target_is_directory=True)
    result = read_files(SourceContext(catalog, config), "stats/*.csv", "stats/*/*.csv")
    assert [(r.period, r.value) for r in result.rows] == [("2026-10", 12.05)]
    linked = [stats / "电力运行月报_2026年9月.csv", stats / "more" / "电力运行月报_2026年8月.csv"]
    assert result.rejections == [
        Rejection(path.name, "file", str(path), LINKS_OUTSIDE) for path in linked
    ]
    assert result.rows_read == 1


def test_a_link_that_stays_inside_is_read(catalog: Catalog, config: Path, tmp_path: Path) -> None:
    inbox, archive, shared = config / "inbox", config / "archive", tmp_path / "shared"
    inbox.mkdir()
    archive.mkdir()
    filled(catalog, archive / "2026.xlsx", [row("GOV_FIRES", "2026年10月", "全市", 10)])
    filled(catalog, shared / "9.xlsx", [row("GOV_FIRES", "2026年9月", "全市", 9)])
    (inbox / "latest.xlsx").symlink_to(Path("..") / "archive" / "2026.xlsx")
    (inbox / "shared.xlsx").symlink_to(shared / "9.xlsx")
    context = SourceContext(catalog, config, folders=(shared,))
    result = read_inbox(context, "inbox/*.xlsx")
    assert result.rejections == []
    assert [(r.period, r.value, r.origin) for r in result.rows] == [
        ("2026-10", 10.0, "latest.xlsx row 3"),
        ("2026-09", 9.0, "shared.xlsx row 3"),
    ]


# --- the folders: list ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("listed", "message"),
    [
        ("[../shared, missing]", "folders[1]: 'missing' is not a folder ({config}/missing)"),
        ("[sources.yaml]", "folders[0]: 'sources.yaml' is not a folder ({config}/sources.yaml)"),
        ("../shared", "folders: expected a list of folders"),
        ("[1]", "folders[0]: expected a folder path"),
        ("['']", "folders[0]: expected a folder path"),
    ],
)
def test_a_bad_folders_entry_is_one_line(config: Path, listed: str, message: str) -> None:
    path = config / "sources.yaml"
    with pytest.raises(SourcesError) as refused:
        sources_file(config, f"folders: {listed}\nsources: []\n")
    assert str(refused.value) == f"{path}: " + message.format(config=config.resolve())


def test_folders_are_optional_and_resolved(config: Path, tmp_path: Path) -> None:
    assert sources_file(config, "sources: []\n").folders == ()
    sources = sources_file(config, f"folders: [../shared, {tmp_path / 'outside'}]\nsources: []\n")
    assert sources.folders == ((tmp_path / "shared").resolve(), (tmp_path / "outside").resolve())
