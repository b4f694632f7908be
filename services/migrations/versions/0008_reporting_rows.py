"""Reporting: each AEF submission version keeps its tables row by row instead of as one JSON document.

The rows of a version are written once, in batches, while the AEF is built, and read back in batches by the
downloads, so neither side holds a whole year in memory. Existing documents are moved into rows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import is_postgres, isolate_tenant_table

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(JSONB(), "postgresql")
ROWS = sa.table(
    "reporting_submission_rows",
    sa.column("tenant_id", sa.Uuid()),
    sa.column("submission_id", sa.Uuid()),
    sa.column("sheet", sa.String()),
    sa.column("row_number", sa.Integer()),
    sa.column("cells", json_document),
)
SUBMISSIONS = sa.table(
    "reporting_submissions",
    sa.column("tenant_id", sa.Uuid()),
    sa.column("id", sa.Uuid()),
    sa.column("tables", json_document),
)
TENANTS = sa.table("tenants", sa.column("id", sa.Uuid()))


def upgrade() -> None:
    op.create_table(
        "reporting_submission_rows",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=False),
        sa.Column("sheet", sa.String(length=40), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("cells", json_document, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_submission_rows_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "submission_id", "sheet", "row_number", name="pk_reporting_submission_rows"
        ),
    )
    isolate_tenant_table("reporting_submission_rows", append_only=True)
    for tenant_id in _tenants():
        _documents_to_rows(tenant_id)
    op.drop_column("reporting_submissions", "tables")


def downgrade() -> None:
    op.add_column("reporting_submissions", sa.Column("tables", json_document, nullable=True))
    for tenant_id in _tenants():
        _rows_to_documents(tenant_id)
    op.drop_table("reporting_submission_rows")


def _tenants() -> list[object]:
    """Row-level security is forced on the owner too: each tenant's rows are moved under its own setting."""
    return list(op.get_bind().execute(sa.select(TENANTS.c.id)).scalars())


def _as_tenant(tenant_id: object) -> None:
    if is_postgres():
        op.get_bind().execute(sa.text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": str(tenant_id)})


def _documents_to_rows(tenant_id: object) -> None:
    _as_tenant(tenant_id)
    bind = op.get_bind()
    found = bind.execute(
        sa.select(SUBMISSIONS.c.id, SUBMISSIONS.c.tables).where(
            SUBMISSIONS.c.tenant_id == tenant_id, SUBMISSIONS.c.tables.is_not(None)
        )
    )
    for submission_id, tables in found.all():
        rows = [
            {"tenant_id": tenant_id, "submission_id": submission_id, "sheet": sheet, "row_number": n, "cells": cells}
            for sheet, sheet_rows in tables.items()
            for n, cells in enumerate(sheet_rows, start=1)
        ]
        if rows:
            bind.execute(sa.insert(ROWS), rows)


def _rows_to_documents(tenant_id: object) -> None:
    _as_tenant(tenant_id)
    bind = op.get_bind()
    found = bind.execute(
        sa.select(ROWS.c.submission_id, ROWS.c.sheet, ROWS.c.cells)
        .where(ROWS.c.tenant_id == tenant_id)
        .order_by(ROWS.c.submission_id, ROWS.c.sheet, ROWS.c.row_number)
    )
    documents: dict[object, dict[str, list[object]]] = {}
    for submission_id, sheet, cells in found:
        documents.setdefault(submission_id, {}).setdefault(sheet, []).append(cells)
    for submission_id, tables in documents.items():
        bind.execute(sa.update(SUBMISSIONS).where(SUBMISSIONS.c.id == submission_id).values(tables=tables))
