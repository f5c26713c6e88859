"""Baseline: the tables as every database had them before migrations (made by create_all).

A database that has these tables but no alembic_version is stamped at this revision, not
run through it.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("jurisdiction", sa.String(200), nullable=False),
        sa.Column("assessor", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("checklist_version", sa.String(20), nullable=False),
        sa.Column("include_modules", sa.JSON, nullable=False),
        sa.Column("archived_answers", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("revision_counter", sa.Integer, nullable=False),
    )
    op.create_table(
        "answers",
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


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_table("assessments")
