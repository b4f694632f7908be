"""The benchmark's seeded history is a valid one: its journal verifies, the ledger goes on after it, and the
pipeline starts caught up with it. Seeded small here; `bench.http --history` seeds 1,000,000."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from bench.history import seed_history
from bench.ledger import ServiceLedger, set_up
from gateway.bootstrap import Platform
from gateway.bootstrap.consumers import CONSUMERS
from gateway.cli.main import main
from services.events.adapters.inbox import SqlAlchemyInbox
from services.events.adapters.outbox import SqlAlchemyOutboxStore
from tests.conftest import TEST_SECRET, DatabaseUrls, new_tenant_command, settings_for

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("benchmarks")]

TRANSFERS = 2_000


@pytest.fixture
def platform(postgres_urls: DatabaseUrls) -> Iterator[Platform]:
    built = Platform.from_settings(settings_for(postgres_urls))
    yield built
    built.close()


def journal_records(urls: DatabaseUrls, code: str) -> int:
    env = {"DATABASE_URL": urls.app, "DATABASE_OWNER_URL": urls.owner, "SECRET_KEY": TEST_SECRET}
    result = CliRunner().invoke(main, ["journal", "verify", "--registry", code], env=env)
    found = re.fullmatch(r"journal intact: (\d+) records", result.output.strip())
    assert result.exit_code == 0, result.output
    assert found, result.output
    return int(found[1])


def seeded(platform: Platform, urls: DatabaseUrls) -> tuple[ServiceLedger, int]:
    ledger = set_up(platform, new_tenant_command())
    readers = {name: CONSUMERS[name](platform).topics for name in CONSUMERS}
    before = journal_records(urls, ledger.tenant.code)
    history = seed_history(ledger, urls.app, TRANSFERS, readers)
    assert len(history.events) == 2 * (TRANSFERS - 1)  # the template's two are real, for the relay
    ledger.transfer(1, history.source, history.destination)  # the service layer goes on from the seeded head
    return ledger, journal_records(urls, ledger.tenant.code) - before


def test_the_seeded_journal_verifies_and_the_ledger_goes_on_after_it(
    platform: Platform, postgres_urls: DatabaseUrls
) -> None:
    _ledger, added = seeded(platform, postgres_urls)

    assert added == 1 + TRANSFERS + 1  # the source funded, the history, one transfer after it


def test_the_pipeline_starts_caught_up_with_the_seeded_history(platform: Platform, postgres_urls: DatabaseUrls) -> None:
    ledger, _added = seeded(platform, postgres_urls)

    inbox = SqlAlchemyInbox(platform.database)
    for name in CONSUMERS:
        assert inbox.lag_by_tenant(name, CONSUMERS[name](platform).topics).get(ledger.tenant.id, 0) == 0, name
    unpublished = SqlAlchemyOutboxStore(platform.database).pending_by_tenant()[ledger.tenant.id]
    assert 0 < unpublished < 20  # the set-up's and the real transfers' events, for the relay; none seeded
