"""The action plan as every report prints it: one row per gap or saved action, by target
date then severity (``checklist.action_plan``), with the labels the reports show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from checklist import action_plan
from checklist.wording import SEVERITY_LABELS
from reports import Report

NOT_PLANNED: Final = "No action planned yet"
OVERDUE: Final = "OVERDUE"


@dataclass(frozen=True)
class ActionRow:
    item_id: str
    title: str
    severity: str  # "" when the item is no longer a gap
    severity_label: str
    recommendation: str
    saved: bool
    action: str  # "" while no action is saved
    institution: str
    due: dt.date | None
    due_label: str  # "2027-03-31", or ""
    priority: str  # "" when not set
    priority_label: str
    status: str  # "" while no action is saved
    status_label: str
    note: str
    overdue: bool


def action_rows(report: Report, today: dt.date | None = None) -> list[ActionRow]:
    rows = []
    for line in action_plan.lines(report.assessment, report.result, today=today):
        planned = line.planned if line.saved else None
        rows.append(
            ActionRow(
                item_id=line.item_id,
                title=line.title,
                severity=line.severity,
                severity_label=SEVERITY_LABELS.get(line.severity, "No longer a gap"),
                recommendation=line.recommendation,
                saved=line.saved,
                action=planned.action if planned else "",
                institution=planned.institution if planned else "",
                due=planned.due if planned else None,
                due_label=planned.due.isoformat() if planned and planned.due else "",
                priority=(planned.priority or "") if planned else "",
                priority_label=action_plan.PRIORITY_LABELS[planned.priority]
                if planned and planned.priority
                else "",
                status=planned.status if planned else "",
                status_label=action_plan.STATUS_LABELS[planned.status] if planned else "",
                note=planned.note if planned else "",
                overdue=line.overdue,
            )
        )
    return rows


def printed(row: ActionRow) -> tuple[str, str, str, str, str]:
    """(gap, action, responsible, due, status) as the PDF and Word tables print a row."""
    gap = f"{row.title} ({row.severity_label.lower()})"
    if not row.saved:
        return gap, NOT_PLANNED, "", "", ""
    status = row.status_label + (f", {row.priority_label.lower()} priority" if row.priority else "")
    due = row.due_label + (f" {OVERDUE}" if row.overdue else "")
    action = row.action + (f"\nNote: {row.note}" if row.note else "")
    return gap, action, row.institution, due, status
