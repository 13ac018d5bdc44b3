"""upload codes of the 承训单位; briefings record the unit that filed them

Revision ID: b1_briefing_codes
Revises: 07d074e11396
Create Date: 2026-11-24 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b1_briefing_codes"
down_revision = "07d074e11396"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unit_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
        sa.UniqueConstraint("institution"),
    )
    # Plain ADD COLUMN and CREATE INDEX: both databases do them in place (no table copy on SQLite).
    op.add_column("briefings", sa.Column("institution", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_briefings_institution"), "briefings", ["institution"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_briefings_institution"), table_name="briefings")
    op.drop_column("briefings", "institution")  # SQLite 3.35+ drops a column in place
    op.drop_table("unit_codes")
