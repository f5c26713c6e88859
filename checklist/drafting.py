"""Accountable drafting, read from an assessment: who changed what, review states, comments,
named versions and whether what a report shows was cleared.

The record itself is part of the assessment (``Assessment.history``, ``reviews``,
``comments``, ``versions``, ``sign_offs``, in the file format and the database); it is only
ever added to. This module only reads it: pure functions, no database, no streamlit.

A sign-off names an exact version. What a report shows is *final* only when its details and
answers are exactly those of a version whose latest sign-off cleared it; any later change
makes it a draft again (``clearance``).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, get_args

from checklist.assessment import (
    Assessment,
    Comment,
    HistoryEntry,
    ReviewEntry,
    ReviewState,
    SignOff,
    Snapshot,
    Version,
)

REVIEW_STATES: Final[tuple[ReviewState, ...]] = get_args(ReviewState)
REVIEW_LABELS: Final[dict[ReviewState, str]] = {
    "to-do": "To do",
    "drafted": "Drafted",
    "reviewed": "Reviewed",
}
# The parts of an assessment that make up its drafting record, as the file format names them.
RECORD_PARTS: Final = (
    "history",
    "action_history",
    "details_history",
    "reviews",
    "comments",
    "versions",
    "sign_offs",
)
# What a session keeps of the record: what its pages show and decide from. The histories are
# read when shown (an item's newest changes) or written out (files, back-ups), never kept.
SESSION_PARTS: Final = ("reviews", "comments", "versions", "sign_offs")
DECISION_LABELS: Final = {"cleared": "Cleared", "returned": "Returned for more work"}


def fingerprint(snapshot: Snapshot) -> str:
    """What a version's content is, whenever its answers were given: the same details and
    answers (times of saving aside) give the same fingerprint."""
    data: dict[str, Any] = snapshot.model_dump(mode="json", exclude_none=True)
    for part in ("answers", "actions"):
        for entry in data.get(part, {}).values():
            entry.pop("updated_at", None)
    for archived in data.get("archived_answers", []):
        archived.get("answer", {}).pop("updated_at", None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Clearance:
    """Whether what is shown is final: the version it is exactly, and the decision on it."""

    version: Version | None
    sign_off: SignOff | None

    @property
    def final(self) -> bool:
        return self.sign_off is not None and self.sign_off.decision == "cleared"

    @property
    def mark(self) -> str:
        """The one word every report page carries."""
        return "Final" if self.final else "Draft"

    def describe(self) -> str:
        """One sentence for a report's cover: who cleared which version and when, or why it
        is still a draft."""
        if self.final and self.version is not None and self.sign_off is not None:
            return (
                f"Final: version '{self.version.name}', cleared by {self.sign_off.author} "
                f"on {self.sign_off.at:%Y-%m-%d}."
            )
        if self.version is not None and self.sign_off is not None:
            return (
                f"Draft: version '{self.version.name}' was returned for more work by "
                f"{self.sign_off.author} on {self.sign_off.at:%Y-%m-%d}."
            )
        if self.version is not None:
            return f"Draft: version '{self.version.name}', not yet signed off."
        return "Draft: not signed off (only a cleared version is final)."


def clearance(assessment: Assessment) -> Clearance:
    """Whether ``assessment`` as it stands is exactly a named version, and the latest decision
    on that version (the newest such version when several match)."""
    if not assessment.versions:
        return Clearance(None, None)
    shown = next((v for v in assessment.versions if v.id == assessment.version_id), None)
    if shown is not None and fingerprint(shown.snapshot) == fingerprint(assessment.snapshot()):
        return Clearance(shown, latest_sign_off(assessment, shown.id))  # this very version
    current = assessment.snapshot()
    mine = fingerprint(current)
    matching = [
        v
        for v in assessment.versions
        # A version with another number of answers cannot match: skip the hashing.
        if len(v.snapshot.answers) == len(current.answers) and fingerprint(v.snapshot) == mine
    ]
    if not matching:
        return Clearance(None, None)
    # Prefer a version with a decision; among those, the latest decision counts.
    decided = [(latest_sign_off(assessment, v.id), v) for v in matching]
    with_decision = [(s, v) for s, v in decided if s is not None]
    if with_decision:
        sign_off, version = max(with_decision, key=lambda pair: pair[0].at)
        return Clearance(version, sign_off)
    return Clearance(max(matching, key=lambda v: v.at), None)


def sign_offs_of(assessment: Assessment, version_id: str) -> list[SignOff]:
    """The decisions on one version, oldest first."""
    return [s for s in assessment.sign_offs if s.version_id == version_id]


def latest_sign_off(assessment: Assessment, version_id: str) -> SignOff | None:
    """The decision that counts: the latest in time (a decision brought in later from a file
    may be older than one already saved); of two at the same moment, the one saved last."""
    decisions = sign_offs_of(assessment, version_id)
    if not decisions:
        return None
    return max(enumerate(decisions), key=lambda pair: (pair[1].at, pair[0]))[1]


def version(assessment: Assessment, version_id: str) -> Version | None:
    return next((v for v in assessment.versions if v.id == version_id), None)


def history_of(assessment: Assessment, item_id: str) -> list[HistoryEntry]:
    """An item's answer history, newest first."""
    return [e for e in reversed(assessment.history) if e.item_id == item_id]


def comments_on(assessment: Assessment, item_id: str) -> list[Comment]:
    """An item's comment thread, oldest first."""
    return [c for c in assessment.comments if c.item_id == item_id]


def review_state(assessment: Assessment, item_id: str) -> ReviewState:
    """The state last set for the item ("to-do" when none was)."""
    for entry in reversed(assessment.reviews):
        if entry.item_id == item_id:
            return entry.state
    return "to-do"


def review_states(reviews: Iterable[ReviewEntry]) -> dict[str, ReviewState]:
    """Each item's current review state (the last one set), for the items that have one."""
    return {entry.item_id: entry.state for entry in reviews}


def review_progress(assessment: Assessment, item_ids: Sequence[str]) -> dict[ReviewState, int]:
    """How many of these items are in each review state. Progress is not compliance: an item
    reviewed may be a gap."""
    states = review_states(assessment.reviews)
    counts = Counter(states.get(item_id, "to-do") for item_id in item_ids)
    return {s: counts.get(s, 0) for s in REVIEW_STATES}


def progress_text(counts: dict[ReviewState, int]) -> str:
    return ", ".join(f"{counts[s]} {REVIEW_LABELS[s].lower()}" for s in reversed(REVIEW_STATES))


def combined(saved: Assessment, incoming: Assessment) -> dict[str, list[Any]]:
    """The drafting record of ``saved`` with whatever ``incoming`` (a file or back-up of the
    same assessment) holds that it does not, in time order: bringing a file back never loses
    an entry on either side. Versions are matched by ID, other entries by their content."""

    def union(mine: Sequence[Any], theirs: Sequence[Any], key: Any) -> list[Any]:
        seen = {key(x) for x in mine}
        extra = [x for x in theirs if key(x) not in seen]
        return sorted([*mine, *extra], key=lambda x: x.at) if extra else list(mine)

    def whole(x: Any) -> str:
        return str(x.model_dump_json())

    return {
        "history": union(saved.history, incoming.history, whole),
        "action_history": union(saved.action_history, incoming.action_history, whole),
        "details_history": union(saved.details_history, incoming.details_history, whole),
        "reviews": union(saved.reviews, incoming.reviews, whole),
        "comments": union(saved.comments, incoming.comments, whole),
        "versions": union(saved.versions, incoming.versions, lambda v: v.id),
        "sign_offs": union(saved.sign_offs, incoming.sign_offs, whole),
    }
