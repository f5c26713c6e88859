"""Who may do what on a team server: teams, their members with a role each, and each
assessment's grants to a person or a team (checklist.access). New tables only; nothing
existing changes, and a database used locally keeps working without any row in them.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _when_and_by() -> tuple[sa.Column, sa.Column]:
    return (
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(320), nullable=False),
    )


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        *_when_and_by(),
    )
    op.create_table(
        "memberships",
        sa.Column(
            "team_id",
            sa.String(64),
            sa.ForeignKey("teams.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("user_key", sa.String(320), primary_key=True, index=True),
        sa.Column("role", sa.String(20), nullable=False),
        *_when_and_by(),
    )
    op.create_table(
        "assessment_access",
        sa.Column(
            "assessment_id",
            sa.String(64),
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("grantee_kind", sa.String(10), primary_key=True),
        sa.Column("grantee", sa.String(320), primary_key=True, index=True),
        sa.Column("role", sa.String(20), nullable=False),
        *_when_and_by(),
    )


def downgrade() -> None:
    op.drop_table("assessment_access")
    op.drop_table("memberships")
    op.drop_table("teams")
