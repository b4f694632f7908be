"""Inter-registry outbound delivery: peer endpoints and the messages pushed to registries not hosted here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from services.migrations.helpers import isolate_tenant_table

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

utc_time = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "interregistry_outbound",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("peer_registry_id", sa.String(length=5), nullable=False),
        sa.Column("message_type", sa.String(length=100), nullable=False),
        sa.Column("transfer_id", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", utc_time, nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("created_at", utc_time, nullable=False),
        sa.Column("delivered_at", utc_time, nullable=True),
        sa.Column("acknowledgement", sa.Text(), nullable=True),
        sa.Column("ack_status", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_interregistry_outbound_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_interregistry_outbound"),
    )
    op.create_index(
        "ix_interregistry_outbound_due", "interregistry_outbound", ["tenant_id", "status", "next_attempt_at"]
    )
    isolate_tenant_table("interregistry_outbound")
    op.create_table(
        "interregistry_endpoints",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("registry_id", sa.String(length=5), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("token_url", sa.String(length=500), nullable=True),
        sa.Column("client_id", sa.String(length=200), nullable=True),
        sa.Column("client_secret_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", utc_time, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_interregistry_endpoints_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "registry_id", name="pk_interregistry_endpoints"),
    )
    isolate_tenant_table("interregistry_endpoints")


def downgrade() -> None:
    op.drop_table("interregistry_endpoints")
    op.drop_index("ix_interregistry_outbound_due", table_name="interregistry_outbound")
    op.drop_table("interregistry_outbound")
