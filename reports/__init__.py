"""Exporters: a scored assessment -> the bytes of a report file, one module per format.

The registry maps a format to the module that renders it; modules are imported only when a
report is asked for, so PDF, Word and chart libraries stay off the app's start path. Each module
has ``render(report: Report) -> bytes``. The workbook format can also be read back
(``reports.xlsx.read``), so a team can fill the checklist in Excel and return it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol as Interface

from checklist.assessment import Assessment
from checklist.assessment_file import FileProblem, Loaded, read_assessment
from checklist.loader import default_checklist, default_methodology, default_protocol
from checklist.schema import Checklist
from checklist.scoring import Result, score
from checklist.treaty import Protocol

EXPORTERS: dict[str, str] = {"xlsx": "reports.xlsx", "pdf": "reports.pdf", "docx": "reports.docx"}
MIME_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


@dataclass(frozen=True)
class Report:
    """Everything an exporter may print: the content, the user's answers and their score."""

    checklist: Checklist
    assessment: Assessment
    result: Result
    protocol: Protocol
    # An earlier assessment or version to compare with ("changes since ..."), or None.
    baseline: Report | None = None
    baseline_label: str = ""


class Exporter(Interface):
    def render(self, report: Report) -> bytes: ...


def build_report(assessment: Assessment, checklist: Checklist | None = None) -> Report:
    checklist = checklist or default_checklist()
    result = score(checklist, assessment, default_methodology())
    return Report(checklist, assessment, result, default_protocol())


def render(fmt: str, report: Report) -> bytes:
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    module: Exporter = importlib.import_module(EXPORTERS[fmt])
    return module.render(report)


def read_any(data: bytes, source: str, checklist: Checklist) -> Loaded:
    """Read an assessment from a JSON file or a returned workbook, whichever ``data`` is."""
    if data[:2] == b"PK" or source.lower().endswith((".xlsx", ".xlsm")):
        xlsx = importlib.import_module("reports.xlsx")
        loaded: Loaded = xlsx.read(data, source, checklist)
        return loaded
    return read_assessment(data, source, checklist)


__all__ = [
    "EXPORTERS",
    "MIME_TYPES",
    "FileProblem",
    "Loaded",
    "Report",
    "build_report",
    "read_any",
    "render",
]
