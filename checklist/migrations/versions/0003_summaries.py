"""The figures the saved-work list shows (answered, total, verdict, treaty score), kept per
assessment so that the Start page does not score every saved assessment on every visit.

The table starts empty and is not backfilled here: the figures depend on the checklist and
method the running tool loads, which a migration must not depend on. The store scores an
assessment the first time the list shows it, and again whenever it or the content changed
(each row is stamped with both), so a figure shown is never stale.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summaries",
        sa.Column(
            "assessment_id",
            sa.String(64),
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("content_key", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("answered", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("verdict", sa.String(40), nullable=False),
        sa.Column("treaty_score", sa.Float, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("summaries")
