"""The workbook's Action plan sheet: written with the other sheets, read back like Items.

One row per gap (and per saved action whose item is no longer a gap), by target date then
severity. The yellow cells can be edited offline: Action, Responsible institution, Target
date, Priority, Status, Note. A row whose yellow cells are all empty has no action (a gap
not yet planned, or an action removed). Reading names the cell of anything it cannot take.
"""

from __future__ import annotations

from typing import Any, Final

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from checklist import action_plan
from checklist.assessment import MAX_TEXT
from checklist.assessment_file import FileProblem
from reports.plan_rows import OVERDUE
from reports.rows import Rows
from reports.xlsx_answers import fold, iso_date, text_cell
from reports.xlsx_cells import (
    BIG,
    GRID,
    INPUT_FILL,
    SUBTITLE_FONT,
    WRAP,
    Lists,
    header,
    put,
)
from reports.xlsx_layout import Column

PLAN: Final = "Action plan"
PLAN_HEADER_ROW: Final = 3
PLAN_COLUMNS: Final = (
    Column("Item ID", 16, hidden=True),
    Column("Gap", 30),
    Column("Severity", 11),
    Column("Recommendation", 40),
    Column("Action", 40, fill_in=True),
    Column("Responsible institution", 22, fill_in=True),
    Column("Target date", 12, fill_in=True),
    Column("Priority", 10, fill_in=True),
    Column("Status", 12, fill_in=True),
    Column("Note", 30, fill_in=True),
    Column("Overdue", 10),
)
PCOL: Final = {c.title: n for n, c in enumerate(PLAN_COLUMNS, start=1)}
FILL_IN: Final = tuple(c.title for c in PLAN_COLUMNS if c.fill_in)
OVERDUE_STYLE = {"font": Font(bold=True, color="C00000")}


def write_plan(ws: Worksheet, rows: Rows, lists: Lists) -> None:
    put(ws, 1, 2, "Action plan: what is to be done about each gap, by whom and by when", font=BIG)
    put(
        ws,
        2,
        2,
        "Fill in the yellow cells. A gap whose yellow cells are empty has no action yet. Write "
        "the target date as 2027-03-31. The tool reads this sheet back when the workbook is "
        "imported; Overdue is as exported.",
        font=SUBTITLE_FONT,
    )
    header(ws, PLAN_HEADER_ROW, PLAN_COLUMNS)
    priorities = lists.validation(
        ws, list(action_plan.PRIORITY_LABELS.values()), "How urgent the action is."
    )
    statuses = lists.validation(
        ws, list(action_plan.STATUS_LABELS.values()), "How far the action has got."
    )
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(1900,1,1)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a date",
        error="Enter a date, e.g. 2027-03-31.",
    )
    ws.add_data_validation(dates)
    row = PLAN_HEADER_ROW
    for row, line in enumerate(rows.actions, start=PLAN_HEADER_ROW + 1):
        values: dict[str, object] = {
            "Item ID": line.item_id,
            "Gap": line.title,
            "Severity": line.severity_label,
            "Recommendation": line.recommendation,
            "Action": line.action,
            "Responsible institution": line.institution,
            "Target date": line.due,
            "Priority": line.priority_label,
            "Status": line.status_label,
            "Note": line.note,
            "Overdue": OVERDUE if line.overdue else "",
        }
        for title, value in values.items():
            cell = put(ws, row, PCOL[title], value, alignment=WRAP, border=GRID)
            if title in FILL_IN:
                cell.fill = INPUT_FILL
        ws.cell(row, PCOL["Target date"]).number_format = "yyyy-mm-dd"
        if line.overdue:
            for name, value in OVERDUE_STYLE.items():
                setattr(ws.cell(row, PCOL["Overdue"]), name, value)
        priorities.add(ws.cell(row, PCOL["Priority"]))
        statuses.add(ws.cell(row, PCOL["Status"]))
        dates.add(ws.cell(row, PCOL["Target date"]))
    if not rows.actions:
        put(ws, PLAN_HEADER_ROW + 1, 2, "No gap, and no action planned.", font=SUBTITLE_FONT)
    ws.freeze_panes = ws.cell(PLAN_HEADER_ROW + 1, PCOL["Action"])
    last = max(row, PLAN_HEADER_ROW + 1)
    ws.auto_filter.ref = f"A{PLAN_HEADER_ROW}:{get_column_letter(len(PLAN_COLUMNS))}{last}"
    ws.print_title_rows = f"{PLAN_HEADER_ROW}:{PLAN_HEADER_ROW}"


def read_plan(ws: Any, source: str) -> dict[str, dict[str, Any]]:
    """The actions of a returned workbook's Action plan sheet, as the file format's JSON."""
    header_row, columns = _find_header(ws, source)
    found: dict[str, dict[str, Any]] = {}
    for row, line in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1
    ):
        cells = {t: line[c] if c < len(line) else None for t, c in columns.items()}
        item_id = text_cell(cells["Item ID"], source, _at(row, "Item ID"), 200).strip()
        filled = {t: cells[t] for t in FILL_IN if cells[t] not in (None, "")}
        if not item_id:
            if filled:
                raise FileProblem(
                    source,
                    _at(row, "Item ID"),
                    "this row has no item ID (hidden column A), so its action cannot be placed. "
                    "Rows cannot be added to this sheet; plan the action in the gap's own row.",
                )
            continue
        if item_id in found:
            raise FileProblem(source, _at(row, "Item ID"), f"the item '{item_id}' appears twice.")
        # An action for an item this checklist no longer has is kept as it was: it is the
        # user's, and the file format keeps it too.
        if not filled:
            continue
        found[item_id] = _action(cells, row, source)
    return found


def _action(cells: dict[str, object], row: int, source: str) -> dict[str, Any]:
    def text(title: str, limit: int) -> str:
        return text_cell(cells[title], source, _at(row, title), limit).strip()

    action: dict[str, Any] = {
        "action": text("Action", MAX_TEXT),
        "institution": text("Responsible institution", 300),
        "note": text("Note", MAX_TEXT),
    }
    due = cells["Target date"]
    if due not in (None, ""):
        action["due"] = _date(due, row, source)
    priority = text("Priority", 50)
    if priority:
        action["priority"] = _label(priority, action_plan.PRIORITY_LABELS, "Priority", row, source)
    status = text("Status", 50)
    action["status"] = (
        _label(status, action_plan.STATUS_LABELS, "Status", row, source) if status else "planned"
    )
    return action


def _date(value: object, row: int, source: str) -> str:
    if (date := iso_date(value)) is not None:
        return date
    raise FileProblem(
        source,
        _at(row, "Target date"),
        f"'{value}' is not a date; write it as 2027-03-31 (year-month-day), or leave it empty.",
    )


def _label(text: str, labels: dict[Any, str], title: str, row: int, source: str) -> str:
    by_label = {fold(label): value for value, label in labels.items()}
    by_label |= {fold(value): value for value in labels}
    value = by_label.get(fold(text))
    if value is None:
        raise FileProblem(
            source,
            _at(row, title),
            f"'{text}' is not a {title.lower()}; choose one of: {', '.join(labels.values())}.",
        )
    return str(value)


def _at(row: int, column: str) -> str:
    return f"sheet {PLAN}, row {row}, column {column}"


def _find_header(ws: Any, source: str) -> tuple[int, dict[str, int]]:
    for row, line in enumerate(ws.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
        titles = [str(v).strip() if v is not None else "" for v in line]
        if "Item ID" in titles:
            columns = {t: titles.index(t) for t in PCOL if t in titles}
            missing = [t for t in ("Item ID", *FILL_IN) if t not in columns]
            if missing:
                raise FileProblem(
                    source,
                    f"sheet {PLAN}, row {row}",
                    f"the column(s) {', '.join(missing)} are missing. Was the sheet edited? "
                    "Restore the columns, or export a fresh workbook.",
                )
            return row, columns
    raise FileProblem(
        source,
        f"sheet {PLAN}",
        "the header row (with the hidden column 'Item ID') is missing from the first 10 rows. "
        "Was the sheet edited? Export a fresh workbook and copy the actions into it.",
    )
