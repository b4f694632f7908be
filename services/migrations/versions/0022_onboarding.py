"""The onboarding journey: per training registry its journey (phase, assessment answers), promotions asked
and decided by two operators, and the feedback its participants leave (docs/onboarding.md).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from services.migrations.helpers import grant_platform_table, isolate_tenant_table

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "onboarding_journeys",
        sa.Column("training_tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id"), primary_key=True),
        sa.Column("started_at", _MOMENT, nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=True),
        sa.Column("answers", _JSON, nullable=False),
        sa.Column("assessment_started_at", _MOMENT, nullable=True),
        sa.Column("deployed_at", _MOMENT, nullable=True),
        sa.Column("production_tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id"), nullable=True),
    )
    grant_platform_table("onboarding_journeys")
    op.create_table(
        "onboarding_promotions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("training_tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("proposal", _JSON, nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requested_at", _MOMENT, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", _MOMENT, nullable=True),
        sa.Column("production_tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id"), nullable=True),
    )
    grant_platform_table("onboarding_promotions")
    op.create_table(
        "onboarding_feedback",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("page", sa.String(500), nullable=False),
        sa.Column("step_id", sa.String(100), nullable=True),
        sa.Column("function", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", _MOMENT, nullable=False),
        sa.Column("resolved_at", _MOMENT, nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_onboarding_feedback_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_onboarding_feedback"),
    )
    isolate_tenant_table("onboarding_feedback")


def downgrade() -> None:
    for table in ("onboarding_feedback", "onboarding_promotions", "onboarding_journeys"):
        op.drop_table(table)
