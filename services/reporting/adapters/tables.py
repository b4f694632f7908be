"""The reporting projection's tables (migration 0005; submission rows 0008; kept events 0012). Every one is
tenant-owned, keyed by natural ids, so replaying the same events writes the same rows."""

from sqlalchemy import BigInteger, Boolean, Column, Date, Integer, PrimaryKeyConstraint, String, Text, UniqueConstraint
from sqlalchemy.types import Uuid

from services.shared.db.database import tenant_table
from services.shared.db.types import UtcDateTime, json_document

BLOCK_COLUMNS = (
    "account_id",
    "state",
    "serial_first",
    "serial_last",
    "first_itmo_id",
    "last_itmo_id",
    "cooperative_approach_id",
    "registry_id",
    "first_transferring_party",
    "vintage",
    "metric",
    "mitigation_type",
    "authorization_id",
    "authorization_version",
    "underlying_registry_id",
    "underlying_first_unit_id",
    "underlying_last_unit_id",
)


def _block_columns() -> list[Column[object]]:
    return [
        Column("account_id", Uuid, nullable=False),
        Column("state", String(16), nullable=False),
        Column("serial_first", BigInteger, nullable=False),
        Column("serial_last", BigInteger, nullable=False),
        Column("first_itmo_id", String(80), nullable=False),
        Column("last_itmo_id", String(80), nullable=False),
        Column("cooperative_approach_id", String(6), nullable=False),
        Column("registry_id", String(5), nullable=False),
        Column("first_transferring_party", String(3), nullable=False),
        Column("vintage", Integer, nullable=False),
        Column("metric", String(100), nullable=False),
        Column("mitigation_type", String(48), nullable=False),
        Column("authorization_id", Uuid),
        Column("authorization_version", Integer),
        Column("underlying_registry_id", String(100)),
        Column("underlying_first_unit_id", BigInteger),
        Column("underlying_last_unit_id", BigInteger),
    ]


accounts = tenant_table(
    "reporting_accounts",
    Column("account_id", Uuid, nullable=False),
    Column("number", String(40), nullable=False),
    Column("account_type", String(32), nullable=False),
    Column("details", json_document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "account_id", name="pk_reporting_accounts"),
)

block_versions = tenant_table(
    "reporting_block_versions",
    Column("block_id", Uuid, nullable=False),
    Column("version", Integer, nullable=False),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_to", UtcDateTime),
    *_block_columns(),
    PrimaryKeyConstraint("tenant_id", "block_id", "version", name="pk_reporting_block_versions"),
)

actions = tenant_table(
    "reporting_actions",
    Column("transaction_number", String(40), nullable=False),
    Column("block_id", Uuid, nullable=False),
    Column("action_type", String(40), nullable=False),
    Column("action_subtype", String(80), nullable=False),
    Column("executed_at", UtcDateTime, nullable=False),
    Column("year", Integer, nullable=False),
    Column("reported", Boolean, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    *[c for c in _block_columns() if c.name not in ("account_id", "state")],
    Column("transferring_party", String(3)),
    Column("acquiring_party", String(3)),
    Column("oimp_purpose", String(100)),
    Column("using_party", String(3)),
    Column("ndc_year", Integer),
    Column("beneficiary", String(200)),
    Column("retirement_reason", Text),
    PrimaryKeyConstraint("tenant_id", "transaction_number", "block_id", "action_type", name="pk_reporting_actions"),
)

journal = tenant_table(
    "reporting_journal",
    Column("sequence", BigInteger, nullable=False),
    Column("transaction_number", String(40), nullable=False),
    Column("transaction_type", String(40), nullable=False),
    Column("status", String(24), nullable=False),
    PrimaryKeyConstraint("tenant_id", "sequence", name="pk_reporting_journal"),
)

authorizations = tenant_table(
    "reporting_authorizations",
    Column("authorization_id", Uuid, nullable=False),
    Column("version", Integer, nullable=False),
    Column("reference", String(100), nullable=False),
    Column("authorizing_party", String(3), nullable=False),
    Column("authorized_on", Date, nullable=False),
    Column("terms", json_document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "authorization_id", "version", name="pk_reporting_authorizations"),
)

entities = tenant_table(
    "reporting_authorized_entities",
    Column("entity_id", Uuid, nullable=False),
    Column("cooperative_approach_id", String(6), nullable=False),
    Column("name", String(200), nullable=False),
    Column("country_of_incorporation", String(3), nullable=False),
    Column("identification_number", String(100), nullable=False),
    Column("authorized_on", Date, nullable=False),
    Column("conditions", Text, nullable=False),
    Column("revoked_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "entity_id", name="pk_reporting_authorized_entities"),
)

approaches = tenant_table(
    "reporting_cooperative_approaches",
    Column("cooperative_approach_id", String(6), nullable=False),
    Column("name", String(200), nullable=False),
    Column("participating_parties", json_document, nullable=False),
    Column("status", String(16), nullable=False),
    PrimaryKeyConstraint("tenant_id", "cooperative_approach_id", name="pk_reporting_cooperative_approaches"),
)

submissions = tenant_table(
    "reporting_submissions",
    Column("id", Uuid, nullable=False),
    Column("year", Integer, nullable=False),
    Column("version", String(10), nullable=False),
    Column("reason", Text),
    Column("requested_by", String(200), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("percent", Integer, nullable=False),
    Column("step", String(200), nullable=False),
    Column("passed", Boolean),
    Column("findings", json_document),
    Column("error", Text),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_reporting_submissions"),
    UniqueConstraint("tenant_id", "year", "version", name="uq_reporting_submissions_tenant_id_year_version"),
)

submission_rows = tenant_table(
    "reporting_submission_rows",
    Column("submission_id", Uuid, nullable=False),
    Column("sheet", String(40), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("cells", json_document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "submission_id", "sheet", "row_number", name="pk_reporting_submission_rows"),
)

events = tenant_table(
    "reporting_events",
    Column("sequence", BigInteger, nullable=False),
    Column("event_name", String(200), nullable=False),
    Column("data", json_document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "sequence", name="pk_reporting_events"),
)

PROJECTION = (actions, block_versions, journal, authorizations, entities, approaches, accounts)
