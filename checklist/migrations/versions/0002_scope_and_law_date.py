"""An assessment's scope and the date of the law assessed.

``scope`` replaces the module list: an assessment that included the "extended" module
(articles 6-10) covers the whole Protocol, any other the article 3 offences. ``law_date``
starts as the assessment's date, which is what a law date left blank means.

``include_modules`` stays: dropping a column on SQLite means rebuilding the table, which with
foreign keys on would delete every answer (ON DELETE CASCADE). The store keeps it filled the
way the previous release reads it.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

assessments = sa.table(
    "assessments",
    sa.column("id", sa.String),
    sa.column("date", sa.Date),
    sa.column("include_modules", sa.JSON),
    sa.column("scope", sa.String),
    sa.column("law_date", sa.Date),
)


def upgrade() -> None:
    op.add_column(
        "assessments",
        sa.Column("scope", sa.String(40), nullable=False, server_default="offences"),
    )
    op.add_column("assessments", sa.Column("law_date", sa.Date, nullable=True))
    op.execute(assessments.update().values(law_date=assessments.c.date))
    conn = op.get_bind()
    rows = conn.execute(sa.select(assessments.c.id, assessments.c.include_modules)).all()
    for row in rows:
        if "extended" in (row.include_modules or []):
            conn.execute(
                assessments.update()
                .where(assessments.c.id == row.id)
                .values(scope="whole-protocol")
            )


def downgrade() -> None:
    # include_modules is kept up to date, so the previous release reads the scope from it.
    op.drop_column("assessments", "law_date")
    op.drop_column("assessments", "scope")
