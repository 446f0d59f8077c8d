"""The district map the screens and the briefings draw.

The cockpit runs on government intranets with no internet access: no map tiles, no CDN, no
online geocoder. So the district boundaries ship beside the catalog as a small GeoJSON file
(WGS84 lon/lat, one Polygon per district, ``properties: {code, name, name_en}``; ``name`` is
the Chinese name from ``areas.yaml``, which is what maps match regions by). The shipped one is
the sample city 新河市's; a site sets COCKPIT_DISTRICT_MAP to its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from indicators.settings import district_map_path

DISTRICT_GEOJSON = Path(__file__).parent / "catalog" / "districts.geojson"


def district_geojson(path: Path | None = None) -> dict[str, Any]:
    """The district FeatureCollection at ``path``, else COCKPIT_DISTRICT_MAP's, else the
    shipped 新河市 map."""
    chosen = path or district_map_path() or DISTRICT_GEOJSON
    return json.loads(chosen.read_text(encoding="utf-8"))
