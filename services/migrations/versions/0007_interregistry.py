"""Inter-registry messaging: each tenant's signing key and the pinned public keys of peer registries.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import isolate_tenant_table

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(JSONB(), "postgresql")
utc_time = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "interregistry_keys",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kid", sa.String(length=100), nullable=False),
        sa.Column("registry_id", sa.String(length=5), nullable=False),
        sa.Column("public_jwk", json_document, nullable=False),
        sa.Column("private_jwk_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", utc_time, nullable=False),
        sa.Column("retired_at", utc_time, nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_interregistry_keys_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "kid", name="pk_interregistry_keys"),
    )
    isolate_tenant_table("interregistry_keys")


def downgrade() -> None:
    op.drop_table("interregistry_keys")
