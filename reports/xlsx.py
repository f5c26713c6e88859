"""The Excel workbook: a gap report to print, and a checklist to fill in offline and return.

``render`` writes Summary, Gaps, Items, Methodology and Protocol sheets. The Items sheet is
the form: one row per item (one more per conduct element), drop-downs holding exactly the
answers each row allows, hidden columns with the item and element IDs, and a hidden ``_meta``
sheet naming the assessment. ``reports.xlsx_reader`` takes such a workbook back (``read`` is
importable from here too); the names both rely on are in ``reports.xlsx_layout``. How a cell
is written (user text never as a formula), the look and the page setup are
``reports.xlsx_cells``'s.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from typing import Final

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from checklist.schema import ChoiceAnswer, Item, NumberAnswer
from checklist.wording import ELEMENT_LABELS, STATE_LABELS
from reports import Report
from reports.rows import NOTE_LABEL, ItemRow, Rows, build_rows
from reports.xlsx_cells import (
    BIG,
    BOLD,
    GRID,
    HEADER_FILL,
    HEADER_FONT,
    INDENTED,
    INPUT_FILL,
    NAVY,
    SEVERITY_COLOURS,
    STATE_COLOURS,
    SUBTITLE_FONT,
    TITLE_FONT,
    TOP,
    UNUSED_FILL,
    WRAP,
    Lists,
    fill,
    fit_rows,
    header,
    page_setup,
    put,
)
from reports.xlsx_layout import (
    ASSESSOR,
    COL,
    DATE,
    GAPS,
    ITEM_COLUMNS,
    ITEMS,
    ITEMS_HEADER_ROW,
    JURISDICTION,
    LAW_DATE,
    LISTS,
    META,
    METHODOLOGY,
    PROTOCOL,
    SCOPE,
    SUMMARY,
    SUMMARY_FIELDS,
    TITLE,
    WORKBOOK_FORMAT,
    WORKBOOK_VERSION,
    Column,
    clean_text,
    status_labels,
)
from reports.xlsx_plan import PLAN, write_plan

# the reader, importable from here as before
from reports.xlsx_reader import MAX_UNZIPPED_BYTES as MAX_UNZIPPED_BYTES
from reports.xlsx_reader import MAX_ZIP_ENTRIES as MAX_ZIP_ENTRIES
from reports.xlsx_reader import read as read

# ---------------------------------------------------------------------------------------------
# The Gaps sheet is for reading on paper; nothing reads it back.

GAP_COLUMNS: Final = (
    Column("Rank", 6),
    Column("Severity", 10),
    Column("Section", 16),
    Column("Item", 26),
    Column("Treaty reference", 14),
    Column("Kind of gap", 22),
    Column("Finding", 30),
    Column("Recommendation", 50),
    Column("Committee references", 28),
    Column("Domestic provisions cited", 26),
    Column(NOTE_LABEL, 32),
    Column("Item ID", 14),
)

# ---------------------------------------------------------------------------------------------
# Writing


def render(report: Report) -> bytes:
    rows = build_rows(report)
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SUMMARY
    lists = Lists(wb.create_sheet(LISTS))
    _write_summary(summary, rows, report, lists)
    _write_gaps(wb.create_sheet(GAPS), rows)
    _write_items(wb.create_sheet(ITEMS), rows, lists)
    write_plan(wb.create_sheet(PLAN), rows, lists)
    _write_methodology(wb.create_sheet(METHODOLOGY), rows)
    _write_protocol(wb.create_sheet(PROTOCOL), rows)
    _write_meta(wb.create_sheet(META), report)
    wb.move_sheet(LISTS, offset=len(wb.sheetnames))
    wb.move_sheet(META, offset=len(wb.sheetnames))
    lists.sheet.sheet_state = "hidden"
    wb[META].sheet_state = "hidden"
    wb.active = 0
    _set_properties(wb, rows)
    for ws in wb.worksheets:
        fit_rows(ws)
        page_setup(ws, rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


VERDICT = "Verdict"
DRAFT, FINAL = "C00000", "2E7D32"  # the status line: red while a draft, green when cleared


def _write_summary(ws: Worksheet, rows: Rows, report: Report, lists: Lists) -> None:
    cover = rows.cover
    put(ws, 1, 1, "OPSC Gap Check: gap report", font=TITLE_FONT)
    put(ws, 2, 1, f"{cover.checklist}, version {cover.checklist_version}", font=SUBTITLE_FONT)
    final = cover.status == "Final"
    put(ws, 3, 1, cover.status_line, font=Font(bold=True, size=12, color=FINAL if final else DRAFT))
    a = report.assessment
    fields: list[tuple[str, object, bool]] = [
        (JURISDICTION, a.jurisdiction, True),
        (ASSESSOR, a.assessor, True),
        (TITLE, a.title, True),
        (DATE, a.date, True),
        (LAW_DATE, a.law_as_of, True),
        (SCOPE, cover.scope_title, True),
        (VERDICT, cover.verdict_label, False),
        ("What the verdict means", cover.verdict_meaning, False),
        *((score.label, score.value, False) for score in cover.scores),
        *([("Treaty score capped", cover.ceiling, False)] if cover.ceiling else []),
        ("Items answered", f"{cover.answered} of {cover.total}", False),
        ("Not known (to research)", cover.unknown_count, False),
        ("Gaps", cover.gap_count, False),
        ("Checklist version", cover.checklist_version, False),
        ("Methodology version", cover.methodology_version, False),
    ]
    percentages = {score.label for score in cover.scores}
    for row, (label, value, editable) in enumerate(fields, start=4):
        put(ws, row, 1, label, font=BOLD, alignment=TOP)
        cell = put(ws, row, 2, value, alignment=WRAP)
        if editable:
            cell.fill, cell.border = INPUT_FILL, GRID
        if label in (DATE, LAW_DATE):
            cell.number_format = "yyyy-mm-dd"
        if label == VERDICT:
            cell.font = BIG
        if label in percentages:
            cell.number_format = "0%"
        if label == cover.scores[0].label:
            cell.font = BIG
    scopes = [s.title for s in report.checklist.scopes]
    scope = lists.validation(ws, scopes, "What the assessment covers; answers outside are kept.")
    scope.add(f"B{4 + SUMMARY_FIELDS.index(SCOPE)}")
    note = 4 + len(fields)
    put(
        ws,
        note,
        1,
        "Cells in yellow can be edited. The scores are those computed when the workbook was "
        "exported; the tool recomputes them when the workbook is imported.",
        font=SUBTITLE_FONT,
    )
    top = note + 2
    put(ws, top - 1, 1, "Section scores", font=BIG)
    columns = (
        Column("Section", 40),
        Column("Module", 30),
        Column("Score", 10),
        Column("Answered", 10),
        Column("Items", 8),
        Column("Gaps", 8),
    )
    header(ws, top, columns)
    for n, s in enumerate(rows.sections, start=top + 1):
        put(ws, n, 1, s.title, alignment=WRAP)
        put(ws, n, 2, s.module, alignment=WRAP)
        put(ws, n, 3, s.score, number_format="0%")
        put(ws, n, 4, s.answered)
        put(ws, n, 5, s.total)
        put(ws, n, 6, s.gaps)
    last = top + len(rows.sections)
    sev_top = last + 3
    put(ws, sev_top - 1, 1, "Gaps by severity", font=BIG)
    header(ws, sev_top, (Column("Severity", 40), Column("Gaps", 30)))
    for n, (severity, label, count) in enumerate(rows.severity_counts, start=sev_top + 1):
        put(ws, n, 1, label, **fill(SEVERITY_COLOURS[severity]))
        put(ws, n, 2, count, alignment=Alignment(horizontal="left"))
    ws.column_dimensions["B"].width = 48
    _chart(ws, top, last, anchor=f"A{sev_top + len(rows.severity_counts) + 3}")


def _chart(ws: Worksheet, header_row: int, last_row: int, anchor: str) -> None:
    if last_row <= header_row:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = "Score by section"
    chart.legend = None
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.numFmt = "0%"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first section at the top
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    data = Reference(ws, min_col=3, min_row=header_row, max_row=last_row)
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showCatName = False
    chart.dataLabels.showSerName = False
    chart.dataLabels.showLegendKey = False
    chart.dataLabels.numFmt = "0%"
    chart.series[0].graphicalProperties.solidFill = NAVY
    chart.height = max(6.0, 1.1 * (last_row - header_row) + 2.5)
    chart.width = 24
    ws.add_chart(chart, anchor)


def _write_gaps(ws: Worksheet, rows: Rows) -> None:
    header(ws, 1, GAP_COLUMNS)
    for n, gap in enumerate(rows.gaps, start=2):
        values: list[object] = [
            gap.rank,
            gap.severity_label,
            gap.section_title,
            gap.title,
            gap.treaty_ref,
            gap.kind_label,
            gap.finding[:1].upper() + gap.finding[1:],
            gap.recommendation,
            "\n".join(gap.references),
            "\n".join(gap.provisions),
            gap.note,
            gap.item_id,
        ]
        for col, value in enumerate(values, start=1):
            put(ws, n, col, value, alignment=WRAP, border=GRID)
        ws.cell(n, 2).fill = PatternFill("solid", fgColor=SEVERITY_COLOURS[gap.severity][0])
        ws.cell(n, 2).font = Font(bold=True, color=SEVERITY_COLOURS[gap.severity][1])
    if not rows.gaps:
        put(ws, 2, 1, "No gaps: every item answered is covered.", font=SUBTITLE_FONT)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(GAP_COLUMNS))}{max(2, len(rows.gaps) + 1)}"
    ws.print_title_rows = "1:1"


def _write_items(ws: Worksheet, rows: Rows, lists: Lists) -> None:
    put(ws, 1, 3, "Items: answer each item for the domestic law as it stands", font=BIG)
    put(
        ws,
        2,
        3,
        "Fill in the yellow cells; grey cells do not apply to the item. Status and Choice "
        "offer the allowed answers. Put each domestic provision on a line of its own "
        "(Alt+Enter). Score, Result and Finding are as exported; the tool recomputes them "
        "when the workbook is imported.",
        font=SUBTITLE_FONT,
    )
    header(ws, ITEMS_HEADER_ROW, ITEM_COLUMNS)
    row = ITEMS_HEADER_ROW + 1
    for item_row in rows.items:
        _item_line(ws, row, item_row, lists)
        row += 1
        for element in item_row.elements:
            _element_line(ws, row, item_row, element.id, element.label, element.status_label)
            lists.validation(ws, list(ELEMENT_LABELS.values()), "Is this conduct covered?").add(
                ws.cell(row, COL["Status"])
            )
            row += 1
    last = row - 1
    status = f"{get_column_letter(COL['Status'])}{ITEMS_HEADER_ROW + 1}:{get_column_letter(COL['Status'])}{last}"
    for state, colours in STATE_COLOURS.items():
        fill = PatternFill("solid", fgColor=colours[0], bgColor=colours[0])
        ws.conditional_formatting.add(
            status,
            CellIsRule(
                operator="equal",
                formula=[f'"{STATE_LABELS[state]}"'],
                fill=fill,
                font=Font(color=colours[1]),
            ),
        )
    ws.freeze_panes = ws.cell(ITEMS_HEADER_ROW + 1, COL["Question"])
    ws.auto_filter.ref = f"A{ITEMS_HEADER_ROW}:{get_column_letter(len(ITEM_COLUMNS))}{last}"
    ws.print_title_rows = f"{ITEMS_HEADER_ROW}:{ITEMS_HEADER_ROW}"


def _item_line(ws: Worksheet, row: int, r: ItemRow, lists: Lists) -> None:
    spec = r.item.answer
    values: dict[str, object] = {
        "Item ID": r.id,
        "Element ID": "",
        "Section": r.section_title,
        "Item": r.item.title,
        "Question": r.item.question,
        "Obligation": r.obligation,
        "How to answer": r.how_to_answer,
        "Status": STATE_LABELS[r.status] if r.status else "",
        "Value": r.value,
        "Choice": _choice_label(r.item, r.choice),
        "Domestic provisions": "\n".join(r.provisions),
        "Excerpt": r.excerpt,
        "Source URL": r.source_url,
        "Note": r.note,
        "Score": r.score,
        "Result": r.state_label,
        "Finding": r.finding,
    }
    for title, col in COL.items():
        cell = put(ws, row, col, values[title], alignment=WRAP, border=GRID)
        if ITEM_COLUMNS[col - 1].fill_in:
            cell.fill = INPUT_FILL
    ws.cell(row, COL["Item"]).font = BOLD
    ws.cell(row, COL["Score"]).number_format = "0%"
    if r.state in STATE_COLOURS:
        for key, value in fill(STATE_COLOURS[r.state]).items():
            setattr(ws.cell(row, COL["Result"]), key, value)
    lists.validation(ws, status_labels(r.item), "Coverage status of this item").add(
        ws.cell(row, COL["Status"])
    )
    if isinstance(spec, NumberAnswer):
        lists.number(ws, spec).add(ws.cell(row, COL["Value"]))
    else:
        ws.cell(row, COL["Value"]).fill = UNUSED_FILL
    if isinstance(spec, ChoiceAnswer):
        labels = [o.label for o in spec.options]
        lists.validation(ws, labels, "Choose the option that fits the law").add(
            ws.cell(row, COL["Choice"])
        )
    else:
        ws.cell(row, COL["Choice"]).fill = UNUSED_FILL


def _element_line(
    ws: Worksheet, row: int, r: ItemRow, element_id: str, label: str, status_label: str
) -> None:
    values: dict[str, object] = {
        "Item ID": r.id,
        "Element ID": element_id,
        "Section": r.section_title,
        "Item": label,
        "Question": f"Conduct element of: {r.item.title}",
        "How to answer": _either(list(ELEMENT_LABELS.values())),
        "Status": status_label,
    }
    for title, col in COL.items():
        cell = put(ws, row, col, values.get(title, ""), alignment=WRAP, border=GRID)
        if ITEM_COLUMNS[col - 1].fill_in:
            cell.fill = INPUT_FILL if title == "Status" else UNUSED_FILL
    ws.cell(row, COL["Item"]).alignment = INDENTED


def _either(labels: list[str]) -> str:
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


def _choice_label(item: Item, choice: str) -> str:
    spec = item.answer
    if isinstance(spec, ChoiceAnswer):
        return next((o.label for o in spec.options if o.value == choice), choice)
    return choice


def _write_methodology(ws: Worksheet, rows: Rows) -> None:
    m = rows.methodology
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 30
    put(ws, 1, 1, "Methodology", font=TITLE_FONT)
    put(ws, 2, 1, f"Methodology version {m.version}", font=SUBTITLE_FONT)
    row = 4
    for paragraph in m.paragraphs:
        put(ws, row, 1, paragraph, alignment=WRAP)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.row_dimensions[row].height = 15 * (len(paragraph) // 110 + 1)
        row += 1
    tables: list[tuple[str, tuple[str, ...], Iterable[Sequence[object]]]] = [
        ("Weights", ("Obligation", "Weight"), m.weights),
        ("Answer scores", ("Answer", "Score"), m.answer_scores),
        (
            "Severity of a gap",
            ("Obligation", "Not covered", "Partly covered"),
            m.severities,
        ),
        ("Kinds of gap", ("Obligation", "Kind of gap"), m.gap_kinds),
    ]
    for title, headings, table in tables:
        row += 1
        put(ws, row, 1, title, font=BIG)
        row += 1
        for col, heading in enumerate(headings, start=1):
            put(ws, row, col, heading, font=HEADER_FONT, fill=HEADER_FILL)
        for values in table:
            row += 1
            for col, value in enumerate(values, start=1):
                put(ws, row, col, value, alignment=WRAP, border=GRID)


def _write_protocol(ws: Worksheet, rows: Rows) -> None:
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 110
    put(ws, 1, 1, rows.protocol_title, font=BIG)
    put(ws, 2, 1, rows.protocol_source, font=SUBTITLE_FONT)
    header(ws, 4, (Column("Article", 12), Column("Text", 110)))
    row = 5
    paragraphs = [("Preamble", p) for p in rows.preamble] + [
        (a.heading, p) for a in rows.articles for p in a.paragraphs
    ]
    for heading, text in paragraphs:
        put(ws, row, 1, heading, font=BOLD, alignment=TOP)
        put(ws, row, 2, text, alignment=WRAP)
        row += 1
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"


def _write_meta(ws: Worksheet, report: Report) -> None:
    a = report.assessment
    archived = json.dumps([x.model_dump(mode="json") for x in a.archived_answers])
    in_scope = {r.id for r in report.result.items}
    outside = json.dumps(
        {
            item_id: answer.model_dump(mode="json", exclude_none=True)
            for item_id, answer in sorted(a.answers.items())
            if item_id not in in_scope
        }
    )
    entries: list[tuple[str, list[object]]] = [
        ("format", [WORKBOOK_FORMAT]),
        ("format_version", [WORKBOOK_VERSION]),
        ("assessment_id", [a.id]),
        ("checklist_version", [report.checklist.version]),
        ("created_at", [a.created_at.isoformat()]),
        # the saved version the workbook was exported from: lets the app tell whether the
        # saved copy changed after the export before a returned workbook replaces it
        ("updated_at", [a.updated_at.isoformat()]),
        ("archived_answers", _chunks(archived, 30_000)),
        # answers to items outside the scope: not on the Items sheet, kept so a returned
        # workbook loses nothing (the scope can be widened later)
        ("out_of_scope_answers", _chunks(outside, 30_000)),
    ]
    for row, (key, values) in enumerate(entries, start=1):
        ws.cell(row, 1).value = key
        for col, value in enumerate(values, start=2):
            cell = ws.cell(row, col)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"


def _chunks(text: str, size: int) -> list[object]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _set_properties(wb: Workbook, rows: Rows) -> None:
    cover = rows.cover
    wb.properties.title = clean_text(f"OPSC gap report: {cover.jurisdiction}".strip(": "))
    wb.properties.creator = clean_text(cover.assessor or "OPSC Gap Check")
    wb.properties.subject = "Optional Protocol on the sale of children: gap analysis"
