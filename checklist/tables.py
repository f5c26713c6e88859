"""The tables of the database: the newest schema.

``checklist.database`` opens the database and brings it to this schema with the Alembic
revisions in ``checklist/migrations/versions/``. A change to a table here needs a revision
there (``tests/test_migrations.py`` checks that the two agree).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("jurisdiction", sa.String(200), nullable=False, default=""),
    sa.Column("assessor", sa.String(200), nullable=False, default=""),
    sa.Column("title", sa.String(300), nullable=False, default=""),
    sa.Column("date", sa.Date, nullable=False),
    # The date of the law assessed; NULL (a row written by an older release) means ``date``.
    sa.Column("law_date", sa.Date, nullable=True),
    sa.Column("checklist_version", sa.String(20), nullable=False, default=""),
    sa.Column("scope", sa.String(40), nullable=False, server_default="offences"),
    # Superseded by scope, kept (see migration 0002) and filled as the previous release reads it.
    sa.Column("include_modules", sa.JSON, nullable=False),
    sa.Column("archived_answers", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # Bumped when the details (jurisdiction, assessor, ...) change: optimistic concurrency.
    sa.Column("version", sa.Integer, nullable=False, default=1),
    # The source of answer revisions: every answer save takes the next number.
    sa.Column("revision_counter", sa.Integer, nullable=False, default=0),
)


def _belongs_to_assessment() -> sa.Column[str]:
    """The key of a row that belongs to one assessment and goes when it is deleted."""
    return sa.Column(
        "assessment_id",
        sa.String(64),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=True,
    )


answers = sa.Table(
    "answers",
    metadata,
    _belongs_to_assessment(),
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("answer", sa.JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Figures the saved-work list shows, derived from an assessment and the content that scored
# it; a row whose stamp (content_key, version, revision) is not the assessment's current one is
# stale and scored again (checklist.summaries).
summaries = sa.Table(
    "summaries",
    metadata,
    _belongs_to_assessment(),
    sa.Column("content_key", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("answered", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("verdict", sa.String(40), nullable=False),
    sa.Column("treaty_score", sa.Float, nullable=True),
)


def _of_assessment() -> sa.Column[str]:
    """The assessment a drafting-record row belongs to (gone with it, and only with it)."""
    return sa.Column(
        "assessment_id",
        sa.String(64),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _record_table(name: str, *columns: sa.Column[Any], of_item: bool = True) -> sa.Table:
    """A table of the drafting record: its order of insertion, the assessment, the item (most
    tables), when and by whom, then its own ``columns``."""
    return sa.Table(
        name,
        metadata,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        _of_assessment(),
        *([sa.Column("item_id", sa.String(200), nullable=False)] if of_item else []),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        *columns,
    )


# The drafting record (checklist.drafting): rows are only ever inserted, never updated or
# deleted (short of deleting the whole assessment). ``seq`` keeps the order of insertion.
answer_history = _record_table(
    "answer_history",
    sa.Column("change", sa.String(20), nullable=False),
    sa.Column("before", sa.JSON, nullable=True),
    sa.Column("after", sa.JSON, nullable=True),
)
review_log = _record_table("review_log", sa.Column("state", sa.String(20), nullable=False))
comments = _record_table("comments", sa.Column("text", sa.Text, nullable=False))
versions = sa.Table(
    "versions",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    _of_assessment(),
    sa.Column("version_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("snapshot", sa.JSON, nullable=False),
    sa.UniqueConstraint("assessment_id", "version_id"),
)
sign_offs = sa.Table(
    "sign_offs",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    _of_assessment(),
    sa.Column("version_id", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)
# The action plan: what is to be done about each gap (one row per item, revised like an
# answer), and every change of it (only ever inserted, like the rest of the record).
actions = sa.Table(
    "actions",
    metadata,
    sa.Column(
        "assessment_id",
        sa.String(64),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("action", sa.JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
action_history = _record_table(
    "action_history",
    sa.Column("before", sa.JSON, nullable=True),
    sa.Column("after", sa.JSON, nullable=True),
)
# Every change of the details (jurisdiction, assessor, title, scope, dates): before and after.
details_history = _record_table(
    "details_history",
    sa.Column("before", sa.JSON, nullable=False),
    sa.Column("after", sa.JSON, nullable=False),
    of_item=False,
)
# Every table of the drafting record, in the order the file format lists them.
DRAFTING = (
    answer_history,
    action_history,
    details_history,
    review_log,
    comments,
    versions,
    sign_offs,
)

# Who may do what on a team server (checklist.access, checklist.teams); empty in local mode.
# A grant gives a role on one assessment to a person ("user": their address) or to a "team".


def _when_and_by() -> tuple[sa.Column[Any], sa.Column[Any]]:
    """When a row was written and by whom (an address): who gave whom access is on record."""
    return (
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(320), nullable=False),
    )


teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    *_when_and_by(),
)
memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column(
        "team_id", sa.String(64), sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("user_key", sa.String(320), primary_key=True, index=True),
    sa.Column("role", sa.String(20), nullable=False),
    *_when_and_by(),
)
assessment_access = sa.Table(
    "assessment_access",
    metadata,
    _belongs_to_assessment(),
    sa.Column("grantee_kind", sa.String(10), primary_key=True),
    sa.Column("grantee", sa.String(320), primary_key=True, index=True),
    sa.Column("role", sa.String(20), nullable=False),
    *_when_and_by(),
)
