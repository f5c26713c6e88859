"""Saved assessments: every answer written to a database the moment it is given.

Two browser tabs may edit the same assessment. Each stored answer carries a *revision*, drawn
from a counter on its assessment that only ever grows, and a save names the revision it was
based on. When the database holds a different one, the save is refused with a ``Conflict``
holding both answers: nobody's newer answer is overwritten silently. The check and the write
happen in one transaction that first bumps the assessment row, which takes the write lock
(SQLite) or the row lock (PostgreSQL) before anything is read.

Where the database is and what its tables are: ``checklist.database``. What a back-up zip
holds: ``checklist.backup``. No streamlit here: the pages call these functions and show what
they return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, get_args

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist.assessment import DEFAULT_SCOPE, Answer, Assessment, ScopeId
from checklist.assessment_file import misfit
from checklist.backup import (
    ImportLine,
    ImportReport,
    Outcome,
    merge_outcome,
    read_archive,
    same_content,
    write_archive,
)
from checklist.database import (
    ENV_URL,
    answers,
    assessments,
    default_url,
    make_engine,
    upgrade,
)
from checklist.methodology import Methodology, Verdict
from checklist.schema import Checklist
from checklist.scoring import score

__all__ = [
    "ENV_URL",
    "Conflict",
    "Details",
    "DetailsConflict",
    "ImportLine",
    "ImportReport",
    "NotFound",
    "Outcome",
    "Saved",
    "Store",
    "Stored",
    "Summary",
    "Unfit",
    "default_url",
    "same_content",
]


@dataclass(frozen=True)
class Details:
    """What the user says about an assessment, apart from its answers.

    A ``date`` left as None keeps the saved one. A ``law_date`` left as None is the
    assessment's date when ``date`` is given (a blank law date means "as on the assessment
    date"), else keeps the saved one.
    """

    jurisdiction: str
    assessor: str = ""
    title: str = ""
    scope: str = DEFAULT_SCOPE
    date: dt.date | None = None
    law_date: dt.date | None = None


@dataclass(frozen=True)
class Stored:
    """An assessment as saved, with the revision of each answer and of its details."""

    assessment: Assessment
    revisions: dict[str, int]
    version: int


@dataclass(frozen=True)
class Saved:
    revision: int
    updated_at: dt.datetime


@dataclass(frozen=True)
class Conflict:
    """A save refused because someone else saved first. ``theirs`` is what the database holds
    (``None`` when their change removed it); ``mine`` is the answer that was not saved."""

    item_id: str
    theirs: Answer | None
    revision: int
    mine: Answer


@dataclass(frozen=True)
class DetailsConflict:
    theirs: Details
    version: int
    mine: Details


@dataclass(frozen=True)
class Summary:
    id: str
    jurisdiction: str
    title: str
    assessor: str
    updated_at: dt.datetime
    answered: int
    total: int
    verdict: Verdict
    treaty_score: float | None

    @property
    def share_answered(self) -> float:
        return self.answered / self.total if self.total else 0.0


class NotFound(LookupError):
    """No saved assessment has this ID."""


class Unfit(ValueError):
    """An answer its item cannot take (``assessment_file.misfit``); ``str()`` says why."""

    def __init__(self, item_id: str, reason: str):
        self.item_id, self.reason = item_id, reason
        super().__init__(reason)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: every time stored here is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Store:
    """One database of assessments. Cheap to keep for the life of the process."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.engine = make_engine(self.url)
        upgrade(self.engine)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # -- reading ---------------------------------------------------------------------------

    def exists(self, assessment_id: str) -> bool:
        with self.engine.connect() as conn:
            query = sa.select(assessments.c.id).where(assessments.c.id == assessment_id)
            return conn.execute(query).first() is not None

    def load(self, assessment_id: str) -> Stored:
        """The saved assessment, read in one transaction; ``NotFound`` if there is none."""
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(assessments).where(assessments.c.id == assessment_id)
            ).first()
            if row is None:
                raise NotFound(assessment_id)
            rows = conn.execute(
                sa.select(answers).where(answers.c.assessment_id == assessment_id)
            ).all()
        return _stored(row, rows)

    def load_all(self) -> list[Stored]:
        with self.engine.begin() as conn:
            rows = conn.execute(sa.select(assessments)).all()
            by_assessment: dict[str, list[Any]] = {row.id: [] for row in rows}
            for answer_row in conn.execute(sa.select(answers)):
                by_assessment.setdefault(answer_row.assessment_id, []).append(answer_row)
        return [_stored(row, by_assessment[row.id]) for row in rows]

    def list_summaries(self, checklist: Checklist, methodology: Methodology) -> list[Summary]:
        """Every saved assessment, most recently saved first, with its progress and score."""
        summaries = []
        for stored in self.load_all():
            a = stored.assessment
            result = score(checklist, a, methodology)
            summaries.append(
                Summary(
                    id=a.id,
                    jurisdiction=a.jurisdiction,
                    title=a.title,
                    assessor=a.assessor,
                    updated_at=a.updated_at,
                    answered=result.answered,
                    total=result.total,
                    verdict=result.verdict,
                    treaty_score=result.treaty_score,
                )
            )
        return sorted(summaries, key=lambda s: s.updated_at, reverse=True)

    # -- writing ---------------------------------------------------------------------------

    def create(self, assessment: Assessment) -> Stored:
        """Save a new assessment (with any answers it already has)."""
        with self._write() as conn:
            _insert(conn, assessment)
        return self.load(assessment.id)

    def save_answer(
        self,
        assessment_id: str,
        item_id: str,
        answer: Answer,
        expected_revision: int,
        *,
        checklist: Checklist,
    ) -> Saved | Conflict:
        """Save one answer in one transaction, unless the stored answer is not the one the
        caller saw (``expected_revision``; 0 when it saw none): then return a ``Conflict``
        and change nothing.

        An answer that ``checklist`` says its item cannot take raises ``Unfit`` before the
        database is touched: the same rule as for files, so nothing saved is unreadable.
        """
        _check_fit(checklist, item_id, answer)
        now = _now()
        with self._write() as conn:
            revision = _next_revision(conn, assessment_id, now)
            current = conn.execute(
                sa.select(answers.c.answer, answers.c.revision).where(
                    answers.c.assessment_id == assessment_id, answers.c.item_id == item_id
                )
            ).first()
            current_revision = current.revision if current else 0
            if current_revision != expected_revision:
                conn.rollback()
                theirs = Answer.model_validate(current.answer) if current else None
                return Conflict(item_id, theirs, current_revision, answer)
            values = {"answer": _answer_json(answer), "revision": revision, "updated_at": now}
            if current:
                conn.execute(
                    answers.update()
                    .where(answers.c.assessment_id == assessment_id, answers.c.item_id == item_id)
                    .values(**values)
                )
            else:
                conn.execute(
                    answers.insert().values(assessment_id=assessment_id, item_id=item_id, **values)
                )
        return Saved(revision, now)

    def save_details(
        self, assessment_id: str, details: Details, expected_version: int
    ) -> Saved | DetailsConflict:
        """Change jurisdiction, assessor, title, scope and dates, unless someone else did
        first. A scope that is not one of ``ScopeId`` raises ``ValueError``, untouched."""
        if details.scope not in get_args(ScopeId):
            raise ValueError(f"no scope '{details.scope}': one of {', '.join(get_args(ScopeId))}")
        now = _now()
        with self._write() as conn:
            changed = conn.execute(
                assessments.update()
                .where(assessments.c.id == assessment_id)
                .where(assessments.c.version == expected_version)
                .values(
                    **_details_columns(details),
                    updated_at=now,
                    version=assessments.c.version + 1,
                )
            ).rowcount
            if changed:
                return Saved(expected_version + 1, now)
            row = conn.execute(
                sa.select(assessments).where(assessments.c.id == assessment_id)
            ).first()
        if row is None:
            raise NotFound(assessment_id)
        theirs = Details(
            row.jurisdiction,
            row.assessor,
            row.title,
            row.scope,
            row.date,
            row.law_date or row.date,
        )
        return DetailsConflict(theirs, row.version, details)

    def replace(self, assessment: Assessment) -> Stored:
        """Make the saved assessment exactly ``assessment`` (creating it if need be). Every
        answer gets a new revision, so a tab still showing the old one hits a conflict."""
        with self._write() as conn:
            _replace(conn, assessment)
        return self.load(assessment.id)

    def delete_assessment(self, assessment_id: str) -> bool:
        """Remove an assessment and all its answers, in one transaction, for good (there is
        no bin: the page offers its file for download first). False if it was not there,
        e.g. already deleted in another tab."""
        with self._write() as conn:
            conn.execute(answers.delete().where(answers.c.assessment_id == assessment_id))
            removed = conn.execute(
                assessments.delete().where(assessments.c.id == assessment_id)
            ).rowcount
        return bool(removed)

    # -- back-ups --------------------------------------------------------------------------

    def export_archive(self) -> bytes:
        """Every saved assessment as one zip of assessment JSON files."""
        return write_archive(stored.assessment for stored in self.load_all())

    def import_archive(self, data: bytes, source: str, checklist: Checklist) -> ImportReport:
        """Restore a back-up made by ``export_archive``.

        Every file is read and checked before anything is written; one bad file and nothing
        changes (``FileProblem``). A saved assessment newer than its copy in the archive is
        kept and reported, never overwritten; an older one is updated; the rest are added.
        """
        loaded = read_archive(data, source, checklist)
        report = ImportReport()
        with self._write() as conn:
            for name, entry in loaded:
                incoming = entry.assessment
                report.notices.extend(f"{name}: {notice}" for notice in entry.notices)
                row = conn.execute(
                    sa.select(assessments).where(assessments.c.id == incoming.id)
                ).first()
                if row is None:
                    _insert(conn, incoming)
                    outcome: Outcome = "added"
                else:
                    saved = _stored(
                        row,
                        conn.execute(
                            sa.select(answers).where(answers.c.assessment_id == incoming.id)
                        ).all(),
                    ).assessment
                    outcome = merge_outcome(saved, incoming)
                    if outcome == "updated":
                        _replace(conn, incoming)
                report.lines.append(ImportLine(incoming.id, incoming.jurisdiction, outcome))
        return report


def _check_fit(checklist: Checklist, item_id: str, answer: Answer) -> None:
    try:
        item = checklist.item(item_id)
    except KeyError:
        raise Unfit(item_id, f"no item '{item_id}' in checklist {checklist.version}") from None
    reason = misfit(item, answer)
    if reason:
        raise Unfit(item_id, reason)


def _answer_json(answer: Answer) -> dict[str, Any]:
    return answer.model_dump(mode="json", exclude_none=True)


def _stored(row: Any, answer_rows: Sequence[Any]) -> Stored:
    assessment = Assessment.model_validate(
        {
            "id": row.id,
            "jurisdiction": row.jurisdiction,
            "assessor": row.assessor,
            "title": row.title,
            "date": row.date,
            "law_date": row.law_date,
            "checklist_version": row.checklist_version,
            "scope": row.scope,
            "archived_answers": row.archived_answers,
            "created_at": _utc(row.created_at),
            "updated_at": _utc(row.updated_at),
            "answers": {r.item_id: r.answer for r in answer_rows},
        }
    )
    revisions = {r.item_id: r.revision for r in answer_rows}
    return Stored(assessment, revisions, row.version)


def _next_revision(conn: Connection, assessment_id: str, now: dt.datetime) -> int:
    """Take the next revision number. Being an UPDATE, this first statement also takes the
    lock that keeps the rest of the transaction free of races."""
    bumped = conn.execute(
        assessments.update()
        .where(assessments.c.id == assessment_id)
        .values(revision_counter=assessments.c.revision_counter + 1, updated_at=now)
    ).rowcount
    if not bumped:
        raise NotFound(assessment_id)
    counter: int = conn.execute(
        sa.select(assessments.c.revision_counter).where(assessments.c.id == assessment_id)
    ).scalar_one()
    return counter


def _metadata(a: Assessment) -> dict[str, Any]:
    """The assessment's own columns, as both a first insert and a replacement write them."""
    return {
        "jurisdiction": a.jurisdiction,
        "assessor": a.assessor,
        "title": a.title,
        "date": a.date,
        "law_date": a.law_date,
        "checklist_version": a.checklist_version,
        "scope": a.scope,
        "include_modules": _legacy_modules(a.scope),
        "archived_answers": [x.model_dump(mode="json") for x in a.archived_answers],
    }


def _details_columns(details: Details) -> dict[str, Any]:
    """The columns ``details`` changes (see ``Details`` for the dates left as None)."""
    columns: dict[str, Any] = {
        "jurisdiction": details.jurisdiction,
        "assessor": details.assessor,
        "title": details.title,
        "scope": details.scope,
        "include_modules": _legacy_modules(details.scope),
    }
    if details.date is not None:
        columns["date"] = details.date
    law_date = details.law_date or details.date
    if law_date is not None:
        columns["law_date"] = law_date
    return columns


def _legacy_modules(scope: str) -> list[str]:
    """``include_modules`` as the previous release reads it (it knew only "extended", for
    articles 6-10), so a database shared with it, or taken back to it, still opens there."""
    return ["extended"] if scope == "whole-protocol" else []


def _insert(conn: Connection, a: Assessment) -> None:
    conn.execute(
        assessments.insert().values(
            id=a.id,
            **_metadata(a),
            created_at=a.created_at,
            updated_at=a.updated_at,
            version=1,
            revision_counter=len(a.answers),
        )
    )
    _insert_answers(conn, a, first_revision=1)


def _replace(conn: Connection, a: Assessment) -> None:
    row = conn.execute(
        sa.select(assessments.c.revision_counter, assessments.c.version).where(
            assessments.c.id == a.id
        )
    ).first()
    if row is None:
        _insert(conn, a)
        return
    counter = row.revision_counter
    conn.execute(
        assessments.update()
        .where(assessments.c.id == a.id)
        .values(
            **_metadata(a),
            updated_at=a.updated_at,
            version=row.version + 1,
            revision_counter=counter + len(a.answers),
        )
    )
    conn.execute(answers.delete().where(answers.c.assessment_id == a.id))
    _insert_answers(conn, a, first_revision=counter + 1)


def _insert_answers(conn: Connection, a: Assessment, first_revision: int) -> None:
    """Write every answer of ``a``, numbering their revisions from ``first_revision`` (the
    caller has reserved that many on the assessment's counter)."""
    for n, (item_id, answer) in enumerate(sorted(a.answers.items()), start=first_revision):
        conn.execute(
            answers.insert().values(
                assessment_id=a.id,
                item_id=item_id,
                answer=_answer_json(answer),
                revision=n,
                updated_at=answer.updated_at or a.updated_at,
            )
        )
