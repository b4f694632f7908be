"""Which registries have work due in a delivery queue, in one statement instead of one per registry.

The webhooks, notifications and inter-registry consumers look every few seconds for registries with a
delivery due. Under row-level security the application role sees one registry at a time, so the look cost
a statement per registry and grew with their number even on an idle platform. `tenants_with_due(queue,
due_by)` runs as the owner and answers only the ids of the registries with a row due in one of three
queues, never a row; partial indexes on the pending rows keep it to the rows it answers for. Row-level
security is forced on these tables for the owner too, so a policy lets the owner (who may lift the forcing
at will anyway) read them across registries; the application role's reach is unchanged. SQLite has no
roles; there the partial indexes only.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from alembic import op

from services.migrations.helpers import app_role, is_postgres
from services.shared.db.rls import identifier

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION tenants_with_due(queue text, due_by timestamptz) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF queue = 'webhooks' THEN
        RETURN QUERY SELECT DISTINCT tenant_id FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at <= due_by;
    ELSIF queue = 'notifications' THEN
        RETURN QUERY SELECT DISTINCT tenant_id FROM notification_emails
            WHERE sent_at IS NULL AND next_attempt_at <= due_by;
    ELSIF queue = 'interregistry' THEN
        RETURN QUERY SELECT DISTINCT tenant_id FROM interregistry_outbound
            WHERE status = 'pending' AND next_attempt_at <= due_by;
    ELSE
        RAISE EXCEPTION 'no such delivery queue: %', queue USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$
"""

INDEXES = (
    ("ix_webhook_deliveries_pending", "webhook_deliveries", "status = 'pending'"),
    ("ix_notification_emails_unsent", "notification_emails", "sent_at IS NULL"),
    ("ix_interregistry_outbound_pending", "interregistry_outbound", "status = 'pending'"),
)


def upgrade() -> None:
    for name, table, where in INDEXES:
        op.create_index(name, table, ["next_attempt_at"], postgresql_where=where)
    if not is_postgres():
        return
    for _, table, _ in INDEXES:
        op.execute(f"CREATE POLICY due_lookup ON {identifier(table)} FOR SELECT TO CURRENT_USER USING (true)")
    op.execute(FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION tenants_with_due(text, timestamptz) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION tenants_with_due(text, timestamptz) TO {identifier(app_role())}")


def downgrade() -> None:
    if is_postgres():
        op.execute("DROP FUNCTION tenants_with_due(text, timestamptz)")
        for _, table, _ in INDEXES:
            op.execute(f"DROP POLICY due_lookup ON {identifier(table)}")
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
