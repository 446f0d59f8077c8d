"""The operators' console (/ops) under AppTest on the sample city: the freshness board says
what `cockpit status` says, with owners and contacts, and filters; the load history shows
each run's rows and error and a run's rejected rows; operators refresh a source now (one run
even when two click together), acknowledge and resolve findings (kept, with who); leaders
may look but not act."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from unittest.mock import MagicMock

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook
from pydantic import BaseModel
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest

from cockpit.ops_actions import rejections_workbook
from cockpit.ops_texts import readable_rejections
from connectors.base import ReadResult, SourceContext
from connectors.config import load_sources
from connectors.registry import register
from connectors.status import source_freshness
from indicators.freshness import FRESHNESS_ZH, Freshness
from indicators.model import Domain
from indicators.registry import DEFAULT_CATALOG, load_catalog
from indicators.settings import local_today
from indicators.store import Finding, Rejection, open_store
from indicators.store.operations import reviews
from tests.apptest_pages import open_page

OPERATOR = "op_wang"
CATALOG = load_catalog(DEFAULT_CATALOG).catalog


def operator() -> dict[str, object]:
    from cockpit.session import Principal, Role

    return {"principal": Principal(OPERATOR, "王运维", Role.operator)}


def open_ops(as_operator: bool = False, **params: str) -> AppTest:
    app = open_page("ops", operator() if as_operator else None, **params)
    assert not app.exception, app.exception
    return app


def table(app: AppTest, first_column: str, index: int = 0) -> pd.DataFrame:
    """The `index`-th dataframe on the page whose first column is `first_column`."""
    frames = [d.value for d in app.dataframe if list(d.value.columns)[:1] == [first_column]]
    return frames[index]


# --- looking ----------------------------------------------------------------------------------
@pytest.mark.usefixtures("in_sample_city")
def test_the_board_says_what_cockpit_status_says_with_owner_and_contact() -> None:
    app = open_ops()
    sources = load_sources()
    report = source_freshness(open_store(), CATALOG, sources, local_today(), datetime.now(UTC))
    board = table(app, "数据源")
    shown = dict(zip(board["编号"], board["状态"], strict=True))
    assert shown == {s.source: FRESHNESS_ZH[s.status] for s in report.sources}
    assert shown["power_files"] == "加载失败"  # planted broken
    assert shown["finance_files"] in ("迟报", "超期")  # planted overdue
    finance = board[board["编号"] == "finance_files"].iloc[0]
    assert finance["应有期"] > finance["最新期"]
    config = {s.id: s for s in sources.sources}
    for _, row in board.iterrows():
        assert row["报送单位"] == config[row["编号"]].owner
        assert row["联系人"] == config[row["编号"]].contact
    indicators = table(app, "指标")
    base = [ind.code for ind in CATALOG if ind.kind.value == "base"]
    assert sorted(indicators["编码"]) == sorted(base)
    # the summary counts the same sources per status
    counts = {status: sum(s.status is status for s in report.sources) for status in Freshness}
    summary = " ".join(h.proto.body for h in app.get("html"))
    for status, count in counts.items():
        assert f'data-status="{status.value}"' in summary
        assert f"{FRESHNESS_ZH[status]}<b>{count}</b>" in summary


@pytest.mark.usefixtures("in_sample_city")
def test_filters_narrow_the_board_by_status_domain_and_bureau() -> None:
    app = open_ops()
    app.multiselect(key="ops_filter_status").select(Freshness.failed).run()
    assert list(table(app, "数据源")["编号"]) == ["power_files"]
    app.multiselect(key="ops_filter_status").unselect(Freshness.failed).run()
    app.multiselect(key="ops_filter_domain").select(Domain.ecology).run()
    codes = table(app, "指标")["编码"]
    assert len(codes) > 0
    assert all(CATALOG.get(code).domain is Domain.ecology for code in codes)
    app.multiselect(key="ops_filter_domain").unselect(Domain.ecology).run()
    app.multiselect(key="ops_filter_bureau").select("市财政局").run()
    assert list(table(app, "数据源")["编号"]) == ["finance_files"]


@pytest.mark.usefixtures("in_sample_city")
def test_load_history_shows_rows_and_errors_and_a_runs_rejected_rows() -> None:
    app = open_ops()
    store = open_store()
    runs = store.runs(limit=200)
    history = table(app, "批次")
    assert list(history["批次"]) == [run.id for run in runs]
    assert list(history["读取行"]) == [run.rows_read for run in runs]
    assert list(history["拒绝行"]) == [run.rows_rejected for run in runs]
    failed = next(run for run in runs if run.source == "power_files")
    row = history[history["批次"] == failed.id].iloc[0]
    assert (row["状态"], row["错误信息"]) == ("失败", failed.message)
    app.selectbox(key="ops_run").select(failed.id).run()
    rejected = table(app, "位置")
    expected = store.rejections(failed.id)
    assert len(expected) >= 1
    assert list(rejected["原因"]) == [r.reason for r in expected]
    assert list(rejected["位置"]) == [r.location for r in expected]
    assert [b.label for b in app.get("download_button")].count("下载被拒行（Excel）") == 1


@pytest.mark.usefixtures("in_sample_city")
def test_leaders_may_look_but_not_act() -> None:
    app = open_ops()
    assert "仅运维人员可执行操作；当前角色可查看。" in [c.value for c in app.caption]
    assert app.button(key="ops_refresh").disabled
    assert app.button(key="ops_upload_check").disabled


@pytest.mark.usefixtures("in_sample_city")
def test_english() -> None:
    app = open_ops(lang="en")
    assert [tab.label for tab in app.tabs] == [
        "Freshness",
        "Load runs",
        "Quality findings",
        "Manual report upload",
        "On-time delivery",
    ]
    board = table(app, "Source")
    assert "Failed" in set(board["Status"])


# --- acting -----------------------------------------------------------------------------------
def test_an_operator_refreshes_one_source_now(writable_city: Path) -> None:
    store = open_store()
    before = [run.id for run in store.runs("stats_files")]
    app = open_ops(as_operator=True)
    assert not app.button(key="ops_refresh").disabled
    app.selectbox(key="ops_refresh_source").select("stats_files").run()
    app.button(key="ops_refresh").click().run()
    assert not app.exception
    runs = store.runs("stats_files")
    assert len(runs) == len(before) + 1
    assert runs[0].status == "succeeded"
    (notice,) = [s.value for s in app.success]
    assert f"#{runs[0].id}" in notice.replace("\\", "")
    history = table(app, "批次")
    assert history["批次"].iloc[0] == runs[0].id  # the history shows it at once


# A connector that holds its source until the test lets it go, so two clicks overlap for sure.
GATE_ENTERED = threading.Event()
GATE_RELEASE = threading.Event()


class GateOptions(BaseModel):
    pass


@register("ops_test_gate", GateOptions, "test: waits for the test to release it")
class GateConnector:
    def __init__(self, options: GateOptions) -> None:
        self.options = options

    def read(self, context: SourceContext, progress: object) -> ReadResult:
        GATE_ENTERED.set()
        GATE_RELEASE.wait(60)
        return ReadResult()


def test_two_operators_clicking_refresh_together_make_one_run(
    writable_city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources_file = writable_city / "sources.yaml"
    config = yaml.safe_load(sources_file.read_text(encoding="utf-8"))
    config["sources"].append(
        {"id": "gate_test", "name_zh": "测试闸门", "owner": "测试局", "kind": "ops_test_gate"}
    )
    sources_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    GATE_ENTERED.clear()
    GATE_RELEASE.clear()
    # Each AppTest compiles the script itself; CPython 3.11's parser is not safe for two
    # threads at once ("AST constructor recursion depth mismatch"), so compiling is taken in
    # turn here. The Streamlit server compiles once for all sessions.
    compile_in_turn = threading.Lock()
    compile_script = ScriptCache.get_bytecode

    def one_at_a_time(cache: ScriptCache, script_path: str) -> object:
        with compile_in_turn:
            return compile_script(cache, script_path)

    monkeypatch.setattr(ScriptCache, "get_bytecode", one_at_a_time)
    apps = [open_ops(as_operator=True), open_ops(as_operator=True)]
    for app in apps:
        app.selectbox(key="ops_refresh_source").select("gate_test").run()
    start = threading.Barrier(2)
    finished: list[AppTest] = []

    def click(app: AppTest) -> None:
        start.wait()
        app.button(key="ops_refresh").click().run(timeout=120)
        finished.append(app)

    threads = [threading.Thread(target=click, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    assert GATE_ENTERED.wait(60)
    # The click that did not get the source ends while the other is still reading.
    deadline = datetime.now(UTC).timestamp() + 60
    while not finished and datetime.now(UTC).timestamp() < deadline:
        threading.Event().wait(0.1)
    # AppTest shares one mock runtime between runs and clears it when a run ends; the click
    # still running needs it until it ends too.
    monkeypatch.setattr(Runtime, "_instance", MagicMock(spec=Runtime))
    GATE_RELEASE.set()
    for thread in threads:
        thread.join(120)
    assert len(finished) == 2
    refused, refreshed = finished
    assert [w.value for w in refused.warning] and not refused.success
    assert "正在" in refused.warning[0].value
    assert [s.value for s in refreshed.success]
    assert len(open_store().runs("gate_test")) == 1


def test_findings_are_acknowledged_and_resolved_with_who_and_kept(writable_city: Path) -> None:
    store = open_store()
    finding = Finding(
        "jump", "warning", "change of +812 is 6.2 SD", "ECO_RETAIL", "xishan", "2026-10"
    )
    store.write_run(store.start_run("stats_files"), [], 0, findings=[finding])
    key = "stats_files|jump|ECO_RETAIL|xishan|2026-10"
    app = open_ops(as_operator=True)
    app.selectbox(key="ops_finding").select(key).run()
    app.text_input(key="ops_finding_note").input("春节错月，已与市统计局核实").run()
    app.button(key="ops_acknowledge").click().run()
    review = reviews(store.engine)[key]
    assert (review.state, review.reviewed_by, review.note) == (
        "acknowledged",
        OPERATOR,
        "春节错月，已与市统计局核实",
    )
    # another session (another operator's browser) sees it acknowledged, with who
    other = open_ops(as_operator=True)
    row = _finding_row(other, finding.message)
    assert (row["状态"], row["处理人"], row["处理说明"]) == (
        "已确认",
        OPERATOR,
        "春节错月，已与市统计局核实",
    )
    other.selectbox(key="ops_finding").select(key).run()
    other.button(key="ops_resolve").click().run()
    assert reviews(store.engine)[key].state == "resolved"
    listed = [d.value for d in other.dataframe if list(d.value.columns)[:1] == ["状态"]]
    assert all(finding.message not in set(frame["说明"]) for frame in listed)  # resolved: hidden
    # a later load that finds the same thing again reopens it
    store.write_run(store.start_run("stats_files"), [], 0, findings=[finding])
    row = _finding_row(open_ops(as_operator=True), finding.message)
    assert (row["状态"], row["出现次数"]) == ("待处理（已解决后再次出现）", 2)


def _finding_row(app: AppTest, message: str) -> pd.Series:
    findings = table(app, "状态")
    (index,) = findings.index[findings["说明"] == message]
    return findings.loc[index]


def filled_template(home: Path) -> Path:
    """One bureau's filled 基层填报 workbook of the sample city (already loaded once)."""
    return sorted((home / "sample" / "manual").glob("*.xlsx"))[0]


def test_an_uploaded_template_with_bad_cells_is_refused_whole_naming_row_and_cell(
    writable_city: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(filled_template(writable_city))
    sheet = workbook["填报"]
    sheet["F3"] = "约一百"  # 数值: not a number
    sheet["E4"] = "火星区"  # 地区: no such district
    bad = tmp_path / "2026年 退回 指标填报.xlsx"
    workbook.save(bad)
    store = open_store()
    values, runs = store.values(), store.runs(limit=1000)
    app = open_ops(as_operator=True)
    app.file_uploader(key="ops_upload").set_value((bad.name, bad.read_bytes(), "application/xlsx"))
    app.run()
    app.button(key="ops_upload_check").click().run()
    assert not app.exception
    (error,) = [e.value for e in app.error]
    assert error.replace("\\", "") == f"{bad.name}：发现 2 处问题，未导入任何数据"
    problems = table(app, "位置")
    assert list(problems["字段"]) == ["数值", "地区"]
    assert all(bad.name in location for location in problems["位置"])
    assert ["3" in loc for loc in problems["位置"]] == [True, False]
    assert "4" in problems["位置"].iloc[1]
    assert list(problems["原值"]) == ["约一百", "火星区"]
    # nothing written, no run recorded
    pd.testing.assert_frame_equal(store.values(), values)
    assert store.runs(limit=1000) == runs


def test_an_uploaded_good_template_is_imported(writable_city: Path) -> None:
    good = filled_template(writable_city)
    store = open_store()
    before = store.runs("manual_report", limit=1)[0].id
    app = open_ops(as_operator=True)
    app.file_uploader(key="ops_upload").set_value(
        (good.name, good.read_bytes(), "application/xlsx")
    )
    app.run()
    app.button(key="ops_upload_check").click().run()
    assert not app.exception
    (run,) = store.runs("manual_report", limit=1)
    assert run.id > before
    assert run.status == "succeeded" and run.rows_written > 0
    (notice,) = [s.value for s in app.success]
    assert str(run.rows_written) in notice


@pytest.mark.usefixtures("in_sample_city")
def test_on_time_delivery_per_source_and_per_bureau_month_by_month() -> None:
    from connectors.delivery import GroupBy, stored_delivery_report

    app = open_ops()
    sources = load_sources()
    report = stored_delivery_report(open_store(), CATALOG, sources.sources, local_today(), 12)
    shown = table(app, "数据源 / 单位")
    names = {s.id: s.name_zh for s in sources.sources}
    assert list(shown["数据源 / 单位"]) == [names[s.id] for s in sources.sources]
    assert list(shown.columns[1:]) == list(report.months)
    for rate in report.rates(GroupBy.source):
        cell = shown.loc[shown["数据源 / 单位"] == names[rate.group], rate.month].item()
        expected = f"{rate.rate:.0%}（{rate.on_time}/{rate.due}）" if rate.due else "—"
        assert cell == expected
    # the planted overdue bureau missed this month's delivery
    finance = [r for r in report.rates(GroupBy.source) if r.group == "finance_files"]
    assert any(r.missing for r in finance)
    app.radio(key="ops_delivery_by").set_value(GroupBy.bureau).run()
    by_bureau = table(app, "数据源 / 单位")
    bureaus = list(by_bureau["数据源 / 单位"])
    assert bureaus == list(report.groups[GroupBy.bureau])
    # each bureau that fills in its own 基层填报 workbook is a bureau of its own
    assert "市水务局" in bureaus and "各指标责任单位" not in bureaus
    assert len(app.get("vega_lite_chart")) == 1


@pytest.mark.usefixtures("in_sample_city")
def test_bureau_heads_have_no_console_and_its_tab_is_not_shown() -> None:
    from cockpit.session import Principal, Role
    from tests.apptest_pages import APP

    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["principal"] = Principal("li", "李四", Role.bureau_head)
    app.run()
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "catalog" in paths and "ops" not in paths
    assert "数据运维" not in [link.label for link in app.get("page_link")]


def plant_finding(store) -> str:  # type: ignore[no-untyped-def]
    finding = Finding("range", "error", "negative value -3", "ECO_RETAIL", "xishan", "2026-10")
    store.write_run(store.start_run("stats_files"), [], 0, findings=[finding])
    return "stats_files|range|ECO_RETAIL|xishan|2026-10"


def test_leaders_cannot_review_findings(writable_city: Path) -> None:
    plant_finding(open_store())
    app = open_ops()
    assert app.button(key="ops_acknowledge").disabled
    assert app.button(key="ops_resolve").disabled


def test_before_sign_in_an_operator_names_who_reviews(
    writable_city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCKPIT_DEFAULT_ROLE", "operator")
    store = open_store()
    key = plant_finding(store)
    app = open_ops()
    assert app.button(key="ops_acknowledge").disabled  # no name yet
    app.text_input(key="ops_reviewer").input("赵值班").run()
    assert not app.button(key="ops_acknowledge").disabled
    app.selectbox(key="ops_finding").select(key).run()
    app.button(key="ops_acknowledge").click().run()
    assert reviews(store.engine)[key].reviewed_by == "赵值班"


def test_an_operator_does_not_read_a_restricted_indicators_finding(writable_city: Path) -> None:
    store = open_store()
    found = Finding("range", "error", "negative value -73.52", "ECO_LAND_TRANSFER", None, "2026-09")
    store.write_run(store.start_run("finance_files"), [], 0, findings=[found])
    operator = findings_text(open_ops(as_operator=True))
    assert "negative value -73.52" not in operator and "（受限指标，详情不予显示）" in operator
    assert "negative value -73.52" in findings_text(open_ops())  # a leader may


def test_an_operator_does_not_read_a_restricted_indicators_rejected_rows(
    writable_city: Path,
) -> None:
    store = open_store()
    rejected = [
        Rejection(
            "土地出让.xlsx row 4", "数值", "73.52", "negative value 73.52", "ECO_LAND_TRANSFER"
        ),
        Rejection("土地出让.xlsx row 5", "数值", "x", "not a number", "ECO_RETAIL"),
    ]
    run = store.write_run(store.start_run("finance_files"), [], 2, rejections=rejected)
    app = open_ops(as_operator=True)
    app.selectbox(key="ops_run").select(run.id).run()
    shown = table(app, "位置")
    assert list(shown["位置"]) == ["土地出让.xlsx row 4", "土地出让.xlsx row 5"]  # what to fix
    assert list(shown["原值"]) == ["—", "x"]
    assert list(shown["原因"]) == ["（受限指标，详情不予显示）", "not a number"]
    # the page hands the Excel download the very rows its table shows
    workbook = rejections_workbook(run, readable_rejections(rejected, frozenset(), "zh"), "财政")
    cells = [c for line in load_workbook(BytesIO(workbook)).active.values for c in line if c]
    assert "土地出让.xlsx row 4" in cells and not [c for c in cells if "73.52" in c]
    leader = open_ops()
    leader.selectbox(key="ops_run").select(run.id).run()
    assert list(table(leader, "位置")["原值"]) == ["73.52", "x"]  # a leader may


def findings_text(app: AppTest) -> str:
    return "\n".join(d.value.to_csv() for d in app.dataframe)
