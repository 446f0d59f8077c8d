"""The audit log's page (administrators only) and what the cockpit writes to the log: the
rows people read, filtered by user and action, the workbook an auditor gets, and who may
open the page at all."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cockpit.audit_view import audit_rows, audit_workbook
from cockpit.catalog_audit import record_catalog_change
from cockpit.session import Principal, Role
from indicators.registry import DEFAULT_CATALOG
from indicators.store import open_store
from indicators.store.audit import AuditEvent, entries, record
from tests.apptest_pages import open_page

ADMIN = {"principal": Principal("root", "管理员", Role.admin)}


@pytest.fixture
def logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[AuditEvent]:
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    monkeypatch.delenv("COCKPIT_DATABASE_URL", raising=False)
    now = datetime.now(UTC)
    events = [
        AuditEvent(
            now - timedelta(hours=3), "zhang", "sign_in", "zhang", "failed", {"reason": "password"}
        ),
        AuditEvent(
            now - timedelta(hours=2), "zhang", "sign_in", "zhang", "ok", {"client": "10.0.0.8"}
        ),
        AuditEvent(
            now - timedelta(hours=1), "zhang", "upload", "=HYPERLINK(1).xlsx", "ok", {"run": 4}
        ),
        AuditEvent(now - timedelta(days=40), "li", "refresh", "hotline_db", "ok", {"run": 1}),
    ]
    engine = open_store().engine
    for event in events:
        record(engine, event)
    return events


def test_rows_read_in_chinese_newest_first(logged: list[AuditEvent]) -> None:
    rows = audit_rows(entries(open_store().engine))
    assert [row[1:5] for row in rows] == [
        ("zhang", "上传填报表", "=HYPERLINK(1).xlsx", "成功"),
        ("zhang", "登录", "zhang", "成功"),
        ("zhang", "登录", "zhang", "失败"),
        ("li", "刷新数据源", "hotline_db", "成功"),
    ]
    assert rows[0][5] == '{"run": 4}' and rows[0][0].endswith("北京时间")


def test_the_workbook_keeps_every_cell_as_text(logged: list[AuditEvent]) -> None:
    found = entries(open_store().engine)
    data = audit_workbook(found, datetime(2026, 1, 1, tzinfo=UTC), datetime.now(UTC))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value.startswith("审计日志") and sheet["A1"].value.endswith("共 4 条")
    assert [c.value for c in sheet[2]] == ["时间", "用户", "操作", "对象", "结果", "详情"]
    upload = sheet["D3"]
    assert (upload.value, upload.data_type, upload.quotePrefix) == ("=HYPERLINK(1).xlsx", "s", True)


def test_the_page_shows_the_last_30_days_filtered_by_user_and_action(
    logged: list[AuditEvent],
) -> None:
    app = open_page("audit", ADMIN)
    assert not app.exception, app.exception
    (table,) = app.dataframe
    # li's is 40 days old; the app's own catalog entry appears if this process read it first
    people = table.value[table.value["操作"] != "指标体系变更"]
    assert list(people["用户"]) == ["zhang", "zhang", "zhang"]
    app.selectbox(key="audit_action").select("sign_in").run()
    assert list(app.dataframe[0].value["结果"]) == ["成功", "失败"]
    app.text_input(key="audit_actor").input("li").run()
    assert app.dataframe[0].value.empty
    assert [b.label for b in app.get("download_button")] == ["下载审计日志（Excel）"]


@pytest.mark.parametrize("role", [Role.leader, Role.bureau_head, Role.operator])
def test_only_administrators_have_the_page(role: Role, logged: list[AuditEvent]) -> None:
    with pytest.raises(KeyError):
        open_page("audit", {"principal": Principal("x", "某人", role)})


def test_a_changed_catalog_is_recorded_once_with_the_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    monkeypatch.delenv("COCKPIT_DATABASE_URL", raising=False)
    catalog = tmp_path / "catalog"
    shutil.copytree(DEFAULT_CATALOG, catalog)
    engine = open_store().engine
    first = record_catalog_change(engine, catalog, "app")
    assert first is not None and "economic.yaml" in first  # the first time: every file
    assert record_catalog_change(engine, catalog, "app") is None  # the same: nothing
    economic = catalog / "economic.yaml"
    economic.write_text(economic.read_text(encoding="utf-8") + "\n# 目标调整\n", encoding="utf-8")
    assert record_catalog_change(engine, catalog, "app") == ["economic.yaml"]
    (logged, *_) = entries(engine, action="catalog_change")
    assert (
        logged.detail["changed"] == ["economic.yaml"]
        and audit_rows([logged])[0][2] == "指标体系变更"
    )
