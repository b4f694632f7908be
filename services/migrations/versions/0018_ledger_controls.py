"""Account protection: the controls of a holding account (trusted list, limits, freeze) or an organization
(its freeze), one row each. docs/ledger/protection.md.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from services.migrations.helpers import isolate_tenant_table

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "ledger_controls",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("trusted", json_document, nullable=False),
        sa.Column("limits", json_document, nullable=False),
        sa.Column("freeze", json_document, nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_controls_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "subject_id", name="pk_ledger_controls"),
    )
    isolate_tenant_table("ledger_controls")


def downgrade() -> None:
    op.drop_table("ledger_controls")
