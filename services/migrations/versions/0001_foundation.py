"""Foundation: tenant catalogue and organizations, with row-level security.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import app_role, grant_platform_table, is_postgres, isolate_tenant_table
from services.shared.db.rls import identifier

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    if is_postgres():
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(f"GRANT USAGE ON SCHEMA public TO {identifier(app_role())}")
    op.create_table(
        "tenants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("party", sa.String(3), nullable=False),
        sa.Column("registry_id", sa.String(5), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("database_url", sa.String(500)),
        sa.Column("settings", json_document, nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_tenants"),
        sa.UniqueConstraint("code", name="uq_tenants_code"),
        sa.UniqueConstraint("registry_id", name="uq_tenants_registry_id"),
    )
    grant_platform_table("tenants")
    op.create_table(
        "organizations",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("identification_number", sa.String(100)),
        sa.Column("email", sa.String(254)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_organizations"),
        sa.UniqueConstraint("id", name="uq_organizations_id"),
        sa.UniqueConstraint("tenant_id", "name", name="uq_organizations_tenant_id_name"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_organizations_tenant_id_tenants"),
    )
    isolate_tenant_table("organizations")


def downgrade() -> None:
    op.drop_table("organizations")
    op.drop_table("tenants")
