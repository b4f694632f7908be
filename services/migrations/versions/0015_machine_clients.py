"""Identity: machine clients with their own keys (private_key_jwt) and scopes, and spent one-time proofs.

`oauth_clients` gains the client's public JWKS (a key client has no secret, so `secret_hash` may be
empty), the unit actions and the accounts an administrator limits it to; `spent_proofs` remembers client
assertions and DPoP proofs until they expire, so each works once.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from services.migrations.helpers import grant_platform_table
from services.shared.db.types import json_document

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

CLIENT_COLUMNS = ("public_jwks", "allowed_actions", "allowed_accounts")


def upgrade() -> None:
    with op.batch_alter_table("oauth_clients") as table:
        table.alter_column("secret_hash", existing_type=sa.String(200), nullable=True)
        for name in CLIENT_COLUMNS:
            table.add_column(sa.Column(name, json_document))
    op.create_table(
        "spent_proofs",
        sa.Column("proof_hash", sa.String(64), nullable=False),
        sa.Column("tenant_id", sa.Uuid()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("proof_hash", name="pk_spent_proofs"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_spent_proofs_tenant_id_tenants"),
    )
    grant_platform_table("spent_proofs", "SELECT, INSERT, UPDATE, DELETE")


def downgrade() -> None:
    op.drop_table("spent_proofs")
    with op.batch_alter_table("oauth_clients") as table:
        for name in CLIENT_COLUMNS:
            table.drop_column(name)
        table.alter_column("secret_hash", existing_type=sa.String(200), nullable=False)
