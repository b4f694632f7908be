"""Transparency: each registry's Merkle tree over its journal, as hashes of complete subtrees.

`transparency_nodes` holds node (level, position), written once by the sequencer when its last leaf is
integrated and never changed (append-only for the app role); `transparency_heads` holds how many journal
records the tree has integrated and its root at that size (docs/transparency.md).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from services.migrations.helpers import isolate_tenant_table

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transparency_nodes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_transparency_nodes_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "level", "position", name="pk_transparency_nodes"),
    )
    isolate_tenant_table("transparency_nodes", append_only=True)
    op.create_table(
        "transparency_heads",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_transparency_heads_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_transparency_heads"),
    )
    isolate_tenant_table("transparency_heads")


def downgrade() -> None:
    op.drop_table("transparency_heads")
    op.drop_table("transparency_nodes")
