"""A training registry goes back to its seed in one action; a production registry is never reset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from gateway.demo_deal import approved
from gateway.training.errors import NotTrainingRegistry
from gateway.training.reset import KEPT, reset_training_registry
from gateway.training.seed import seed_training_registry
from services.identity.domain.roles import Role
from services.identity.service_layer import accounts
from services.ledger.domain import commands
from services.shared.db.database import tenant_tables
from services.shared.ids import new_id
from tenants.domain.errors import TenantStateConflict
from tenants.domain.model import Tenant, TenantKind
from tests.conftest import DatabaseUrls, fresh_postgres_database, new_tenant_command, settings_for
from tests.integration.transparency.test_public_log import registry as transparency


@pytest.fixture
def postgres_urls(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    """A database of these tests alone: counting every table's rows must not meet other tests' registries."""
    yield from fresh_postgres_database(postgres_server)


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


@pytest.fixture
def platform(app: Flask) -> Platform:
    found: Platform = platform_of(app)
    return found


def counts(platform: Platform, tenant: Tenant) -> dict[str, int]:
    with platform.database.transaction(tenant.id) as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t).where(t.c.tenant_id == tenant.id)) or 0
            for t in tenant_tables()
        }


def journal(platform: Platform, tenant: Tenant) -> list[str]:
    uow = platform.ledger.uow(platform.ledger_tenant(tenant))
    with uow:
        return [f"{r.payload['type']}:{r.payload['status']}" for r in uow.journal.records()]


def practise(platform: Platform, tenant: Tenant) -> None:
    """What trainees do: a transfer, a new user; and the log is sequenced (append-only tables fill)."""
    bus = platform.ledger.bus(platform.ledger_tenant(tenant))
    views = platform.ledger.views(platform.ledger_tenant(tenant))
    holdings = [a.id for a in views.accounts({"type": "entity_holding"}, 1, 10).items]
    approved(bus, new_id(), commands.TransferUnits(
        actor_id=new_id(), source_account_id=holdings[0], destination_account_id=holdings[1], quantity=10
    ))  # fmt: skip
    identity = platform.identity
    command = accounts.CreateUser("made-in-training", "a long enough password", frozenset({Role.AUDITOR}), None)
    accounts.create_user(command, identity.uow(tenant.id), identity.credentials)


def test_a_reset_brings_every_table_back_to_the_seed_and_keeps_the_people(
    database_urls: DatabaseUrls, platform: Platform
) -> None:
    tenant = platform.catalogue.create(new_tenant_command(kind=TenantKind.TRAINING))
    first = seed_training_registry(platform, tenant)
    transparency(database_urls, "sequence", "--registry", tenant.code)
    seeded = counts(platform, tenant)
    practise(platform, tenant)
    transparency(database_urls, "sequence", "--registry", tenant.code)
    assert counts(platform, tenant) != seeded

    again = reset_training_registry(platform, tenant)

    after = counts(platform, tenant)
    assert {t: n for t, n in after.items() if t not in KEPT and n} == {
        t: n for t, n in seeded.items() if t not in KEPT and n and not t.startswith("transparency")
    }
    assert journal(platform, tenant) == journal_of_a_fresh_seed(platform)
    assert again.partner == first.partner
    assert again.passwords == {}  # the seeded people kept their passwords
    uow = platform.identity.uow(tenant.id)
    signed = accounts.sign_in(
        "trainee-admin", first.passwords["trainee-admin"], None, uow, platform.identity.credentials
    )
    assert signed.account.username == "trainee-admin"
    assert platform.catalogue.get(tenant.code).accepts_writes
    transparency(database_urls, "sequence", "--registry", tenant.code)  # the log starts again


def journal_of_a_fresh_seed(platform: Platform) -> list[str]:
    fresh = platform.catalogue.create(new_tenant_command(kind=TenantKind.TRAINING))
    seed_training_registry(platform, fresh)
    return journal(platform, fresh)


def test_a_production_registry_is_never_reset(platform: Platform) -> None:
    production = platform.catalogue.create(new_tenant_command())
    bus = platform.ledger.bus(platform.ledger_tenant(production))
    parties = frozenset({"CHE", production.party})
    bus.handle(commands.RecordCooperativeApproach(
        actor_id=new_id(), cooperative_approach_id="CA0001", name="Real", participating_parties=parties
    ))  # fmt: skip
    before = counts(platform, production)
    with pytest.raises(NotTrainingRegistry):
        reset_training_registry(platform, production)
    assert counts(platform, production) == before


def test_the_database_itself_refuses_to_empty_a_production_registrys_history(postgres_urls: DatabaseUrls) -> None:
    """Below the platform's own check: PostgreSQL's function refuses a production registry."""
    platform = Platform.from_settings(settings_for(postgres_urls))
    try:
        production = platform.catalogue.create(new_tenant_command())
        with (
            pytest.raises(DBAPIError, match="only a training registry is reset"),
            platform.database.transaction(production.id) as session,
        ):
            session.execute(text("SELECT training_reset_delete('ledger_journal')"))
    finally:
        platform.close()


def test_an_archived_training_registry_is_not_reset(platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command(kind=TenantKind.TRAINING))
    seed_training_registry(platform, tenant)
    platform.catalogue.change_status(tenant.code, "suspend")
    archived = platform.catalogue.change_status(tenant.code, "archive")
    before = counts(platform, tenant)
    with pytest.raises(TenantStateConflict):
        reset_training_registry(platform, archived)
    assert counts(platform, tenant) == before
