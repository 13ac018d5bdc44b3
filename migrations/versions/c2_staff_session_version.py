"""staff sessions carry a version: logout and password reset end every session of the account

Revision ID: c2_staff_session_version
Revises: b1_briefing_codes
Create Date: 2026-11-24 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c2_staff_session_version"
down_revision = "b1_briefing_codes"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("staff", sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    op.drop_column("staff", "session_version")
