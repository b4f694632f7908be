from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import Uuid

from services.identity.domain.audit import AuditEntry, PlatformAuditEntry
from services.identity.domain.clients import Client
from services.identity.domain.federation import IdentityProvider
from services.identity.domain.model import Organization, OrganizationKind
from services.identity.domain.tokens import AuthorizationCode, RefreshToken, RevokedToken, SigningKey
from services.identity.domain.users import Operator, User
from services.shared.db.database import mapper_registry, metadata, tenant_table
from services.shared.db.types import UtcDateTime, json_document

organizations = tenant_table(
    "organizations",
    Column("id", Uuid, nullable=False),
    Column("name", String(200), nullable=False),
    Column(
        "kind",
        Enum(OrganizationKind, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e]),
        nullable=False,
    ),
    Column("country", String(3), nullable=False),
    Column("identification_number", String(100)),
    Column("email", String(254)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("id"),
    UniqueConstraint("tenant_id", "name"),
)


def _login_columns() -> list[Column[Any]]:
    return [
        Column("password_hash", String(200), nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("failed_logins", Integer, nullable=False, default=0),
        Column("locked_until", UtcDateTime()),
        Column("totp_secret", Text),
        Column("mfa_enabled", Boolean, nullable=False, default=False),
        Column("totp_last_step", BigInteger),
        Column("disabled", Boolean, nullable=False, default=False),
    ]


users = tenant_table(
    "users",
    Column("id", Uuid, nullable=False),
    Column("username", String(100), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("email", String(254)),
    Column("roles", json_document, nullable=False),
    Column("organization_id", Uuid),
    *_login_columns(),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("id"),
    UniqueConstraint("tenant_id", "username"),
)

# Devices people signed in from (docs/identity.md, New devices); Core only, no mapped class.
devices = tenant_table(
    "identity_devices",
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("device_key", String(64), nullable=False),
    Column("description", String(200), nullable=False),
    Column("first_seen", UtcDateTime(), nullable=False),
    Column("last_seen", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("tenant_id", "user_id", "device_key", name="pk_identity_devices"),
)

operators = Table(
    "operators",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    *_login_columns(),
)

oauth_clients = tenant_table(
    "oauth_clients",
    Column("client_id", String(100), nullable=False),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(200)),
    Column("roles", json_document, nullable=False),
    Column("organization_id", Uuid),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("public_jwks", json_document),
    Column("allowed_actions", json_document),
    Column("allowed_accounts", json_document),
    PrimaryKeyConstraint("tenant_id", "client_id"),
    UniqueConstraint("client_id"),
)

identity_providers = tenant_table(
    "identity_providers",
    Column("id", Uuid, nullable=False),
    Column("issuer", String(500), nullable=False),
    Column("audience", String(500), nullable=False),
    Column("jwks_url", String(500), nullable=False),
    Column("role_claim", String(100), nullable=False),
    Column("role_mapping", json_document, nullable=False),
    Column("algorithms", json_document, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("id"),
    UniqueConstraint("tenant_id", "issuer"),
)


def _audit_columns() -> list[Column[Any]]:
    return [
        Column("id", Uuid, nullable=False),
        Column("occurred_at", UtcDateTime(), nullable=False),
        Column("actor", String(200), nullable=False),
        Column("action", String(200), nullable=False),
        Column("target", String(500), nullable=False),
        Column("outcome", String(16), nullable=False),
        Column("status", Integer, nullable=False),
        Column("source_ip", String(64), nullable=False),
        Column("client_id", String(100), nullable=False),
        Column("request_id", String(64), nullable=False),
        Column("detail", json_document, nullable=False),
    ]


audit_events = tenant_table(
    "audit_events", *_audit_columns(), PrimaryKeyConstraint("tenant_id", "id"), UniqueConstraint("id"), append_only=True
)

platform_audit_events = Table(
    "platform_audit_events",
    metadata,
    *_audit_columns(),
    Column("tenant_code", String(32)),
    PrimaryKeyConstraint("id"),
)

# Authorization-server state is platform-wide: a row names its tenant (none for the operators' realm),
# and every lookup is by a hash of a long random secret, checked against the realm that asks.
authorization_codes = Table(
    "authorization_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id")),
    Column("client_id", String(100), nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("redirect_uri", String(500), nullable=False),
    Column("scope", String(500), nullable=False),
    Column("code_challenge", String(128), nullable=False),
    Column("code_challenge_method", String(10), nullable=False),
    Column("mfa_verified", Boolean, nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id")),
    Column("client_id", String(100), nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("scope", String(500), nullable=False),
    Column("mfa_verified", Boolean, nullable=False),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime()),
)

revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("jti", String(100), primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id")),
    Column("expires_at", UtcDateTime(), nullable=False),
)

# One-time proofs already presented (client assertions, DPoP proofs), by a hash of who made them and their
# jti, kept until they expire: a second presentation finds the row and is refused as a replay.
spent_proofs = Table(
    "spent_proofs",
    metadata,
    Column("proof_hash", String(64), primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id")),
    Column("expires_at", UtcDateTime(), nullable=False),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(100), primary_key=True),
    Column("algorithm", String(16), nullable=False),
    Column("public_jwk", json_document, nullable=False),
    Column("private_jwk_encrypted", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("retired_at", UtcDateTime()),
)

_MAPPINGS: tuple[tuple[type, Table], ...] = (
    (Organization, organizations),
    (User, users),
    (Operator, operators),
    (Client, oauth_clients),
    (IdentityProvider, identity_providers),
    (AuditEntry, audit_events),
    (PlatformAuditEntry, platform_audit_events),
    (AuthorizationCode, authorization_codes),
    (RefreshToken, refresh_tokens),
    (RevokedToken, revoked_tokens),
    (SigningKey, signing_keys),
)


def start_mappers() -> None:
    mapped = {m.class_ for m in mapper_registry.mappers}
    for cls, table in _MAPPINGS:
        if cls not in mapped:
            mapper_registry.map_imperatively(cls, table)
