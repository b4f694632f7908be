"""The journey's tables (migration 0022), and read-only views of the registry's two event logs.

The ledger's events are read from the copy reporting keeps of every one (`reporting_events`), the audited
calls from identity's `audit_events`, and an operator's reset of the registry from `platform_audit_events`:
plain table expressions, so the contexts stay independent.
"""

from sqlalchemy import Column, ForeignKey, Integer, PrimaryKeyConstraint, String, Table, Text, column, table
from sqlalchemy.types import BigInteger, Uuid

from services.shared.db.database import metadata, tenant_table
from services.shared.db.types import UtcDateTime, json_document

journeys = Table(
    "onboarding_journeys",
    metadata,
    Column("training_tenant_id", Uuid, ForeignKey("tenants.id"), primary_key=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("questionnaire_version", Integer),
    Column("answers", json_document, nullable=False),
    Column("assessment_started_at", UtcDateTime),
    Column("deployed_at", UtcDateTime),
    Column("production_tenant_id", Uuid, ForeignKey("tenants.id")),
)

promotions = Table(
    "onboarding_promotions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("training_tenant_id", Uuid, ForeignKey("tenants.id"), nullable=False),
    Column("proposal", json_document, nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("decided_by", String(200)),
    Column("decided_at", UtcDateTime),
    Column("production_tenant_id", Uuid, ForeignKey("tenants.id")),
)

feedback = tenant_table(
    "onboarding_feedback",
    Column("id", Uuid, nullable=False),
    Column("page", String(500), nullable=False),
    Column("step_id", String(100)),
    Column("function", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "id", name="pk_onboarding_feedback"),
)

ledger_events = table(
    "reporting_events",
    column("tenant_id", Uuid),
    column("sequence", BigInteger),
    column("event_name", String),
    column("data", json_document),
)

audited_calls = table(
    "audit_events",
    column("tenant_id", Uuid),
    column("occurred_at", UtcDateTime),
    column("action", String),
    column("target", String),
    column("outcome", String),
    column("status", Integer),
)

operator_calls = table(
    "platform_audit_events",
    column("tenant_code", String),
    column("occurred_at", UtcDateTime),
    column("action", String),
    column("outcome", String),
)

catalogue = table("tenants", column("id", Uuid), column("code", String))
