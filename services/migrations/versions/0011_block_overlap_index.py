"""The no-overlap exclusion constraint on unit blocks leads with the serial range.

Its first version led with the tenant, approach and registry, which are equal for nearly every block of a
tenant, so each check of a new block version scanned most of the tenant's index entries: updating a
thousand blocks took seconds. Leading with the range makes the check a range search; the equality
columns still scope it to one serial space.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from alembic import op

from services.migrations.helpers import is_postgres

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CONSTRAINT = "ex_ledger_unit_blocks_no_overlap"
RANGE_FIRST = (
    "int8range(serial_first, serial_last, '[]') WITH &&, "
    "tenant_id WITH =, cooperative_approach_id WITH =, registry_id WITH ="
)
TENANT_FIRST = (
    "tenant_id WITH =, cooperative_approach_id WITH =, registry_id WITH =, "
    "int8range(serial_first, serial_last, '[]') WITH &&"
)


def _exclusion(columns: str) -> None:
    if not is_postgres():
        return
    op.execute(f"ALTER TABLE ledger_unit_blocks DROP CONSTRAINT {CONSTRAINT}")
    op.execute(f"ALTER TABLE ledger_unit_blocks ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist ({columns})")


def upgrade() -> None:
    _exclusion(RANGE_FIRST)


def downgrade() -> None:
    _exclusion(TENANT_FIRST)
