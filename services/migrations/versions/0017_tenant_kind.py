"""A registry's kind: `production` (a country's real accounts) or `training` (where its staff learn).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "tenants",
        sa.Column("kind", sa.String(16), nullable=False, server_default="production"),
    )


def downgrade() -> None:
    op.drop_column("tenants", "kind")
