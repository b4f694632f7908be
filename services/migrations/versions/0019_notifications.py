"""Notifications of account holders: the outbox of e-mails, and the devices people sign in from.

`notification_emails` holds one row per event and recipient (unique, so a redelivered event adds none),
with its attempts and next attempt time until it is sent. `identity_devices` holds a hash of each device
cookie a person signed in with. docs/notifications.md, docs/identity.md (New devices).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from services.migrations.helpers import isolate_tenant_table

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"))


def upgrade() -> None:
    op.create_table(
        "notification_emails",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _tenant_fk("notification_emails"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_notification_emails"),
        sa.UniqueConstraint("tenant_id", "event_id", "recipient", name="uq_notification_emails_event_recipient"),
    )
    op.create_index("ix_notification_emails_due", "notification_emails", ["tenant_id", "next_attempt_at"])
    isolate_tenant_table("notification_emails")
    op.create_table(
        "identity_devices",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("device_key", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        _tenant_fk("identity_devices"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_identity_devices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "user_id", "device_key", name="pk_identity_devices"),
    )
    isolate_tenant_table("identity_devices")


def downgrade() -> None:
    op.drop_table("identity_devices")
    op.drop_index("ix_notification_emails_due", table_name="notification_emails")
    op.drop_table("notification_emails")
