"""Inter-registry tables, per tenant: signing keys, peer endpoints and the outbound messages to peers.

A key row is either the tenant's own signing key (`private_jwk_encrypted` set, encrypted at rest under a
key derived from SECRET_KEY) or a peer registry's public key, pinned by the tenant's administrator.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, PrimaryKeyConstraint, String, Text, Uuid, text

from services.shared.db.database import tenant_table
from services.shared.db.types import UtcDateTime, json_document

interregistry_keys = tenant_table(
    "interregistry_keys",
    Column("kid", String(100), nullable=False),
    Column("registry_id", String(5), nullable=False),
    Column("public_jwk", json_document, nullable=False),
    Column("private_jwk_encrypted", LargeBinary),
    Column("created_at", UtcDateTime, nullable=False),
    Column("retired_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "kid", name="pk_interregistry_keys"),
)

# Messages pushed over HTTP to registries that are not hosted here; the id is the idempotency key.
interregistry_outbound = tenant_table(
    "interregistry_outbound",
    Column("id", Uuid, nullable=False),
    Column("peer_registry_id", String(5), nullable=False),
    Column("message_type", String(100), nullable=False),
    Column("transfer_id", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", String(1000)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    Column("acknowledgement", Text),
    Column("ack_status", String(16)),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_interregistry_outbound"),
    Index("ix_interregistry_outbound_due", "tenant_id", "status", "next_attempt_at"),
    Index("ix_interregistry_outbound_pending", "next_attempt_at", postgresql_where=text("status = 'pending'")),
)

# Where and how to reach each peer registry; the client secret is encrypted as the signing keys are.
interregistry_endpoints = tenant_table(
    "interregistry_endpoints",
    Column("registry_id", String(5), nullable=False),
    Column("url", String(500), nullable=False),
    Column("token_url", String(500)),
    Column("client_id", String(200)),
    Column("client_secret_encrypted", LargeBinary),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "registry_id", name="pk_interregistry_endpoints"),
)
