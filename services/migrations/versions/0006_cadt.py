"""CAD Trust publishing: a connection per tenant and a sync record per published local record.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import isolate_tenant_table

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(JSONB(), "postgresql")
utc_time = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cadt_connections",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("api_key", sa.String(length=500), nullable=False),
        sa.Column("organization_id", sa.String(length=100), nullable=False),
        sa.Column("data_model_version", sa.String(length=8), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("options", json_document, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("state_detail", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", utc_time, nullable=True),
        sa.Column("picklists", json_document, nullable=True),
        sa.Column("picklists_fetched_at", utc_time, nullable=True),
        sa.Column("updated_at", utc_time, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_cadt_connections_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_cadt_connections"),
    )
    op.create_table(
        "cadt_records",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("local_id", sa.String(length=64), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("data", json_document, nullable=False),
        sa.Column("as_of", sa.BigInteger(), nullable=False),
        sa.Column("cadt_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("problems", json_document, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", utc_time, nullable=True),
        sa.Column("published", json_document, nullable=True),
        sa.Column("meta", json_document, nullable=False),
        sa.Column("updated_at", utc_time, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_cadt_records_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "kind", "local_id", name="pk_cadt_records"),
    )
    for table in ("cadt_connections", "cadt_records"):
        isolate_tenant_table(table)


def downgrade() -> None:
    op.drop_table("cadt_records")
    op.drop_table("cadt_connections")
