"""Resetting a training registry to its seed, in one action.

Every table of a registry is what the tenant export writes (`tenant_tables()`, in foreign-key order);
the reset deletes their rows, last table first, except the tables that let people sign in and the feedback
they gave (KEPT), plus
the registry's rows in the outbox (events not yet sent are never sent), then seeds it again. Done with
the registry suspended, so no request writes in between; it is resumed once seeded.

On PostgreSQL the rows are deleted through `training_reset_delete` (migration 0021), which refuses any
registry that is not a training one: the application role itself may not delete append-only history.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, text
from sqlalchemy.orm import Session

from gateway.bootstrap import Platform
from gateway.training.errors import NotTrainingRegistry
from gateway.training.seed import TrainingSeed, seed_training_registry
from services.ledger.domain.accounts import AccountType
from services.shared.db.database import metadata, tenant_tables
from tenants.domain.errors import TenantStateConflict
from tenants.domain.model import Tenant, TenantStatus

# People keep their accounts, roles, passwords and second factors, the organizations they act for, their
# machine clients and identity providers: the same staff run the exercise again. What they said of it stays
# too (the onboarding journey's feedback; the journey itself, its answers and promotions are platform rows).
# Everything else goes.
KEPT = frozenset({"users", "organizations", "oauth_clients", "identity_providers", "onboarding_feedback"})


def reset_training_registry(platform: Platform, tenant: Tenant) -> TrainingSeed:
    """Delete the registry's data and seed it again; refused for a production registry."""
    if not tenant.is_training:
        raise NotTrainingRegistry(f"{tenant.code} is a production registry: only a training registry is reset")
    if not tenant.is_served:
        raise TenantStateConflict(f"{tenant.code} is {tenant.status.value}: only a served registry is reset")
    partner = _partner(platform, tenant)
    suspended = tenant.status is TenantStatus.ACTIVE
    if suspended:
        platform.catalogue.change_status(tenant.code, "suspend")
    with platform.database.transaction(tenant.id) as session:
        for table in [*reversed(tenant_tables()), metadata.tables["outbox"]]:
            if table.name not in KEPT:
                _delete_rows(platform, session, tenant, table)
    seed = seed_training_registry(platform, tenant, partner)
    if suspended:
        platform.catalogue.change_status(tenant.code, "resume")
    return seed


def _delete_rows(platform: Platform, session: Session, tenant: Tenant, table: Table) -> None:
    if platform.database.for_tenant(tenant.id).is_postgres:
        session.execute(text("SELECT training_reset_delete(:name)"), {"name": table.name})
    else:
        session.execute(delete(table).where(table.c.tenant_id == tenant.id))


def _partner(platform: Platform, tenant: Tenant) -> Tenant | None:
    """The training registry the seed's external account names, kept as the partner after the reset."""
    views = platform.ledger.views(platform.ledger_tenant(tenant))
    externals = views.accounts({"type": AccountType.EXTERNAL.value}, 1, 100).items
    training = {t.registry_id: t for t in platform.catalogue.list() if t.is_training and t.id != tenant.id}
    return next((training[a.external_registry_id] for a in externals if a.external_registry_id in training), None)
