"""Merging a returned file into the saved assessment, item by item.

A workbook sent out for review comes back after the saved assessment moved on: neither copy is
simply the right one. ``differences`` lists what the file says otherwise, item by item (the
verdict as a person would say it, and which evidence differs) and detail by detail; ``merged``
is the saved assessment with only the chosen ones taken from the file. Keeping the saved copy
is the default: nothing is taken unless it is chosen.

Pure: no streamlit, no database. The page writes each chosen change as an ordinary save, so a
change made meanwhile in another tab is a conflict there, never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Final

from checklist.assessment import Answer, Assessment, PlannedAction
from checklist.comparison import EVIDENCE_FIELDS
from checklist.schema import Checklist
from checklist.wording import describe_answer, long_date

VERDICT_FIELDS: Final = ("status", "value", "choice", "elements")
# The details a file may say otherwise, as the details form names them.
DETAIL_LABELS: Final[dict[str, str]] = {
    "jurisdiction": "Jurisdiction",
    "assessor": "Assessor",
    "title": "Title",
    "scope": "Scope",
    "date": "Date of the assessment",
    "law_date": "Law as it stood on",
}


@dataclass(frozen=True)
class EvidenceDifference:
    label: str  # "provisions", "excerpt", "link" or "note"
    saved: str  # "" when the saved copy has none
    file: str


@dataclass(frozen=True)
class ItemDifference:
    id: str
    title: str
    section: str
    saved: str  # the verdict as a person would say it: "Covered", "Not answered", ...
    file: str
    what: tuple[str, ...]  # what differs: "verdict", "provisions", "excerpt", "link", "note"
    evidence: tuple[EvidenceDifference, ...]


@dataclass(frozen=True)
class DetailDifference:
    field: str  # an Assessment field: "jurisdiction", "title", "scope", "date", ...
    label: str
    saved: str
    file: str


@dataclass(frozen=True)
class ActionDifference:
    id: str  # the item's ID
    title: str
    saved: str  # the planned action in one line, or "" when the saved copy has none
    file: str


@dataclass(frozen=True)
class Differences:
    items: list[ItemDifference]
    details: list[DetailDifference]
    actions: list[ActionDifference] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.items or self.details or self.actions)


def differences(checklist: Checklist, saved: Assessment, incoming: Assessment) -> Differences:
    """What ``incoming`` (the file) says otherwise than ``saved``: every item of the checklist
    whose answer differs, in checklist order, and every detail. An item neither answers, or
    answered the same at another time, is no difference."""
    items = []
    for section in checklist.sections:
        for item in section.items:
            mine, theirs = answer_of(saved, item.id), answer_of(incoming, item.id)
            what = _what_differs(mine, theirs)
            if what:
                items.append(
                    ItemDifference(
                        id=item.id,
                        title=item.title,
                        section=section.title,
                        saved=describe_answer(item, mine),
                        file=describe_answer(item, theirs),
                        what=what,
                        evidence=_evidence(mine, theirs),
                    )
                )
    details = [
        DetailDifference(
            field, label, _detail(checklist, saved, field), _detail(checklist, incoming, field)
        )
        for field, label in DETAIL_LABELS.items()
        if _raw_detail(saved, field) != _raw_detail(incoming, field)
    ]
    titles = {item.id: item.title for item in checklist.items()}
    actions = [
        ActionDifference(
            item_id,
            titles.get(item_id, item_id),
            describe_action(saved.actions.get(item_id)),
            describe_action(incoming.actions.get(item_id)),
        )
        for item_id in sorted(set(saved.actions) | set(incoming.actions))
        if not same_action(saved.actions.get(item_id), incoming.actions.get(item_id))
    ]
    return Differences(items, details, actions)


def same_action(a: PlannedAction | None, b: PlannedAction | None) -> bool:
    """The same planned action, whenever it was saved (a workbook keeps no times)."""
    if a is None or b is None:
        return a is b
    return a.model_dump(exclude={"updated_at"}) == b.model_dump(exclude={"updated_at"})


def describe_action(planned: PlannedAction | None) -> str:
    """A planned action in one line: what, who, by when, how far."""
    if planned is None:
        return ""
    parts = [planned.action or "(no action text)"]
    parts += [x for x in (planned.institution, planned.due and f"by {planned.due}") if x]
    return " · ".join([*parts, planned.status])


def merged(
    saved: Assessment,
    incoming: Assessment,
    *,
    items: Collection[str] = (),
    details: Collection[str] = (),
) -> Assessment:
    """``saved`` with the answers of ``items`` and the ``details`` taken from ``incoming``;
    everything else as saved. An item the file leaves unanswered becomes unanswered."""
    answers = dict(saved.answers)
    for item_id in items:
        if item_id in incoming.answers:
            answers[item_id] = incoming.answers[item_id]
        else:
            answers.pop(item_id, None)
    update: dict[str, object] = {f: _raw_detail(incoming, f) for f in details}
    return saved.model_copy(update={**update, "answers": answers})


def answer_of(assessment: Assessment, item_id: str) -> Answer:
    """The item's answer, an empty one when there is none (the same to a reader)."""
    return assessment.answers.get(item_id) or Answer()


def _what_differs(a: Answer, b: Answer) -> tuple[str, ...]:
    what = ["verdict"] if any(getattr(a, f) != getattr(b, f) for f in VERDICT_FIELDS) else []
    what += [
        label for field, label in EVIDENCE_FIELDS.items() if getattr(a, field) != getattr(b, field)
    ]
    return tuple(what)


def _evidence(a: Answer, b: Answer) -> tuple[EvidenceDifference, ...]:
    return tuple(
        EvidenceDifference(label, _text(getattr(a, field)), _text(getattr(b, field)))
        for field, label in EVIDENCE_FIELDS.items()
        if getattr(a, field) != getattr(b, field)
    )


def _text(value: str | list[str]) -> str:
    return "; ".join(value) if isinstance(value, list) else value


def _raw_detail(assessment: Assessment, field: str) -> object:
    return assessment.law_as_of if field == "law_date" else getattr(assessment, field)


def _detail(checklist: Checklist, assessment: Assessment, field: str) -> str:
    value = _raw_detail(assessment, field)
    if isinstance(value, dt.date):
        return long_date(value.isoformat())
    if field == "scope":
        return next((s.title for s in checklist.scopes if s.id == value), str(value))
    return str(value)
