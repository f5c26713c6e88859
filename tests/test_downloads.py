"""The report downloads of the app: Excel, PDF and Word side by side, each built when clicked
from a snapshot of the assessment and named like the others."""

from __future__ import annotations

import io

from docx import Document as open_docx
from streamlit.testing.v1 import AppTest

from checklist.assessment import Answer, Assessment
from checklist.loader import default_checklist
from checklist.ui import downloads


def _buttons() -> None:
    from checklist.assessment import Assessment
    from checklist.ui import downloads

    downloads.reports(Assessment(jurisdiction="Ruritania"), key="results:download")


def test_reports__offer_excel_pdf_and_word_side_by_side_in_that_order() -> None:
    at = AppTest.from_function(_buttons, default_timeout=30)
    at.run()
    assert not at.exception
    buttons = at.download_button
    assert [b.key for b in buttons] == [
        "results:download:xlsx",
        "results:download:pdf",
        "results:download:docx",
    ]
    assert [b.label for b in buttons] == [
        "Excel workbook (.xlsx)",
        "PDF report (.pdf)",
        "Word (.docx)",
    ]
    assert len(at.columns) == 3


def test_word_download__is_built_from_a_snapshot_and_named_like_the_others() -> None:
    assessment = Assessment(
        jurisdiction="Ruritania",
        title="Penal Code 2008",
        checklist_version=default_checklist().version,
        answers={"pornography.simple-possession": Answer(status="not-covered", note="Seen.")},
    )
    assert downloads.available("docx")
    data = downloads.build("docx", assessment)
    text = [p.text for p in open_docx(io.BytesIO(data)).paragraphs]
    assert "Ruritania" in text and "Seen." in text
    assert downloads.file_name(assessment, "docx") == (
        f"opsc-gap-check-ruritania-penal-code-2008-{assessment.id[:6]}-"
        f"{assessment.date:%Y-%m-%d}.docx"
    )
    assert (
        downloads.file_name(assessment, "docx")[:-5] == downloads.file_name(assessment, "pdf")[:-4]
    )
