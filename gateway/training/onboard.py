"""Creating a training registry: the catalogue row, then its seed; a seed that fails withdraws the row."""

from __future__ import annotations

from dataclasses import replace

from gateway.bootstrap import Platform
from gateway.training.partner import check_partner
from gateway.training.seed import TrainingSeed, seed_training_registry
from tenants.domain.model import Tenant, TenantKind
from tenants.service_layer.catalogue import CreateTenant


def find_partner(platform: Platform, code: str | None) -> Tenant | None:
    """The existing training registry the operator chose as partner (TenantNotFound if none has the code)."""
    return check_partner(platform.catalogue.get(code)) if code else None


def create_training_registry(
    platform: Platform, command: CreateTenant, partner_code: str | None = None
) -> tuple[Tenant, TrainingSeed]:
    partner = find_partner(platform, partner_code)
    tenant = platform.catalogue.create(replace(command, kind=TenantKind.TRAINING))
    try:
        return tenant, seed_training_registry(platform, tenant, partner)
    except Exception:
        withdraw(platform, tenant)
        raise


def withdraw(platform: Platform, tenant: Tenant) -> None:
    """A registry whose set-up failed is archived at once, so it is never served."""
    platform.catalogue.change_status(tenant.code, "suspend")
    platform.catalogue.change_status(tenant.code, "archive")
