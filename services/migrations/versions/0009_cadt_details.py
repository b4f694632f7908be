"""CAD Trust: project details for the v1 child tables, the retry timer's schedule, API keys encrypted at rest.

Existing API keys are encrypted here with the SECRET_KEY the application uses (the SECRET_KEY environment
variable, or the development secret in var/.secret_key). The derivation is repeated, not imported, so
this revision keeps working whatever the application code becomes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

import base64
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import is_postgres, isolate_tenant_table

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

json_document = sa.JSON().with_variant(JSONB(), "postgresql")
utc_time = sa.DateTime(timezone=True)
PURPOSE = b"carbon-registry cadt api key v1"
PREFIX = "fernet:"


def upgrade() -> None:
    with op.batch_alter_table("cadt_connections") as batch:
        batch.alter_column("api_key", type_=sa.Text(), existing_type=sa.String(length=500), existing_nullable=False)
        batch.add_column(sa.Column("retries", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("retry_at", utc_time, nullable=True))
    op.create_table(
        "cadt_project_details",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("details", json_document, nullable=False),
        sa.Column("updated_at", utc_time, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_cadt_project_details_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "project_id", name="pk_cadt_project_details"),
    )
    isolate_tenant_table("cadt_project_details")
    _encrypt_api_keys()


def downgrade() -> None:
    op.drop_table("cadt_project_details")
    with op.batch_alter_table("cadt_connections") as batch:
        batch.drop_column("retry_at")
        batch.drop_column("retries")
    # The keys stay encrypted: a downgraded application cannot read them, so enter them again.


def _secret_key() -> str:
    value = os.environ.get("SECRET_KEY", "")
    development = Path("var/.secret_key")
    if not value and development.exists():
        value = development.read_text().strip()
    if not value:
        raise RuntimeError("set SECRET_KEY (the application's) so the CAD Trust API keys can be encrypted")
    return value


def _encrypt_api_keys() -> None:
    bind = op.get_bind()
    connections = sa.table("cadt_connections", sa.column("tenant_id", sa.Uuid()), sa.column("api_key", sa.Text()))
    tenants = [None] if not is_postgres() else bind.execute(sa.text("SELECT id FROM tenants")).scalars().all()
    fernet: Fernet | None = None
    for tenant_id in tenants:
        if tenant_id is not None:  # row-level security is forced, even for the owner
            bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        for row in bind.execute(sa.select(connections.c.tenant_id, connections.c.api_key)).all():
            if row.api_key.startswith(PREFIX):
                continue
            fernet = fernet or Fernet(base64.urlsafe_b64encode(_derive(_secret_key())))
            token = PREFIX + fernet.encrypt(row.api_key.encode()).decode()
            where = connections.c.tenant_id == row.tenant_id
            bind.execute(sa.update(connections).where(where).values(api_key=token))
    if is_postgres():
        bind.execute(sa.text("SELECT set_config('app.tenant_id', '', true)"))


def _derive(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(secret_key.encode())
