"""How an assessment is kept in the database as rows, and read back.

One assessment is a row of ``assessments`` and a row of ``answers`` per answer. Each answer
row carries a revision drawn from its assessment's ``revision_counter``; the assessment's
``version`` counts changes of its details. The store (``checklist.store``) decides when to
write; this module only says how, for one assessment or thousands at once (a restore writes
every new assessment and every answer with a few statements, not one each).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist.assessment import Answer, Assessment
from checklist.database import answers, assessments

CHUNK = 500  # ids in one IN (...): well under every database's limit on parameters


@dataclass(frozen=True)
class Stored:
    """An assessment as saved, with the revision of each answer and of its details."""

    assessment: Assessment
    revisions: dict[str, int]
    version: int


def utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: every time stored here is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def answer_json(answer: Answer) -> dict[str, Any]:
    return answer.model_dump(mode="json", exclude_none=True)


def to_stored(row: Any, answer_rows: Sequence[Any]) -> Stored:
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
            "created_at": utc(row.created_at),
            "updated_at": utc(row.updated_at),
            "answers": {r.item_id: r.answer for r in answer_rows},
        }
    )
    revisions = {r.item_id: r.revision for r in answer_rows}
    return Stored(assessment, revisions, row.version)


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
                "revision_counter": len(a.answers),
            }
            for a in new
        ],
    )
    rows = [row for a in new for row in _answer_rows(a, first_revision=1)]
    if rows:
        conn.execute(answers.insert(), rows)


def replace(conn: Connection, a: Assessment) -> None:
    row = conn.execute(
        sa.select(assessments.c.revision_counter, assessments.c.version).where(
            assessments.c.id == a.id
        )
    ).first()
    if row is None:
        insert(conn, a)
        return
    counter = row.revision_counter
    conn.execute(
        assessments.update()
        .where(assessments.c.id == a.id)
        .values(
            **columns(a),
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
    """The ``stamp`` of each saved assessment with one of these IDs."""
    wanted = (assessments.c.id, assessments.c.version, assessments.c.revision_counter)
    return {
        row.id: stamp(row)
        for start in range(0, len(ids), CHUNK)
        for row in conn.execute(
            sa.select(*wanted, assessments.c.updated_at).where(
                assessments.c.id.in_(ids[start : start + CHUNK])
            )
        )
    }


def load_many(conn: Connection, ids: list[str]) -> dict[str, tuple[Any, Stored]]:
    """The saved assessments with these IDs (those that exist), each with its row."""
    found: dict[str, tuple[Any, Stored]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = conn.execute(sa.select(assessments).where(assessments.c.id.in_(chunk))).all()
        by_assessment: dict[str, list[Any]] = {row.id: [] for row in rows}
        for answer_row in conn.execute(
            sa.select(answers).where(answers.c.assessment_id.in_(chunk))
        ):
            by_assessment[answer_row.assessment_id].append(answer_row)
        found |= {row.id: (row, to_stored(row, by_assessment[row.id])) for row in rows}
    return found
