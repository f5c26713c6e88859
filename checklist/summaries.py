"""The list of saved work: one line per assessment with its progress and score, quick to show
for thousands of assessments.

Reading an assessment back takes about two milliseconds and scoring it one more: a list that
scored every one of 2,000 saved assessments on each visit took seconds. So the list is
searched and cut into pages on the assessments' own columns first, and only the assessments
on the page asked for are scored. Their figures are kept in the ``summaries`` table, stamped
with what they were computed from: the content that scored them (``content_key``: the
checklist and the method) and the assessment's ``version`` and ``revision_counter``, which
every change of its details or answers bumps. A figure whose stamp is not current is computed
again before it is shown, so a figure shown is never stale.

The store runs the queries; this module says what a line holds and when a kept one is stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from checklist.database import assessments, summaries
from checklist.methodology import Methodology, Verdict
from checklist.schema import Checklist
from checklist.scoring import Result


@dataclass(frozen=True)
class Summary:
    id: str
    jurisdiction: str
    title: str
    assessor: str
    date: dt.date
    law_date: dt.date
    updated_at: dt.datetime
    answered: int
    total: int
    verdict: Verdict
    treaty_score: float | None

    @property
    def share_answered(self) -> float:
        return self.answered / self.total if self.total else 0.0


@dataclass(frozen=True)
class Listing:
    """One page of the saved assessments that match a search."""

    summaries: list[Summary]
    matching: int  # assessments matching the search, on every page
    total: int  # assessments saved


@dataclass(frozen=True)
class Figures:
    """An assessment's figures, and the version and revision of it they were computed from."""

    answered: int
    total: int
    verdict: Verdict
    treaty_score: float | None
    version: int
    revision: int

    @classmethod
    def of(cls, result: Result, version: int, revision: int) -> Figures:
        return cls(
            result.answered, result.total, result.verdict, result.treaty_score, version, revision
        )


def content_key(checklist: Checklist, methodology: Methodology) -> str:
    """A fingerprint of the content that scores (well under a millisecond to compute): any
    change to the checklist or the method makes every kept figure stale."""
    digest = hashlib.sha256(checklist.model_dump_json().encode())
    digest.update(methodology.model_dump_json().encode())
    return digest.hexdigest()[:32]


def listing_query() -> sa.Select[Any]:
    """Every saved assessment's own columns and kept figures, most recently saved first."""
    return (
        sa.select(
            assessments.c.id,
            assessments.c.jurisdiction,
            assessments.c.title,
            assessments.c.assessor,
            assessments.c.date,
            assessments.c.law_date,
            assessments.c.updated_at,
            assessments.c.version,
            assessments.c.revision_counter,
            summaries.c.content_key,
            summaries.c.version.label("scored_version"),
            summaries.c.revision.label("scored_revision"),
            summaries.c.answered,
            summaries.c.total,
            summaries.c.verdict,
            summaries.c.treaty_score,
        )
        .select_from(assessments.outerjoin(summaries))
        .order_by(assessments.c.updated_at.desc(), assessments.c.id)
    )


def matches(row: Any, search: str) -> bool:
    """Every word of ``search`` is in the jurisdiction, title or assessor, in any case."""
    words = search.casefold().split()
    if not words:
        return True
    text = " ".join((row.jurisdiction, row.title, row.assessor)).casefold()
    return all(word in text for word in words)


def kept(row: Any, key: str) -> Figures | None:
    """The figures kept for a listing row, if they are current."""
    current = (
        row.content_key == key
        and row.scored_version == row.version
        and row.scored_revision == row.revision_counter
    )
    if not current:
        return None
    return Figures(
        row.answered, row.total, row.verdict, row.treaty_score, row.version, row.revision_counter
    )


def summary(row: Any, figures: Figures) -> Summary:
    updated = row.updated_at
    return Summary(
        id=row.id,
        jurisdiction=row.jurisdiction,
        title=row.title,
        assessor=row.assessor,
        date=row.date,
        law_date=row.law_date or row.date,
        updated_at=updated.replace(tzinfo=dt.UTC) if updated.tzinfo is None else updated,
        answered=figures.answered,
        total=figures.total,
        verdict=figures.verdict,
        treaty_score=figures.treaty_score,
    )


def rows(figures: dict[str, Figures], key: str) -> list[dict[str, Any]]:
    """``summaries`` rows keeping these figures."""
    return [
        {
            "assessment_id": assessment_id,
            "content_key": key,
            "version": f.version,
            "revision": f.revision,
            "answered": f.answered,
            "total": f.total,
            "verdict": f.verdict,
            "treaty_score": f.treaty_score,
        }
        for assessment_id, f in figures.items()
    ]
