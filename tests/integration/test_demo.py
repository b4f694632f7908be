"""The demo shows a whole Article 6 deal on first start: people, accounts, an authorization, a first
transfer from demo-host to demo-buyer, its acceptance and a use towards the buyer's NDC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gateway.bootstrap import Platform
from gateway.bootstrap import reporting as context
from gateway.cli.events import build_runtime
from gateway.demo import DEMO_TENANTS, seed_demo
from gateway.demo_data import BUYER_PEOPLE, HOST_PEOPLE
from tenants.domain.model import Tenant
from tests.conftest import settings_for, sqlite_urls
from tests.factories.events import publish_pending_events


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Platform]:
    platform = Platform.from_settings(settings_for(sqlite_urls(tmp_path)))
    seed_demo(platform, "demo-password-for-tests")
    publish_pending_events(platform)
    build_runtime(platform, "reporting").drain()
    yield platform
    platform.close()


def tenant(platform: Platform, index: int) -> Tenant:
    return platform.catalogue.get(DEMO_TENANTS[index].command.code)


def journal(platform: Platform, registry: Tenant) -> list[str]:
    uow = platform.ledger.uow(platform.ledger_tenant(registry))
    with uow:
        return [f"{r.payload['type']}:{r.payload['status']}" for r in uow.journal.records()]


def test_both_demo_registries_have_people_and_the_cooperative_approach(demo: Platform) -> None:
    for index, people in ((0, HOST_PEOPLE), (1, BUYER_PEOPLE)):
        registry = tenant(demo, index)
        users = demo.identity.uow(registry.id)
        with users:
            assert all(users.users.by_username(p.username) is not None for p in people), registry.code
        ledger = demo.ledger.uow(demo.ledger_tenant(registry))
        with ledger:
            approach = ledger.reference.approach("CA0001")
        assert approach is not None
        assert {"GHA", "CHE"} <= set(approach.participating_parties)


def test_the_host_authorizes_and_first_transfers_with_four_eyes_and_the_buyer_acquires_and_uses(
    demo: Platform,
) -> None:
    host, buyer = journal(demo, tenant(demo, 0)), journal(demo, tenant(demo, 1))
    assert "authorization:completed" in host
    assert "first_transfer:completed" in host
    assert "acquisition:completed" in buyer
    assert "use_ndc:completed" in buyer


def test_the_buyers_aef_has_the_acquisition_and_the_use(demo: Platform) -> None:
    buyer = tenant(demo, 1)
    year = datetime.now(UTC).year
    submission = context.request_aef(demo, buyer, year, None, "test")
    context.build_aef(demo, buyer, submission)
    actions = context.store(demo, buyer).tables(submission)["Table 3 Actions"]
    kinds = [row[1] for row in actions]
    assert kinds.count("Acquisition") >= 1
    assert kinds.count("Use") >= 1
