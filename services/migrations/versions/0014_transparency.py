"""Transparency: each registry's Merkle tree over its journal, as hashes of complete subtrees.

`transparency_nodes` holds node (level, position), written once by the sequencer when its last leaf is
integrated and never changed (append-only for the app role); `transparency_heads` holds how many journal
records the tree has integrated and its root at that size; `transparency_keys` the registry's Ed25519
checkpoint keys, current and retired (the private half encrypted under SECRET_KEY); and
`transparency_checkpoints` every signed checkpoint (docs/transparency.md).

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
    op.create_table(
        "transparency_keys",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("private_key_encrypted", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_transparency_keys_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "key_id", name="pk_transparency_keys"),
    )
    isolate_tenant_table("transparency_keys")
    op.create_table(
        "transparency_checkpoints",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_transparency_checkpoints_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "size", "key_id", name="pk_transparency_checkpoints"),
    )
    isolate_tenant_table("transparency_checkpoints", append_only=True)


def downgrade() -> None:
    op.drop_table("transparency_checkpoints")
    op.drop_table("transparency_keys")
    op.drop_table("transparency_heads")
    op.drop_table("transparency_nodes")
