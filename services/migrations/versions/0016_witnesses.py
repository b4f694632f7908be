"""Transparency witnesses: registries cosign each other's checkpoints (C2SP tlog-witness, tlog-cosignature).

As a witness, a registry holds its own Ed25519 cosigning keys (`transparency_witness_keys`) and, per log it
witnesses, the log's verifier key and the last checkpoint it cosigned (`transparency_witnessed_logs`). As a
log, it holds its witnesses and the size each last cosigned (`transparency_witnesses`), and every cosignature
it received (`transparency_cosignatures`, append-only). docs/transparency.md, *Witnesses*.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from services.migrations.helpers import isolate_tenant_table

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"))


def upgrade() -> None:
    op.create_table(
        "transparency_witness_keys",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("private_key_encrypted", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        _tenant_fk("transparency_witness_keys"),
        sa.PrimaryKeyConstraint("tenant_id", "key_id", name="pk_transparency_witness_keys"),
    )
    isolate_tenant_table("transparency_witness_keys")
    op.create_table(
        "transparency_witnessed_logs",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("verifier_key", sa.String(length=300), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=True),
        _tenant_fk("transparency_witnessed_logs"),
        sa.PrimaryKeyConstraint("tenant_id", "origin", name="pk_transparency_witnessed_logs"),
    )
    isolate_tenant_table("transparency_witnessed_logs")
    op.create_table(
        "transparency_witnesses",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("verifier_key", sa.String(length=300), nullable=False),
        sa.Column("registry_code", sa.String(length=64), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        _tenant_fk("transparency_witnesses"),
        sa.PrimaryKeyConstraint("tenant_id", "name", name="pk_transparency_witnesses"),
    )
    isolate_tenant_table("transparency_witnesses")
    op.create_table(
        "transparency_cosignatures",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("witness", sa.String(length=200), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        _tenant_fk("transparency_cosignatures"),
        sa.PrimaryKeyConstraint("tenant_id", "size", "witness", name="pk_transparency_cosignatures"),
    )
    isolate_tenant_table("transparency_cosignatures", append_only=True)


def downgrade() -> None:
    for table in (
        "transparency_cosignatures",
        "transparency_witnesses",
        "transparency_witnessed_logs",
        "transparency_witness_keys",
    ):
        op.drop_table(table)
