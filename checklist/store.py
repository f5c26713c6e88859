"""Saved assessments: every answer written to a database the moment it is given.

Two browser tabs may edit the same assessment. Each stored answer carries a *revision*, drawn
from a counter on its assessment that only ever grows, and a save names the revision it was
based on. When the database holds a different one, the save is refused with a ``Conflict``
holding both answers: nobody's newer answer is overwritten silently. The check and the write
happen in one transaction that first bumps the assessment row, which takes the write lock
(SQLite) or the row lock (PostgreSQL) before anything is read.

Where the database is and what its tables are: ``checklist.database``; how an assessment is
written as rows and read back: ``checklist.records``. What a back-up zip holds and what
restoring it would do: ``checklist.backup``. The list of saved work and its kept figures:
``checklist.summaries``. No streamlit here: the pages call these functions and show what they
return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, get_args

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from checklist import records
from checklist import summaries as listing
from checklist.assessment import (
    DEFAULT_SCOPE,
    Answer,
    Assessment,
    Change,
    DetailsEntry,
    HistoryEntry,
    ScopeId,
)
from checklist.assessment_file import misfit
from checklist.backup import (
    ImportLine,
    ImportReport,
    Outcome,
    PlanLine,
    RestorePlan,
    plan_line,
    read_archive,
    same_content,
    write_archive,
)
from checklist.database import (
    DRAFTING,
    ENV_URL,
    WRITE_LOCK,
    MigrationFailed,
    Unusable,
    actions,
    answers,
    assessments,
    default_url,
    make_engine,
    summaries,
    upgrade,
    why_read_only,
)
from checklist.drafting_store import DraftingStore, NotFound, Refused
from checklist.methodology import Methodology
from checklist.records import Stored
from checklist.schema import Checklist
from checklist.scoring import score
from checklist.summaries import Listing, Summary

__all__ = [
    "ENV_URL",
    "Conflict",
    "Details",
    "DetailsConflict",
    "ImportLine",
    "ImportReport",
    "Listing",
    "NotFound",
    "Outcome",
    "PlanLine",
    "Refused",
    "RestorePlan",
    "Saved",
    "Store",
    "Stored",
    "Summary",
    "Unfit",
    "Unusable",
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


class Unfit(ValueError):
    """An answer its item cannot take (``assessment_file.misfit``); ``str()`` says why."""

    def __init__(self, item_id: str, reason: str):
        self.item_id, self.reason = item_id, reason
        super().__init__(reason)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Store(DraftingStore):
    """One database of assessments. Cheap to keep for the life of the process. The drafting
    record (history, reviews, comments, versions, sign-offs) is written by the methods of
    ``checklist.drafting_store``."""

    def __init__(self, url: str | None = None):
        """Open (or create) the database and bring it to the newest schema. ``Unusable``,
        saying why, if it cannot be: damaged, unreadable, on a full disk, ..."""
        self.url = url or default_url()
        try:
            self.engine = make_engine(self.url)
            upgrade(self.engine)
        except (SQLAlchemyError, OSError, MigrationFailed) as error:
            raise Unusable.of(self.url, error) from error

    @property
    def read_only(self) -> str | None:
        """Why nothing can be saved in this database (its file may only be read), or None."""
        return why_read_only(self.engine)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction. On SQLite it holds the write lock from its start (BEGIN
        IMMEDIATE): what it reads before its first write cannot change under it, where a
        deferred transaction would fail at its first write if another wrote meanwhile. On
        PostgreSQL each write locks the rows it reads first (an UPDATE, or FOR UPDATE)."""
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE_LOCK: True})
            with conn.begin():
                yield conn

    # -- reading ---------------------------------------------------------------------------

    def exists(self, assessment_id: str) -> bool:
        with self.engine.connect() as conn:
            query = sa.select(assessments.c.id).where(assessments.c.id == assessment_id)
            return conn.execute(query).first() is not None

    def load(self, assessment_id: str, *, parts: tuple[str, ...] = ()) -> Stored:
        """The saved assessment with its drafting record (only those ``parts`` of it when
        given), read in one transaction; ``NotFound`` if there is none."""
        with self.engine.begin() as conn:
            found = records.load_many(conn, [assessment_id], parts=parts)
        if assessment_id not in found:
            raise NotFound(assessment_id)
        return found[assessment_id][1]

    def load_all(self) -> list[Stored]:
        with self.engine.begin() as conn:
            rows = conn.execute(sa.select(assessments)).all()
            by_assessment: dict[str, list[Any]] = {row.id: [] for row in rows}
            for answer_row in conn.execute(sa.select(answers)):
                by_assessment.setdefault(answer_row.assessment_id, []).append(answer_row)
            record = records.load_record(conn, list(by_assessment))
            planned = records.load_actions(conn, list(by_assessment))
        return [
            records.to_stored(row, by_assessment[row.id], record[row.id], planned[row.id])
            for row in rows
        ]

    def list_summaries(self, checklist: Checklist, methodology: Methodology) -> list[Summary]:
        """Every saved assessment, most recently saved first, with its progress and score."""
        return self.list_page(checklist, methodology).summaries

    def list_page(
        self,
        checklist: Checklist,
        methodology: Methodology,
        *,
        search: str = "",
        offset: int = 0,
        limit: int | None = None,
    ) -> Listing:
        """The saved assessments matching ``search`` (every word in the jurisdiction, title or
        assessor), most recently saved first, ``limit`` of them from ``offset``. Only those are
        scored, and only when their kept figures are stale (``checklist.summaries``)."""
        key = listing.content_key(checklist, methodology)
        with self.engine.connect() as conn:
            rows = self._listable(conn, conn.execute(listing.listing_query()).all())
        chosen = [row for row in rows if listing.matches(row, search)]
        page = chosen[offset : None if limit is None else offset + limit]
        figures = {row.id: f for row in page if (f := listing.kept(row, key)) is not None}
        stale = [row.id for row in page if row.id not in figures]
        if stale:
            figures |= self._score(stale, checklist, methodology, key)
        shown = [listing.summary(row, figures[row.id]) for row in page if row.id in figures]
        return Listing(shown, matching=len(chosen), total=len(rows))

    def _listable(self, conn: Connection, rows: Sequence[Any]) -> Sequence[Any]:
        """The saved-work rows this store lists: all of them; on a team server only those the
        signed-in user has a role on (``checklist.guarded_store``)."""
        return rows

    def _score(
        self, ids: list[str], checklist: Checklist, methodology: Methodology, key: str
    ) -> dict[str, listing.Figures]:
        """Score these assessments, and keep their figures if the database can be written (it
        is only a cache: a read-only or busy database shows the figures all the same)."""
        with self.engine.begin() as conn:
            loaded = records.load_many(conn, ids, with_record=False)
        figures = {
            id_: listing.Figures.of(
                score(checklist, stored.assessment, methodology), row.version, row.revision_counter
            )
            for id_, (row, stored) in loaded.items()
        }
        if figures and not self.read_only:
            try:
                with self._write() as conn:
                    kept = list(figures)
                    for start in range(0, len(kept), records.CHUNK):
                        chunk = kept[start : start + records.CHUNK]
                        conn.execute(summaries.delete().where(summaries.c.assessment_id.in_(chunk)))
                    conn.execute(summaries.insert(), listing.rows(figures, key))
            except SQLAlchemyError:
                pass  # kept next time: these figures are shown all the same
        return figures

    # -- writing ---------------------------------------------------------------------------

    def create(self, assessment: Assessment) -> Stored:
        """Save a new assessment (with any answers it already has)."""
        with self._write() as conn:
            records.insert(conn, assessment)
        return self.load(assessment.id)

    def save_answer(
        self,
        assessment_id: str,
        item_id: str,
        answer: Answer,
        expected_revision: int,
        *,
        checklist: Checklist,
        author: str = "",
        change: Change = "answer",
    ) -> Saved | Conflict:
        """Save one answer in one transaction, unless the stored answer is not the one the
        caller saw (``expected_revision``; 0 when it saw none): then return a ``Conflict``
        and change nothing. The same transaction adds an entry to the answer's history: who
        (``author``), when, what it was and what it becomes (``change`` says how: answered,
        or an earlier answer restored from the history).

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
            values = {
                "answer": records.answer_json(answer),
                "revision": revision,
                "updated_at": now,
            }
            before = Answer.model_validate(current.answer) if current else None
            entry = HistoryEntry(
                item_id=item_id, at=now, author=author, change=change, before=before, after=answer
            )
            records.append_record(conn, assessment_id, "history", [entry])
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
        self, assessment_id: str, details: Details, expected_version: int, *, author: str = ""
    ) -> Saved | DetailsConflict:
        """Change jurisdiction, assessor, title, scope and dates, unless someone else did
        first. A scope that is not one of ``ScopeId`` raises ``ValueError``, untouched. The
        fields changed are recorded, before and after, with ``author``."""
        if details.scope not in get_args(ScopeId):
            raise ValueError(f"no scope '{details.scope}': one of {', '.join(get_args(ScopeId))}")
        now = _now()
        with self._write() as conn:
            was = conn.execute(
                sa.select(assessments).where(assessments.c.id == assessment_id)
            ).first()
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
            if changed and was is not None:
                entry = _details_entry(was, _details_columns(details), now, author)
                if entry is not None:
                    records.append_record(conn, assessment_id, "details_history", [entry])
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

    def replace(self, assessment: Assessment, *, author: str = "") -> Stored:
        """Make the saved assessment's details and answers those of ``assessment`` (creating
        it if need be). Every answer gets a new revision, so a tab still showing the old one
        hits a conflict. The drafting record keeps every saved entry and gains the file's
        and an "import" entry, by ``author``, for each answer changed (``records.replace``)."""
        with self._write() as conn:
            records.replace(conn, assessment, author)
        return self.load(assessment.id)

    def delete_assessment(self, assessment_id: str) -> bool:
        """Remove an assessment and all its answers, in one transaction, for good (there is
        no bin: the page offers its file for download first). False if it was not there,
        e.g. already deleted in another tab."""
        with self._write() as conn:
            for table in (*DRAFTING, actions):
                conn.execute(table.delete().where(table.c.assessment_id == assessment_id))
            conn.execute(answers.delete().where(answers.c.assessment_id == assessment_id))
            conn.execute(summaries.delete().where(summaries.c.assessment_id == assessment_id))
            removed = conn.execute(
                assessments.delete().where(assessments.c.id == assessment_id)
            ).rowcount
        return bool(removed)

    # -- back-ups --------------------------------------------------------------------------

    def export_archive(self) -> bytes:
        """Every saved assessment as one zip of assessment JSON files."""
        return write_archive(stored.assessment for stored in self.load_all())

    def plan_restore(self, data: bytes, source: str, checklist: Checklist) -> RestorePlan:
        """Read and check a back-up made by ``export_archive`` and say what restoring it would
        do to each assessment; write nothing. A bad file raises ``FileProblem``."""
        loaded = read_archive(data, source, checklist)
        incoming = {entry.assessment.id: entry.assessment for _, entry in loaded}
        with self.engine.begin() as conn:
            saved = records.load_many(conn, list(incoming))
        return RestorePlan(
            source=source,
            lines=[
                plan_line(saved[id_][1].assessment if id_ in saved else None, a)
                for id_, a in incoming.items()
            ],
            incoming=incoming,
            seen={id_: records.stamp(row) for id_, (row, _) in saved.items()},
            notices=[f"{name}: {n}" for name, entry in loaded for n in entry.notices],
        )

    def restore(self, plan: RestorePlan, *, replace: bool, author: str = "") -> ImportReport:
        """Carry out a plan in one transaction: add what it adds, and replace what it would
        replace only when ``replace`` is true (the user saw what would change and said so).

        A saved assessment that changed after the plan was made (edited, added or deleted in
        another tab) is left as it is now and reported as ``changed-since``.
        """
        report = ImportReport(notices=list(plan.notices))
        with self._write() as conn:
            now = records.stamps(conn, list(plan.incoming))
            added = []
            for line in plan.lines:
                outcome = _outcome(line, replace, now.get(line.id) != plan.seen.get(line.id))
                if outcome == "added":
                    added.append(plan.incoming[line.id])
                elif outcome == "updated":
                    records.replace(conn, plan.incoming[line.id], author)
                report.lines.append(ImportLine(line.id, line.jurisdiction, outcome))
            records.insert_many(conn, added)
        return report


def _outcome(line: PlanLine, replace: bool, changed_since: bool) -> Outcome:
    if changed_since:
        return "changed-since"
    if line.action == "add":
        return "added"
    if line.action == "replace":
        return "updated" if replace else "not-replaced"
    return line.action


def _check_fit(checklist: Checklist, item_id: str, answer: Answer) -> None:
    try:
        item = checklist.item(item_id)
    except KeyError:
        raise Unfit(item_id, f"no item '{item_id}' in checklist {checklist.version}") from None
    reason = misfit(item, answer)
    if reason:
        raise Unfit(item_id, reason)


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


DETAIL_FIELDS = ("jurisdiction", "assessor", "title", "scope", "date", "law_date")


def _details_entry(
    was: Any, columns: dict[str, Any], at: dt.datetime, author: str
) -> DetailsEntry | None:
    """The record of a change of the details: the fields that changed, before and after."""

    def text(value: object) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value or "")

    before = {
        "law_date": was.law_date or was.date,
        **{f: getattr(was, f) for f in DETAIL_FIELDS[:5]},
    }
    changed = [f for f in DETAIL_FIELDS if f in columns and text(columns[f]) != text(before[f])]
    if not changed:
        return None
    return DetailsEntry(
        at=at,
        author=author,
        before={f: text(before[f]) for f in changed},
        after={f: text(columns[f]) for f in changed},
    )


def _details_columns(details: Details) -> dict[str, Any]:
    """The columns ``details`` changes (see ``Details`` for the dates left as None)."""
    columns: dict[str, Any] = {
        "jurisdiction": details.jurisdiction,
        "assessor": details.assessor,
        "title": details.title,
        "scope": details.scope,
        "include_modules": records.legacy_modules(details.scope),
    }
    if details.date is not None:
        columns["date"] = details.date
    law_date = details.law_date or details.date
    if law_date is not None:
        columns["law_date"] = law_date
    return columns
