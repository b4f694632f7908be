"""The outbox of e-mails (migration 0019): one row per event and recipient, kept once sent."""

from sqlalchemy import Column, Index, Integer, PrimaryKeyConstraint, String, Text, UniqueConstraint, text
from sqlalchemy.types import Uuid

from services.shared.db.database import tenant_table
from services.shared.db.types import UtcDateTime

emails = tenant_table(
    "notification_emails",
    Column("id", Uuid, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime),  # None once sent
    Column("sent_at", UtcDateTime),
    Column("last_error", Text),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_notification_emails"),
    UniqueConstraint("tenant_id", "event_id", "recipient", name="uq_notification_emails_event_recipient"),
    Index("ix_notification_emails_due", "tenant_id", "next_attempt_at"),
    Index("ix_notification_emails_unsent", "next_attempt_at", postgresql_where=text("sent_at IS NULL")),
)
