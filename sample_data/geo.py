"""The district map of 新河市, the sample city.

The cockpit runs on government intranets with no internet access: no map tiles, no CDN, no
online geocoder. So the district boundaries it draws ship in the repository as a small GeoJSON
file (WGS84 lon/lat, one Polygon per district, ``properties: {code, name, name_en}``; ``name``
is the Chinese name from ``areas.yaml``, which is what ECharts maps match regions by). A site
configures the path of its own city's file later; this one is the default.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DISTRICT_GEOJSON = Path(__file__).parent / "xinhe_districts.geojson"


def district_geojson(path: Path | None = None) -> dict[str, Any]:
    """The district FeatureCollection at ``path``, by default the shipped 新河市 map."""
    return json.loads((path or DISTRICT_GEOJSON).read_text(encoding="utf-8"))
