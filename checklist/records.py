"""How an assessment is kept in the database as rows, and read back.

One assessment is a row of ``assessments``, a row of ``answers`` per answer, and rows of the
drafting-record tables (``database.DRAFTING``: history, review states, comments, versions,
sign-offs), which are only ever inserted. Each answer row carries a revision drawn from its
assessment's ``revision_counter``; the assessment's ``version`` counts changes of its
details. The store (``checklist.store``) decides when to
write; this module only says how, for one assessment or thousands at once (a restore writes
every new assessment and every answer with a few statements, not one each).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist import drafting
from checklist.assessment import ActionEntry, Answer, Assessment, HistoryEntry
from checklist.database import (
    action_history,
    actions,
    answer_history,
    answers,
    assessments,
    comments,
    details_history,
    review_log,
    sign_offs,
    versions,
)

CHUNK = 500  # ids in one IN (...): well under every database's limit on parameters


@dataclass(frozen=True)
class Stored:
    """An assessment as saved, with the revision of each answer and of its details."""

    assessment: Assessment
    revisions: dict[str, int]
    version: int
    # The assessment's answer revision counter: with ``version``, what a change moves on.
    counter: int = 0
    # item id -> revision of its planned action (drawn from the same counter as answers).
    action_revisions: dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def stamp(self) -> tuple[int, int]:
        """(details version, answer revision counter): what a version or sign-off checks
        is unchanged since the user looked."""
        return (self.version, self.counter)


def utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: every time stored here is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def answer_json(answer: Answer) -> dict[str, Any]:
    return answer.model_dump(mode="json", exclude_none=True)


def entry(field: str, row: Any) -> dict[str, Any]:
    """A row of a drafting-record table as the file format's entry (``field`` names it)."""
    entry = {"at": utc(row.at), "author": row.author}
    if field == "history":
        entry |= {"item_id": row.item_id, "change": row.change}
        entry |= {"before": row.before, "after": row.after}
    elif field == "action_history":
        entry |= {"item_id": row.item_id, "before": row.before, "after": row.after}
    elif field == "details_history":
        entry |= {"before": row.before, "after": row.after}
    elif field == "reviews":
        entry |= {"item_id": row.item_id, "state": row.state}
    elif field == "comments":
        entry |= {"item_id": row.item_id, "text": row.text}
    elif field == "versions":
        entry |= {"id": row.version_id, "name": row.name, "snapshot": row.snapshot}
    else:
        entry |= {"version_id": row.version_id, "decision": row.decision, "note": row.note}
    return entry


def _row(field: str, assessment_id: str, entry: Any) -> dict[str, Any]:
    """An entry of the file format's drafting record as a row of its table."""
    data = entry.model_dump(mode="json", exclude_none=True)
    row = {"assessment_id": assessment_id, "at": entry.at, "author": entry.author}
    if field == "history":
        row |= {"item_id": entry.item_id, "change": entry.change}
        row |= {"before": data.get("before"), "after": data.get("after")}
    elif field == "action_history":
        row |= {"item_id": entry.item_id}
        row |= {"before": data.get("before"), "after": data.get("after")}
    elif field == "details_history":
        row |= {"before": data["before"], "after": data["after"]}
    elif field == "reviews":
        row |= {"item_id": entry.item_id, "state": entry.state}
    elif field == "comments":
        row |= {"item_id": entry.item_id, "text": entry.text}
    elif field == "versions":
        row |= {"version_id": entry.id, "name": entry.name, "snapshot": data["snapshot"]}
    else:
        row |= {"version_id": entry.version_id, "decision": entry.decision, "note": entry.note}
    return row


TABLES: dict[str, sa.Table] = {
    "history": answer_history,
    "action_history": action_history,
    "details_history": details_history,
    "reviews": review_log,
    "comments": comments,
    "versions": versions,
    "sign_offs": sign_offs,
}

Record = dict[str, list[dict[str, Any]]]


def load_record(
    conn: Connection, ids: list[str], item_id: str = "", parts: tuple[str, ...] = ()
) -> dict[str, Record]:
    """The drafting record of each of these assessments, as file-format entries in time order
    (with ``item_id``, only that item's history, review states and comments; with ``parts``,
    only those parts)."""
    found: dict[str, Record] = {id_: {field: [] for field in TABLES} for id_ in ids}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for field, table in TABLES.items():
            if (item_id and "item_id" not in table.c) or (parts and field not in parts):
                continue
            query = (
                sa.select(table)
                .where(table.c.assessment_id.in_(chunk))
                .order_by(table.c.at, table.c.seq)
            )
            if item_id:
                query = query.where(table.c.item_id == item_id)
            for row in conn.execute(query):
                found[row.assessment_id][field].append(entry(field, row))
    return found


def append_record(conn: Connection, assessment_id: str, field: str, entries: list[Any]) -> None:
    """Add entries (models of the file format) to one part of an assessment's record."""
    if entries:
        table = TABLES[field]
        conn.execute(table.insert(), [_row(field, assessment_id, e) for e in entries])


def load_actions(conn: Connection, ids: list[str]) -> dict[str, list[Any]]:
    """The action-plan rows of each of these assessments."""
    found: dict[str, list[Any]] = {id_: [] for id_ in ids}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for row in conn.execute(sa.select(actions).where(actions.c.assessment_id.in_(chunk))):
            found[row.assessment_id].append(row)
    return found


def to_stored(
    row: Any,
    answer_rows: Sequence[Any],
    record: Record | None = None,
    action_rows: Sequence[Any] = (),
) -> Stored:
    assessment = Assessment.model_validate(
        {
            **(record or {}),
            "actions": {r.item_id: r.action for r in action_rows},
            "id": row.id,
            "jurisdiction": row.jurisdiction,
            "assessor": row.assessor,
            "title": row.title,
            "date": row.date,
            "law_date": row.law_date,
            "checklist_version": row.checklist_version,
            "scope": row.scope,
            "archived_answers": row.archived_answers,
            "created_at": utc(row.created_at),
            "updated_at": utc(row.updated_at),
            "answers": {r.item_id: r.answer for r in answer_rows},
        }
    )
    revisions = {r.item_id: r.revision for r in answer_rows}
    action_revisions = {r.item_id: r.revision for r in action_rows}
    return Stored(assessment, revisions, row.version, row.revision_counter, action_revisions)


def columns(a: Assessment) -> dict[str, Any]:
    """The assessment's own columns, as both a first insert and a replacement write them."""
    return {
        "jurisdiction": a.jurisdiction,
        "assessor": a.assessor,
        "title": a.title,
        "date": a.date,
        "law_date": a.law_date,
        "checklist_version": a.checklist_version,
        "scope": a.scope,
        "include_modules": legacy_modules(a.scope),
        "archived_answers": [x.model_dump(mode="json") for x in a.archived_answers],
    }


def legacy_modules(scope: str) -> list[str]:
    """``include_modules`` as the previous release reads it (it knew only "extended", for
    articles 6-10), so a database shared with it, or taken back to it, still opens there."""
    return ["extended"] if scope == "whole-protocol" else []


def insert(conn: Connection, a: Assessment) -> None:
    insert_many(conn, [a])


def insert_many(conn: Connection, new: list[Assessment]) -> None:
    """Write new assessments and their answers, a few statements for all of them."""
    if not new:
        return
    conn.execute(
        assessments.insert(),
        [
            {
                "id": a.id,
                **columns(a),
                "created_at": a.created_at,
                "updated_at": a.updated_at,
                "version": 1,
                "revision_counter": len(a.answers) + len(a.actions),
            }
            for a in new
        ],
    )
    rows = [row for a in new for row in _answer_rows(a, first_revision=1)]
    if rows:
        conn.execute(answers.insert(), rows)
    planned = [row for a in new for row in _action_rows(a, len(a.answers) + 1)]
    if planned:
        conn.execute(actions.insert(), planned)
    for field, table in TABLES.items():
        entries = [_row(field, a.id, e) for a in new for e in getattr(a, field)]
        if entries:
            conn.execute(table.insert(), entries)


def replace(conn: Connection, a: Assessment, author: str = "") -> None:
    """Make the saved assessment's details and answers those of ``a`` (a file or back-up
    coming back, or the same assessment fitted to a new checklist). The drafting record is
    never replaced: ``a``'s entries the saved one lacks are added, and each answer this
    changes gets a history entry ("import") by ``author``."""
    row = conn.execute(  # locks the row (PostgreSQL) before anything else is read
        sa.select(assessments.c.revision_counter, assessments.c.version)
        .where(assessments.c.id == a.id)
        .with_for_update()
    ).first()
    if row is None:
        insert(conn, a)
        return
    saved = load_many(conn, [a.id])[a.id][1].assessment
    for field, entries in drafting.combined(saved, a).items():
        known = {e.model_dump_json() for e in getattr(saved, field)}
        append_record(conn, a.id, field, [e for e in entries if e.model_dump_json() not in known])
    append_record(conn, a.id, "history", _import_entries(saved, a, author))
    counter = row.revision_counter
    conn.execute(
        assessments.update()
        .where(assessments.c.id == a.id)
        .values(
            **columns(a),
            updated_at=a.updated_at,
            version=row.version + 1,
            revision_counter=counter + len(a.answers) + len(a.actions),
        )
    )
    conn.execute(answers.delete().where(answers.c.assessment_id == a.id))
    _insert_answers(conn, a, first_revision=counter + 1)
    append_record(conn, a.id, "action_history", _action_entries(saved, a, author))
    conn.execute(actions.delete().where(actions.c.assessment_id == a.id))
    planned = _action_rows(a, counter + len(a.answers) + 1)
    if planned:
        conn.execute(actions.insert(), planned)


def _import_entries(saved: Assessment, a: Assessment, author: str) -> list[Any]:
    """A history entry for each answer that replacing ``saved`` by ``a`` changes."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    changed = sorted(
        item_id
        for item_id in set(saved.answers) | set(a.answers)
        if not _same(saved.answers.get(item_id), a.answers.get(item_id))
    )
    return [
        HistoryEntry(
            item_id=item_id,
            at=now,
            author=author,
            change="import",
            before=saved.answers.get(item_id),
            after=a.answers.get(item_id),
        )
        for item_id in changed
    ]


def _action_entries(saved: Assessment, a: Assessment, author: str) -> list[ActionEntry]:
    """An action-history entry for each planned action that replacing ``saved`` changes."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return [
        ActionEntry(
            item_id=item_id,
            at=now,
            author=author,
            before=saved.actions.get(item_id),
            after=a.actions.get(item_id),
        )
        for item_id in sorted(set(saved.actions) | set(a.actions))
        if not _same(saved.actions.get(item_id), a.actions.get(item_id))
    ]


def _action_rows(a: Assessment, first_revision: int) -> list[dict[str, Any]]:
    return [
        {
            "assessment_id": a.id,
            "item_id": item_id,
            "action": action.model_dump(mode="json", exclude_none=True),
            "revision": n,
            "updated_at": action.updated_at or a.updated_at,
        }
        for n, (item_id, action) in enumerate(sorted(a.actions.items()), start=first_revision)
    ]


def _same(x: Any, y: Any) -> bool:
    if x is None or y is None:
        return x is y
    return x.model_dump(exclude={"updated_at"}) == y.model_dump(exclude={"updated_at"})


def _insert_answers(conn: Connection, a: Assessment, first_revision: int) -> None:
    """Write every answer of ``a``, numbering their revisions from ``first_revision`` (the
    caller has reserved that many on the assessment's counter)."""
    rows = _answer_rows(a, first_revision)
    if rows:
        conn.execute(answers.insert(), rows)


def _answer_rows(a: Assessment, first_revision: int) -> list[dict[str, Any]]:
    return [
        {
            "assessment_id": a.id,
            "item_id": item_id,
            "answer": answer_json(answer),
            "revision": n,
            "updated_at": answer.updated_at or a.updated_at,
        }
        for n, (item_id, answer) in enumerate(sorted(a.answers.items()), start=first_revision)
    ]


def stamp(row: Any) -> tuple[Any, ...]:
    """What changes whenever a saved assessment changes."""
    return (row.version, row.revision_counter, utc(row.updated_at))


def stamps(conn: Connection, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    """The ``stamp`` of each saved assessment with one of these IDs, locking their rows until
    the transaction ends (on PostgreSQL; SQLite's write lock is the whole database): what a
    restore checks cannot change before it writes. Locked in ID order, so two restores at
    once wait for each other rather than deadlock."""
    wanted = (assessments.c.id, assessments.c.version, assessments.c.revision_counter)
    ids = sorted(ids)
    return {
        row.id: stamp(row)
        for start in range(0, len(ids), CHUNK)
        for row in conn.execute(
            sa.select(*wanted, assessments.c.updated_at)
            .where(assessments.c.id.in_(ids[start : start + CHUNK]))
            .order_by(assessments.c.id)
            .with_for_update()
        )
    }


def load_many(
    conn: Connection, ids: list[str], *, with_record: bool = True, parts: tuple[str, ...] = ()
) -> dict[str, tuple[Any, Stored]]:
    """The saved assessments with these IDs (those that exist), each with its row; with their
    drafting record unless ``with_record`` is false (scoring needs only the answers)."""
    found: dict[str, tuple[Any, Stored]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = conn.execute(sa.select(assessments).where(assessments.c.id.in_(chunk))).all()
        by_assessment: dict[str, list[Any]] = {row.id: [] for row in rows}
        for answer_row in conn.execute(
            sa.select(answers).where(answers.c.assessment_id.in_(chunk))
        ):
            by_assessment[answer_row.assessment_id].append(answer_row)
        record = load_record(conn, [row.id for row in rows], parts=parts) if with_record else {}
        planned = load_actions(conn, [row.id for row in rows])
        found |= {
            row.id: (
                row,
                to_stored(row, by_assessment[row.id], record.get(row.id), planned.get(row.id, [])),
            )
            for row in rows
        }
    return found
