"""the 出彩 call as a process: drafts, e-mail confirmation, city review with quotas, roles, mail outbox, audit log

Revision ID: d3_call_workflow
Revises: c2_staff_session_version
Create Date: 2026-11-24 00:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d3_call_workflow"
down_revision = "c2_staff_session_version"
branch_labels = None
depends_on = None

# A draft holds whatever has been typed so far: the typed columns are filled on submission.
DRAFT_NULLABLE = {
    "project_name": sa.Text(), "leader_name": sa.Text(), "leader_title": sa.Text(), "leader_role": sa.Text(),
    "leader_phone": sa.Text(), "name_key": sa.String(200), "phone_key": sa.String(32), "unit": sa.Text(),
    "completion_date": sa.Date(), "goals": sa.Text(), "basis": sa.Text(), "key_work": sa.Boolean(), "plan": sa.Text(),
    "direction_id": sa.String(64), "email_seq": sa.Integer(),
}  # fmt: skip


def upgrade():
    with op.batch_alter_table("applications") as batch:
        batch.drop_constraint("uq_application_leader_phone", type_="unique")
        batch.drop_column("phone_seq")
        for name, type_ in DRAFT_NULLABLE.items():
            batch.alter_column(name, existing_type=type_, nullable=True)
        batch.add_column(sa.Column("form_data", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("level", sa.String(16), nullable=True))
        batch.add_column(sa.Column("city", sa.String(64), nullable=True))
        batch.add_column(sa.Column("county", sa.String(64), nullable=True))
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("submitted_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_applications_city", ["city"])
    # Everything stored before this revision was a complete submission.
    op.execute("UPDATE applications SET confirmed_at = created_at, submitted_at = created_at")
    op.execute("UPDATE applications SET level = CASE WHEN leader_role LIKE '县%' THEN '县区' "
               "WHEN leader_role LIKE '高等学校%' THEN '高校' ELSE '省辖市' END")  # fmt: skip
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="province"))
        batch.add_column(sa.Column("city", sa.String(64), nullable=True))
        batch.add_column(sa.Column("unit", sa.Text(), nullable=True))
    op.create_table(
        "city_quotas",
        sa.Column("call_id", sa.String(64), primary_key=True),
        sa.Column("city", sa.String(64), primary_key=True),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False, server_default="0"),
        sa.CheckConstraint("used >= 0 AND used <= quota", name="ck_city_quota_within"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False, index=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"), nullable=True, index=True),
        sa.Column("detail", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "expert_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("direction_id", sa.String(64), nullable=False),
        sa.UniqueConstraint("staff_id", "direction_id", name="uq_expert_direction"),
    )
    op.create_table(
        "scores",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"), nullable=False, index=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("marks", sa.JSON(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("application_id", "staff_id", name="uq_score_expert"),
    )
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True, index=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=False, server_default=""),
    )


def downgrade():
    op.drop_table("mail_outbox")
    op.drop_table("scores")
    op.drop_table("expert_assignments")
    op.drop_table("audit_events")
    op.drop_table("city_quotas")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("unit")
        batch.drop_column("city")
        batch.drop_column("role")
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_applications_city")
        for name in ("submitted_at", "confirmed_at", "county", "city", "level", "form_data"):
            batch.drop_column(name)
        batch.add_column(sa.Column("phone_seq", sa.Integer(), nullable=False, server_default="1"))
    # Phone + name was part of the one-per-leader key before this revision; each old row gets its own seq.
    op.execute("UPDATE applications SET phone_seq = id")
    with op.batch_alter_table("applications") as batch:
        batch.create_unique_constraint("uq_application_leader_phone", ["call_id", "phone_key", "name_key", "phone_seq"])
