"""The drafting record: every change of an answer (who, when, before and after), review
states, comment threads, named versions and their sign-offs.

New tables only; nothing existing is changed, so every saved answer stays as it is. Rows of
these tables are only ever inserted (checklist.drafting). The history of an answer starts
with its first change after this upgrade: what was saved before is the ``before`` of that
first entry.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _seq() -> sa.Column[int]:
    return sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True)


def _of_assessment() -> sa.Column[str]:
    return sa.Column(
        "assessment_id",
        sa.String(64),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _stamp() -> list[sa.Column[object]]:
    return [
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "answer_history",
        _seq(),
        _of_assessment(),
        sa.Column("item_id", sa.String(200), nullable=False),
        *_stamp(),
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
    )
    op.create_table(
        "review_log",
        _seq(),
        _of_assessment(),
        sa.Column("item_id", sa.String(200), nullable=False),
        *_stamp(),
        sa.Column("state", sa.String(20), nullable=False),
    )
    op.create_table(
        "comments",
        _seq(),
        _of_assessment(),
        sa.Column("item_id", sa.String(200), nullable=False),
        *_stamp(),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "versions",
        _seq(),
        _of_assessment(),
        sa.Column("version_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        *_stamp(),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.UniqueConstraint("assessment_id", "version_id"),
    )
    op.create_table(
        "sign_offs",
        _seq(),
        _of_assessment(),
        sa.Column("version_id", sa.String(64), nullable=False),
        *_stamp(),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("sign_offs", "versions", "comments", "review_log", "answer_history"):
        op.drop_table(table)
