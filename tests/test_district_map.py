"""The shipped 新河市 district map is valid GeoJSON, names the catalog's districts and tiles the
city: neighbouring districts share their boundary exactly, nothing overlaps, nothing is missing."""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations, pairwise
from pathlib import Path

import pytest

from indicators.geo import DISTRICT_GEOJSON, district_geojson
from indicators.registry import DEFAULT_CATALOG, load_catalog

Point = tuple[float, float]


def shoelace(ring: list[Point]) -> float:
    """Signed area of a closed ring: positive when counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def on_segment(p: Point, a: Point, b: Point) -> bool:
    cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    return (
        abs(cross) < 1e-12
        and min(a[0], b[0]) - 1e-12 <= p[0] <= max(a[0], b[0]) + 1e-12
        and min(a[1], b[1]) - 1e-12 <= p[1] <= max(a[1], b[1]) + 1e-12
    )


def strictly_inside(p: Point, ring: list[Point]) -> bool:
    """Ray casting; a point on the boundary is not strictly inside."""
    inside = False
    for a, b in pairwise(ring):
        if on_segment(p, a, b):
            return False
        if (a[1] > p[1]) != (b[1] > p[1]):
            x = a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if x > p[0]:
                inside = not inside
    return inside


@pytest.fixture(scope="module")
def geojson() -> dict:
    return district_geojson()


@pytest.fixture(scope="module")
def rings(geojson: dict) -> dict[str, list[Point]]:
    return {
        f["properties"]["code"]: [tuple(p) for p in f["geometry"]["coordinates"][0]]
        for f in geojson["features"]
    }


def test_default_path_and_explicit_path_load_the_same_map(geojson: dict) -> None:
    assert district_geojson(DISTRICT_GEOJSON) == geojson
    assert DISTRICT_GEOJSON.stat().st_size < 60_000


def test_it_is_a_feature_collection_of_closed_ccw_polygons(geojson: dict) -> None:
    assert geojson["type"] == "FeatureCollection"
    for feature in geojson["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Polygon"
        for ring in feature["geometry"]["coordinates"]:
            assert len(ring) >= 4
            assert ring[0] == ring[-1]
            assert all(len(p) == 2 and round(p[0], 5) == p[0] for p in ring)
        exterior = [tuple(p) for p in feature["geometry"]["coordinates"][0]]
        assert shoelace(exterior) > 0, feature["properties"]["code"]


def test_one_feature_per_catalog_district_with_its_names(geojson: dict) -> None:
    districts = load_catalog(DEFAULT_CATALOG).catalog.deployment.districts
    expected = [(d.code, d.name_zh, d.name_en) for d in districts]
    got = [
        (f["properties"]["code"], f["properties"]["name"], f["properties"]["name_en"])
        for f in geojson["features"]
    ]
    assert sorted(got) == sorted(expected)
    assert len(got) == len(expected) == 8


def test_the_city_lies_in_eastern_china_about_60_km_across(rings: dict) -> None:
    points = [p for ring in rings.values() for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    assert 119.5 < min(lons) < max(lons) < 121.0
    assert 31.0 < min(lats) < max(lats) < 32.0
    assert 0.4 < max(lons) - min(lons) < 0.9  # about 40–85 km at 31.5°N


def test_no_vertex_of_one_district_lies_inside_another(rings: dict) -> None:
    for (code_a, a), (code_b, b) in combinations(rings.items(), 2):
        assert not any(strictly_inside(p, b) for p in a), (code_a, code_b)
        assert not any(strictly_inside(p, a) for p in b), (code_b, code_a)


def test_districts_share_edges_exactly_and_tile_the_city_outline(rings: dict) -> None:
    directed = Counter(e for ring in rings.values() for e in pairwise(ring))
    assert max(directed.values()) == 1  # no edge twice the same way: no overlap along it
    # An edge both ways is a shared border; an edge one way only is on the city outline.
    outline_edges = {a: b for a, b in directed if (b, a) not in directed}
    start = next(iter(outline_edges))
    outline = [start]
    while (point := outline_edges[outline[-1]]) != start:
        outline.append(point)
    outline.append(start)
    assert len(outline) - 1 == len(outline_edges)  # a single outline ring, no holes
    city = shoelace(outline)
    assert city > 0
    total = sum(shoelace(ring) for ring in rings.values())
    assert total == pytest.approx(city, rel=0.01)


def test_xishan_is_the_largest_district(rings: dict) -> None:
    assert max(rings, key=lambda code: shoelace(rings[code])) == "xishan"


def test_a_site_can_point_at_its_own_file(tmp_path: Path) -> None:
    own = tmp_path / "city.geojson"
    own.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    assert district_geojson(own) == {"type": "FeatureCollection", "features": []}
