"""The comparison of two assessments (or versions) as an Excel workbook: the verdicts and
treaty scores, every section, and every item with what changed. Bytes out, like every
exporter; user text is never a formula (``xlsx_cells.put``)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports import Report
from reports.compare_rows import ComparisonRows, comparison_rows, points_label
from reports.xlsx_cells import BIG, BOLD, GRID, SUBTITLE_FONT, TITLE_FONT, WRAP, header, put
from reports.xlsx_layout import Column


def render_comparison(
    first: Report, second: Report, first_label: str = "", second_label: str = ""
) -> bytes:
    rows = comparison_rows(first, second, first_label, second_label)
    wb = Workbook()
    overall = wb.active
    assert overall is not None
    overall.title = "Comparison"
    _overall(overall, rows)
    _sections(wb.create_sheet("By section"), rows)
    _items(wb.create_sheet("By item"), rows)
    wb.properties.title = f"OPSC comparison: {rows.first.label} / {rows.second.label}"[:250]
    wb.properties.creator = "OPSC Gap Check"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _overall(ws: Worksheet, rows: ComparisonRows) -> None:
    put(ws, 1, 1, "OPSC Gap Check: comparison of two assessments", font=TITLE_FONT)
    put(ws, 2, 1, "The second is compared with the first.", font=SUBTITLE_FONT)
    header(ws, 4, (Column("", 28), Column("First", 50), Column("Second", 50)))
    lines: list[tuple[str, object, object]] = [
        ("Assessment", rows.first.label, rows.second.label),
        ("Verdict", rows.first.verdict, rows.second.verdict),
        ("Treaty score", rows.first.treaty_score, rows.second.treaty_score),
        ("Answered", rows.first.answered, rows.second.answered),
        ("Gaps", rows.first.gaps, rows.second.gaps),
    ]
    for n, (name, a, b) in enumerate(lines, start=5):
        put(ws, n, 1, name, font=BOLD, border=GRID)
        put(ws, n, 2, a, alignment=WRAP, border=GRID)
        put(ws, n, 3, b, alignment=WRAP, border=GRID)
    n = 5 + len(lines) + 1
    put(ws, n, 1, "Change in the treaty score (points)", font=BOLD)
    put(ws, n, 2, points_label(rows.points), font=BIG)
    put(ws, n + 1, 1, "Items changed", font=BOLD)
    put(ws, n + 1, 2, len(rows.changed))
    put(
        ws,
        n + 3,
        1,
        "Any change of an answer or its evidence counts; an item not answered, or not known, "
        "on one side is not read as a rise or a fall.",
        font=SUBTITLE_FONT,
    )


def _sections(ws: Worksheet, rows: ComparisonRows) -> None:
    columns = (
        Column("Section", 44),
        Column("First (%)", 11),
        Column("Second (%)", 11),
        Column("Change (points)", 14),
        Column("Note", 50),
    )
    header(ws, 1, columns)
    for n, s in enumerate(rows.sections, start=2):
        values = (s.title, s.first, s.second, points_label(s.points), s.note)
        for col, value in enumerate(values, start=1):
            put(ws, n, col, value, alignment=WRAP, border=GRID)
    ws.freeze_panes = "A2"


def _items(ws: Worksheet, rows: ComparisonRows) -> None:
    columns = (
        Column("Item ID", 24),
        Column("Item", 40),
        Column("First", 34),
        Column("Second", 34),
        Column("Change (points)", 14),
        Column("What changed", 28),
    )
    header(ws, 1, columns)
    for n, c in enumerate(rows.items, start=2):
        values = (c.id, c.title, c.first, c.second, points_label(c.points), ", ".join(c.what))
        for col, value in enumerate(values, start=1):
            put(ws, n, col, value, alignment=WRAP, border=GRID)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(2, len(rows.items) + 1)}"
