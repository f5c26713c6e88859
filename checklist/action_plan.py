"""The action plan: for every gap, what is to be done, by whom, by when, and how far it got.

Pure: built from an assessment and its score, no database, no streamlit. A gap without a
planned action yet is listed with its recommendation as the proposed action (status
"planned", nothing saved until the user saves it). An action whose item is no longer a gap is
kept and listed too, marked as such: nothing the user wrote disappears because the law was
found to cover the point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from checklist.assessment import ActionStatus, Assessment, PlannedAction, Priority
from checklist.scoring import Result

STATUS_LABELS: Final[dict[ActionStatus, str]] = {
    "planned": "Planned",
    "in-progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}
PRIORITY_LABELS: Final[dict[Priority, str]] = {"high": "High", "medium": "Medium", "low": "Low"}


@dataclass(frozen=True)
class Line:
    """One line of the action plan."""

    item_id: str
    title: str
    section_title: str
    severity: str  # the gap's severity, "" when the item is no longer a gap
    recommendation: str
    planned: PlannedAction  # as saved, or proposed from the recommendation
    saved: bool  # False: proposed, not yet saved
    overdue: bool
    still_a_gap: bool


def proposed(recommendation: str) -> PlannedAction:
    """The action a gap starts with: its recommendation, planned, nothing else decided."""
    return PlannedAction(action=recommendation)


def lines(assessment: Assessment, result: Result, today: dt.date | None = None) -> list[Line]:
    """Every gap and every saved action, sorted by target date (none last), then by the
    gap's severity (gravest first), then in checklist order."""
    today = today or dt.date.today()
    found: list[Line] = []
    gaps = {gap.id: gap for gap in result.gaps}
    for gap in result.gaps:
        saved = assessment.actions.get(gap.id)
        planned = saved or proposed(gap.recommendation)
        found.append(
            Line(
                item_id=gap.id,
                title=gap.title,
                section_title=gap.section_title,
                severity=gap.severity,
                recommendation=gap.recommendation,
                planned=planned,
                saved=saved is not None,
                overdue=planned.overdue(today),
                still_a_gap=True,
            )
        )
    titles = {item.id: item for item in result.items}
    for item_id, planned in assessment.actions.items():
        if item_id in gaps:
            continue
        item = titles.get(item_id)
        found.append(
            Line(
                item_id=item_id,
                title=item.title if item else item_id,
                section_title="",
                severity="",
                recommendation="",
                planned=planned,
                saved=True,
                overdue=planned.overdue(today),
                still_a_gap=False,
            )
        )
    order = {s: n for n, s in enumerate(result.methodology.severity_order)}
    rank = {gap.id: gap.rank for gap in result.gaps}
    return sorted(
        found,
        key=lambda line: (
            line.planned.due is None,
            line.planned.due or dt.date.max,
            order.get(line.severity, len(order)),  # type: ignore[call-overload]
            rank.get(line.item_id, len(rank) + 1),
        ),
    )


def counts(plan: list[Line]) -> dict[str, int]:
    """How many saved actions are in each status, and how many are overdue."""
    saved = [line for line in plan if line.saved]
    figures = {
        label: sum(line.planned.status == s for line in saved) for s, label in STATUS_LABELS.items()
    }
    figures["Overdue"] = sum(line.overdue for line in plan)
    figures["Not yet planned"] = sum(not line.saved for line in plan if line.still_a_gap)
    return figures
