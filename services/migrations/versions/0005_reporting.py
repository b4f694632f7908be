"""Reporting: the Article 6.2 projection fed by ledger events, and the AEF submissions built from it.

Every table is tenant-owned with row-level security. Submissions keep every version (1.0, 1.1, ...).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import isolate_tenant_table

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(JSONB(), "postgresql")
utc_time = sa.DateTime(timezone=True)

TABLES = (
    "reporting_actions",
    "reporting_block_versions",
    "reporting_journal",
    "reporting_authorizations",
    "reporting_authorized_entities",
    "reporting_cooperative_approaches",
    "reporting_accounts",
    "reporting_submissions",
)


def upgrade() -> None:
    op.create_table(
        "reporting_actions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_number", sa.String(length=40), nullable=False),
        sa.Column("block_id", sa.Uuid(), nullable=False),
        sa.Column("action_type", sa.String(length=40), nullable=False),
        sa.Column("action_subtype", sa.String(length=80), nullable=False),
        sa.Column("executed_at", utc_time, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("reported", sa.Boolean(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("serial_first", sa.BigInteger(), nullable=False),
        sa.Column("serial_last", sa.BigInteger(), nullable=False),
        sa.Column("first_itmo_id", sa.String(length=80), nullable=False),
        sa.Column("last_itmo_id", sa.String(length=80), nullable=False),
        sa.Column("cooperative_approach_id", sa.String(length=6), nullable=False),
        sa.Column("registry_id", sa.String(length=5), nullable=False),
        sa.Column("first_transferring_party", sa.String(length=3), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=100), nullable=False),
        sa.Column("mitigation_type", sa.String(length=48), nullable=False),
        sa.Column("authorization_id", sa.Uuid(), nullable=True),
        sa.Column("authorization_version", sa.Integer(), nullable=True),
        sa.Column("underlying_registry_id", sa.String(length=100), nullable=True),
        sa.Column("underlying_first_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("underlying_last_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("transferring_party", sa.String(length=3), nullable=True),
        sa.Column("acquiring_party", sa.String(length=3), nullable=True),
        sa.Column("oimp_purpose", sa.String(length=100), nullable=True),
        sa.Column("using_party", sa.String(length=3), nullable=True),
        sa.Column("ndc_year", sa.Integer(), nullable=True),
        sa.Column("beneficiary", sa.String(length=200), nullable=True),
        sa.Column("retirement_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_actions_tenant_id_tenants")),
        sa.PrimaryKeyConstraint(
            "tenant_id", "transaction_number", "block_id", "action_type", name="pk_reporting_actions"
        ),
    )
    op.create_table(
        "reporting_block_versions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("block_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", utc_time, nullable=False),
        sa.Column("valid_to", utc_time, nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("serial_first", sa.BigInteger(), nullable=False),
        sa.Column("serial_last", sa.BigInteger(), nullable=False),
        sa.Column("first_itmo_id", sa.String(length=80), nullable=False),
        sa.Column("last_itmo_id", sa.String(length=80), nullable=False),
        sa.Column("cooperative_approach_id", sa.String(length=6), nullable=False),
        sa.Column("registry_id", sa.String(length=5), nullable=False),
        sa.Column("first_transferring_party", sa.String(length=3), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=100), nullable=False),
        sa.Column("mitigation_type", sa.String(length=48), nullable=False),
        sa.Column("authorization_id", sa.Uuid(), nullable=True),
        sa.Column("authorization_version", sa.Integer(), nullable=True),
        sa.Column("underlying_registry_id", sa.String(length=100), nullable=True),
        sa.Column("underlying_first_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("underlying_last_unit_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_block_versions_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "block_id", "version", name="pk_reporting_block_versions"),
    )
    op.create_table(
        "reporting_journal",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("transaction_number", sa.String(length=40), nullable=False),
        sa.Column("transaction_type", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_journal_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "sequence", name="pk_reporting_journal"),
    )
    op.create_table(
        "reporting_authorizations",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("authorization_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("authorizing_party", sa.String(length=3), nullable=False),
        sa.Column("authorized_on", sa.Date(), nullable=False),
        sa.Column("terms", json_document, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_authorizations_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "authorization_id", "version", name="pk_reporting_authorizations"),
    )
    op.create_table(
        "reporting_authorized_entities",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("cooperative_approach_id", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country_of_incorporation", sa.String(length=3), nullable=False),
        sa.Column("identification_number", sa.String(length=100), nullable=False),
        sa.Column("authorized_on", sa.Date(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("revoked_at", utc_time, nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_authorized_entities_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "entity_id", name="pk_reporting_authorized_entities"),
    )
    op.create_table(
        "reporting_cooperative_approaches",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("cooperative_approach_id", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "participating_parties",
            json_document,
            nullable=False,
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_cooperative_approaches_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "cooperative_approach_id", name="pk_reporting_cooperative_approaches"),
    )
    op.create_table(
        "reporting_accounts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("account_type", sa.String(length=32), nullable=False),
        sa.Column("details", json_document, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_accounts_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "account_id", name="pk_reporting_accounts"),
    )
    op.create_table(
        "reporting_submissions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", utc_time, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("findings", json_document, nullable=True),
        sa.Column("tables", json_document, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_submissions_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_reporting_submissions"),
        sa.UniqueConstraint("tenant_id", "year", "version", name="uq_reporting_submissions_tenant_id_year_version"),
    )
    op.create_index("ix_reporting_actions_year", "reporting_actions", ["tenant_id", "year", "executed_at"])
    op.create_index("ix_reporting_block_versions_valid", "reporting_block_versions", ["tenant_id", "valid_to"])
    for table in TABLES:
        isolate_tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
