"""A training registry starts with fictional data for every role, and a partner training registry."""

from __future__ import annotations

import pytest

from gateway.bootstrap import Platform
from gateway.training.errors import NotTrainingRegistry, PartnerNotTraining
from gateway.training.seed import PEOPLE, seed_training_registry
from services.identity.service_layer import accounts
from tenants.domain.model import Tenant, TenantKind
from tests.conftest import new_tenant_command


def training(platform: Platform) -> Tenant:
    return platform.catalogue.create(new_tenant_command(kind=TenantKind.TRAINING))


def journal(platform: Platform, tenant: Tenant) -> list[str]:
    uow = platform.ledger.uow(platform.ledger_tenant(tenant))
    with uow:
        return [f"{r.payload['type']}:{r.payload['status']}" for r in uow.journal.records()]


def test_a_training_registry_is_seeded_with_people_of_every_role_who_can_sign_in(platform: Platform) -> None:
    tenant = training(platform)
    seed = seed_training_registry(platform, tenant)
    assert set(seed.passwords) == {p.username for p in PEOPLE}
    uow = platform.identity.uow(tenant.id)
    for username, password in seed.passwords.items():
        signed = accounts.sign_in(username, password, None, uow, platform.identity.credentials)
        assert signed.account.username == username


def test_the_seed_has_projects_issuances_accounts_and_an_authorization(platform: Platform) -> None:
    tenant = training(platform)
    seed_training_registry(platform, tenant)
    history = journal(platform, tenant)
    assert history.count("issuance:completed") >= 2
    assert "retirement:completed" in history
    assert "authorization:completed" in history
    views = platform.ledger.views(platform.ledger_tenant(tenant))
    assert views.approach("CA0001") is not None
    assert views.projects({}, 1, 50).total == 2
    holders = {a.holder_id for a in views.accounts({}, 1, 50).items if a.holder_id is not None}
    assert len(holders) >= 3
    assert views.authorizations(None, 1, 50).total == 1


def test_a_partner_training_registry_is_made_with_the_other_side_of_the_approach(platform: Platform) -> None:
    tenant = training(platform)
    seed = seed_training_registry(platform, tenant)
    partner = platform.catalogue.get(seed.partner)
    assert partner.is_training
    assert partner.party != tenant.party
    approach = platform.ledger.views(platform.ledger_tenant(partner)).approach("CA0001")
    assert approach is not None
    assert {tenant.party, partner.party} <= set(approach.participating_parties)
    assert seed.partner_passwords


def test_an_existing_training_registry_can_be_the_partner(platform: Platform) -> None:
    tenant, partner = training(platform), training(platform)
    assert seed_training_registry(platform, tenant, partner).partner == partner.code


def test_a_production_registry_is_never_seeded_nor_a_partner(platform: Platform) -> None:
    production = platform.catalogue.create(new_tenant_command())
    with pytest.raises(NotTrainingRegistry):
        seed_training_registry(platform, production)
    with pytest.raises(PartnerNotTraining):
        seed_training_registry(platform, training(platform), production)
    assert journal(platform, production) == []
