"""How the workbook writes: its look, cells that hold user text safely, header rows, drop-down
lists, row heights and page setup. ``reports.xlsx`` lays out the sheets with these.

Everything a user typed is written as text (``data_type = "s"``), never as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from checklist.schema import NumberAnswer
from reports.rows import Rows
from reports.xlsx_layout import GAPS, ITEMS, LISTS, Column, clean_text

# ---------------------------------------------------------------------------------------------
# Look

NAVY = "1F3864"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
TITLE_FONT = Font(bold=True, size=16, color=NAVY)
SUBTITLE_FONT = Font(italic=True, color="595959")
BOLD = Font(bold=True)
BIG = Font(bold=True, size=14, color=NAVY)
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
UNUSED_FILL = PatternFill("solid", fgColor="D9D9D9")
GROUP_FILL = PatternFill("solid", fgColor="EDF1F7")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
INDENTED = Alignment(wrap_text=True, vertical="top", indent=2)
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

STATE_COLOURS: dict[str, tuple[str, str]] = {  # fill, font
    "covered": ("C6EFCE", "006100"),
    "partly": ("FFEB9C", "7F6000"),
    "not-covered": ("FFC7CE", "9C0006"),
    "unknown": ("E7E6E6", "404040"),
}
SEVERITY_COLOURS: dict[str, tuple[str, str]] = {
    "critical": ("C00000", "FFFFFF"),
    "high": ("F4B084", "000000"),
    "medium": ("FFE699", "000000"),
    "low": ("DDEBF7", "000000"),
}

# ---------------------------------------------------------------------------------------------
# Cells


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def put(ws: Worksheet, row: int, col: int, value: object, **style: Any) -> Cell:
    cell = ws.cell(row, col)
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"  # text a user typed is never a formula
        if text.startswith(_FORMULA_START):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    else:
        cell.value = value
    for name, val in style.items():
        setattr(cell, name, val)
    return cell


def header(ws: Worksheet, row: int, columns: Sequence[Column]) -> None:
    for n, column in enumerate(columns, start=1):
        put(ws, row, n, column.title, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP)
        letter = get_column_letter(n)
        ws.column_dimensions[letter].width = column.width
        ws.column_dimensions[letter].hidden = column.hidden


def fill(colours: tuple[str, str]) -> dict[str, Any]:
    return {"fill": PatternFill("solid", fgColor=colours[0]), "font": Font(color=colours[1])}


class Lists:
    """Drop-down lists, one column each on the hidden Lists sheet (labels may hold commas),
    and the number ranges; one validation per distinct list, shared by the cells using it."""

    def __init__(self, sheet: Worksheet):
        self.sheet = sheet
        self.columns: dict[tuple[str, ...], str] = {}
        self.validations: dict[tuple[str, tuple[str, ...]], DataValidation] = {}
        self.numbers: dict[tuple[float, float], DataValidation] = {}

    def validation(self, ws: Worksheet, values: Sequence[str], prompt: str) -> DataValidation:
        key = tuple(values)
        if key not in self.columns:
            col = len(self.columns) + 1
            for n, value in enumerate(values, start=1):
                put(self.sheet, n, col, value)
            self.columns[key] = get_column_letter(col)
        if (ws.title, key) not in self.validations:
            letter = self.columns[key]
            dv = DataValidation(
                type="list",
                formula1=f"{LISTS}!${letter}$1:${letter}${len(values)}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Not one of the answers",
                error="Choose one of the answers in the drop-down list.",
                promptTitle="Answer",
                prompt=prompt[:255],
                showInputMessage=True,
            )
            ws.add_data_validation(dv)
            self.validations[ws.title, key] = dv
        return self.validations[ws.title, key]

    def number(self, ws: Worksheet, spec: NumberAnswer) -> DataValidation:
        key = (spec.minimum, spec.maximum)
        if key not in self.numbers:
            dv = DataValidation(
                type="decimal",
                operator="between",
                formula1=f"{spec.minimum:g}",
                formula2=f"{spec.maximum:g}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Out of range",
                error=f"Enter a number from {spec.minimum:g} to {spec.maximum:g} ({spec.unit}).",
                promptTitle="Value",
                prompt=f"A number from {spec.minimum:g} to {spec.maximum:g} ({spec.unit}).",
                showInputMessage=True,
            )
            ws.add_data_validation(dv)
            self.numbers[key] = dv
        return self.numbers[key]


def fit_rows(ws: Worksheet) -> None:
    """Row heights for wrapped text. Neither Excel nor LibreOffice fits them when it opens a
    file, so without this every wrapped cell shows one line. Estimated from the text length
    and the column width (~1.2 characters of 11 pt text per unit of width)."""
    widths = {
        letter: (dim.width or 8.43) for letter, dim in ws.column_dimensions.items() if dim.width
    }
    for row in ws.iter_rows():
        if not row or ws.row_dimensions[row[0].row].height is not None:
            continue
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            per_line = max(1.0, widths.get(cell.column_letter, 8.43) * 1.2)
            count = sum(max(1, -(-len(part) // int(per_line))) for part in cell.value.split("\n"))
            lines = max(lines, count)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(409.0, 15.0 * lines)


def page_setup(ws: Worksheet, rows: Rows) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if ws.title == ITEMS else ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if ws.title in (GAPS, ITEMS) else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    jurisdiction = clean_text(rows.cover.jurisdiction).replace("&", "&&")[:80]
    ws.oddHeader.left.text = (
        f"OPSC gap report: {jurisdiction}" if jurisdiction else "OPSC gap report"
    )
    # Every printed page says whether it is a draft or the cleared version.
    ws.oddHeader.center.text = rows.cover.status.upper()
    ws.oddHeader.right.text = rows.cover.date
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"
