"""Keys for signed messages with registries that are not hosted here, per tenant.

A row is either the tenant's own signing key (`private_jwk_encrypted` set, encrypted at rest under a
key derived from SECRET_KEY) or a peer registry's public key, pinned by the tenant's administrator.
"""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary, PrimaryKeyConstraint, String

from tenants.adapters.database import tenant_table
from tenants.adapters.types import UtcDateTime, json_document

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
