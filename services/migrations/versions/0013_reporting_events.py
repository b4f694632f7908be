"""Reporting: the projection keeps a copy of the ledger events it applied, to rebuild a tenant in order.

An event that arrives after a later one of its tenant (a dead letter driven again, a redelivery across
partitions) cannot be applied on top: the projection's block history would differ from the one the
events in order give. The consumer then rebuilds the tenant from these rows, in `sequence` order.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import isolate_tenant_table

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "reporting_events",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("event_name", sa.String(length=200), nullable=False),
        sa.Column("data", json_document, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_events_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "sequence", name="pk_reporting_events"),
    )
    isolate_tenant_table("reporting_events")


def downgrade() -> None:
    op.drop_table("reporting_events")
