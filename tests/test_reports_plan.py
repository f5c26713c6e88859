"""The action plan in the reports: the workbook's Action plan sheet, edited offline and read
back like the Items sheet; the PDF's and the Word report's action-plan chapter."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from checklist.assessment import Answer, Assessment, PlannedAction
from checklist.assessment_file import FileProblem
from checklist.loader import default_checklist
from reports import build_report, read_any, render
from reports.xlsx_plan import PCOL, PLAN, PLAN_HEADER_ROW

CHECKLIST = default_checklist()
GAPS = [
    i.id
    for i in CHECKLIST.items(frozenset({"core"}))
    if i.answer.type == "status" and not i.applies_if
][:3]


def assessment() -> Assessment:
    first, second, _ = GAPS
    return Assessment(
        jurisdiction="Ruritania",
        checklist_version=CHECKLIST.version,
        answers={item: Answer(status="not-covered") for item in GAPS},
        actions={
            first: PlannedAction(
                action="Criminalise simple possession — تجريم الحيازة",
                institution="Ministry of Justice",
                due=dt.date(2020, 3, 31),
                priority="high",
                status="in-progress",
                note="=SUM(A1) stays text",
            ),
            second: PlannedAction(action="Raise the age to 18", status="done"),
        },
    )


def workbook(a: Assessment) -> bytes:
    return render("xlsx", build_report(a))


def edited(data: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    """The workbook with cells of the Action plan sheet changed, as a user would in Excel:
    ``edits`` maps (item ID, column title) to the new value."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[PLAN]
    rows = {
        ws.cell(r, PCOL["Item ID"]).value: r for r in range(PLAN_HEADER_ROW + 1, ws.max_row + 1)
    }
    for (item_id, title), value in edits.items():
        ws.cell(rows[item_id], PCOL[title]).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_action_plan_sheet__lists_every_gap_and_round_trips_every_field() -> None:
    a = assessment()
    back = read_any(workbook(a), "plan.xlsx", CHECKLIST).assessment
    assert set(back.actions) == set(a.actions)  # the gap without an action stays without
    for item_id, planned in a.actions.items():
        assert back.actions[item_id].model_dump(exclude={"updated_at"}) == planned.model_dump(
            exclude={"updated_at"}
        )


def test_action_plan_sheet__edited_offline_is_read_back() -> None:
    _, second, third = GAPS
    data = edited(
        workbook(assessment()),
        {
            (third, "Action"): "Ratify and implement",
            (third, "Responsible institution"): "Parliament",
            (third, "Target date"): dt.datetime(2027, 6, 30),
            (third, "Priority"): "Low",
            (third, "Status"): "Planned",
            (second, "Action"): None,  # clearing every yellow cell removes the action
            (second, "Status"): None,
        },
    )
    back = read_any(data, "plan.xlsx", CHECKLIST).assessment
    assert back.actions[third].institution == "Parliament"
    assert back.actions[third].due == dt.date(2027, 6, 30)
    assert back.actions[third].priority == "low"
    assert second not in back.actions


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Target date", "next spring", "'next spring' is not a date"),
        ("Target date", "2027-02-30", "is not a date"),
        ("Priority", "Urgent!", "is not a priority"),
        ("Status", "Finished", "is not a status"),
    ],
)
def test_a_bad_value__gets_a_clear_message_naming_the_cell(
    column: str, value: str, message: str
) -> None:
    first = GAPS[0]
    data = edited(workbook(assessment()), {(first, column): value})
    with pytest.raises(FileProblem, match=message) as problem:
        read_any(data, "plan.xlsx", CHECKLIST)
    assert f"sheet {PLAN}, row" in str(problem.value) and f"column {column}" in str(problem.value)


def test_overdue_actions__are_marked_in_the_sheet_and_user_text_is_never_a_formula() -> None:
    wb = load_workbook(io.BytesIO(workbook(assessment())))
    ws = wb[PLAN]
    first_row = PLAN_HEADER_ROW + 1  # the earliest target date comes first
    assert ws.cell(first_row, PCOL["Overdue"]).value == "OVERDUE"
    note = ws.cell(first_row, PCOL["Note"])
    assert note.value == "=SUM(A1) stays text" and note.data_type == "s"


def test_pdf_and_word__carry_the_action_plan_chapter() -> None:
    from docx import Document
    from pypdf import PdfReader

    report = build_report(assessment())
    text = " ".join(
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(render("pdf", report))).pages
    )
    assert "Action plan" in text and "Ministry of Justice" in text and "OVERDUE" in text
    assert "No action planned yet" in text
    document = Document(io.BytesIO(render("docx", report)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("Criminalise simple possession" in c for c in cells)
    assert any("OVERDUE" in c for c in cells)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Action plan" in headings


def test_a_workbook_without_the_sheet__says_the_saved_plan_is_kept() -> None:
    wb = load_workbook(io.BytesIO(workbook(assessment())))
    del wb[PLAN]
    out = io.BytesIO()
    wb.save(out)
    loaded = read_any(out.getvalue(), "old.xlsx", CHECKLIST)
    assert loaded.lacks == frozenset({"actions"})
    assert any("no Action plan sheet" in notice for notice in loaded.notices)
