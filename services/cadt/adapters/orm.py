"""The publisher's tables: a connection per tenant, a sync record per local record, project details (0006, 0010)."""

from sqlalchemy import Boolean, Column, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.types import BigInteger

from services.shared.db.database import tenant_table
from services.shared.db.types import UtcDateTime, json_document

connections = tenant_table(
    "cadt_connections",
    Column("base_url", String(500), nullable=False),
    Column("api_key", Text, nullable=False),  # Fernet token, see adapters/fernet_secrets.py
    Column("organization_id", String(100), nullable=False),
    Column("data_model_version", String(8), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("options", json_document, nullable=False),
    Column("state", String(16), nullable=False),
    Column("state_detail", Text, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime),
    Column("retries", Integer, nullable=False, default=0),
    Column("retry_at", UtcDateTime),
    Column("picklists", json_document),
    Column("picklists_fetched_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", name="pk_cadt_connections"),
)

records = tenant_table(
    "cadt_records",
    Column("kind", String(16), nullable=False),
    Column("local_id", String(64), nullable=False),
    Column("parent_id", String(64)),
    Column("data", json_document, nullable=False),
    Column("as_of", BigInteger, nullable=False),
    Column("cadt_id", String(64)),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("problems", json_document, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_attempt_at", UtcDateTime),
    Column("published", json_document),
    Column("meta", json_document, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "kind", "local_id", name="pk_cadt_records"),
)

project_details = tenant_table(
    "cadt_project_details",
    Column("project_id", String(64), nullable=False),
    Column("details", json_document, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "project_id", name="pk_cadt_project_details"),
)
