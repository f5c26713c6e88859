"""Download buttons: the assessment file, and the Excel, PDF and Word reports.

Reports are built only when the button is clicked, on another thread, from a snapshot of the
assessment passed in (``functools.partial``), never from session state. The report modules
and their libraries are imported there too, keeping them off the app's start path.
"""

from __future__ import annotations

import functools
import importlib.util
from typing import Any

import streamlit as st

from checklist.assessment import Assessment
from checklist.assessment_file import write_assessment

REPORTS = {  # in the order the buttons stand side by side
    "xlsx": ("Excel workbook (.xlsx)", ":material/table_view:"),
    "pdf": ("PDF report (.pdf)", ":material/picture_as_pdf:"),
    "docx": ("Word (.docx)", ":material/description:"),
}


def file_name(assessment: Assessment, extension: str) -> str:
    """Jurisdiction, title and a short ID: two assessments of one country never share a
    name ("opsc-gap-check-chile-penal-code-2024-3f1c0f-2026-11-25.pdf")."""
    parts = [_slug(assessment.jurisdiction, 40) or "assessment", _slug(assessment.title, 40)]
    stem = "-".join(p for p in parts if p)
    return f"opsc-gap-check-{stem}-{assessment.id[:6]}-{assessment.date:%Y-%m-%d}.{extension}"


def _slug(text: str, limit: int) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in kept.split("-") if part)[:limit].strip("-")


def assessment_file(
    assessment: Assessment, key: str, label: str = "Assessment file (.json)"
) -> None:
    """The assessment file, with its whole drafting record as saved when the user clicks (the
    session's copy of the record may be older: others may have commented meanwhile)."""
    from checklist.ui import resources

    st.download_button(
        label,
        data=functools.partial(_file_as_saved, resources.store(), assessment.model_copy(deep=True)),
        file_name=file_name(assessment, "json"),
        mime="application/json",
        on_click="ignore",
        key=key,
        icon=":material/download:",
        width="stretch",
        help="Everything you answered, to keep, send or open again later (Start page).",
    )


def reports(assessment: Assessment, key: str) -> None:
    """Every report's button side by side (Excel, PDF, Word), keyed ``{key}:{format}``."""
    for column, fmt in zip(st.columns(len(REPORTS)), REPORTS, strict=True):
        with column:
            report(assessment, fmt, key=f"{key}:{fmt}")


def report(assessment: Assessment, fmt: str, key: str) -> None:
    label, icon = REPORTS[fmt]
    if not available(fmt):
        st.button(
            label,
            key=key,
            disabled=True,
            icon=icon,
            width="stretch",
            help="This report is not available in this version yet.",
        )
        return
    from reports import MIME_TYPES

    st.download_button(
        label,
        data=functools.partial(build, fmt, assessment.model_copy(deep=True)),
        file_name=file_name(assessment, fmt),
        mime=MIME_TYPES[fmt],
        on_click="ignore",
        key=key,
        icon=icon,
        width="stretch",
    )


def available(fmt: str) -> bool:
    return importlib.util.find_spec(f"reports.{fmt}") is not None


def build(fmt: str, assessment: Assessment) -> bytes:
    """The report's bytes (runs when the user clicks, off the script thread)."""
    from reports import build_report, render

    return render(fmt, build_report(assessment))


def _file_as_saved(store: Any, assessment: Assessment) -> bytes:
    try:
        return write_assessment(store.load(assessment.id).assessment)
    except LookupError:  # not saved (or no longer): the copy shown
        return write_assessment(assessment)


def comparison(first: Assessment, second: Assessment, labels: tuple[str, str], key: str) -> None:
    """The comparison as a workbook, and the second's Word report with a chapter on what
    changed since the first (the baseline)."""
    from reports import MIME_TYPES

    workbook, word = st.columns(2)
    stem = file_name(second, "x").removesuffix(".x")
    workbook.download_button(
        "Comparison (.xlsx)",
        data=functools.partial(
            _comparison_workbook, first.model_copy(deep=True), second.model_copy(deep=True), labels
        ),
        file_name=f"{stem}-comparison.xlsx",
        mime=MIME_TYPES["xlsx"],
        on_click="ignore",
        key=f"{key}:xlsx",
        icon=":material/table_view:",
        width="stretch",
    )
    word.download_button(
        "Word report of the second, with the changes (.docx)",
        data=functools.partial(
            _with_baseline, first.model_copy(deep=True), second.model_copy(deep=True), labels[0]
        ),
        file_name=f"{stem}-changes.docx",
        mime=MIME_TYPES["docx"],
        on_click="ignore",
        key=f"{key}:docx",
        icon=":material/description:",
        width="stretch",
    )


def _comparison_workbook(first: Assessment, second: Assessment, labels: tuple[str, str]) -> bytes:
    from reports import build_report
    from reports.compare_xlsx import render_comparison

    return render_comparison(build_report(first), build_report(second), *labels)


def _with_baseline(first: Assessment, second: Assessment, first_label: str) -> bytes:
    import dataclasses

    from reports import build_report, render

    report = dataclasses.replace(
        build_report(second), baseline=build_report(first), baseline_label=first_label
    )
    return render("docx", report)
