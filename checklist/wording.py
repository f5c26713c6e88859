"""The words a lawyer reads for answers and results: one vocabulary for the app and the reports.

The questionnaire, the conflict panel, Compare, Results, the workbook and the PDF all say
"Partly covered" or "Not known (to research)" the same way, because they all take the words
from here. No streamlit: the pages and the exporters both import this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from checklist.assessment import Answer
from checklist.schema import ChoiceAnswer, CommitteeRef, ElementsAnswer, Item, NumberAnswer

# An answer's status (checklist.assessment.Status).
STATUS_LABELS: Final[dict[str, str]] = {
    "covered": "Covered",
    "partly": "Partly covered",
    "not-covered": "Not covered",
    "unknown": "Not known (to research)",
    "not-applicable": "Not applicable",
}
# An item's state in the result (checklist.scoring.State): a status, or not answered.
STATE_LABELS: Final[dict[str, str]] = {**STATUS_LABELS, "unanswered": "Not answered"}
# How one conduct element is ticked (checklist.assessment.ElementStatus).
ELEMENT_LABELS: Final[dict[str, str]] = {
    s: STATUS_LABELS[s] for s in ("covered", "not-covered", "unknown")
}
SEVERITY_LABELS: Final[dict[str, str]] = {
    "critical": "Critical",
    "high": "High",
    "medium": "Medium",
    "low": "Low",
}
# An item of a module the assessment does not include.
OUT_OF_SCOPE: Final = "Not in scope"
# Labels of earlier versions, still understood where a person types a label back (a workbook
# exported before the vocabulary was unified says "Unknown").
FORMER_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "covered": ("Fully covered",),
    "unknown": ("Unknown", "Not known yet", "Not known yet (to research)"),
}


def describe_answer(item: Item, answer: Answer | None) -> str:
    """The answer's verdict as a person would say it: "Covered", "16 years", "Civil
    liability", "1 of 3 conduct elements covered. Offering: covered; ...", or "Not answered"
    when it gives none (evidence alone is not a verdict)."""
    a = answer or Answer()
    spec = item.answer
    if a.status in ("unknown", "not-applicable"):
        return STATUS_LABELS[a.status]
    if isinstance(spec, NumberAnswer):
        return STATE_LABELS["unanswered"] if a.value is None else f"{a.value:g} {spec.unit}"
    if isinstance(spec, ChoiceAnswer):
        labels = {o.value: o.label for o in spec.options}
        return labels.get(a.choice, a.choice) if a.choice else STATE_LABELS["unanswered"]
    if isinstance(spec, ElementsAnswer):
        return _elements(spec, a)
    return STATUS_LABELS.get(a.status or "", STATE_LABELS["unanswered"])


def _elements(spec: ElementsAnswer, answer: Answer) -> str:
    ticks = [(e.label, answer.elements.get(e.id)) for e in spec.elements]
    if not any(tick for _, tick in ticks):
        return STATE_LABELS["unanswered"]
    covered = sum(tick == "covered" for _, tick in ticks)
    each = "; ".join(
        f"{label}: {(ELEMENT_LABELS[tick] if tick else STATE_LABELS['unanswered']).lower()}"
        for label, tick in ticks
    )
    return f"{covered} of {len(ticks)} conduct elements covered. {each}"


def describe_reference(ref: CommitteeRef) -> str:
    """A Committee citation as every page and report shows it, with its caution if it has
    one: "CRC/C/OPSC/CHL/CO/1, paras. 23-24 (Chile)"."""
    text = f"{ref.citation} ({ref.state})" if ref.state else ref.citation
    return f"{text} [caution: {ref.caution}]" if ref.caution else text


def describe_references(refs: list[CommitteeRef]) -> str:
    return "; ".join(describe_reference(r) for r in refs)


def long_date(iso: str) -> str:
    """ "2008-03-01" as "1 March 2008" (any other text as it is)."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"
