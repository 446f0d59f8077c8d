"""Briefing charts and the chart, ranking and composite blocks: the specs carry the
snapshots' figures, colours follow the indicator's direction and status, the SVG keeps its
text as CJK <text> and fetches nothing, and in the PDF that text is real, embedded text."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import altair as alt
import pandas as pd
import pytest

from indicators.model import Deployment
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.snapshot import SnapshotBuilder
from indicators.targets import Status
from reports import charts
from reports.blocks import kinds, validate
from reports.blocks.ranking import district_rows
from reports.context import BriefingContext
from reports.document import DocumentMeta, Section, document_html, render_pdf
from reports.model import BriefingTemplate, TemplateError
from tests.catalog_builder import indicator, make_catalog, stored_values

OCTOBER = Period.parse("2026-10")
DISTRICTS = {"east": "东湖区", "west": "西山区", "south": "南城区", "north": "北郊区"}
META = DocumentMeta("测试市经济运行月度简报", "测试市统计局", "2026年10月", "2026年第10期", "")
RATE = {"nature": "rate", "areas": "all"}


def catalog() -> Catalog:
    deployment = Deployment.model_validate(
        {
            "city": {"code": "city", "name_zh": "测试市", "name_en": "Test"},
            "districts": [
                {"code": code, "name_zh": name, "name_en": code} for code, name in DISTRICTS.items()
            ],
        }
    )
    indicators = (
        indicator(
            "RETAIL",
            name_zh="社会消费品零售总额",
            unit="亿元",
            decimals=2,
            areas="all",
            target={"basis": "annual_total", "value": 1200},
            rag={"rule": "schedule"},
        ),
        indicator(
            "PM",
            name_zh="PM2.5<平均>浓度",  # markup in a name must come out as text
            unit="微克/立方米",
            direction="down",
            target={"basis": "level", "value": 35},
            rag={"rule": "threshold", "amber": 40},
            **RATE,
        ),
        indicator("GOOD", name_zh="优良天数比率", unit="%", **RATE),
        indicator(
            "AIR",
            name_zh="空气质量指数",
            unit="分",
            kind="composite",
            children=[
                {"code": "PM", "weight": 0.6, "lower": 15, "upper": 75},
                {"code": "GOOD", "weight": 0.4, "lower": 50, "upper": 100},
            ],
            growth="none",
            **RATE,
        ),
    )
    return dataclasses.replace(make_catalog(*indicators), deployment=deployment)


def months(by_year: dict[int, float]) -> dict[str, float]:
    return {f"{y}-{m:02d}": v for y, v in by_year.items() for m in range(1, 13 if y < 2026 else 11)}


VALUES: dict[tuple[str, str], dict[str, float]] = {
    ("RETAIL", "city"): months({2025: 90, 2026: 100}),
    ("RETAIL", "east"): months({2025: 40, 2026: 45}),
    ("RETAIL", "west"): months({2025: 30, 2026: 35}),
    ("RETAIL", "south"): months({2025: 20, 2026: 20}),
    ("PM", "city"): months({2025: 40, 2026: 30}),  # falling: good for a down indicator
    ("PM", "east"): months({2025: 32, 2026: 28}),
    ("PM", "west"): months({2025: 30, 2026: 36}),  # rising: bad
    ("PM", "south"): months({2025: 44, 2026: 45}),
    ("GOOD", "city"): months({2025: 80, 2026: 90}),
}


def builder() -> SnapshotBuilder:
    rows = [
        (code, period, area, value, 1, pd.Timestamp("2026-11-01", tz="UTC"))
        for (code, area), periods in VALUES.items()
        for period, value in periods.items()
    ]
    columns = ["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"]
    return SnapshotBuilder(catalog(), pd.DataFrame(rows, columns=columns))


def context() -> BriefingContext:
    b = builder()
    return BriefingContext(b.catalog, b, OCTOBER, "city", META)


def spec_rows(chart: Any) -> list[dict[str, Any]]:
    """The inline rows of a chart's (first) dataset."""
    datasets = chart.to_dict()["datasets"]
    return next(iter(datasets.values()))


def block(kind: str, /, **params: Any) -> Section:
    registered = kinds()[kind]
    return registered.build(context(), registered.params.model_validate(params), "s1")


def decoded(uri: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    return base64.b64decode(uri[len(prefix) :]).decode("utf-8")


def svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


# --- specs -------------------------------------------------------------------------------


def test_trend_spec_is_the_sparkline_against_the_schedule_path() -> None:
    s = builder().snapshot("RETAIL", OCTOBER, "city")
    frame = charts.trend_frame(s, "city")
    figures = frame[frame["line"] == "累计值"]
    assert figures["value"].tolist() == [v for _, v in s.sparkline]
    assert figures["period"].iloc[-1] == "26年10月" and len(figures) == 12
    assert figures["year"].tolist() == [2025] * 2 + [2026] * 10  # a line per year
    path = frame[frame["line"] == "序时目标"]["value"].tolist()
    assert path[-1] == pytest.approx(1000.0)  # 1200 × 10/12
    assert path[0] == pytest.approx(1200 * 11 / 12)  # 2025-11
    rows = spec_rows(charts.trend_chart(frame, "亿元"))
    assert [r["value"] for r in rows] == frame["value"].tolist()


def test_a_district_has_no_target_line_for_the_citys_amount() -> None:
    s = builder().snapshot("RETAIL", OCTOBER, "east")
    assert set(charts.trend_frame(s, "city")["line"]) == {"累计值"}


def test_yoy_bars_are_coloured_by_the_indicators_direction() -> None:
    b = builder()
    history = [b.snapshot("PM", Period.parse(label), area) for area in ("city", "west")
               for label, _ in b.snapshot("PM", OCTOBER, area).sparkline]  # fmt: skip
    frame = charts.yoy_frame(history)
    city, west = frame.iloc[:10], frame.iloc[10:]  # 2026's ten months have a 同比
    assert set(city["tone"]) == {"good"}  # PM2.5 fell: green although the figure went down
    assert set(west["tone"]) == {"bad"}
    assert city["change"].tolist() == [s.headline_yoy for s in history[2:12]]
    chart = charts.yoy_chart(frame, "%").to_dict()
    scale = chart["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "good": charts.GOOD, "bad": charts.BAD, "neutral": charts.NEUTRAL,
    }  # fmt: skip


def test_a_yoy_bar_is_labelled_and_coloured_at_the_decimals_the_tables_print() -> None:
    """-0.04 points prints as 0.0 for a one-decimal rate: no sign and grey, not red; a
    two-decimal rate prints it, and it is bad news for an up indicator."""
    rates = [
        indicator(code, unit="%", nature="rate", decimals=d) for code, d in (("R1", 1), ("R2", 2))
    ]
    values = {code: {"2025-10": 80.0, "2026-10": 79.96} for code in ("R1", "R2")}
    made = SnapshotBuilder(make_catalog(*rates), stored_values(values))
    frame = charts.yoy_frame([made.snapshot(code, OCTOBER, "city") for code in ("R1", "R2")])
    assert frame["text"].tolist() == ["0.0个百分点", "-0.04个百分点"]
    assert frame["tone"].tolist() == ["neutral", "bad"]


def test_district_bars_are_best_first_coloured_by_status() -> None:
    ctx = context()
    rows = district_rows(ctx, ctx.snapshot("PM"))
    bars = [charts.DistrictBar(r.name, r.ranked.value, r.snapshot.judgement.status) for r in rows]
    frame = charts.district_frame(bars, 1)
    assert frame["district"].tolist() == ["东湖区", "西山区", "南城区"]  # 北郊区: no value
    assert frame["value"].tolist() == [28.0, 36.0, 45.0]
    assert frame["status"].tolist() == ["正常", "预警", "落后"]
    spec = charts.districts_chart(frame, "微克/立方米").to_dict()
    bar = spec["layer"][0]["encoding"]
    assert bar["y"]["sort"] == ["东湖区", "西山区", "南城区"]
    colours = dict(
        zip(bar["color"]["scale"]["domain"], bar["color"]["scale"]["range"], strict=True)
    )
    assert (colours["正常"], colours["预警"], colours["落后"]) == (
        charts.STATUS_COLOURS[Status.green],
        charts.STATUS_COLOURS[Status.amber],
        charts.STATUS_COLOURS[Status.red],
    )
    assert spec["config"]["font"] == charts.FONT and spec["background"] == "white"


def test_svg_keeps_cjk_text_and_references_nothing_outside() -> None:
    frame = pd.DataFrame(
        {"order": [0, 1], "district": ["东湖区", "西山区"], "value": [2.0, 1.0],
         "status": ["正常", "落后"], "text": ["2.0", "1.0"]}
    )  # fmt: skip
    svg = decoded(charts.svg_data_uri(charts.districts_chart(frame, "亿元")))
    assert svg.startswith("<svg")
    texts = svg_texts(svg)
    assert {"东湖区", "西山区", "亿元"} <= set(texts)
    assert set(re.findall(r'font-family="([^"]*)"', svg)) == {charts.FONT}
    outside = re.sub(r'xmlns(:\w+)?="[^"]*"', "", svg)
    assert not re.search(r"https?:|href|url\(|file:", outside)


def test_a_spec_that_loads_a_url_is_refused() -> None:
    chart = alt.Chart(alt.UrlData("http://127.0.0.1:9/x.csv")).mark_bar().encode(x="a:Q")
    with pytest.raises(ValueError, match="not allowed"):
        charts.svg(chart)


def test_hostile_labels_and_image_marks_make_vl_convert_fetch_nothing(http_server) -> None:
    port, hits = http_server
    url = f"http://127.0.0.1:{port}/leak.png"
    names = [f'<image href="{url}"/>', f"url({url})", f'"><svg onload="fetch(\'{url}\')">']
    frame = pd.DataFrame(
        {"order": [0, 1, 2], "district": names, "value": [3.0, 2.0, 1.0],
         "status": ["正常", "落后", "预警"], "text": ["3.0", "2.0", "1.0"]}
    )  # fmt: skip
    svg = decoded(
        charts.svg_data_uri(charts.districts_chart(frame, f'<style>@import "{url}"</style>'))
    )
    elements = list(ElementTree.fromstring(svg).iter())  # markup in the names stayed text:
    assert not [e for e in elements if e.tag.split("}")[-1] in ("image", "style", "script")]
    assert not [a for e in elements for a in e.attrib if a.startswith("on") or "href" in a]
    texts = [e.text or "" for e in elements if e.tag.endswith("}text")]
    assert any(t.startswith("<image href=") for t in texts)  # drawn as the words they are
    image = alt.Chart(pd.DataFrame({"u": [url]})).mark_image().encode(url="u:N")
    with pytest.raises(ValueError, match="refers to a resource outside itself"):
        charts.svg(image)  # vl-convert would write the URL into the SVG for others to fetch
    assert hits == []


@pytest.mark.parametrize(
    ("inside", "found"),
    [
        ('<rect fill="URL(http://127.0.0.1:9/x)"/>', "URL(http://127.0.0.1:9/x)"),  # any case
        ("<rect style=\"fill: url('file:///etc/passwd')\"/>", "fill: url('file:///etc/passwd')"),
        ("<style>@import 'http://127.0.0.1:9/x.css';</style>", "<style>"),
        ("<script>fetch('/x')</script>", "<script>"),
        ('<image href="http://127.0.0.1:9/x.png"/>', "http://127.0.0.1:9/x.png"),
        ('<rect fill="url(#legend)"/><text aria-label="url(http://x)">url(http://x)</text>', None),
    ],
)
def test_an_outside_reference_is_found_wherever_the_svg_makes_one(
    inside: str, found: str | None
) -> None:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{inside}</svg>'
    assert charts.outside_reference(svg) == found


# --- blocks ------------------------------------------------------------------------------


def test_chart_blocks_are_figures_with_escaped_captions() -> None:
    for kind in ("trend", "yoy", "districts"):
        section = block("chart", code="PM", kind=kind)
        assert section.title.startswith("PM2.5<平均>浓度")  # the template escapes titles
        html = section.html
        assert html.startswith('<figure class="chart"><img src="data:image/svg+xml;base64,')
        assert "<figcaption>图：" in html and "2026年10月</figcaption>" in html
        assert "<平均>" not in html
    trend = block("chart", code="RETAIL").html
    assert "<figcaption>图：全市，近12期累计值与序时目标（亿元），截至2026年10月<" in trend
    districts = block("chart", code="PM", kind="districts").html
    caption = "各区域PM2.5&lt;平均&gt;浓度（微克/立方米），由好到差排列；无数据：北郊区，2026年10月"
    assert f"<figcaption>图：{caption}</figcaption>" in districts  # one period: its window
    uri = re.search(r'src="([^"]+)"', districts).group(1)
    assert {"东湖区", "西山区", "南城区"} <= set(svg_texts(decoded(uri)))


def test_chart_block_without_data_says_so() -> None:
    section = block("chart", code="AIR", kind="yoy")  # an index without 同比
    assert "暂无可绘制的数据" in section.html and "<img" not in section.html


def test_ranking_block_lists_districts_best_first() -> None:
    section = block("ranking", code="PM")
    assert section.title == "PM2.5<平均>浓度分区域排名"
    rows = re.findall(r"<tr>(.*?)</tr>", section.html)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in rows]
    assert cells[0] == ["名次", "区域", "数值", "同比", "状态"]
    figures = re.findall(r'<td class="num">(.*?)</td>', rows[1])
    assert figures == ["28.0微克/立方米", "-12.5%"]  # right-aligned, as figures print
    assert cells[1] == ["1", "东湖区", "28.0微克/立方米", "-12.5%", "正常"]
    assert cells[2][:2] == ["2", "西山区"] and cells[2][4] == "预警"
    assert cells[3][:2] == ["3", "南城区"] and cells[3][4] == "落后"
    assert cells[4] == ["—", "北郊区", "—", "—", "无数据"]
    assert "&lt;平均&gt;" in section.html


def test_composite_block_lists_weight_score_and_contribution() -> None:
    section = block("composite", code="AIR")
    cells = [
        re.findall(r"<td[^>]*>(.*?)</td>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", section.html)
    ]
    # PM2.5 30 → (1 − 15/60) × 100 = 75 points × 0.6 = 45; 90% → 80 × 0.4 = 32; index 77.
    assert cells[1] == ["PM2.5&lt;平均&gt;浓度（30.0微克/立方米）", "0.6", "75.0", "45.0"]
    assert cells[2] == ["优良天数比率（90.0%）", "0.4", "80.0", "32.0"]
    assert cells[3] == ["合计", "1", "—", "77.0"]


def test_composite_block_refuses_an_indicator_that_is_not_composite(tmp_path: Path) -> None:
    template = BriefingTemplate.model_validate(
        {"name": "t", "title": "测试", "issuer": "测试局",
         "blocks": [{"kind": "composite", "params": {"code": "RETAIL"}}]}
    )  # fmt: skip
    with pytest.raises(TemplateError, match=r"params\.code: RETAIL is not a composite index"):
        validate(template, tmp_path / "t.yaml", catalog())


def test_validate_names_a_bad_chart_kind_and_an_unknown_code(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    known = catalog()

    def template(**params: Any) -> BriefingTemplate:
        return BriefingTemplate.model_validate(
            {"name": "t", "title": "测试", "issuer": "测试局",
             "blocks": [{"kind": "chart", "params": params}]}
        )  # fmt: skip

    with pytest.raises(TemplateError, match=r"blocks\[0\] \(chart\): params.kind"):
        validate(template(code="PM", kind="pie"), path, known)
    with pytest.raises(TemplateError, match=r"params\.codes: not in the catalog: NOPE"):
        validate(template(code="NOPE"), path, known)
    assert validate(template(code="PM", kind="districts"), path, known)


# --- PDF ---------------------------------------------------------------------------------


def test_chart_text_is_real_embedded_text_in_the_pdf(tmp_path: Path) -> None:
    sections = [block("chart", code="RETAIL", kind="districts"), block("chart", code="PM")]
    sections = [dataclasses.replace(s, anchor=f"s{i}") for i, s in enumerate(sections)]
    path = tmp_path / "charts.pdf"
    path.write_bytes(render_pdf(document_html(META, None, sections)))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    for word in ("东湖区", "西山区", "南城区", "26年10月", "微克/立方米"):
        assert word in flat, word
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)
    assert any("CJK-SC" in row for row in rows)
    assert not any("CJK-JP" in row for row in rows), "the SVG names the SC font itself"


# --- district map ------------------------------------------------------------------------

GRID = {"east": (1, 1), "west": (0, 1), "south": (0, 0), "north": (1, 0)}  # column, row


def district_geojson() -> dict[str, Any]:
    """The test districts as squares of 0.1°, outer rings anticlockwise (RFC 7946)."""

    def square(column: int, row: int) -> list[list[float]]:
        x, y = 120 + column / 10, 31 + row / 10
        return [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]

    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code, "name": DISTRICTS[code], "name_en": code},
                "geometry": {"type": "Polygon", "coordinates": [square(*GRID[code])]},
            }
            for code in DISTRICTS
        ],
    }


def use_district_map(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """COCKPIT_DISTRICT_MAP pointing at the test districts' map."""
    path = directory / "districts.geojson"
    path.write_text(json.dumps(district_geojson(), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_DISTRICT_MAP", str(path))


def shape_paths(svg: str) -> list[str]:
    """The <path> elements of the geoshape mark (not the legend's)."""
    group = re.search(r'<g class="mark-shape role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    assert group, "no geoshape mark in the SVG"
    return re.findall(r"<path\b[^>]*>", group.group(1))


def test_districts_map_draws_a_path_per_district_and_fetches_nothing() -> None:
    values = {"东湖区": 28.0, "西山区": 36.0, "南城区": 45.0}  # 北郊区: no value
    chart = charts.districts_map(district_geojson(), values, "微克/立方米")
    features = chart.to_dict()["layer"][0]["data"]["values"]  # the GeoJSON, inline
    assert [f["properties"]["value"] for f in features] == [28.0, 36.0, 45.0, None]
    svg = decoded(charts.svg_data_uri(chart))
    paths = shape_paths(svg)
    assert len(paths) == len(DISTRICTS)
    assert sum(f'fill="{charts.MAP_EMPTY}"' in p for p in paths) == 1  # the blank one
    assert {*DISTRICTS.values(), "28.0", "无数据", "微克/立方米"} <= set(svg_texts(svg))
    outside = re.sub(r'xmlns(:\w+)?="[^"]*"', "", svg)
    assert not re.search(r"https?:|href|file:|url\((?!#)", outside)  # url(#…): the legend


def test_map_rings_are_wound_as_d3_reads_them() -> None:
    ring = district_geojson()["features"][0]["geometry"]["coordinates"][0]
    wound = charts.d3_winding({"type": "Polygon", "coordinates": [ring, ring[::-1]]})
    assert wound["coordinates"] == [ring[::-1], ring]  # outer clockwise, the hole not
    assert charts.centroid({"type": "Polygon", "coordinates": [ring]}) == pytest.approx(
        (120.15, 31.15)
    )


def test_district_map_block_names_indicator_unit_period_and_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_district_map(tmp_path, monkeypatch)
    section = block("district_map", code="PM")
    assert section.title == "PM2.5<平均>浓度分区域地图"
    caption = re.search(r"<figcaption>(.*?)</figcaption>", section.html).group(1)
    assert caption == (
        "图：各区域PM2.5&lt;平均&gt;浓度（微克/立方米），颜色越深数值越大；无数据：北郊区；"
        "统计期：2026年10月"
    )
    uri = re.search(r'src="([^"]+)"', section.html).group(1)
    svg = decoded(uri)
    assert len(shape_paths(svg)) == len(DISTRICTS)
    assert {"北郊区", "无数据", "28.0"} <= set(svg_texts(svg))


def test_district_map_block_without_data_or_outside_the_map_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    geojson = district_geojson()
    geojson["features"] = geojson["features"][:3]  # a map without 北郊区
    path = tmp_path / "three.geojson"
    path.write_text(json.dumps(geojson, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_DISTRICT_MAP", str(path))
    assert "无数据：北郊区；地图未含：北郊区" in block("district_map", code="PM").html
    empty = block("district_map", code="AIR")  # an index computed for the city only
    assert empty.html == "<p>空气质量指数暂无分区域数据。</p>"
    spec = {"kind": "district_map", "params": {"code": "PM"}}
    template = BriefingTemplate.model_validate(
        {"name": "t", "title": "测试", "issuer": "测试局", "blocks": [spec]}
    )
    assert validate(template, path, catalog())
