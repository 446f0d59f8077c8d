"""The big screens under AppTest on the sample city: every screen renders without an
exception, and every tile states exactly what `cockpit show` states for the same code,
period and area; stale figures are marked, look-backs and districts work."""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cockpit.cli import app as cli
from cockpit.data_access import refresh_landed
from cockpit.i18n import DOMAIN_NAMES_EN
from cockpit.session import Principal, Role
from cockpit.show import snapshot_to_dict
from indicators import formatting as fmt
from indicators.compute import headline_is_ytd
from indicators.model import Domain, Frequency, GrowthSource
from indicators.periods import Period
from indicators.registry import Catalog, load_catalog
from indicators.settings import local_today
from indicators.snapshot import Snapshot, snapshot_for
from indicators.store import ValueRow, open_store
from tests.apptest_pages import open_page

TILE = re.compile(
    r'<a class="kpi-tile ([^"]*)" href="indicator\?code=(\w+)&amp;area=(\w+)'
    r'&amp;period=([\w-]+)&amp;from=\w+"'
    r'.*?<span class="kpi-value">([^<]*)</span>.*?<span class="kpi-label">([^<]*)</span>'
    r'</div><div class="kpi-changes">(.*?)</div>'
)
CHANGE = re.compile(r'<span class="chg \w+">([^<]*)</span>')


def tiles(page: AppTest) -> list[dict[str, str]]:
    html = next(h.value for h in page.get("html") if "kpi-grid" in h.value)
    return [
        dict(
            zip(
                ("classes", "code", "area", "period", "value", "label", "changes"),
                found,
                strict=True,
            )
        )
        for found in TILE.findall(html)
    ]


@cache
def catalog() -> Catalog:
    return load_catalog().catalog


def snapshot(code: str, area: str, period: str) -> Snapshot:
    """The snapshot `cockpit show CODE --area AREA --period PERIOD` prints."""
    return snapshot_for(catalog(), open_store(), code, period, area, local_today())


def show(code: str, area: str, period: str) -> dict[str, Any]:
    """What `cockpit show CODE --area AREA --period PERIOD --format json` prints (the same
    two calls, without starting a process per tile)."""
    return snapshot_to_dict(snapshot(code, area, period))


def assert_tiles_equal_show(page: AppTest, area: str) -> list[dict[str, str]]:
    found = tiles(page)
    assert found, "no tiles"
    for tile in found:
        figures = snapshot(tile["code"], area, tile["period"])
        shown = snapshot_to_dict(figures)
        ind = catalog().get(tile["code"])
        decimals = ind.decimals
        uses_ytd = headline_is_ytd(ind) and shown["ytd"] is not None
        figure = shown["ytd"] if uses_ytd else shown["value"]
        if uses_ytd:  # the tile says which 累计 it is, as `cockpit show` names it
            assert tile["label"] == f"{shown['ytd_label']}累计", (tile, shown)
        assert tile["value"] == fmt.number(figure, decimals), (tile, shown)  # type: ignore[arg-type]
        assert tile["area"] == area
        # 同比 as `cockpit show`'s table writes it: 累计同比 where the tile shows 累计.
        changes = CHANGE.findall(tile["changes"])
        if ind.growth is not GrowthSource.none:
            yoy = figures.ytd_yoy if uses_ytd else figures.yoy
            assert changes[0] == f"同比 {fmt.change(yoy, figures.change_unit)}", (tile, shown)
    return found


@pytest.mark.usefixtures("in_sample_city")
def test_overview_tiles_equal_cockpit_show() -> None:
    page = open_page("")
    assert not page.exception
    found = assert_tiles_equal_show(page, "xinhe")
    assert len(found) == 20
    by_code = {t["code"]: t for t in found}
    # 市财政局 is planted overdue: its figure is September's, marked stale.
    latest = Period.latest_complete(Frequency.month, local_today())
    assert by_code["ECO_FISCAL_REVENUE"]["period"] == (latest - 1).label
    assert by_code["ECO_RETAIL"]["period"] == latest.label
    assert "kpi-stale" in by_code["ECO_FISCAL_REVENUE"]["classes"]
    assert "kpi-stale" not in by_code["ECO_RETAIL"]["classes"]
    html = " ".join(h.value for h in page.get("html"))
    assert "逾期 · 应有" in html and "今日关注" in html and "数据更新" in html
    # The in-process `show` used above is what the command prints.
    printed = CliRunner().invoke(cli, ["show", "ECO_RETAIL", "--format", "json"])
    assert json.loads(printed.output) == show(
        "ECO_RETAIL", "xinhe", by_code["ECO_RETAIL"]["period"]
    )


@pytest.mark.usefixtures("in_sample_city")
@pytest.mark.parametrize("domain", [d.value for d in Domain])
def test_each_domain_screen_renders_its_tiles(domain: str) -> None:
    page = open_page(domain)
    assert not page.exception
    found = tiles(page)
    assert found and all(catalog().get(t["code"]).domain.value == domain for t in found)


@pytest.mark.usefixtures("in_sample_city")
def test_a_district_screen_equals_cockpit_show_and_marks_city_only_tiles() -> None:
    page = open_page("economic", area="xishan")
    assert not page.exception
    assert_tiles_equal_show(page, "xishan")
    grid = next(h.value for h in page.get("html") if "kpi-grid" in h.value)
    assert "仅全市统计" in grid  # e.g. 城镇调查失业率 is published for the city only


@pytest.mark.usefixtures("in_sample_city")
def test_looking_back_shows_that_month_without_staleness() -> None:
    month = Period.latest_complete(Frequency.month, local_today()) - 4
    page = open_page("", asof=month.label)
    assert not page.exception
    found = tiles(page)
    monthly = [t for t in found if re.fullmatch(r"\d{4}-\d{2}", t["period"])]
    assert monthly and all(t["period"] == month.label for t in monthly)
    assert not any("kpi-stale" in t["classes"] for t in found)
    assert "历史视图" in " ".join(h.value for h in page.get("html"))


@pytest.mark.usefixtures("in_sample_city")
def test_selectors_and_language_switch_write_the_url() -> None:
    page = open_page("")
    page.selectbox(key="view_area").select("xishan").run()
    assert page.query_params["area"] == "xishan"
    assert all(t["area"] == "xishan" for t in tiles(page))
    page.button(key="view_lang").click().run()
    assert page.query_params["lang"] == "en"
    grid = next(h.value for h in page.get("html") if "kpi-grid" in h.value)
    assert DOMAIN_NAMES_EN[Domain.economic] in grid and "Data as of" in grid


@pytest.mark.usefixtures("in_sample_city")
def test_the_map_draws_the_shipped_districts_with_formatted_values() -> None:
    page = open_page("")
    charts = [json.loads(c.proto.json) for c in page.get("bidi_component")]
    [district_map] = [c for c in charts if c.get("map")]
    names = {f["properties"]["name"] for f in district_map["map"]["geoJson"]["features"]}
    series = district_map["options"]["series"][0]
    assert {d["name"] for d in series["data"]} == names  # every district has a value
    for item in series["data"]:
        quarter = Period.latest_complete(Frequency.quarter, local_today()).label
        shown = show("ECO_GDP_GROWTH", item["area"], quarter)
        assert item["label"]["formatter"].endswith("\n" + fmt.number(shown["value"], 1))  # type: ignore[arg-type]


@pytest.mark.usefixtures("in_sample_city")
def test_kiosk_mode_shows_no_controls() -> None:
    page = open_page("", kiosk="1", rotate="30")
    assert not page.exception
    keys = {box.key for box in page.selectbox}
    assert "view_period" not in keys and "view_area" not in keys and not page.button
    assert tiles(page)


def test_a_finished_load_reaches_the_open_screen(
    sample_city_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Figures are cached until the store's data version moves; then the screen recomputes."""
    shutil.copy(sample_city_home / "cockpit.db", tmp_path / "cockpit.db")
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    page = open_page("")
    before = {t["code"]: t for t in tiles(page)}["ECO_RETAIL"]
    store = open_store()
    period = before["period"]
    current = store.values(codes=["ECO_RETAIL"], areas=["xinhe"], periods=[period])
    store.load(
        "stats_files",
        [ValueRow("ECO_RETAIL", period, "xinhe", float(current["value"].iloc[0]) + 50)],
    )
    refresh_landed()  # or VERSION_TTL seconds on a running server
    page.run()
    after = {t["code"]: t for t in tiles(page)}["ECO_RETAIL"]
    assert after["value"] != before["value"]
    assert after["value"] == fmt.number(show("ECO_RETAIL", "xinhe", period)["ytd"], 2)


@pytest.mark.usefixtures("in_sample_city")
def test_the_header_names_the_user_and_role() -> None:
    page = open_page("")
    header = next(h.value for h in page.get("html") if "wall-sub" in h.value)
    assert "默认用户" in header and "（领导）" in header  # the embedded default until sign-in
    page.session_state["principal"] = Principal("wang", "王局长", Role.bureau_head)
    page.run()
    header = next(h.value for h in page.get("html") if "wall-sub" in h.value)
    assert "王局长" in header and "（委办局负责人）" in header
