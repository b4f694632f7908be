"""Resetting a training registry: a function that deletes one of its tables' rows, append-only ones too.

The application role may not delete from append-only tables (the journal, the audit log, the transparency
log). `training_reset_delete(table)` runs as the owner and deletes the rows of the tenant bound to the
transaction (`app.tenant_id`) from one tenant table, and only when that tenant is a training registry: a
production registry's append-only history stays out of reach. SQLite has no roles; nothing to do there.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from alembic import op

from services.migrations.helpers import app_role, is_postgres
from services.shared.db.rls import identifier

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION training_reset_delete(target_table text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    tenant uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;  -- rls.TENANT_SETTING
    deleted bigint;
BEGIN
    IF tenant IS NULL OR NOT EXISTS (SELECT 1 FROM tenants WHERE id = tenant AND kind = 'training') THEN
        RAISE EXCEPTION 'only a training registry is reset' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF target_table = 'tenants' OR NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = target_table AND column_name = 'tenant_id'
    ) THEN
        RAISE EXCEPTION 'not a table of a registry: %', target_table USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('DELETE FROM %I WHERE tenant_id = $1', target_table) USING tenant;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$
"""


def upgrade() -> None:
    if not is_postgres():
        return
    op.execute(FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION training_reset_delete(text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION training_reset_delete(text) TO {identifier(app_role())}")


def downgrade() -> None:
    if is_postgres():
        op.execute("DROP FUNCTION training_reset_delete(text)")
