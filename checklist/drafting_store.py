"""The store's side of accountable drafting: writing the record and reading parts of it.

Every method takes the author (the name the user gave, or the signed-in identity on a team
server) and adds rows; none updates or deletes one. Each write first touches the assessment's
row (its ``updated_at``), which takes the same lock as an answer's save, so two tabs writing
at once are serialised and neither is lost. A sign-off is refused (``Refused``) when what it
would clear is not what the reviewer saw.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from checklist import drafting, records
from checklist.assessment import (
    MAX_COMMENT,
    MAX_NAME,
    ActionEntry,
    Answer,
    Comment,
    Decision,
    HistoryEntry,
    PlannedAction,
    ReviewEntry,
    ReviewState,
    SignOff,
    Version,
)
from checklist.database import actions, answer_history, assessments, sign_offs, versions


@dataclass(frozen=True)
class ItemRecord:
    history: list[HistoryEntry]  # the newest changes, newest first
    reviews: list[ReviewEntry]
    comments: list[Comment]
    history_total: int = 0  # how many changes there are in all


@dataclass(frozen=True)
class ActionConflict:
    """A planned action not saved because another tab saved one first: ``theirs`` is the
    saved one (None if none), ``mine`` the one not saved."""

    item_id: str
    theirs: PlannedAction | None
    revision: int
    mine: PlannedAction


class Refused(ValueError):
    """A drafting change not made; ``str()`` says why and what to do, in plain words."""


class NotFound(LookupError):
    """No saved assessment has this ID."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def plain_name(author: str) -> str:
    """A person's name as recorded: one line, trimmed; ``Refused`` when blank or too long."""
    name = " ".join(author.split())
    if not name:
        raise Refused("Give your name first: every change is recorded with it.")
    if len(name) > MAX_NAME:
        raise Refused(f"A name is at most {MAX_NAME} characters; this one has {len(name)}.")
    return name


class DraftingStore:
    """Mixed into ``checklist.store.Store``, which provides the engine and ``_write``."""

    engine: Engine

    def _write(self) -> AbstractContextManager[Connection]:  # provided by Store
        raise NotImplementedError

    # -- reading ---------------------------------------------------------------------------

    def history(
        self, assessment_id: str, item_id: str, newest: int | None = None
    ) -> list[HistoryEntry]:
        """One answer's history, newest first (read fresh: another tab may have added); with
        ``newest``, only that many of the latest changes."""
        query = (
            sa.select(answer_history)
            .where(
                answer_history.c.assessment_id == assessment_id,
                answer_history.c.item_id == item_id,
            )
            .order_by(answer_history.c.at.desc(), answer_history.c.seq.desc())
            .limit(newest)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [HistoryEntry.model_validate(records.entry("history", row)) for row in rows]

    def item_record(self, assessment_id: str, item_id: str, newest: int = 30) -> ItemRecord:
        """One item's record, read fresh (another tab may have added to it): the ``newest``
        changes of its answer, newest first, with how many there are in all; its review
        states and its comment thread, oldest first. A long history is not read whole."""
        with self.engine.connect() as conn:
            found = records.load_record(
                conn, [assessment_id], item_id=item_id, parts=("reviews", "comments")
            )[assessment_id]
            total = conn.execute(
                sa.select(sa.func.count()).where(
                    answer_history.c.assessment_id == assessment_id,
                    answer_history.c.item_id == item_id,
                )
            ).scalar_one()
        return ItemRecord(
            history=self.history(assessment_id, item_id, newest=newest),
            reviews=[ReviewEntry.model_validate(e) for e in found["reviews"]],
            comments=[Comment.model_validate(e) for e in found["comments"]],
            history_total=total,
        )

    def record(self, assessment_id: str, parts: tuple[str, ...] = ()) -> dict[str, list[Any]]:
        """The drafting record of one assessment (only those ``parts`` of it when given), as
        the file format's entries."""
        with self.engine.connect() as conn:
            found = records.load_record(conn, [assessment_id], parts=parts)[assessment_id]
        return found

    # -- writing ---------------------------------------------------------------------------

    def _touch(self, conn: Connection, assessment_id: str, at: dt.datetime) -> None:
        """Mark the assessment changed, taking its lock; ``NotFound`` if it is not there."""
        touched = conn.execute(
            assessments.update().where(assessments.c.id == assessment_id).values(updated_at=at)
        ).rowcount
        if not touched:
            raise NotFound(assessment_id)

    def set_review(
        self, assessment_id: str, item_id: str, review: ReviewState, *, author: str
    ) -> ReviewEntry:
        """Set an item's review state (a new entry; the item's state is the last set)."""
        if review not in drafting.REVIEW_STATES:
            raise Refused(
                f"No review state '{review}': one of {', '.join(drafting.REVIEW_STATES)}."
            )
        entry = ReviewEntry(item_id=item_id, at=now(), author=plain_name(author), state=review)
        with self._write() as conn:
            self._touch(conn, assessment_id, entry.at)
            records.append_record(conn, assessment_id, "reviews", [entry])
        return entry

    def add_comment(self, assessment_id: str, item_id: str, text: str, *, author: str) -> Comment:
        """Add a comment to an item's thread. Kept as typed (plain text), never edited."""
        if not text.strip():
            raise Refused("The comment is empty: type it first.")
        if len(text) > MAX_COMMENT:
            raise Refused(
                f"A comment is at most {MAX_COMMENT:,} characters; this one has {len(text):,}. "
                "Shorten it, or split it into two comments."
            )
        entry = Comment(item_id=item_id, at=now(), author=plain_name(author), text=text.strip())
        with self._write() as conn:
            self._touch(conn, assessment_id, entry.at)
            records.append_record(conn, assessment_id, "comments", [entry])
        return entry

    def save_version(
        self,
        assessment_id: str,
        name: str,
        *,
        author: str,
        expected: tuple[int, int] | None = None,
    ) -> Version:
        """Freeze the assessment as it is saved now under ``name``. With ``expected`` (the
        details version and answer revision counter the user saw), refuse if it changed
        since: a version must be what its author looked at."""
        label = _version_name(name)
        who = plain_name(author)
        with self._write() as conn:
            return self._freeze(conn, assessment_id, label, who, expected)

    def _freeze(
        self,
        conn: Connection,
        assessment_id: str,
        label: str,
        who: str,
        expected: tuple[int, int] | None,
    ) -> Version:
        at = now()
        self._touch(conn, assessment_id, at)
        if expected is not None:
            _check_unchanged(conn, assessment_id, expected, "saved as a version")
        taken = conn.execute(
            sa.select(versions.c.name).where(
                versions.c.assessment_id == assessment_id, versions.c.name == label
            )
        ).first()
        if taken:
            raise Refused(f"A version named '{label}' already exists. Give this one another name.")
        saved = records.load_many(conn, [assessment_id], with_record=False)
        snapshot = saved[assessment_id][1].assessment.snapshot()
        version = Version(name=label, at=at, author=who, snapshot=snapshot)
        records.append_record(conn, assessment_id, "versions", [version])
        return version

    def sign_off(
        self,
        assessment_id: str,
        version_id: str,
        decision: Decision,
        *,
        author: str,
        note: str = "",
        decisions_seen: int = 0,
    ) -> SignOff:
        """Record a decision on a named version. Refused if the version is not there, or if
        someone else decided on it after the reviewer looked (``decisions_seen``: how many
        decisions they saw)."""
        entry = _decision(version_id, decision, author, note)
        with self._write() as conn:
            self._decide(conn, assessment_id, entry, decisions_seen)
        return entry

    def _decide(
        self, conn: Connection, assessment_id: str, entry: SignOff, decisions_seen: int
    ) -> None:
        """Record ``entry`` in the open transaction, unless its version is not there or
        someone decided on it since the reviewer looked."""
        version_id = entry.version_id
        self._touch(conn, assessment_id, entry.at)
        found = conn.execute(
            sa.select(versions.c.name).where(
                versions.c.assessment_id == assessment_id,
                versions.c.version_id == version_id,
            )
        ).first()
        if found is None:
            raise Refused(
                "There is no such version of this assessment: it cannot be signed off. "
                "Save a version first."
            )
        decided = conn.execute(
            sa.select(sa.func.count()).where(
                sign_offs.c.assessment_id == assessment_id,
                sign_offs.c.version_id == version_id,
            )
        ).scalar_one()
        if decided != decisions_seen:
            raise Refused(
                f"Someone else signed off version '{found.name}' after you opened it. "
                "Nothing was recorded: read their decision, then decide again."
            )
        records.append_record(conn, assessment_id, "sign_offs", [entry])

    def sign_off_current(
        self,
        assessment_id: str,
        name: str,
        decision: Decision,
        *,
        author: str,
        expected: tuple[int, int],
        note: str = "",
    ) -> tuple[Version, SignOff]:
        """Freeze the assessment as it is now under ``name`` and record the decision on it, in
        one step. Refused, with nothing written, if it changed after the reviewer looked
        (``expected``: the details version and answer revision counter they saw)."""
        label = _version_name(name)
        who = plain_name(author)
        _decision("-", decision, who, note)  # refused before anything is written
        with self._write() as conn:
            version = self._freeze(conn, assessment_id, label, who, expected)
            entry = _decision(version.id, decision, who, note)
            self._decide(conn, assessment_id, entry, decisions_seen=0)
        return version, entry

    def save_action(
        self,
        assessment_id: str,
        item_id: str,
        planned: PlannedAction,
        expected_revision: int,
        *,
        author: str,
    ) -> tuple[int, dt.datetime] | ActionConflict:
        """Save the planned action for one gap, unless another tab saved one first (the
        revision the caller saw, 0 for none): then change nothing and return both. The same
        transaction adds an entry to the action's history. Returns (revision, time)."""
        who = plain_name(author)
        at = now()
        stamped = planned.model_copy(update={"updated_at": at})
        with self._write() as conn:
            bumped = conn.execute(  # takes the assessment's lock, as an answer's save does
                assessments.update()
                .where(assessments.c.id == assessment_id)
                .values(revision_counter=assessments.c.revision_counter + 1, updated_at=at)
            ).rowcount
            if not bumped:
                raise NotFound(assessment_id)
            revision = conn.execute(
                sa.select(assessments.c.revision_counter).where(assessments.c.id == assessment_id)
            ).scalar_one()
            current = conn.execute(
                sa.select(actions.c.action, actions.c.revision).where(
                    actions.c.assessment_id == assessment_id, actions.c.item_id == item_id
                )
            ).first()
            seen = current.revision if current else 0
            before = PlannedAction.model_validate(current.action) if current else None
            if seen != expected_revision:
                conn.rollback()
                return ActionConflict(item_id, before, seen, planned)
            entry = ActionEntry(item_id=item_id, at=at, author=who, before=before, after=stamped)
            records.append_record(conn, assessment_id, "action_history", [entry])
            values = {
                "action": stamped.model_dump(mode="json", exclude_none=True),
                "revision": revision,
                "updated_at": at,
            }
            if current:
                conn.execute(
                    actions.update()
                    .where(actions.c.assessment_id == assessment_id, actions.c.item_id == item_id)
                    .values(**values)
                )
            else:
                conn.execute(
                    actions.insert().values(assessment_id=assessment_id, item_id=item_id, **values)
                )
        return revision, at

    def restore_answer(
        self,
        assessment_id: str,
        item_id: str,
        earlier: Answer | None,
        expected_revision: int,
        **save: Any,
    ) -> Any:
        """Bring back an earlier answer from the history (``None``: no answer, which restores
        as an empty one). It is saved as any answer is, with its own history entry
        ("restore"); nothing in the history changes."""
        answer = (earlier or Answer()).model_copy(update={"updated_at": now()})
        return self.save_answer(  # type: ignore[attr-defined]
            assessment_id, item_id, answer, expected_revision, change="restore", **save
        )


def _version_name(name: str) -> str:
    label = " ".join(name.split())
    if not label:
        raise Refused("Give the version a name, e.g. 'Sent to the Committee, December 2026'.")
    if len(label) > 300:
        raise Refused(f"A version name is at most 300 characters; this one has {len(label)}.")
    return label


def _decision(version_id: str, decision: Decision, author: str, note: str) -> SignOff:
    """A sign-off to record; ``Refused`` (before anything is written) if it cannot be."""
    if len(note) > MAX_COMMENT:
        raise Refused(
            f"A note is at most {MAX_COMMENT:,} characters; this one has {len(note):,}. Shorten it."
        )
    return SignOff(
        version_id=version_id,
        at=now(),
        author=plain_name(author),
        decision=decision,
        note=note.strip(),
    )


def _check_unchanged(
    conn: Connection, assessment_id: str, expected: tuple[int, int], what: str
) -> None:
    row = conn.execute(
        sa.select(assessments.c.version, assessments.c.revision_counter).where(
            assessments.c.id == assessment_id
        )
    ).one()
    if (row.version, row.revision_counter) != tuple(expected):
        raise Refused(
            f"The assessment changed after you opened it (in another tab or by someone else), "
            f"so it was not {what}. Look at it as it is now, then try again."
        )
