"""Saved assessments: every answer written to a database the moment it is given.

Storage goes through SQLAlchemy Core, so the embedded SQLite file a single user needs can be
swapped for a team server (PostgreSQL) by changing one URL: ``OPSC_DB_URL``. Without it the
database is ``data/opsc-gap-check.sqlite3`` in a source checkout (``data/`` is gitignored), or
``~/.local/share/opsc-gap-check/`` when the package is installed elsewhere.

Two browser tabs may edit the same assessment. Each stored answer carries a *revision*, drawn
from a counter on its assessment that only ever grows, and a save names the revision it was
based on. When the database holds a different one, the save is refused with a ``Conflict``
holding both answers: nobody's newer answer is overwritten silently. The check and the write
happen in one transaction that first bumps the assessment row, which takes the write lock
(SQLite) or the row lock (PostgreSQL) before anything is read.

No streamlit here: the pages call these functions and show what they return.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from checklist.assessment import Answer, Assessment
from checklist.assessment_file import (
    MAX_FILE_BYTES,
    FileProblem,
    misfit,
    read_assessment,
    write_assessment,
)
from checklist.methodology import Methodology
from checklist.schema import Checklist
from checklist.scoring import score

ENV_URL = "OPSC_DB_URL"
DB_FILE = "opsc-gap-check.sqlite3"
MAX_ARCHIVE_ENTRIES = 2000
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024

metadata = sa.MetaData()

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("jurisdiction", sa.String(200), nullable=False, default=""),
    sa.Column("assessor", sa.String(200), nullable=False, default=""),
    sa.Column("title", sa.String(300), nullable=False, default=""),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("checklist_version", sa.String(20), nullable=False, default=""),
    sa.Column("include_modules", sa.JSON, nullable=False),
    sa.Column("archived_answers", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # Bumped when the details (jurisdiction, assessor, ...) change: optimistic concurrency.
    sa.Column("version", sa.Integer, nullable=False, default=1),
    # The source of answer revisions: every answer save takes the next number.
    sa.Column("revision_counter", sa.Integer, nullable=False, default=0),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column(
        "assessment_id",
        sa.String(64),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("answer", sa.JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Details:
    """What the user says about an assessment, apart from its answers."""

    jurisdiction: str
    assessor: str = ""
    title: str = ""
    include_modules: tuple[str, ...] = ()


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
    overall: float | None

    @property
    def share_answered(self) -> float:
        return self.answered / self.total if self.total else 0.0


Outcome = Literal["added", "updated", "unchanged", "kept-newer"]


@dataclass(frozen=True)
class ImportLine:
    id: str
    jurisdiction: str
    outcome: Outcome


@dataclass
class ImportReport:
    lines: list[ImportLine] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(line.outcome == outcome for line in self.lines)


class NotFound(LookupError):
    """No saved assessment has this ID."""


class Unfit(ValueError):
    """An answer its item cannot take (``assessment_file.misfit``); ``str()`` says why."""

    def __init__(self, item_id: str, reason: str):
        self.item_id, self.reason = item_id, reason
        super().__init__(reason)


def default_url() -> str:
    """``OPSC_DB_URL`` if set, else a SQLite file in ``data/`` (checkout) or ~/.local/share."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    root = Path(__file__).resolve().parent.parent
    folder = (
        root / "data"
        if (root / "pyproject.toml").exists()
        else Path.home() / ".local" / "share" / "opsc-gap-check"
    )
    return f"sqlite:///{folder / DB_FILE}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: every time stored here is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Store:
    """One database of assessments. Cheap to keep for the life of the process."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.engine = _engine(self.url)
        metadata.create_all(self.engine)

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
                    overall=result.overall,
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
        """Change jurisdiction, assessor, title and modules, unless someone else did first."""
        now = _now()
        with self._write() as conn:
            changed = conn.execute(
                assessments.update()
                .where(assessments.c.id == assessment_id)
                .where(assessments.c.version == expected_version)
                .values(
                    jurisdiction=details.jurisdiction,
                    assessor=details.assessor,
                    title=details.title,
                    include_modules=list(details.include_modules),
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
        theirs = Details(row.jurisdiction, row.assessor, row.title, tuple(row.include_modules))
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
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for stored in self.load_all():
                archive.writestr(
                    archive_name(stored.assessment), write_assessment(stored.assessment)
                )
        return buffer.getvalue()

    def import_archive(self, data: bytes, source: str, checklist: Checklist) -> ImportReport:
        """Restore a back-up made by ``export_archive``.

        Every file is read and checked before anything is written; one bad file and nothing
        changes (``FileProblem``). A saved assessment newer than its copy in the archive is
        kept and reported, never overwritten; an older one is updated; the rest are added.
        """
        loaded = list(_read_archive(data, source, checklist))
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
                    outcome = _merge_outcome(saved, incoming)
                    if outcome == "updated":
                        _replace(conn, incoming)
                report.lines.append(ImportLine(incoming.id, incoming.jurisdiction, outcome))
        return report


def same_content(a: Assessment, b: Assessment) -> bool:
    """True when two versions of an assessment say the same thing (times aside)."""
    return _content(a) == _content(b)


def archive_name(assessment: Assessment) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", assessment.jurisdiction.lower()).strip("-")[:40]
    return f"{slug or 'assessment'}--{assessment.id}.json"


def _merge_outcome(saved: Assessment, incoming: Assessment) -> Outcome:
    if same_content(saved, incoming):
        return "unchanged"
    if saved.updated_at >= incoming.updated_at:
        return "kept-newer"
    return "updated"


def _content(a: Assessment) -> dict[str, Any]:
    data = a.model_dump(mode="json", exclude={"created_at", "updated_at", "checklist_version"})
    for answer in data["answers"].values():
        answer.pop("updated_at", None)
    return data


def _read_archive(data: bytes, source: str, checklist: Checklist) -> Iterable[tuple[str, Any]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileProblem(
            source,
            "",
            "this is not a zip archive. Choose the .zip file made by 'Download a back-up "
            "of every assessment'.",
        ) from None
    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        files = [e for e in entries if e.filename.lower().endswith(".json")]
        if len(entries) > MAX_ARCHIVE_ENTRIES or sum(e.file_size for e in entries) > (
            MAX_ARCHIVE_BYTES
        ):
            raise FileProblem(source, "", "the archive is too large to be a back-up of this tool.")
        if not files:
            raise FileProblem(source, "", "the archive holds no assessment (.json) files.")
        loaded = []
        seen: dict[str, str] = {}
        for entry in files:
            name = f"{source}: {entry.filename}"
            with archive.open(entry) as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
            one = read_assessment(raw, name, checklist)
            if one.assessment.id in seen:
                raise FileProblem(
                    name,
                    "id",
                    f"the same assessment ID is also in {seen[one.assessment.id]}; "
                    "an archive holds each assessment once.",
                )
            seen[one.assessment.id] = entry.filename
            loaded.append((entry.filename, one))
    return loaded


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
            "checklist_version": row.checklist_version,
            "include_modules": row.include_modules,
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
        "checklist_version": a.checklist_version,
        "include_modules": list(a.include_modules),
        "archived_answers": [x.model_dump(mode="json") for x in a.archived_answers],
    }


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


def _owner_only(path: Path, engine: Engine) -> None:
    """Drafts are confidential: the database file (and SQLite's -wal and -shm files, which
    take its permissions) is readable by its owner only."""
    if not path.exists():
        with engine.connect():
            pass  # creates the file
    if path.exists() and path.stat().st_uid == os.getuid():
        path.chmod(0o600)


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    database = sa.engine.make_url(url).database
    if database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    if database and database != ":memory:":
        _owner_only(Path(database).expanduser(), engine)
    return engine
