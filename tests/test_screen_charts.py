"""The ECharts options behind the map and the ranking: regions matched by the language's
name property, values written with the indicator's decimals, best district first."""

from __future__ import annotations

from cockpit.app.charts import MAP_NAME, district_map_option, ranking_option
from cockpit.app.palette import RAG_GREEN, RAG_RED
from cockpit.screen_model import DistrictFigure, DistrictView
from indicators.targets import Status

VIEW = DistrictView(
    code="X",
    name="全程网办率",
    unit="%",
    figure_label="2026年10月",
    figures=(
        DistrictFigure("west", "西区", 91.44, "91.4", 1, Status.green),
        DistrictFigure("east", "East District", 80.0, "80.0", 2, Status.red),
        DistrictFigure("north", "北区", None, "—", None, Status.unknown),
    ),
)


def test_map_names_regions_by_language_and_writes_values_as_published() -> None:
    zh = district_map_option(VIEW, "zh")
    series = zh["series"][0]
    assert series["map"] == MAP_NAME and series["nameProperty"] == "name"
    assert district_map_option(VIEW, "en")["series"][0]["nameProperty"] == "name_en"
    assert [d["name"] for d in series["data"]] == ["西区", "East District"]  # no value, no colour
    assert [d["label"]["formatter"] for d in series["data"]] == ["西区\n91.4", "East\n80.0"]
    assert zh["visualMap"]["min"] == 80.0 and zh["visualMap"]["max"] == 91.44
    assert zh["visualMap"]["text"] == ["91.4", "80.0"]


def test_ranking_is_best_first_coloured_by_status() -> None:
    option = ranking_option(VIEW)
    assert option["yAxis"]["data"] == ["1  西区", "2  East"]
    bars = option["series"][0]["data"]
    assert [b["value"] for b in bars] == [91.44, 80.0]
    assert [b["itemStyle"]["color"] for b in bars] == [RAG_GREEN, RAG_RED]
    assert [b["label"]["formatter"] for b in bars] == ["91.4", "80.0"]
