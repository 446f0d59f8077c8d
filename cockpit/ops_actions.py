"""What the operators' console (/ops) does, without Streamlit: refresh a source now, load a
基层填报 template uploaded through the browser, and hand out a run's rejected rows as Excel.

Each action returns what happened as data (busy, refused, every problem by row and cell)
instead of raising, so the page only lays it out and every outcome is tested without a browser.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Literal

from cockpit.i18n import Lang
from cockpit.text_workbook import text_workbook
from connectors.base import Progress
from connectors.config import SourceConfig, SourcesError, SourcesFile
from connectors.locks import SourceBusyError
from connectors.manual import validate_import
from connectors.refresh import RefreshOutcome, import_rows, refresh_source
from connectors.template import MANUAL_SOURCE
from indicators.formatting import local_time
from indicators.registry import Catalog
from indicators.store import LoadRun, MetricStore, Rejection
from indicators.store.audit import log

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a bureau's year of figures is far below 1 MB
Level = Literal["success", "warning", "error"]  # how the console shows an outcome


@dataclass(frozen=True)
class Message:
    """What the console tells the operator, in both of its languages."""

    zh: str
    en: str

    def text(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


# --- refresh now --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RefreshAttempt:
    source: str
    outcome: RefreshOutcome | None  # None: another refresh held the source and nothing ran
    notice: Message

    @property
    def busy(self) -> bool:
        return self.outcome is None

    @property
    def succeeded(self) -> bool:
        return self.outcome is not None and self.outcome.succeeded

    @property
    def level(self) -> Level:
        return "success" if self.succeeded else "warning" if self.busy else "error"

    def message(self, lang: Lang) -> str:
        return self.notice.text(lang)


def refresh_now(
    store: MetricStore,
    catalog: Catalog,
    sources: SourcesFile,
    source_id: str,
    progress: Progress,
    actor: str,
) -> RefreshAttempt:
    """Refresh one source at once, on the audit log as `actor`'s. An operator's click never
    queues behind another refresh (another operator, cron): the attempt says the source is
    busy instead."""
    config = sources.get(source_id)
    try:
        outcome = refresh_source(store, catalog, sources, source_id, progress, wait_seconds=0)
    except SourceBusyError:
        log(store.engine, actor, "refresh", source_id, "busy")
        return RefreshAttempt(source_id, None, _busy(config))
    run = outcome.run
    log(store.engine, actor, "refresh", source_id, _outcome(outcome), run=run.id)
    if outcome.succeeded:
        notice = Message(
            f"{config.name_zh}已刷新：写入 {run.rows_written} 个数值（批次 #{run.id}）",
            f"{source_id} refreshed: {run.rows_written} values written (run {run.id})",
        )
    else:
        notice = Message(
            f"{config.name_zh}刷新失败，已有数据未改动：{run.message}",
            f"{source_id} refresh failed, nothing was written: {run.message}",
        )
    return RefreshAttempt(source_id, outcome, notice)


def _outcome(outcome: RefreshOutcome) -> str:
    return "ok" if outcome.succeeded else "failed"


def _busy(config: SourceConfig) -> Message:
    return Message(
        f"{config.name_zh}正在由其他操作员或定时任务刷新，请稍后再试",
        f"{config.id} is being refreshed by another operator or a scheduled job; try again shortly",
    )


# --- a filled template uploaded -----------------------------------------------------------------
class UploadStatus(StrEnum):
    refused = "refused"  # not read: not .xlsx, empty, too large, or no 基层填报 source configured
    invalid = "invalid"  # read with problems: nothing loaded and no run recorded
    busy = "busy"  # another import or refresh of 基层填报 is running
    failed = "failed"  # the load run refused it (e.g. a month not over yet): nothing written
    loaded = "loaded"


@dataclass(frozen=True)
class UploadResult:
    filename: str  # as uploaded, without any folder
    status: UploadStatus
    notice: Message  # one line
    problems: tuple[Rejection, ...] = ()  # file and row, cell's column, value, reason
    outcome: RefreshOutcome | None = None  # the import's load run, when one ran

    @property
    def loaded(self) -> bool:
        return self.status is UploadStatus.loaded

    @property
    def level(self) -> Level:
        if self.status is UploadStatus.loaded:
            return "success"
        return "warning" if self.status is UploadStatus.busy else "error"

    def message(self, lang: Lang) -> str:
        return self.notice.text(lang)


def import_upload(
    store: MetricStore,
    catalog: Catalog,
    sources: SourcesFile,
    filename: str,
    data: bytes,
    actor: str,
) -> UploadResult:
    """Load a filled 基层填报 template as `cockpit import` does: the whole workbook is checked
    first and any problem loads nothing. It is checked under its own file name, so every
    problem names the file the bureau sent. Whatever happens is on the audit log."""
    result = _import_upload(store, catalog, sources, filename, data)
    run = result.outcome.run.id if result.outcome else None
    outcome = {UploadStatus.loaded: "ok", UploadStatus.busy: "busy"}.get(result.status, "failed")
    detail = {"status": result.status.value, "bytes": len(data), "problems": len(result.problems)}
    log(store.engine, actor, "upload", result.filename, outcome, run=run, **detail)
    return result


def _import_upload(
    store: MetricStore, catalog: Catalog, sources: SourcesFile, filename: str, data: bytes
) -> UploadResult:
    name = PurePosixPath(filename.replace("\\", "/")).name  # a browser may send C:\…\a.xlsx
    refusal = _refusal(name, data)
    if refusal:
        return UploadResult(name, UploadStatus.refused, refusal)
    try:
        config = sources.get(MANUAL_SOURCE)
    except SourcesError as exc:
        notice = Message(f"{name}：未配置基层填报数据源 {MANUAL_SOURCE}", f"{name}: {exc}")
        return UploadResult(name, UploadStatus.refused, notice)
    with tempfile.TemporaryDirectory(prefix="cockpit-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        result = validate_import(path, catalog)
        problems = tuple(_as_uploaded(rejection, path) for rejection in result.rejections)
    if problems:
        notice = Message(
            f"{name}：发现 {len(problems)} 处问题，未导入任何数据",
            f"{name}: {len(problems)} problem(s); nothing was imported",
        )
        return UploadResult(name, UploadStatus.invalid, notice, problems)
    try:
        outcome = import_rows(store, catalog, config, result)
    except SourceBusyError:
        return UploadResult(name, UploadStatus.busy, _busy(config))
    run = outcome.run
    if not outcome.succeeded:
        notice = Message(
            f"{name}：导入失败，未写入任何数据：{run.message}",
            f"{name}: import failed, nothing was written: {run.message}",
        )
        return UploadResult(name, UploadStatus.failed, notice, tuple(outcome.rejections), outcome)
    notice = Message(
        f"{name}：已导入 {run.rows_written} 个数值（批次 #{run.id}）",
        f"{name}: imported {run.rows_written} values (run {run.id})",
    )
    return UploadResult(name, UploadStatus.loaded, notice, (), outcome)


def _refusal(name: str, data: bytes) -> Message | None:
    """Why the upload is not even opened, if it is not."""
    if PurePosixPath(name).suffix.lower() != ".xlsx":
        return Message(
            f"{name}：只能上传 .xlsx 格式的填报表",
            f"{name}: only a filled .xlsx template is accepted",
        )
    if not data:
        return Message(f"{name}：文件是空的", f"{name}: the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        size, limit = f"{len(data) / 2**20:.1f} MB", f"{MAX_UPLOAD_BYTES // 2**20} MB"
        return Message(
            f"{name}：文件大小 {size}，超过 {limit} 上限",
            f"{name}: {size} is larger than the {limit} limit",
        )
    return None


def _as_uploaded(rejection: Rejection, path: Path) -> Rejection:
    """The problem as the operator should read it: naming the file, not the temporary folder
    it was checked in (an unreadable workbook's problem quotes its path)."""
    shown, name = str(path), path.name
    return dataclasses.replace(
        rejection,
        value=rejection.value.replace(shown, name),
        reason=rejection.reason.replace(shown, name),
    )


# --- a run's rejected rows as Excel -------------------------------------------------------------
REJECTION_COLUMNS = (
    ("位置 location", 36),
    ("字段 field", 16),
    ("原值 value", 28),
    ("原因 reason", 70),
)


def rejections_workbook(run: LoadRun, rejections: Sequence[Rejection], source_name: str) -> bytes:
    """An .xlsx of run `run`'s rejected rows with their reasons, for the bureau that must fix
    its data. Every cell is text: a source's value is shown as it was, never evaluated."""
    title = (
        f"数据源：{source_name}（{run.source}）　批次 #{run.id}　{local_time(run.started_at)}"
        f"　未入库 {len(rejections)} 行"
    )
    rows = [(r.location, r.field, r.value, r.reason) for r in rejections]
    return text_workbook("未入库的行", title, REJECTION_COLUMNS, rows)
