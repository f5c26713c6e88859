"""Two assessments (or versions) side by side, as the exports print them: the verdicts and
treaty scores, every section's score, and every item whose answer changed
(``checklist.comparison`` decides what counts as a change)."""

from __future__ import annotations

from dataclasses import dataclass

from checklist import comparison
from checklist.comparison import ItemChange, SectionChange
from checklist.wording import long_date
from reports import Report


@dataclass(frozen=True)
class Side:
    label: str
    verdict: str
    treaty_score: str
    answered: str
    gaps: int


@dataclass(frozen=True)
class ComparisonRows:
    first: Side
    second: Side
    points: int | None  # change of the treaty score, None when a side has no score
    sections: list[SectionChange]
    items: list[ItemChange]  # every item either side has in scope, in checklist order

    @property
    def changed(self) -> list[ItemChange]:
        return [c for c in self.items if c.changed]


def label(report: Report) -> str:
    """How a side is named: jurisdiction, title and the date of the law assessed."""
    a = report.assessment
    name = " · ".join(x for x in (a.jurisdiction, a.title) if x) or "Untitled assessment"
    return f"{name} (law as it stood on {long_date(a.law_as_of.isoformat())})"


def comparison_rows(
    first: Report, second: Report, first_label: str = "", second_label: str = ""
) -> ComparisonRows:
    def side(report: Report, given: str) -> Side:
        r = report.result
        return Side(
            label=given or label(report),
            verdict=r.verdict_label,
            treaty_score=_percent(r.treaty_score),
            answered=f"{r.answered} of {r.total}",
            gaps=len(r.gaps),
        )

    checklist = second.checklist
    return ComparisonRows(
        first=side(first, first_label),
        second=side(second, second_label),
        points=comparison.points(first.result.treaty_score, second.result.treaty_score),
        sections=comparison.sections(first.result, second.result, checklist),
        items=comparison.items(
            checklist, (first.assessment, first.result), (second.assessment, second.result)
        ),
    )


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def points_label(points: int | None) -> str:
    return "–" if points is None else f"{points:+d}"
