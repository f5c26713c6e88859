"""Two scored assessments side by side: what changed, item by item and section by section.

Pure: the Compare page (and any export of a comparison) shows what this returns. Any change
of an answer is a change, whatever its score does (administrative -> criminal liability both
score "covered"); a side with no verdict yet (not answered, not known) is never read as a
fall or a rise, and a difference in points is taken between the percentages shown, so
rounding never invents one.
"""

from __future__ import annotations

from dataclasses import dataclass

from checklist.assessment import Answer, Assessment
from checklist.schema import Checklist, Item
from checklist.scoring import OPEN, ItemResult, Result, SectionResult
from checklist.wording import OUT_OF_SCOPE, STATE_LABELS, describe_answer

EVIDENCE_FIELDS = {
    "provisions": "provisions",
    "excerpt": "excerpt",
    "source_url": "link",
    "note": "note",
}


@dataclass(frozen=True)
class ItemChange:
    id: str
    title: str
    section_id: str
    first: str  # the answer as a person would say it, or "Not in scope"
    second: str
    points: int | None  # None when a side has no verdict or the item is outside its scope
    what: tuple[str, ...]  # what differs: "verdict", "provisions", "note", ...

    @property
    def changed(self) -> bool:
        return bool(self.what)


@dataclass(frozen=True)
class SectionChange:
    id: str
    title: str
    first: int | None  # percent, None when outside the scope
    second: int | None
    points: int | None  # None unless both sides have a verdict on every item
    note: str


def items(
    checklist: Checklist,
    first: tuple[Assessment, Result],
    second: tuple[Assessment, Result],
) -> list[ItemChange]:
    """Every item either assessment has in scope, in checklist order."""
    (a_doc, a_res), (b_doc, b_res) = first, second
    mine, theirs = {r.id: r for r in a_res.items}, {r.id: r for r in b_res.items}
    out = []
    for section in checklist.sections:
        for item in section.items:
            a, b = mine.get(item.id), theirs.get(item.id)
            if a is None and b is None:
                continue
            a_answer, b_answer = a_doc.answers.get(item.id), b_doc.answers.get(item.id)
            out.append(
                ItemChange(
                    id=item.id,
                    title=item.title,
                    section_id=section.id,
                    first=_label(item, a, a_answer),
                    second=_label(item, b, b_answer),
                    points=_item_points(a, b),
                    what=_differences(a, b, a_answer, b_answer),
                )
            )
    return out


def sections(first: Result, second: Result, checklist: Checklist) -> list[SectionChange]:
    mine, theirs = {s.id: s for s in first.sections}, {s.id: s for s in second.sections}
    out = []
    for section in checklist.sections:
        a, b = mine.get(section.id), theirs.get(section.id)
        if a is None and b is None:
            continue
        notes = [f"{side}: {_open(s)}" for side, s in (("first", a), ("second", b)) if _open(s)]
        out.append(
            SectionChange(
                id=section.id,
                title=section.title,
                first=_percent(a.score) if a else None,
                second=_percent(b.score) if b else None,
                points=None if notes or a is None or b is None else points(a.score, b.score),
                note="; ".join(notes) if notes else ("" if a and b else OUT_OF_SCOPE.lower()),
            )
        )
    return out


def _open(s: SectionResult | None) -> str:
    if s is None or s.answered == s.total:
        return ""
    return f"{s.total - s.answered} of {s.total} without a verdict yet"


def _label(item: Item, result: ItemResult | None, answer: Answer | None) -> str:
    if result is None:
        return OUT_OF_SCOPE
    if result.state == "not-applicable" and result.reason.startswith("skipped"):
        return STATE_LABELS["not-applicable"] + " (skipped)"
    return describe_answer(item, answer)


def _item_points(a: ItemResult | None, b: ItemResult | None) -> int | None:
    if a is None or b is None or a.state in OPEN or b.state in OPEN:
        return None
    if a.score is None or b.score is None:
        return None
    return points(a.score, b.score)


def _differences(
    a: ItemResult | None, b: ItemResult | None, a_answer: Answer | None, b_answer: Answer | None
) -> tuple[str, ...]:
    if (a is None) != (b is None):
        return ("scope",)
    x, y = a_answer or Answer(), b_answer or Answer()
    what = []
    verdict = ("status", "value", "choice", "elements")
    if any(getattr(x, f) != getattr(y, f) for f in verdict) or (
        a is not None and b is not None and a.state != b.state
    ):
        what.append("verdict")
    what += [
        label for field, label in EVIDENCE_FIELDS.items() if getattr(x, field) != getattr(y, field)
    ]
    return tuple(what)


def _percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def points(a: float | None, b: float | None) -> int | None:
    """The change between two scores in points, as the difference of the percentages shown."""
    pa, pb = _percent(a), _percent(b)
    return None if pa is None or pb is None else pb - pa
