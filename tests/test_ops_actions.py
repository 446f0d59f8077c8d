"""The operators' console's actions: a refresh clicked twice at once runs once and tells the
other click the source is busy; an uploaded template loads whole or not at all, with every
problem named by row and column; a run's rejected rows download as an .xlsx of plain text."""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pydantic import BaseModel

from cockpit.ops_actions import (
    MAX_UPLOAD_BYTES,
    Message,
    RefreshAttempt,
    UploadStatus,
    import_upload,
    refresh_now,
    rejections_workbook,
)
from connectors.base import Progress, ReadResult, SourceContext, ValueRow
from connectors.config import SourcesFile
from connectors.locks import source_lock
from connectors.registry import register
from connectors.template import MANUAL_SOURCE
from indicators.model import Frequency
from indicators.periods import Period
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from indicators.settings import local_today
from indicators.store import LoadRun, MetricStore, Rejection
from indicators.store.audit import entries
from tests.refresh_kinds import inline_sources
from tests.test_manual_connector import filled, row

# --- refresh now --------------------------------------------------------------------------------
GATE = threading.Event()  # the held connector hands its rows back once a test opens it


class HeldOptions(BaseModel):
    rows: list[tuple[str, str, str, float]]


@register("held", HeldOptions, "rows handed back once the test opens the gate (tests)")
@dataclass(frozen=True)
class HeldConnector:
    options: HeldOptions

    def read(self, context: SourceContext, progress: Progress) -> ReadResult:
        progress("read", 0, 1)
        if not GATE.wait(30):
            raise TimeoutError("the test never opened the gate")
        progress("read", 1, 1)
        rows = [ValueRow(*values) for values in self.options.rows]
        return ReadResult(rows=rows, rows_read=len(rows))


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    GATE.clear()
    yield GATE
    GATE.set()  # a failed test leaves no refresh waiting


def held_sources(tmp_path: Path) -> SourcesFile:
    rows = [("T_ORDERS", "2025-09", "city", 120), ("T_ORDERS", "2025-09", "east", 70)]
    source = {
        "id": "hotline_db",
        "name_zh": "12345热线",
        "owner": "市政务服务中心",
        "kind": "held",
        "options": {"rows": rows},
    }
    return SourcesFile(sources=[source], base_dir=tmp_path)


def test_two_clicks_at_once_refresh_once_and_the_other_is_told_busy(
    store: MetricStore, tiny_catalog: Catalog, tmp_path: Path, gate: threading.Event
) -> None:
    sources = held_sources(tmp_path)
    together = threading.Barrier(2)

    def click() -> tuple[RefreshAttempt, list[tuple[str, int, int | None]]]:
        calls: list[tuple[str, int, int | None]] = []
        together.wait(10)
        attempt = refresh_now(
            store, tiny_catalog, sources, "hotline_db", lambda *call: calls.append(call), "op"
        )
        return attempt, calls

    with ThreadPoolExecutor(2) as pool:
        ended = as_completed([pool.submit(click), pool.submit(click)], timeout=20)
        busy, busy_calls = next(ended).result()  # the refresh that runs waits for the gate
        gate.set()
        done, done_calls = next(ended).result()

    assert (busy.busy, busy.succeeded, busy.level, busy.outcome, busy_calls) == (
        True,
        False,
        "warning",
        None,
        [],
    )
    assert busy.notice == Message(
        "12345热线正在由其他操作员或定时任务刷新，请稍后再试",
        "hotline_db is being refreshed by another operator or a scheduled job; try again shortly",
    )
    assert (done.busy, done.succeeded, done.level, done.source) == (
        False,
        True,
        "success",
        "hotline_db",
    )
    assert done_calls == [("read", 0, 1), ("read", 1, 1), ("check", 0, 2), ("write", 2, 2)]
    run = done.outcome.run
    assert [r.id for r in store.runs()] == [run.id]
    assert (run.status, run.rows_written) == ("succeeded", 2)
    assert done.message("zh") == f"12345热线已刷新：写入 2 个数值（批次 #{run.id}）"
    assert done.message("en") == f"hotline_db refreshed: 2 values written (run {run.id})"

    third = refresh_now(store, tiny_catalog, sources, "hotline_db", lambda *call: None, "op")
    assert third.succeeded
    assert [r.status for r in store.runs()] == ["succeeded", "succeeded"]
    logged = [(e.actor, e.action, e.target, e.outcome) for e in entries(store.engine)]
    assert sorted(logged) == [
        ("op", "refresh", "hotline_db", "busy"),
        ("op", "refresh", "hotline_db", "ok"),
        ("op", "refresh", "hotline_db", "ok"),
    ]


def test_a_failed_refresh_says_why(
    store: MetricStore, tiny_catalog: Catalog, tmp_path: Path
) -> None:
    sources = inline_sources(tmp_path, env_api={"error": "connection refused by 10.1.2.3"})
    attempt = refresh_now(store, tiny_catalog, sources, "env_api", lambda *call: None, "op")
    assert (attempt.busy, attempt.level, attempt.outcome.run.status) == (False, "error", "failed")
    assert attempt.notice == Message(
        "env_api刷新失败，已有数据未改动：connection refused by 10.1.2.3",
        "env_api refresh failed, nothing was written: connection refused by 10.1.2.3",
    )


# --- a filled template uploaded -----------------------------------------------------------------
@pytest.fixture(scope="module")
def city_catalog() -> Catalog:
    return load_catalog(DEFAULT_CATALOG).catalog


@pytest.fixture
def manual_sources(tmp_path: Path) -> SourcesFile:
    source = {
        "id": MANUAL_SOURCE,
        "name_zh": "基层填报",
        "owner": "市统计局",
        "kind": "manual",
        "options": {"inbox": "inbox/*.xlsx"},
    }
    return SourcesFile(sources=[source], base_dir=tmp_path)


def workbook_bytes(catalog: Catalog, tmp_path: Path, rows: list[list]) -> bytes:
    return filled(catalog, tmp_path / "made.xlsx", rows).read_bytes()


def stored(store: MetricStore) -> list[tuple]:
    frame = store.values()
    return sorted(zip(frame.indicator_code, frame.period, frame.area, frame.value, strict=True))


GOOD_ROWS = [
    row("GOV_FIRES", "2025年9月", "全市", 3),
    row("GOV_FIRES", "2025年9月", "滨江区", 1),
    row("ECL_SEWAGE_TREATED", "2025年9月", "滨江区", "1,200", "吨"),  # 吨 → 万吨
]


def test_a_good_template_loads_its_cells(
    store: MetricStore, city_catalog: Catalog, manual_sources: SourcesFile, tmp_path: Path
) -> None:
    data = workbook_bytes(city_catalog, tmp_path, GOOD_ROWS)
    result = import_upload(store, city_catalog, manual_sources, "水务局9月.xlsx", data, "op")
    assert (result.status, result.loaded, result.level, result.problems) == (
        UploadStatus.loaded,
        True,
        "success",
        (),
    )
    assert stored(store) == [
        ("ECL_SEWAGE_TREATED", "2025-09", "binjiang", 0.12),
        ("GOV_FIRES", "2025-09", "binjiang", 1.0),
        ("GOV_FIRES", "2025-09", "xinhe", 3.0),
    ]
    run = result.outcome.run
    assert (run.source, run.status, run.rows_written) == (MANUAL_SOURCE, "succeeded", 3)
    assert result.notice == Message(
        f"水务局9月.xlsx：已导入 3 个数值（批次 #{run.id}）",
        f"水务局9月.xlsx: imported 3 values (run {run.id})",
    )
    (logged,) = entries(store.engine)
    assert (logged.actor, logged.action, logged.target, logged.outcome) == (
        "op", "upload", "水务局9月.xlsx", "ok"
    )  # fmt: skip
    assert logged.detail == {"run": run.id, "status": "loaded", "bytes": len(data), "problems": 0}


def test_two_bad_cells_are_named_and_nothing_is_written(
    store: MetricStore, city_catalog: Catalog, manual_sources: SourcesFile, tmp_path: Path
) -> None:
    good = import_upload(
        store,
        city_catalog,
        manual_sources,
        "a.xlsx",
        workbook_bytes(city_catalog, tmp_path, GOOD_ROWS),
        "op",
    )
    assert good.loaded
    values_before, runs_before = store.values(), store.runs()
    data = workbook_bytes(
        city_catalog,
        tmp_path,
        [
            row("GOV_FIRES", "2025年9月", "全市", "约100"),  # a number cell holding text
            row("GOV_FIRES", "2025年10月", "江北区", 5),  # no such district
            row("GOV_FIRES", "2025年10月", "滨江区", 2),  # good, and still not loaded
        ],
    )
    result = import_upload(
        store, city_catalog, manual_sources, r"C:\Users\李\Desktop\水务局10月.xlsx", data, "op"
    )
    assert (result.filename, result.status, result.level, result.outcome) == (
        "水务局10月.xlsx",
        UploadStatus.invalid,
        "error",
        None,
    )
    assert result.problems == (
        Rejection("水务局10月.xlsx row 3", "数值", "约100", "'约100' is not a number", "GOV_FIRES"),
        Rejection(
            "水务局10月.xlsx row 4",
            "地区",
            "江北区",
            "unknown area '江北区' (write 全市, a district's name or code)",
            "GOV_FIRES",
        ),
    )
    assert result.notice == Message(
        "水务局10月.xlsx：发现 2 处问题，未导入任何数据",
        "水务局10月.xlsx: 2 problem(s); nothing was imported",
    )
    assert store.values().equals(values_before)
    assert store.runs() == runs_before


def test_a_month_not_over_yet_fails_the_import_run_with_nothing_written(
    store: MetricStore, city_catalog: Catalog, manual_sources: SourcesFile, tmp_path: Path
) -> None:
    this_month = Period.containing(Frequency.month, local_today())
    data = workbook_bytes(city_catalog, tmp_path, [row("GOV_FIRES", this_month.label, "全市", 4)])
    result = import_upload(store, city_catalog, manual_sources, "a.xlsx", data, "op")
    assert result.status is UploadStatus.failed
    assert [(p.location, p.reason) for p in result.problems] == [
        (
            f"a.xlsx row 3 (GOV_FIRES {this_month.label} xinhe)",
            f"{this_month.label} is not over yet; report it after it ends",
        )
    ]
    assert result.outcome.run.status == "failed" and store.count_values() == 0
    assert (
        result.message("en")
        == f"a.xlsx: import failed, nothing was written: {result.outcome.run.message}"
    )


def test_a_file_that_is_no_workbook_names_the_file_not_a_temporary_folder(
    store: MetricStore, city_catalog: Catalog, manual_sources: SourcesFile
) -> None:
    result = import_upload(
        store, city_catalog, manual_sources, "notes.xlsx", b"not a workbook", "op"
    )
    assert result.status is UploadStatus.invalid
    assert result.problems == (
        Rejection(
            "notes.xlsx",
            "文件",
            "notes.xlsx",
            "not a readable .xlsx workbook (File is not a zip file)",
        ),
    )


@pytest.mark.parametrize(
    ("name", "size", "zh", "en"),
    [
        (
            "水务.xls",
            100,
            "水务.xls：只能上传 .xlsx 格式的填报表",
            "水务.xls: only a filled .xlsx template is accepted",
        ),
        (
            "../../etc/cron.d/job",
            100,
            "job：只能上传 .xlsx 格式的填报表",
            "job: only a filled .xlsx template is accepted",
        ),
        ("水务.XLSX", 0, "水务.XLSX：文件是空的", "水务.XLSX: the file is empty"),
        (
            "水务.xlsx",
            MAX_UPLOAD_BYTES + 1,
            "水务.xlsx：文件大小 10.0 MB，超过 10 MB 上限",
            "水务.xlsx: 10.0 MB is larger than the 10 MB limit",
        ),
    ],
)
def test_refused_before_it_is_opened(
    store: MetricStore,
    city_catalog: Catalog,
    manual_sources: SourcesFile,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    size: int,
    zh: str,
    en: str,
) -> None:
    def never(*args: object) -> None:
        raise AssertionError("a refused upload must not be parsed")

    monkeypatch.setattr("cockpit.ops_actions.validate_import", never)
    result = import_upload(store, city_catalog, manual_sources, name, b"x" * size, "op")
    assert (result.status, result.level, result.notice, result.problems) == (
        UploadStatus.refused,
        "error",
        Message(zh, en),
        (),
    )
    assert store.runs() == []


def test_an_upload_while_the_source_is_being_loaded_is_told_busy(
    store: MetricStore, city_catalog: Catalog, manual_sources: SourcesFile, tmp_path: Path
) -> None:
    data = workbook_bytes(city_catalog, tmp_path, GOOD_ROWS)
    with source_lock(store.engine, MANUAL_SOURCE):
        result = import_upload(store, city_catalog, manual_sources, "a.xlsx", data, "op")
    assert (result.status, result.level, result.message("en")) == (
        UploadStatus.busy,
        "warning",
        "manual_report is being refreshed by another operator or a scheduled job; try again shortly",
    )
    assert store.runs() == [] and store.count_values() == 0


def test_an_upload_without_a_manual_source_is_refused(
    store: MetricStore, city_catalog: Catalog, tmp_path: Path
) -> None:
    data = workbook_bytes(city_catalog, tmp_path, GOOD_ROWS)
    result = import_upload(store, city_catalog, held_sources(tmp_path), "a.xlsx", data, "op")
    assert (result.status, result.message("zh")) == (
        UploadStatus.refused,
        "a.xlsx：未配置基层填报数据源 manual_report",
    )
    assert result.message("en") == "a.xlsx: unknown source 'manual_report' (configured: hotline_db)"


# --- a run's rejected rows as Excel -------------------------------------------------------------
RUN = LoadRun(
    id=7,
    source="hotline_db",
    started_at=datetime(2026, 11, 25, 15, 14, 30, tzinfo=UTC),
    finished_at=datetime(2026, 11, 25, 15, 15, tzinfo=UTC),
    status="failed",
    rows_read=40,
    rows_written=0,
    rows_rejected=5,
    message="5 row(s) rejected, 0 allowed",
)
REJECTED = [
    Rejection("工单.csv row 7", "办结时间", "2026-13-01", "not a date"),
    Rejection("工单.csv row 8", "数值", "=cmd|' /C calc'!A0", "not a number"),
    Rejection("工单.csv row 9", "数值", "+1", "a sign alone is no number"),
    Rejection("工单.csv row 10", "备注", "响铃\x07了", "@mention is not a value"),
    Rejection("接口 page 3 item 9", "record", "{" * 40000, "not a JSON object"),
]


def test_rejected_rows_download_as_a_workbook_of_text() -> None:
    data = rejections_workbook(RUN, REJECTED, "12345热线")
    sheet = load_workbook(BytesIO(data)).active
    assert sheet.title == "未入库的行"
    assert list(sheet.iter_rows(values_only=True)) == [
        (
            "数据源：12345热线（hotline_db）　批次 #7　2026-11-25 23:14 北京时间　未入库 5 行",
            None,
            None,
            None,
        ),
        ("位置 location", "字段 field", "原值 value", "原因 reason"),
        ("工单.csv row 7", "办结时间", "2026-13-01", "not a date"),
        ("工单.csv row 8", "数值", "=cmd|' /C calc'!A0", "not a number"),
        ("工单.csv row 9", "数值", "+1", "a sign alone is no number"),
        ("工单.csv row 10", "备注", "响铃\ufffd了", "@mention is not a value"),
        ("接口 page 3 item 9", "record", "{" * 32767, "not a JSON object"),  # Excel's limit
    ]
    assert {cell.data_type for line in sheet.iter_rows() for cell in line if cell.value} == {"s"}
    quoted = [cell.coordinate for line in sheet.iter_rows() for cell in line if cell.quotePrefix]
    assert quoted == ["C4", "C5", "D6"]
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:D7"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:D1"]
    widths = [sheet.column_dimensions[c].width for c in "ABCD"]
    assert widths == [36, 16, 28, 70]
    with zipfile.ZipFile(BytesIO(data)) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no cell is a formula


def test_a_run_without_rejections_downloads_its_title_and_header() -> None:
    sheet = load_workbook(BytesIO(rejections_workbook(RUN, [], "12345热线"))).active
    assert [line[0] for line in sheet.iter_rows(values_only=True)] == [
        "数据源：12345热线（hotline_db）　批次 #7　2026-11-25 23:14 北京时间　未入库 0 行",
        "位置 location",
    ]


def test_an_upload_with_a_formula_is_refused_whole_and_nothing_written(
    store: MetricStore, city_catalog: Catalog, manual_sources: SourcesFile, tmp_path: Path
) -> None:
    path = filled(
        city_catalog, tmp_path / "made.xlsx", [row("GOV_FIRES", "2025年9月", "全市", "=1+2")]
    )
    result = import_upload(store, city_catalog, manual_sources, "a.xlsx", path.read_bytes(), "op")
    assert (result.status, [p.reason for p in result.problems]) == (
        UploadStatus.invalid, ["cell formulas in xl/worksheets/sheet1.xml: fill in values only"]
    )  # fmt: skip
    assert store.values().empty and store.runs() == []
