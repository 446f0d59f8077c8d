"""screens.yaml: the shipped layout fits the wall and names real indicators; a broken one
fails `cockpit validate` with the screen, row and code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cockpit.cli import app
from indicators.model import AreaScope
from indicators.registry import DEFAULT_CATALOG, load_catalog
from indicators.screens import MAX_ROWS, MAX_TILES_PER_ROW, ScreensError, load_screens


def test_shipped_screens_fit_and_cover_every_domain() -> None:
    catalog = load_catalog().catalog
    screens = load_screens(catalog, DEFAULT_CATALOG)
    assert list(screens) == [
        "overview",
        "economic",
        "service",
        "governance",
        "ecology",
        "infrastructure",
    ]
    for screen in screens.values():
        assert 1 <= len(screen.rows) <= MAX_ROWS
        assert all(1 <= len(row.codes) <= MAX_TILES_PER_ROW for row in screen.rows)
        assert all(catalog.get(code).areas is AreaScope.all for code in screen.map_codes)
    assert [row.key for row in screens["overview"].rows] == [
        "economic",
        "service",
        "governance",
        "ecology",
        "infrastructure",
    ]


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(DEFAULT_CATALOG, target)
    return target


def break_layout(folder: Path, old: str, new: str) -> None:
    path = folder / "screens.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "ECO_GDP, ECO_GDP_GROWTH",
            "ECO_GPD, ECO_GDP_GROWTH",
            "overview.rows.economic: unknown indicator ECO_GPD",
        ),
        (
            "[ECO_GDP_GROWTH, ECO_RETAIL_GROWTH",
            "[ECO_UNEMPLOYMENT, ECO_RETAIL_GROWTH",
            "overview.map: ECO_UNEMPLOYMENT is not published for districts",
        ),
        ("    gdp: [", "    gpd: [", "economic.rows.gpd: not a topic of economic"),
        (
            "SVC_HOTLINE_AVG_DAYS]",
            "SVC_HOTLINE_AVG_DAYS, SVC_USERS]",
            "service.rows.hotline_handling: 1 to 4 tiles, not 5",
        ),
        (
            "    fire: [GOV_FIRE_AVG_ARRIVAL",
            "    fire: [ECL_PM25",
            "governance.rows.fire: ECL_PM25 belongs to ecology",
        ),
    ],
)
def test_a_broken_layout_fails_validate_naming_the_place(
    catalog_copy: Path, old: str, new: str, message: str
) -> None:
    break_layout(catalog_copy, old, new)
    result = CliRunner().invoke(app, ["validate", "--catalog", str(catalog_copy)])
    assert result.exit_code == 1
    assert message in result.output


def test_a_missing_screen_is_a_one_line_error(catalog_copy: Path) -> None:
    break_layout(catalog_copy, "ecology:\n  rows:", "ecologie:\n  rows:")
    with pytest.raises(ScreensError) as error:
        load_screens(load_catalog(catalog_copy).catalog, catalog_copy)
    assert "screens.yaml" in str(error.value) and "\n" not in str(error.value)
