"""The partner training registry a training registry transfers to: chosen by the operator, or made."""

from __future__ import annotations

from collections.abc import Iterable

from gateway.bootstrap import Platform
from gateway.training.errors import PartnerNotTraining
from tenants.domain.model import Tenant, TenantKind
from tenants.service_layer.catalogue import CreateTenant

# Fictional partner Parties, the first that is not the registry's own is taken.
PARTNER_PARTIES = {"CHE": "Switzerland", "SWE": "Sweden", "SGP": "Singapore"}


def ensure_partner(platform: Platform, tenant: Tenant, partner: Tenant | None) -> Tenant:
    return _create_partner(platform, tenant) if partner is None else check_partner(partner, tenant)


def check_partner(partner: Tenant, tenant: Tenant | None = None) -> Tenant:
    if not partner.is_training or (tenant is not None and partner.id == tenant.id):
        raise PartnerNotTraining(f"partner {partner.code} must be another training registry")
    return partner


def partner_code(tenant: Tenant) -> str:
    """The code of the partner made for `tenant` when the operator chose none."""
    return f"{tenant.code[:24]}-partner"


def made_partners(tenants: Iterable[Tenant]) -> set[str]:
    """Codes of the training registries made as another one's partner: they stand for no country. A country's
    own training registry that an operator chose as a partner is not one of them."""
    training = [t for t in tenants if t.is_training]
    return {partner_code(t) for t in training} & {t.code for t in training}


def _create_partner(platform: Platform, tenant: Tenant) -> Tenant:
    code = partner_code(tenant)
    existing = platform.catalogue.find(code)
    if existing is not None:
        return check_partner(existing, tenant)
    party, country = next((p, c) for p, c in PARTNER_PARTIES.items() if p != tenant.party)
    taken = {t.registry_id for t in platform.catalogue.list()}
    registry_id = next(f"{party}{n:02d}" for n in range(99, 0, -1) if f"{party}{n:02d}" not in taken)
    command = CreateTenant(
        code=code,
        party=party,
        registry_id=registry_id,
        name=f"{country} training partner of {tenant.name}",
        settings={"time_zone": "Europe/Zurich", "languages": ["en", "fr", "es"]},
        kind=TenantKind.TRAINING,
    )
    return platform.catalogue.create(command)
