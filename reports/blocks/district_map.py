"""区域地图: one indicator's figure for every district on the city's district map, for the
briefing's period (the city's, as the ranking reads it), each district filled by its value
and named with its figure. The map is the GeoJSON the screens draw: the site's own
(COCKPIT_DISTRICT_MAP) or, unset, the shipped sample city's."""

from __future__ import annotations

from indicators.geo import district_geojson
from reports import charts
from reports.blocks import DistrictIndicator, register
from reports.blocks.chart import figure_html
from reports.blocks.html import paragraph
from reports.blocks.ranking import districts_or_note
from reports.context import BriefingContext
from reports.document import Section
from reports.narrative import window


@register("district_map", "区域地图", DistrictIndicator)
def build(ctx: BriefingContext, params: DistrictIndicator, anchor: str) -> Section:
    found = districts_or_note(ctx, params, anchor, "地图")
    if isinstance(found, Section):
        return found
    ind, title, city, rows = found.city.indicator, found.title, found.city, found.rows
    if all(row.ranked.value is None for row in rows):
        return Section(anchor, title, paragraph(f"{ind.name_zh}暂无分区域数据。"))
    geojson = district_geojson()
    drawn = {feature["properties"]["name"] for feature in geojson["features"]}
    values = {row.name: row.ranked.value for row in rows}
    caption = f"图：各区域{ind.name_zh}（{ind.unit}），颜色越深数值越大"
    missing = [row.name for row in rows if row.ranked.value is None]
    if missing:
        caption += f"；无数据：{'、'.join(missing)}"
    absent = [row.name for row in rows if row.name not in drawn]
    if absent:
        caption += f"；地图未含：{'、'.join(absent)}"
    caption += f"；统计期：{window(city, with_year=True)}"
    chart = charts.districts_map(geojson, values, ind.unit, ind.decimals)
    return Section(anchor, title, figure_html(charts.svg_data_uri(chart), caption))
