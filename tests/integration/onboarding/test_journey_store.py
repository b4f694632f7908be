"""The journey's store on SQLite and PostgreSQL: a journey begins once, whoever asks first."""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.bootstrap import Platform
from services.onboarding.adapters.sql import SqlOnboarding
from services.onboarding.domain.journey import Phase
from tenants.domain.model import TenantKind
from tests.conftest import new_tenant_command

FIRST = datetime(2026, 3, 1, tzinfo=UTC)
LATER = datetime(2026, 3, 2, tzinfo=UTC)


def test_a_journey_begins_once_and_a_later_beginning_finds_the_first(platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command(kind=TenantKind.TRAINING))
    onboarding = SqlOnboarding(platform.database)
    with onboarding.journeys() as store:
        first = store.begin_journey(tenant.id, FIRST)
    with onboarding.journeys() as store:
        again = store.begin_journey(tenant.id, LATER)
        every = store.journeys()
    assert (first.started_at, again.started_at) == (FIRST, FIRST)
    assert (again.phase, again.answers) == (Phase.TRAINING, {})
    assert [j.training_tenant_id for j in every if j.training_tenant_id == tenant.id] == [tenant.id]
