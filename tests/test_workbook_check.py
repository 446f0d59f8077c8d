"""A filled template is looked at as a zip before it is opened: values only. Macros, links to
other workbooks, cell formulas and zip bombs are refused with one reason, and a good
template passes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from connectors.workbook_check import MAX_UNPACKED, workbook_problem


def good(path: Path) -> Path:
    workbook = Workbook()
    workbook.active.append(["指标编码", "统计期", "区域", "数值"])
    workbook.active.append(["GOV_FIRES", "2025年9月", "全市", 3])
    workbook.save(path)
    return path


def with_part(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return path


def test_a_workbook_of_values_passes(tmp_path: Path) -> None:
    assert workbook_problem(good(tmp_path / "a.xlsx")) is None


def test_a_cell_formula_is_refused(tmp_path: Path) -> None:
    path = good(tmp_path / "a.xlsx")
    workbook = load_workbook(path)
    workbook.active["D3"] = '=WEBSERVICE("http://example.invalid/")'
    workbook.save(path)
    assert (
        workbook_problem(path) == "cell formulas in xl/worksheets/sheet1.xml: fill in values only"
    )


@pytest.mark.parametrize(
    ("part", "reason"),
    [
        ("xl/vbaProject.bin", "contains macros (vbaProject.bin): send the .xlsx without macros"),
        (
            "xl/externalLinks/externalLink1.xml",
            "links to other workbooks: paste the values instead",
        ),
    ],
)
def test_macros_and_external_links_are_refused(tmp_path: Path, part: str, reason: str) -> None:
    assert workbook_problem(with_part(good(tmp_path / "a.xlsx"), part, b"x")) == reason


def test_a_zip_bomb_is_refused_before_it_is_unpacked_whole(tmp_path: Path) -> None:
    path = good(tmp_path / "a.xlsx")
    zeros = b"\0" * (MAX_UNPACKED + 2**20)  # compresses to about 100 KB
    with_part(path, "xl/media/image1.bin", zeros)
    assert path.stat().st_size < 2**20
    assert workbook_problem(path) == "unpacks to more than 100 MB: not a filled template"


def test_something_that_is_no_zip_is_named_so(tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    assert workbook_problem(text) == "not a readable .xlsx workbook (File is not a zip file)"
