"""Whatever a user types - any Unicode, control characters included - the reports are
written without failing, and no typed text becomes a spreadsheet formula."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from checklist.assessment import Answer, blank
from checklist.loader import default_checklist
from reports import build_report, render

typed = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60)
SAFE = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assessment_with(text: str):
    checklist = default_checklist()
    return blank(
        checklist.version,
        jurisdiction=text,
        assessor=text,
        title=text,
        answers={
            "age.sale": Answer(value=16, provisions=[text], note=text, excerpt=text),
            "pornography.simple-possession": Answer(
                status="not-covered", note=text, source_url=text
            ),
        },
    )


@SAFE
@given(text=typed)
def test_pdf__accepts_any_text_the_user_typed(text: str) -> None:
    pdf = render("pdf", build_report(assessment_with(text)))
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 3


@SAFE
@given(
    text=typed | st.sampled_from(["=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@A1", "\t=1", "\r=1"])
)
def test_workbook__accepts_any_text_and_never_writes_a_formula(text: str) -> None:
    data = render("xlsx", build_report(assessment_with(text)))
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"


def test_escaped_user_text__cannot_become_a_link_and_reads_the_same() -> None:
    from checklist.ui.text import WORD_JOINER, escape

    shown = escape("see http://evil.example, www.evil.example or x@evil.example")
    assert "://" not in shown and "www\\." not in shown and "x@" not in shown
    unescaped = shown.replace(WORD_JOINER, "").replace("\\", "")
    assert unescaped == "see http://evil.example, www.evil.example or x@evil.example"
