"""The operator's path end to end, as real processes: `cockpit sample`, `refresh`, `status`,
fixing the broken source, and `import` of a reporting template, checked whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from indicators.store import open_store
from tests.cockpit_process import cockpit


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A sample city generated and refreshed once for the whole module."""
    home = tmp_path_factory.mktemp("home")
    made = cockpit(home, "sample", "--seed", "11", "--scale", "small", "--progress", "none")
    assert made.returncode == 0, made.stderr
    try:
        yield home
    finally:
        cockpit(home, "sample", "serve-api", "--stop")


def statuses(home: Path) -> tuple[int, dict[str, str]]:
    result = cockpit(home, "status", "--format", "json")
    report = json.loads(result.stdout)
    return result.returncode, {s["source"]: s["status"] for s in report["sources"]}


def test_refresh_fills_every_indicator_but_those_of_the_broken_source(city: Path) -> None:
    result = cockpit(city, "refresh", "--progress", "none")
    assert result.returncode == 1  # one source failed
    assert (
        "failed: power_files: 1 row(s) rejected, 0 allowed; first: 电力运行月报_" in result.stderr
    )
    assert "2 indicator(s) without values" in result.stdout
    unfilled = {line.split()[1] for line in result.stdout.splitlines() if "_ELECTRICITY" in line}
    assert unfilled == {"ECO_ELECTRICITY", "ECO_IND_ELECTRICITY"}

    code, by_source = statuses(city)
    assert code == 2  # power_files failed
    assert (city / "secrets.env").stat().st_mode & 0o777 == 0o600
    planted = {"finance_files", "power_files"}
    assert by_source["power_files"] == "failed"
    assert by_source["finance_files"] in {"late", "stale"}  # 市财政局 has not delivered
    assert {s: v for s, v in by_source.items() if s not in planted} == dict.fromkeys(
        set(by_source) - planted, "fresh"
    )
    prometheus = cockpit(city, "status", "--format", "prometheus").stdout
    assert 'cockpit_source_status{source="power_files"} 4' in prometheus
    assert 'cockpit_source_status{source="stats_files"} 0' in prometheus


def test_runs_show_why_the_broken_source_failed(city: Path) -> None:
    listed = json.loads(cockpit(city, "runs", "--source", "power_files", "--format", "json").stdout)
    failed = [r for r in listed if r["status"] == "failed"]
    assert failed and failed[0]["rows_rejected"] == 1
    detail = cockpit(city, "runs", "--run", str(failed[0]["id"]), "--format", "json")
    [rejection] = json.loads(detail.stdout)["rejections"]
    assert rejection["location"].startswith("电力运行月报_") and rejection["location"].endswith(
        ".csv row 4"
    )
    assert rejection["field"].endswith("月")  # the 当月 column, e.g. 10月
    assert "O" in rejection["value"]
    assert rejection["reason"] == f"'{rejection['value']}' is not a number"
    missing = cockpit(city, "runs", "--run", "99999")
    assert missing.returncode == 2 and "error: no load run 99999" in missing.stderr


def test_fixing_the_broken_file_and_refreshing_that_source_clears_it(city: Path) -> None:
    [broken] = [
        path
        for path in (city / "sample" / "power").glob("*.csv")
        if "O" in path.read_text(encoding="utf-8-sig").split("\n", 3)[3]
    ]
    broken.write_text(
        broken.read_text(encoding="utf-8-sig").replace("O", "0"), encoding="utf-8-sig"
    )
    result = cockpit(city, "refresh", "--source", "power_files", "--progress", "none")
    assert result.returncode == 0, result.stderr
    code, by_source = statuses(city)
    assert by_source["power_files"] == "fresh"
    assert [s for s, v in by_source.items() if v != "fresh"] == ["finance_files"]
    assert code == {"late": 1, "stale": 2}[by_source["finance_files"]]


def test_a_refresh_run_twice_changes_nothing(city: Path) -> None:
    store = open_store(f"sqlite:///{city / 'cockpit.db'}")
    before = store.values().drop(columns=["load_run_id", "loaded_at"])
    assert cockpit(city, "refresh", "--source", "stats_files", "--progress", "none").returncode == 0
    after = store.values().drop(columns=["load_run_id", "loaded_at"])
    store.engine.dispose()
    assert (
        before.sort_values(list(before.columns))
        .reset_index(drop=True)
        .equals(after.sort_values(list(after.columns)).reset_index(drop=True))
    )


def test_import_checks_the_whole_file_before_writing(city: Path, tmp_path: Path) -> None:
    template = tmp_path / "水务.xlsx"
    made = cockpit(city, "template", str(template), "--owner", "市水务局")
    assert made.returncode == 0 and "wrote a template with" in made.stdout
    book = load_workbook(template)
    sheet = book["填报"]
    rows = [row for row in sheet.iter_rows(min_row=3) if row[0].value]
    city_row, district_row = rows[0], rows[1]
    city_row[3].value, city_row[5].value = "2026年10月", 1234.5
    district_row[3].value, district_row[5].value = "2026年10月", "12,3a"  # a typo
    book.save(template)
    code = city_row[0].value

    store = open_store(f"sqlite:///{city / 'cockpit.db'}")
    count = store.count_values()
    refused = cockpit(city, "import", str(template))
    assert refused.returncode == 2
    assert (
        f"{template.name} row {district_row[0].row}: 数值: '12,3a' is not a number"
        in refused.stderr
    )
    assert "1 problem(s); nothing was imported" in refused.stderr
    assert store.count_values() == count  # not even the good row

    district_row[5].value = 56.5
    sheet[f"F{district_row[0].row}"] = 56.5
    book.save(template)
    accepted = cockpit(city, "import", str(template))
    assert accepted.returncode == 0, accepted.stderr
    assert "imported 2 values" in accepted.stdout
    areas = {"全市": "xinhe", "滨江区": "binjiang"}
    assert (city_row[4].value, district_row[4].value) == ("全市", "滨江区")
    stored = store.values(codes=[code], periods=["2026-10"], areas=list(areas.values()))
    store.engine.dispose()
    assert dict(zip(stored.area, stored.value, strict=True)) == {"xinhe": 1234.5, "binjiang": 56.5}
