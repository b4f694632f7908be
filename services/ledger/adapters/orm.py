"""The ledger's tables. Every one is tenant-owned: `tenant_id` leads its keys, indexes and foreign keys.

The adapters use these with SQLAlchemy Core (no imperative mappings); migration 0004 creates them.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import Uuid

from services.shared.db.database import tenant_table
from services.shared.db.types import UtcDateTime, json_document


def _fk(name: str, column: str, target: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], name=name)


accounts = tenant_table(
    "ledger_accounts",
    Column("id", Uuid, nullable=False),
    Column("number", String(40), nullable=False),
    Column("type", String(32), nullable=False),
    Column("non_ghg_metric", String(100)),
    Column("name", String(200), nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("holder_id", Uuid),
    Column("status", String(16), nullable=False),
    Column("ndc_year", Integer),
    Column("oimp_purpose", String(100)),
    Column("oimp_action", String(16)),
    Column("external_party", String(3)),
    Column("external_registry_id", String(5)),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_accounts"),
    UniqueConstraint("tenant_id", "number", name="uq_ledger_accounts_tenant_id_number"),
)

approaches = tenant_table(
    "ledger_cooperative_approaches",
    Column("id", String(6), nullable=False),
    Column("name", String(200), nullable=False),
    Column("participating_parties", json_document, nullable=False),
    Column("status", String(16), nullable=False),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_cooperative_approaches"),
)

projects = tenant_table(
    "ledger_projects",
    Column("id", Uuid, nullable=False),
    Column("name", String(300), nullable=False),
    Column("developer", String(300), nullable=False),
    Column("sector", String(200), nullable=False),
    Column("project_type", String(200), nullable=False),
    Column("methodology", String(300), nullable=False),
    Column("status", String(32), nullable=False),
    Column("country", String(3), nullable=False),
    Column("cooperative_approach_id", String(6)),
    Column("developer_id", Uuid),
    Column("locations", json_document, nullable=False),
    Column("links", json_document, nullable=False),
    Column("crediting_periods", json_document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_projects"),
)

issuances = tenant_table(
    "ledger_issuances",
    Column("id", Uuid, nullable=False),
    Column("project_id", Uuid, nullable=False),
    Column("monitoring_start", Date, nullable=False),
    Column("monitoring_end", Date, nullable=False),
    Column("verifier", String(300), nullable=False),
    Column("verified_on", Date, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("quantities", json_document, nullable=False),
    Column("issued", json_document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_issuances"),
    _fk("fk_ledger_issuances_project", "project_id", "ledger_projects"),
)

authorized_entities = tenant_table(
    "ledger_authorized_entities",
    Column("id", Uuid, nullable=False),
    Column("cooperative_approach_id", String(6), nullable=False),
    Column("name", String(300), nullable=False),
    Column("country_of_incorporation", String(3), nullable=False),
    Column("identification_number", String(100), nullable=False),
    Column("authorized_on", Date, nullable=False),
    Column("organization_id", Uuid),
    Column("conditions", Text, nullable=False),
    Column("change_conditions", Text, nullable=False),
    Column("revoked_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_authorized_entities"),
    Index("ix_ledger_authorized_entities_tenant_id_organization_id", "tenant_id", "organization_id"),
)

authorizations = tenant_table(
    "ledger_authorizations",
    Column("id", Uuid, nullable=False),
    Column("reference", String(200), nullable=False),
    Column("versions", json_document, nullable=False),
    Column("consumed", BigInteger, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_authorizations"),
)

transactions = tenant_table(
    "ledger_transactions",
    Column("id", Uuid, nullable=False),
    Column("number", String(40), nullable=False),
    Column("type", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("initiator_id", Uuid, nullable=False),
    Column("proposed_at", UtcDateTime, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("source_account_id", Uuid),
    Column("destination_account_id", Uuid),
    Column("incoming_transfer_id", Uuid),
    Column("approver_id", Uuid),
    Column("execute_after", UtcDateTime),
    Column("executed_at", UtcDateTime),
    Column("reason", Text),
    Column("journal_sequence", BigInteger),
    Column("details", json_document, nullable=False),
    Column("splits", json_document, nullable=False),
    Column("history", json_document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_transactions"),
    UniqueConstraint("tenant_id", "number", name="uq_ledger_transactions_tenant_id_number"),
    UniqueConstraint("tenant_id", "incoming_transfer_id", name="uq_ledger_transactions_tenant_id_incoming"),
    _fk("fk_ledger_transactions_source", "source_account_id", "ledger_accounts"),
    _fk("fk_ledger_transactions_destination", "destination_account_id", "ledger_accounts"),
    Index("ix_ledger_transactions_tenant_id_status_execute_after", "tenant_id", "status", "execute_after"),
)

block_changes = tenant_table(
    "ledger_block_changes",
    Column("transaction_id", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
    Column("block_id", Uuid, nullable=False),
    Column("cooperative_approach_id", String(6), nullable=False),
    Column("registry_id", String(5), nullable=False),
    Column("first_transferring_party", String(3), nullable=False),
    Column("serial_first", BigInteger, nullable=False),
    Column("serial_last", BigInteger, nullable=False),
    Column("vintage", Integer, nullable=False),
    Column("from_account_id", Uuid),
    Column("to_account_id", Uuid, nullable=False),
    Column("state", String(16), nullable=False),
    Column("first_transferred", Boolean, nullable=False),
    PrimaryKeyConstraint("tenant_id", "transaction_id", "position", name="pk_ledger_block_changes"),
    _fk("fk_ledger_block_changes_transaction", "transaction_id", "ledger_transactions"),
    Index("ix_ledger_block_changes_tenant_id_from_account_id", "tenant_id", "from_account_id"),
    Index("ix_ledger_block_changes_tenant_id_to_account_id", "tenant_id", "to_account_id"),
    Index(
        "ix_ledger_block_changes_tenant_id_space_serial",
        "tenant_id",
        "cooperative_approach_id",
        "registry_id",
        "serial_first",
    ),
)

unit_blocks = tenant_table(
    "ledger_unit_blocks",
    Column("id", Uuid, nullable=False),
    Column("cooperative_approach_id", String(6), nullable=False),
    Column("registry_id", String(5), nullable=False),
    Column("first_transferring_party", String(3), nullable=False),
    Column("serial_first", BigInteger, nullable=False),
    Column("serial_last", BigInteger, nullable=False),
    Column("vintage", Integer, nullable=False),
    Column("non_ghg_metric", String(100)),
    Column("unit_type", String(32), nullable=False),
    Column("mitigation_type", String(48), nullable=False),
    Column("project_id", Uuid),
    Column("issuance_id", Uuid),
    Column("authorization_id", Uuid),
    Column("authorization_version", Integer),
    Column("underlying_registry_id", String(100)),
    Column("underlying_first_unit_id", BigInteger),
    Column("account_id", Uuid, nullable=False),
    Column("state", String(16), nullable=False),
    Column("reserved_by", Uuid),
    Column("first_transferred_at", UtcDateTime),
    Column("first_transfer_trigger", String(40)),
    Column("first_transfer_transaction_id", Uuid),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_ledger_unit_blocks"),
    CheckConstraint("1 <= serial_first AND serial_first <= serial_last", name="serial_range"),
    _fk("fk_ledger_unit_blocks_account", "account_id", "ledger_accounts"),
    _fk("fk_ledger_unit_blocks_reserved_by", "reserved_by", "ledger_transactions"),
    _fk("fk_ledger_unit_blocks_authorization", "authorization_id", "ledger_authorizations"),
    Index("ix_ledger_unit_blocks_tenant_id_account_id_serial", "tenant_id", "account_id", "serial_first", "id"),
    Index(
        "ix_ledger_unit_blocks_tenant_id_space_serial",
        "tenant_id",
        "cooperative_approach_id",
        "registry_id",
        "serial_first",
        "id",
    ),
    Index("ix_ledger_unit_blocks_tenant_id_reserved_by", "tenant_id", "reserved_by"),
)

counters = tenant_table(
    "ledger_counters",
    Column("name", String(64), nullable=False),
    Column("next_value", BigInteger, nullable=False),
    PrimaryKeyConstraint("tenant_id", "name", name="pk_ledger_counters"),
)

journal = tenant_table(
    "ledger_journal",
    Column("sequence", BigInteger, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("payload", json_document, nullable=False),
    Column("previous_hash", String(64), nullable=False),
    Column("record_hash", String(64), nullable=False),
    PrimaryKeyConstraint("tenant_id", "sequence", name="pk_ledger_journal"),
    UniqueConstraint("tenant_id", "record_hash", name="uq_ledger_journal_tenant_id_record_hash"),
    append_only=True,
)

journal_heads = tenant_table(
    "ledger_journal_heads",
    Column("sequence", BigInteger, nullable=False),
    Column("record_hash", String(64), nullable=False),
    PrimaryKeyConstraint("tenant_id", name="pk_ledger_journal_heads"),
)

idempotency_keys = tenant_table(
    "ledger_idempotency_keys",
    Column("key", String(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("result", json_document, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "key", name="pk_ledger_idempotency_keys"),
)

controls = tenant_table(
    "ledger_controls",
    Column("subject_id", Uuid, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("number", String(40), nullable=False),
    Column("trusted", json_document, nullable=False),
    Column("limits", json_document, nullable=False),
    Column("freeze", json_document),
    PrimaryKeyConstraint("tenant_id", "subject_id", name="pk_ledger_controls"),
)

ALL_TABLES: tuple[Table, ...] = (
    accounts,
    approaches,
    projects,
    issuances,
    authorized_entities,
    authorizations,
    transactions,
    block_changes,
    unit_blocks,
    counters,
    journal,
    journal_heads,
    idempotency_keys,
    controls,
)
