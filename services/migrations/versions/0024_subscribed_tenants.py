"""Which registries have a webhook subscription, in one statement per poll instead of a transaction per registry.

The webhooks consumer opened a transaction for every registry of every poll to read its subscriptions, most
of them to find none. `tenants_with_webhook_subscriptions()` runs as the owner and answers only the ids of
the registries with an active subscription, never a row, so the consumer acknowledges the other registries'
events without a transaction (as the CAD Trust consumer does for registries without a connection). Row-level
security is forced on the table for the owner too, so a policy lets the owner read it across registries; the
application role's reach is unchanged. SQLite has no roles and keeps the per-registry look.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

from alembic import op

from services.migrations.helpers import app_role, is_postgres
from services.shared.db.rls import identifier

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION tenants_with_webhook_subscriptions() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT DISTINCT tenant_id FROM webhook_subscriptions WHERE status = 'active'
$$
"""


def upgrade() -> None:
    if not is_postgres():
        return
    op.execute("CREATE POLICY subscribed_lookup ON webhook_subscriptions FOR SELECT TO CURRENT_USER USING (true)")
    op.execute(FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION tenants_with_webhook_subscriptions() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION tenants_with_webhook_subscriptions() TO {identifier(app_role())}")


def downgrade() -> None:
    if is_postgres():
        op.execute("DROP FUNCTION tenants_with_webhook_subscriptions()")
        op.execute("DROP POLICY subscribed_lookup ON webhook_subscriptions")
