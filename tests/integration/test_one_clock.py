"""One clock: the platform's stamps what every context writes, so a test can set the time of all of them."""

import json
from datetime import UTC, datetime

from sqlalchemy import select

from bench.ledger import set_up
from gateway.bootstrap import Platform
from services.events.adapters.orm import outbox
from services.ledger.adapters import tables as ledger_tables
from services.shared.clock import FixedClock
from tenants.service_layer.catalogue import TenantCatalogue
from tests.conftest import new_tenant_command

AT = datetime(2031, 3, 4, 5, 6, 7, tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    """SQLite gives back naive times."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_the_platform_clock_stamps_a_new_registry_its_ledger_rows_and_its_events(platform: Platform) -> None:
    clock = FixedClock(AT)
    timed = Platform(
        settings=platform.settings,
        database=platform.database,
        catalogue=TenantCatalogue(platform.database, clock),
        clock=clock,
    )

    ledger = set_up(timed, new_tenant_command())
    source, sink = ledger.funded(5, "Source"), ledger.account("Sink")
    ledger.transfer(1, source, sink)

    tenant = timed.catalogue.get(ledger.tenant.code)
    with platform.database.transaction(ledger.tenant.id) as session:
        rows = session.execute(select(outbox.c.created_at, outbox.c.payload).where(outbox.c.tenant_id == tenant.id))
        stamps = [(created_at, json.loads(payload)["time"]) for created_at, payload in rows]
        t = ledger_tables.transactions.c
        executed = session.execute(select(t.executed_at).where(t.tenant_id == tenant.id)).scalars().all()
    assert utc(tenant.created_at) == AT
    assert {utc(created_at) for created_at, _ in stamps} == {AT}
    assert {datetime.fromisoformat(time.replace("Z", "+00:00")) for _, time in stamps} == {AT}
    assert {utc(moment) for moment in executed} == {AT}
