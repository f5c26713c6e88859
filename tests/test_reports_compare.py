"""The comparison exports: a workbook of two assessments (or versions) side by side, and the
Word report with a chapter on what changed since a baseline."""

from __future__ import annotations

import dataclasses
import io

from docx import Document
from openpyxl import load_workbook

from checklist.assessment import Answer, Assessment
from checklist.loader import default_checklist
from reports import build_report, render
from reports.compare_xlsx import render_comparison

CHECKLIST = default_checklist()
ITEM = next(
    i
    for i in CHECKLIST.items(frozenset({"core"}))
    if i.answer.type == "status" and not i.applies_if
)
CHOICE = next(i for i in CHECKLIST.items(frozenset({"core"})) if i.answer.type == "choice")


def pair() -> tuple[Assessment, Assessment]:
    before = Assessment(
        jurisdiction="Chile",
        title="Before the reform",
        checklist_version=CHECKLIST.version,
        answers={
            ITEM.id: Answer(status="not-covered"),
            CHOICE.id: Answer(choice=CHOICE.answer.options[0].value),
        },  # type: ignore[union-attr]
    )
    after = before.model_copy(
        update={
            "id": "after",
            "title": "After the reform",
            "answers": {
                ITEM.id: Answer(status="covered", provisions=["Ley 21.xxx art. 1"]),
                CHOICE.id: Answer(choice=CHOICE.answer.options[1].value),  # type: ignore[union-attr]
            },
        }
    )
    return before, after


def test_comparison_workbook__shows_both_sides_and_every_change() -> None:
    before, after = pair()
    data = render_comparison(build_report(before), build_report(after), "Then", "Now")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Comparison", "By section", "By item"]
    overall = {row[0]: row[1:] for row in wb["Comparison"].iter_rows(values_only=True) if row[0]}
    assert overall["Assessment"][:2] == ("Then", "Now")
    items = {row[0]: row for row in wb["By item"].iter_rows(min_row=2, values_only=True)}
    assert "verdict" in items[ITEM.id][5]
    assert items[CHOICE.id][5]  # a change of choice counts, whatever the score does


def test_word_report_with_a_baseline__has_a_chapter_of_the_changes() -> None:
    before, after = pair()
    report = dataclasses.replace(
        build_report(after), baseline=build_report(before), baseline_label="the 2008 law"
    )
    document = Document(io.BytesIO(render("docx", report)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Changes since the 2008 law" in headings
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert ITEM.title in cells and CHOICE.title in cells


def test_word_report_without_a_baseline__has_no_such_chapter() -> None:
    _, after = pair()
    document = Document(io.BytesIO(render("docx", build_report(after))))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert not any(h.startswith("Changes since") for h in headings)
