"""Command-line exports made as a user (`--as`) show nothing that user could not see on the
screens: `cockpit show` of a hidden indicator is an unknown one, `cockpit catalog export`
lists their indicators only, `cockpit report build` leaves the rest out."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cockpit.clearance import visible_codes
from cockpit.session import Principal, Role
from indicators.registry import DEFAULT_CATALOG, load_catalog
from indicators.store import open_store
from indicators.store.users import UserRecord, add_user
from tests.cockpit_process import cockpit

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
SECRET, NAME = "ECO_LAND_TRANSFER", "国有土地使用权出让收入"


@pytest.fixture
def city(writable_city: Path) -> Path:
    """The sample city with a bureau head of 市统计局, li (no password: CLI use only)."""
    user = UserRecord("li", "李四", "bureau_head", "市统计局", None, False, NOW, NOW)
    add_user(open_store().engine, user)
    return writable_city


def test_show_of_a_hidden_indicator_is_an_unknown_one(city: Path) -> None:
    assert NAME in cockpit(city, "show", SECRET).stdout
    hidden = cockpit(city, "show", SECRET, "--as", "li")
    assert hidden.returncode == 2
    assert hidden.stderr.startswith(f"error: unknown indicator code '{SECRET}'")
    assert SECRET not in hidden.stderr.split("did you mean")[-1]
    shown = cockpit(city, "show", "ECO_IND_VA_GROWTH_YTD", "--as", "li")  # public
    assert shown.returncode == 0 and "规模以上工业增加值增速（累计）" in shown.stdout


def test_the_catalog_export_lists_only_their_indicators(city: Path) -> None:
    out = city / "catalog.xlsx"
    done = cockpit(city, "catalog", "export", "--xlsx", str(out), "--as", "li")
    catalog = load_catalog(DEFAULT_CATALOG).catalog
    seen = visible_codes(catalog, Principal("li", "李四", Role.bureau_head, "市统计局"))
    assert done.stdout.strip() == f"wrote {len(seen)} indicators to {out}"
    codes = {row[0] for row in load_workbook(out).active.iter_rows(min_row=2, values_only=True)}
    assert SECRET not in codes and "ECO_IND_VA_GROWTH_YTD" in codes


def test_a_briefing_built_as_them_leaves_it_out(city: Path) -> None:
    pdf = city / "b.pdf"
    args = ["report", "build", "--template", "monthly-economy", "--period", "2026-10"]
    cockpit(city, *args, "--out", str(pdf), "--progress", "none", "--as", "li")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "经济运行主要指标" in text and NAME not in text


def test_an_unknown_user_is_one_line(city: Path) -> None:
    done = cockpit(city, "show", "ECO_GDP", "--as", "nobody")
    assert (done.returncode, done.stderr) == (
        2, "error: --as nobody: no enabled user of that name (cockpit user list)\n"
    )  # fmt: skip


def test_a_composite_with_a_hidden_part_shows_no_breakdown(city: Path) -> None:
    code = "ECL_ZERO_WASTE_INDEX"  # public; its parts are internal to other bureaus
    everything = json.loads(cockpit(city, "show", code, "--format", "json").stdout)
    assert everything["contributions"]
    theirs = json.loads(cockpit(city, "show", code, "--format", "json", "--as", "li").stdout)
    assert theirs["contributions"] == [] and theirs["value"] == everything["value"]


def test_a_runs_rejected_rows_and_findings_as_an_operator_withhold_the_restricted(
    city: Path,
) -> None:
    from indicators.store import Finding, Rejection

    store = open_store()
    ops = UserRecord("wang", "王运维", "operator", None, None, False, NOW, NOW)
    add_user(store.engine, ops)
    rejected = [Rejection("土地.xlsx row 4", "数值", "73.52", "not a number", SECRET)]
    found = [Finding("range", "error", "negative value -73.52", SECRET, None, "2026-09")]
    run = store.write_run(store.start_run("finance_files"), [], 1, rejected, found)
    everything = cockpit(city, "runs", "--run", str(run.id), "--format", "json")
    assert "73.52" in everything.stdout  # the administrator at the server reads it all
    as_operator = cockpit(city, "runs", "--run", str(run.id), "--format", "json", "--as", "wang")
    document = json.loads(as_operator.stdout)
    assert [(r["location"], r["value"]) for r in document["rejections"]] == [
        ("土地.xlsx row 4", "—")
    ]
    assert document["findings"][0]["message"] == "（受限指标，详情不予显示）"
    assert "73.52" not in as_operator.stdout
