"""Identity: the newest accepted one-time code's time step per person, so each code signs in once.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("users", "operators")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("totp_last_step", sa.BigInteger()))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "totp_last_step")
