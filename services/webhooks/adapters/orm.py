"""Webhook tables, per tenant: subscriptions (their secrets encrypted), deliveries and each attempt."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, PrimaryKeyConstraint, String, Text, Uuid, text

from services.shared.db.database import tenant_table
from services.shared.db.types import UtcDateTime, json_document

webhook_subscriptions = tenant_table(
    "webhook_subscriptions",
    Column("id", Uuid, nullable=False),
    Column("url", String(500), nullable=False),
    Column("description", String(200), nullable=False),
    Column("event_types", json_document, nullable=False),
    Column("account_ids", json_document),  # null: every event of the registry
    Column("organization_id", Uuid),  # the account holder that owns it; null: the registry's own
    Column("status", String(16), nullable=False),
    Column("secret_encrypted", LargeBinary, nullable=False),
    Column("previous_secret_encrypted", LargeBinary),
    Column("previous_secret_until", UtcDateTime),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_webhook_subscriptions"),
)

webhook_deliveries = tenant_table(
    "webhook_deliveries",
    Column("id", Uuid, nullable=False),  # the webhook-id of every attempt
    Column("subscription_id", Uuid, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),  # since it was made or last replayed
    Column("next_attempt_at", UtcDateTime),
    Column("last_status_code", Integer),
    Column("last_error", String(1000)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_webhook_deliveries"),
    Index("ix_webhook_deliveries_due", "tenant_id", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_pending", "next_attempt_at", postgresql_where=text("status = 'pending'")),
    Index("ix_webhook_deliveries_subscription", "tenant_id", "subscription_id", "created_at"),
)

webhook_attempts = tenant_table(
    "webhook_attempts",
    Column("delivery_id", Uuid, nullable=False),
    Column("number", Integer, nullable=False),
    Column("attempted_at", UtcDateTime, nullable=False),
    Column("status_code", Integer),
    Column("duration_ms", Integer, nullable=False),
    Column("response_excerpt", Text, nullable=False),
    Column("error", String(1000)),
    PrimaryKeyConstraint("tenant_id", "delivery_id", "number", name="pk_webhook_attempts"),
)
