"""Identity: users, operators, OAuth clients, federation, authorization-server state, audit logs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import grant_platform_table, isolate_tenant_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(JSONB(), "postgresql")
ALL = "SELECT, INSERT, UPDATE, DELETE"


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=f"fk_{table}_tenant_id_tenants")


def _login_columns() -> list[sa.Column]:
    return [
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("totp_secret", sa.Text()),
        sa.Column("mfa_enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
    ]


def _audit_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("source_ip", sa.String(64), nullable=False),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("detail", json_document, nullable=False),
    ]


def upgrade() -> None:
    _tenant_tables()
    _platform_tables()


def _tenant_tables() -> None:
    op.create_table(
        "users",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254)),
        sa.Column("roles", json_document, nullable=False),
        sa.Column("organization_id", sa.Uuid()),
        *_login_columns(),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_users"),
        sa.UniqueConstraint("id", name="uq_users_id"),
        sa.UniqueConstraint("tenant_id", "username", name="uq_users_tenant_id_username"),
        _tenant_fk("users"),
    )
    isolate_tenant_table("users")
    op.create_table(
        "oauth_clients",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(200), nullable=False),
        sa.Column("roles", json_document, nullable=False),
        sa.Column("organization_id", sa.Uuid()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "client_id", name="pk_oauth_clients"),
        sa.UniqueConstraint("client_id", name="uq_oauth_clients_client_id"),
        _tenant_fk("oauth_clients"),
    )
    isolate_tenant_table("oauth_clients")
    op.create_table(
        "identity_providers",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("audience", sa.String(500), nullable=False),
        sa.Column("jwks_url", sa.String(500), nullable=False),
        sa.Column("role_claim", sa.String(100), nullable=False),
        sa.Column("role_mapping", json_document, nullable=False),
        sa.Column("algorithms", json_document, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_identity_providers"),
        sa.UniqueConstraint("id", name="uq_identity_providers_id"),
        sa.UniqueConstraint("tenant_id", "issuer", name="uq_identity_providers_tenant_id_issuer"),
        _tenant_fk("identity_providers"),
    )
    isolate_tenant_table("identity_providers")
    op.create_table(
        "audit_events",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        *_audit_columns(),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_audit_events"),
        sa.UniqueConstraint("id", name="uq_audit_events_id"),
        _tenant_fk("audit_events"),
    )
    isolate_tenant_table("audit_events", append_only=True)


def _platform_tables() -> None:
    op.create_table(
        "operators",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        *_login_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_operators"),
        sa.UniqueConstraint("username", name="uq_operators_username"),
    )
    grant_platform_table("operators")
    op.create_table(
        "platform_audit_events",
        *_audit_columns(),
        sa.Column("tenant_code", sa.String(32)),
        sa.PrimaryKeyConstraint("id", name="pk_platform_audit_events"),
    )
    grant_platform_table("platform_audit_events", "SELECT, INSERT")
    op.create_table(
        "authorization_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("tenant_id", sa.Uuid()),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("redirect_uri", sa.String(500), nullable=False),
        sa.Column("scope", sa.String(500), nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=False),
        sa.Column("code_challenge_method", sa.String(10), nullable=False),
        sa.Column("mfa_verified", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code_hash", name="pk_authorization_codes"),
        _tenant_fk("authorization_codes"),
    )
    grant_platform_table("authorization_codes", ALL)
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("tenant_id", sa.Uuid()),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(500), nullable=False),
        sa.Column("mfa_verified", sa.Boolean(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("token_hash", name="pk_refresh_tokens"),
        _tenant_fk("refresh_tokens"),
    )
    grant_platform_table("refresh_tokens", ALL)
    op.create_table(
        "revoked_tokens",
        sa.Column("jti", sa.String(100), nullable=False),
        sa.Column("tenant_id", sa.Uuid()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jti", name="pk_revoked_tokens"),
        _tenant_fk("revoked_tokens"),
    )
    grant_platform_table("revoked_tokens", ALL)
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(100), nullable=False),
        sa.Column("algorithm", sa.String(16), nullable=False),
        sa.Column("public_jwk", json_document, nullable=False),
        sa.Column("private_jwk_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("kid", name="pk_signing_keys"),
    )
    grant_platform_table("signing_keys")


def downgrade() -> None:
    for table in (
        "signing_keys",
        "revoked_tokens",
        "refresh_tokens",
        "authorization_codes",
        "platform_audit_events",
        "operators",
        "audit_events",
        "identity_providers",
        "oauth_clients",
        "users",
    ):
        op.drop_table(table)
