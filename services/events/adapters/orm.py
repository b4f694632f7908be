"""Event plumbing tables. They are platform tables, not tenant data: no endpoint reads them, the relay
reads across tenants, and each row still names its tenant for ordering, lag and audit."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.types import Uuid

from services.shared.db.database import metadata

big_id = BigInteger().with_variant(Integer(), "sqlite")

outbox = Table(
    "outbox",
    metadata,
    Column("id", big_id, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("tenant_id", Uuid, nullable=False),
    Column("topic", String(200), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("message_key", String(100), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Index("ix_outbox_published_at_id", "published_at", "id"),
)

bus_log = Table(
    "bus_log",
    metadata,
    Column("topic", String(200), nullable=False),
    Column("position", big_id, nullable=False),
    Column("message_key", LargeBinary),
    Column("payload", LargeBinary, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("appended_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("topic", "position"),
)

bus_offsets = Table(
    "bus_offsets",
    metadata,
    Column("consumer_group", String(200), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("position", big_id, nullable=False),
    PrimaryKeyConstraint("consumer_group", "topic"),
)

processed_events = Table(
    "processed_events",
    metadata,
    Column("consumer", String(100), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("tenant_id", Uuid, nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("consumer", "event_id"),
)

leases = Table(
    "leases",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("name", "holder"),
)
