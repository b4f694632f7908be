"""Ledger: accounts, reference data, authorizations, transactions, unit blocks, counters, journal.

Every table is tenant-owned (row-level security, forced); the journal is append-only for the app role.
On PostgreSQL an exclusion constraint makes two blocks of one serial space that share a serial
impossible. Blocks are never deleted and a split shrinks the old block before the new part is added,
so every block row is live: the constraint covers all of them, whatever their state.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import is_postgres, isolate_tenant_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(JSONB(), "postgresql")
utc_time = sa.DateTime(timezone=True)

TABLES = (
    "ledger_accounts",
    "ledger_cooperative_approaches",
    "ledger_projects",
    "ledger_issuances",
    "ledger_authorized_entities",
    "ledger_authorizations",
    "ledger_transactions",
    "ledger_block_changes",
    "ledger_unit_blocks",
    "ledger_counters",
    "ledger_journal",
    "ledger_journal_heads",
    "ledger_idempotency_keys",
)
NO_OVERLAP = (
    "ALTER TABLE ledger_unit_blocks ADD CONSTRAINT ex_ledger_unit_blocks_no_overlap EXCLUDE USING gist "
    "(tenant_id WITH =, cooperative_approach_id WITH =, registry_id WITH =, "
    "int8range(serial_first, serial_last, '[]') WITH &&)"
)


def upgrade() -> None:
    op.create_table(
        "ledger_accounts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("non_ghg_metric", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("opened_at", utc_time, nullable=False),
        sa.Column("holder_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ndc_year", sa.Integer(), nullable=True),
        sa.Column("oimp_purpose", sa.String(length=100), nullable=True),
        sa.Column("oimp_action", sa.String(length=16), nullable=True),
        sa.Column("external_party", sa.String(length=3), nullable=True),
        sa.Column("external_registry_id", sa.String(length=5), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_accounts_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_accounts"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_ledger_accounts_tenant_id_number"),
    )
    op.create_table(
        "ledger_cooperative_approaches",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("participating_parties", json_document, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_cooperative_approaches_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_cooperative_approaches"),
    )
    op.create_table(
        "ledger_projects",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("developer", sa.String(length=300), nullable=False),
        sa.Column("sector", sa.String(length=200), nullable=False),
        sa.Column("project_type", sa.String(length=200), nullable=False),
        sa.Column("methodology", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("cooperative_approach_id", sa.String(length=6), nullable=True),
        sa.Column("developer_id", sa.Uuid(), nullable=True),
        sa.Column("locations", json_document, nullable=False),
        sa.Column("links", json_document, nullable=False),
        sa.Column("crediting_periods", json_document, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_projects_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_projects"),
    )
    op.create_table(
        "ledger_issuances",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("monitoring_start", sa.Date(), nullable=False),
        sa.Column("monitoring_end", sa.Date(), nullable=False),
        sa.Column("verifier", sa.String(length=300), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("quantities", json_document, nullable=False),
        sa.Column("issued", json_document, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["ledger_projects.tenant_id", "ledger_projects.id"],
            name="fk_ledger_issuances_project",
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_issuances_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_issuances"),
    )
    op.create_table(
        "ledger_authorized_entities",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cooperative_approach_id", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country_of_incorporation", sa.String(length=3), nullable=False),
        sa.Column("identification_number", sa.String(length=100), nullable=False),
        sa.Column("authorized_on", sa.Date(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("change_conditions", sa.Text(), nullable=False),
        sa.Column("revoked_at", utc_time, nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_authorized_entities_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_authorized_entities"),
    )
    op.create_table(
        "ledger_authorizations",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("versions", json_document, nullable=False),
        sa.Column("consumed", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_authorizations_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_authorizations"),
    )
    op.create_table(
        "ledger_transactions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("initiator_id", sa.Uuid(), nullable=False),
        sa.Column("proposed_at", utc_time, nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("source_account_id", sa.Uuid(), nullable=True),
        sa.Column("destination_account_id", sa.Uuid(), nullable=True),
        sa.Column("incoming_transfer_id", sa.Uuid(), nullable=True),
        sa.Column("approver_id", sa.Uuid(), nullable=True),
        sa.Column("execute_after", utc_time, nullable=True),
        sa.Column("executed_at", utc_time, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("journal_sequence", sa.BigInteger(), nullable=True),
        sa.Column("details", json_document, nullable=False),
        sa.Column("splits", json_document, nullable=False),
        sa.Column("history", json_document, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "destination_account_id"],
            ["ledger_accounts.tenant_id", "ledger_accounts.id"],
            name="fk_ledger_transactions_destination",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "source_account_id"],
            ["ledger_accounts.tenant_id", "ledger_accounts.id"],
            name="fk_ledger_transactions_source",
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_transactions_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_transactions"),
        sa.UniqueConstraint("tenant_id", "incoming_transfer_id", name="uq_ledger_transactions_tenant_id_incoming"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_ledger_transactions_tenant_id_number"),
    )
    op.create_table(
        "ledger_block_changes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Uuid(), nullable=False),
        sa.Column("cooperative_approach_id", sa.String(length=6), nullable=False),
        sa.Column("registry_id", sa.String(length=5), nullable=False),
        sa.Column("first_transferring_party", sa.String(length=3), nullable=False),
        sa.Column("serial_first", sa.BigInteger(), nullable=False),
        sa.Column("serial_last", sa.BigInteger(), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=False),
        sa.Column("from_account_id", sa.Uuid(), nullable=True),
        sa.Column("to_account_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("first_transferred", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "transaction_id"],
            ["ledger_transactions.tenant_id", "ledger_transactions.id"],
            name="fk_ledger_block_changes_transaction",
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_block_changes_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "transaction_id", "position", name="pk_ledger_block_changes"),
    )
    op.create_table(
        "ledger_unit_blocks",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cooperative_approach_id", sa.String(length=6), nullable=False),
        sa.Column("registry_id", sa.String(length=5), nullable=False),
        sa.Column("first_transferring_party", sa.String(length=3), nullable=False),
        sa.Column("serial_first", sa.BigInteger(), nullable=False),
        sa.Column("serial_last", sa.BigInteger(), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=False),
        sa.Column("non_ghg_metric", sa.String(length=100), nullable=True),
        sa.Column("unit_type", sa.String(length=32), nullable=False),
        sa.Column("mitigation_type", sa.String(length=48), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("issuance_id", sa.Uuid(), nullable=True),
        sa.Column("authorization_id", sa.Uuid(), nullable=True),
        sa.Column("authorization_version", sa.Integer(), nullable=True),
        sa.Column("underlying_registry_id", sa.String(length=100), nullable=True),
        sa.Column("underlying_first_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reserved_by", sa.Uuid(), nullable=True),
        sa.Column("first_transferred_at", utc_time, nullable=True),
        sa.Column("first_transfer_trigger", sa.String(length=40), nullable=True),
        sa.Column("first_transfer_transaction_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "1 <= serial_first AND serial_first <= serial_last", name=op.f("ck_ledger_unit_blocks_serial_range")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["ledger_accounts.tenant_id", "ledger_accounts.id"],
            name="fk_ledger_unit_blocks_account",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "authorization_id"],
            ["ledger_authorizations.tenant_id", "ledger_authorizations.id"],
            name="fk_ledger_unit_blocks_authorization",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "reserved_by"],
            ["ledger_transactions.tenant_id", "ledger_transactions.id"],
            name="fk_ledger_unit_blocks_reserved_by",
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_unit_blocks_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_unit_blocks"),
    )
    op.create_table(
        "ledger_counters",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_counters_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "name", name="pk_ledger_counters"),
    )
    op.create_table(
        "ledger_journal",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", utc_time, nullable=False),
        sa.Column("payload", json_document, nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_journal_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "sequence", name="pk_ledger_journal"),
        sa.UniqueConstraint("tenant_id", "record_hash", name="uq_ledger_journal_tenant_id_record_hash"),
    )
    op.create_table(
        "ledger_journal_heads",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_journal_heads_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_ledger_journal_heads"),
    )
    op.create_table(
        "ledger_idempotency_keys",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("result", json_document, nullable=False),
        sa.Column("created_at", utc_time, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_idempotency_keys_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "key", name="pk_ledger_idempotency_keys"),
    )
    op.create_index(
        "ix_ledger_authorized_entities_tenant_id_organization_id",
        "ledger_authorized_entities",
        ["tenant_id", "organization_id"],
    )
    op.create_index(
        "ix_ledger_transactions_tenant_id_status_execute_after",
        "ledger_transactions",
        ["tenant_id", "status", "execute_after"],
    )
    op.create_index(
        "ix_ledger_block_changes_tenant_id_from_account_id", "ledger_block_changes", ["tenant_id", "from_account_id"]
    )
    op.create_index(
        "ix_ledger_block_changes_tenant_id_space_serial",
        "ledger_block_changes",
        ["tenant_id", "cooperative_approach_id", "registry_id", "serial_first"],
    )
    op.create_index(
        "ix_ledger_block_changes_tenant_id_to_account_id", "ledger_block_changes", ["tenant_id", "to_account_id"]
    )
    op.create_index(
        "ix_ledger_unit_blocks_tenant_id_account_id_serial",
        "ledger_unit_blocks",
        ["tenant_id", "account_id", "serial_first", "id"],
    )
    op.create_index("ix_ledger_unit_blocks_tenant_id_reserved_by", "ledger_unit_blocks", ["tenant_id", "reserved_by"])
    op.create_index(
        "ix_ledger_unit_blocks_tenant_id_space_serial",
        "ledger_unit_blocks",
        ["tenant_id", "cooperative_approach_id", "registry_id", "serial_first", "id"],
    )

    for table in TABLES:
        isolate_tenant_table(table, append_only=table == "ledger_journal")
    if is_postgres():
        op.execute(NO_OVERLAP)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
