"""A workbook of text for people to read and filter: a title line, a frozen header, and every
cell as text. Values that came from outside (a source's cells, an audit detail) are shown as
they were and never evaluated: one starting like a formula keeps Excel's quote prefix."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from indicators.export import HEAD_FILL

# What makes a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_CHARACTERS = 32767  # Excel calls a workbook with a longer cell damaged
TITLE_ROW, HEAD_ROW = 1, 2


def text_workbook(
    sheet_title: str,
    title: str,
    columns: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[str]],
) -> bytes:
    """The .xlsx bytes: `title` across the first row, `columns` (head, width) as a frozen,
    filterable header, then `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    text_cell(sheet, TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    sheet.merge_cells(
        start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(columns)
    )
    for column, (head, width) in enumerate(columns, start=1):
        cell = text_cell(sheet, HEAD_ROW, column, head)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, texts in enumerate(rows, start=HEAD_ROW + 1):
        for column, text in enumerate(texts, start=1):
            cell = text_cell(sheet, number, column, text)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = f"A{HEAD_ROW + 1}"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{HEAD_ROW}:{last}{HEAD_ROW + len(rows)}"
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def text_cell(sheet: Worksheet, row: int, column: int, text: str) -> Cell:
    """A cell holding `text` as text. One that starts like a formula is also marked as typed
    with a leading apostrophe (Excel's quotePrefix), so it stays text when edited; characters
    an .xlsx cannot hold become U+FFFD and text beyond Excel's cell limit is cut, instead of
    failing or corrupting the whole workbook."""
    cell = sheet.cell(row, column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)[:EXCEL_CELL_CHARACTERS]
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell
