"""Account protection on a fixed clock, on SQLite and PostgreSQL: every delay, window and limit at its edge,
one second before and one second after (reliability row R9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from bench.ledger import ServiceLedger, set_up
from gateway.platform import Platform
from services.ledger.domain import commands
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.transactions import TransactionStatus
from services.ledger.service_layer import queries
from services.ledger.service_layer.results import BatchResult, RecordResult, TransactionResult
from services.shared.clock import FixedClock
from tenants.service_layer.catalogue import TenantCatalogue
from tests.conftest import new_tenant_command

START = datetime(2031, 3, 3, 10, 0, 0, tzinfo=UTC)  # a Monday
SECOND = timedelta(seconds=1)
HOLDER, OTHER_PERSON, ADMIN, SECOND_ADMIN = (UUID(int=n) for n in (101, 102, 103, 104))
NO_APPROVALS = {"four_eyes": [], "delay_minutes": {}}


@dataclass
class Protected:
    """A registry with protection settings, a funded holding account and a second holding account."""

    ledger: ServiceLedger
    clock: FixedClock
    source: UUID
    destination: UUID

    def do(self, command: Any) -> Any:
        return self.ledger.do(command)

    def transfer(self, quantity: int, destination: UUID | None = None) -> TransactionResult:
        result: TransactionResult = self.do(
            commands.TransferUnits(
                actor_id=HOLDER,
                source_account_id=self.source,
                destination_account_id=destination or self.destination,
                quantity=quantity,
            )
        )
        return result

    def execute_due(self) -> BatchResult:
        result: BatchResult = self.do(commands.ExecuteDueTransactions())
        return result

    def held(self, account: UUID) -> int:
        return queries.holdings(self.ledger.platform.ledger.uow(self.ledger.tenant), account).total

    def trust(self, destination: UUID) -> datetime:
        """Put `destination` on the source's trusted list, approved now; returns when it becomes active."""
        number = self.number(destination)
        entry: RecordResult = self.do(
            commands.ProposeTrustedAccount(actor_id=HOLDER, account_id=self.source, account_number=number)
        )
        self.do(
            commands.ApproveTrustedAccount(
                actor_id=OTHER_PERSON, account_id=self.source, trusted_account_id=UUID(entry.record_id)
            )
        )
        return self.clock.now() + timedelta(days=7)

    def number(self, account: UUID) -> str:
        with self.ledger.platform.ledger.uow(self.ledger.tenant) as uow:
            found = uow.accounts.get_many([account])[account]
        return str(found.number)


def protected_registry(platform: Platform, **protection: Any) -> Protected:
    clock = FixedClock(START)
    timed = Platform(
        settings=platform.settings,
        database=platform.database,
        catalogue=TenantCatalogue(platform.database, clock),
        clock=clock,
    )
    settings = {"approval_policy": NO_APPROVALS, "account_protection": protection}
    ledger = set_up(timed, new_tenant_command(settings=settings))
    source = ledger.funded(1000, "Holder")
    destination = ledger.account("Other holder")
    return Protected(ledger, clock, source, destination)


def refused(action: Any, code: str) -> CheckFailed:
    with pytest.raises(CheckFailed) as failure:
        action()
    assert failure.value.code == code, failure.value
    return failure.value


def test_a_transfer_to_an_untrusted_account_waits_26_hours_to_the_second(platform: Platform) -> None:
    registry = protected_registry(platform)

    pending = registry.transfer(100)

    assert pending.status is TransactionStatus.DELAYED
    assert pending.execute_after == START + timedelta(hours=26)
    registry.clock.set(START + timedelta(hours=26) - SECOND)
    assert registry.execute_due().results == ()
    assert registry.held(registry.destination) == 0
    registry.clock.set(START + timedelta(hours=26) + SECOND)
    [done] = registry.execute_due().results
    assert done.status is TransactionStatus.COMPLETED
    assert (registry.held(registry.source), registry.held(registry.destination)) == (900, 100)


def test_a_trusted_account_is_active_only_from_approval_plus_seven_days(platform: Platform) -> None:
    registry = protected_registry(platform)
    active_from = registry.trust(registry.destination)

    registry.clock.set(active_from - SECOND)
    assert registry.transfer(10).status is TransactionStatus.DELAYED
    registry.clock.set(active_from)
    assert registry.transfer(10).status is TransactionStatus.COMPLETED
    registry.clock.set(active_from + SECOND)
    assert registry.transfer(10).status is TransactionStatus.COMPLETED
    assert registry.held(registry.destination) == 20


def test_a_trusted_account_needs_a_second_person_and_is_removed_at_once(platform: Platform) -> None:
    registry = protected_registry(platform)
    number = registry.number(registry.destination)
    entry = registry.do(
        commands.ProposeTrustedAccount(actor_id=HOLDER, account_id=registry.source, account_number=number)
    )
    entry_id = UUID(entry.record_id)
    approve = commands.ApproveTrustedAccount(actor_id=HOLDER, account_id=registry.source, trusted_account_id=entry_id)

    refused(lambda: registry.do(approve), "LDG-084")
    registry.do(
        commands.ApproveTrustedAccount(actor_id=OTHER_PERSON, account_id=registry.source, trusted_account_id=entry_id)
    )
    registry.clock.advance(timedelta(days=8))
    assert registry.transfer(1).status is TransactionStatus.COMPLETED
    registry.do(commands.RemoveTrustedAccount(actor_id=HOLDER, account_id=registry.source, trusted_account_id=entry_id))
    assert registry.transfer(1).status is TransactionStatus.DELAYED
    refused(
        lambda: registry.do(
            commands.ProposeTrustedAccount(actor_id=HOLDER, account_id=registry.source, account_number="GHA-1-1-1")
        ),
        "LDG-083",
    )


def test_a_cancelled_pending_transfer_leaves_no_trace_in_holdings(platform: Platform) -> None:
    registry = protected_registry(platform)
    before = queries.holdings(registry.ledger.platform.ledger.uow(registry.ledger.tenant), registry.source)
    pending = registry.transfer(400)

    cancelled = registry.do(
        commands.CancelTransaction(actor_id=HOLDER, transaction_id=pending.transaction_id, reason="not me")
    )
    registry.clock.advance(timedelta(days=2))

    assert cancelled.status is TransactionStatus.CANCELLED
    assert registry.execute_due().results == ()
    after = queries.holdings(registry.ledger.platform.ledger.uow(registry.ledger.tenant), registry.source)
    assert after == before
    assert registry.held(registry.destination) == 0
    assert registry.transfer(1000).status is TransactionStatus.DELAYED  # every unit is free to move again


def test_the_limit_per_transfer_is_exact(platform: Platform) -> None:
    registry = protected_registry(platform, limits={"per_transfer": 50})

    assert registry.transfer(50).status is TransactionStatus.DELAYED
    refused(lambda: registry.transfer(51), "LDG-087")
    assert registry.held(registry.source) == 1000


def test_the_rolling_24_hour_quantity_limit_counts_pending_transfers_to_the_second(platform: Platform) -> None:
    registry = protected_registry(platform, limits={"per_24_hours": 100})
    registry.transfer(60)

    registry.clock.set(START + timedelta(hours=24) - SECOND)
    refused(lambda: registry.transfer(41), "LDG-088")
    assert registry.transfer(40).status is TransactionStatus.DELAYED
    registry.clock.set(START + timedelta(hours=24) + SECOND)
    assert registry.transfer(60).status is TransactionStatus.DELAYED  # the first left the window


def test_the_number_of_transfers_per_24_hours_is_exact(platform: Platform) -> None:
    registry = protected_registry(platform)
    registry.do(commands.SetAccountLimits(actor_id=ADMIN, account_id=registry.source, transfers_per_24_hours=2))
    registry.transfer(1)
    registry.transfer(1)

    registry.clock.set(START + timedelta(hours=24) - SECOND)
    refused(lambda: registry.transfer(1), "LDG-089")
    registry.clock.set(START + timedelta(hours=24) + SECOND)
    assert registry.transfer(1).status is TransactionStatus.DELAYED


def test_withdrawn_transfers_do_not_count_against_a_limit(platform: Platform) -> None:
    registry = protected_registry(platform, limits={"per_24_hours": 100})
    pending = registry.transfer(100)
    registry.do(commands.CancelTransaction(actor_id=HOLDER, transaction_id=pending.transaction_id, reason="typo"))

    assert registry.transfer(100).status is TransactionStatus.DELAYED


def test_over_a_limit_a_transfer_is_held_for_release_where_the_registry_says_so(platform: Platform) -> None:
    registry = protected_registry(platform, on_limit="hold", limits={"per_transfer": 50})
    active_from = registry.trust(registry.destination)
    registry.clock.set(active_from)

    held = registry.transfer(80)
    rejected_one = registry.transfer(70)

    assert held.status is TransactionStatus.AWAITING_RELEASE
    assert registry.held(registry.destination) == 0
    released = registry.do(commands.ReleaseTransaction(actor_id=ADMIN, transaction_id=held.transaction_id))
    assert released.status is TransactionStatus.COMPLETED
    rejected = registry.do(
        commands.RejectTransaction(actor_id=ADMIN, transaction_id=rejected_one.transaction_id, reason="too much")
    )
    assert rejected.status is TransactionStatus.REJECTED
    assert (registry.held(registry.source), registry.held(registry.destination)) == (920, 80)
    release_again = commands.ReleaseTransaction(actor_id=ADMIN, transaction_id=held.transaction_id)
    refused(lambda: registry.do(release_again), "LDG-090")


HOURS = {"opens": "09:00", "closes": "17:00", "days": [1, 2, 3, 4, 5]}


def test_movements_out_wait_for_the_registrys_hours_to_the_second(platform: Platform) -> None:
    registry = protected_registry(platform, untrusted_transfer_delay_minutes=0, hours=HOURS)
    monday = START.replace(hour=0)

    registry.clock.set(monday + timedelta(hours=17) - SECOND)
    assert registry.transfer(1).status is TransactionStatus.COMPLETED
    registry.clock.set(monday + timedelta(hours=17))
    late = registry.transfer(1)
    assert late.status is TransactionStatus.DELAYED
    assert late.execute_after == monday + timedelta(days=1, hours=9)
    registry.clock.set(monday + timedelta(days=1, hours=9) - SECOND)
    assert registry.execute_due().results == ()
    registry.clock.set(monday + timedelta(days=1, hours=9) + SECOND)
    assert [r.status for r in registry.execute_due().results] == [TransactionStatus.COMPLETED]


def test_hours_are_read_in_the_registrys_time_zone_and_skip_closed_days(platform: Platform) -> None:
    clock_start = START
    registry = protected_registry(platform, untrusted_transfer_delay_minutes=0, hours=HOURS)
    registry.ledger.tenant = _with_time_zone(registry, "Pacific/Auckland")
    friday_evening = clock_start.replace(hour=0) + timedelta(days=4, hours=4)  # Friday 17:00 in Auckland (UTC+13)

    registry.clock.set(friday_evening - SECOND)
    assert registry.transfer(1).status is TransactionStatus.COMPLETED
    registry.clock.set(friday_evening)
    waiting = registry.transfer(1)
    assert waiting.execute_after == friday_evening + timedelta(days=2, hours=16)  # Monday 09:00 in Auckland


def _with_time_zone(registry: Protected, zone: str) -> Any:
    from dataclasses import replace

    tenant = registry.ledger.tenant
    return replace(tenant, settings={**tenant.settings, "time_zone": zone})


def test_the_untrusted_delay_ending_out_of_hours_waits_for_the_next_opening(platform: Platform) -> None:
    registry = protected_registry(platform, hours=HOURS)  # Monday 10:00 + 26 h is Tuesday 12:00: open
    assert registry.transfer(1).execute_after == START + timedelta(hours=26)
    registry.clock.set(START + timedelta(hours=6))  # Monday 16:00 + 26 h is Tuesday 18:00: closed
    assert registry.transfer(1).execute_after == START.replace(hour=9) + timedelta(days=2)


def test_nothing_moves_out_of_a_frozen_account_and_two_administrators_unfreeze_it(platform: Platform) -> None:
    registry = protected_registry(platform)
    pending = registry.transfer(100)
    registry.do(commands.FreezeAccount(actor_id=ADMIN, account_id=registry.source, reason="phishing reported"))

    refused(lambda: registry.transfer(1), "LDG-080")
    registry.clock.advance(timedelta(hours=27))
    [terminated] = registry.execute_due().results
    assert terminated.status is TransactionStatus.TERMINATED
    assert terminated.reason is not None
    assert terminated.reason.startswith("LDG-080")
    assert registry.held(registry.source) == 1000
    asked = registry.do(commands.UnfreezeAccount(actor_id=ADMIN, account_id=registry.source))
    assert asked.kind == "unfreeze_asked"
    refused(lambda: registry.do(commands.UnfreezeAccount(actor_id=ADMIN, account_id=registry.source)), "LDG-092")
    refused(lambda: registry.transfer(1), "LDG-080")
    lifted = registry.do(commands.UnfreezeAccount(actor_id=SECOND_ADMIN, account_id=registry.source))
    assert lifted.kind == "unfrozen"
    assert registry.transfer(1).status is TransactionStatus.DELAYED
    assert terminated.transaction_id == pending.transaction_id


def test_freezing_an_organization_freezes_every_account_it_holds(platform: Platform) -> None:
    registry = protected_registry(platform)  # bench accounts are held by the bench actor's organization
    held = registry.ledger.platform.ledger.views(registry.ledger.tenant).account(registry.source)
    assert held is not None
    assert held.holder_id is not None
    organization_id = held.holder_id
    freeze = commands.FreezeOrganization(actor_id=ADMIN, organization_id=organization_id, reason="court order")
    registry.do(freeze)

    refused(lambda: registry.transfer(1), "LDG-081")
    refused(lambda: registry.do(freeze), "LDG-093")
    registry.do(commands.UnfreezeOrganization(actor_id=ADMIN, organization_id=organization_id))
    registry.do(commands.UnfreezeOrganization(actor_id=SECOND_ADMIN, organization_id=organization_id))
    assert registry.transfer(1).status is TransactionStatus.DELAYED


def test_the_issuance_account_is_neither_delayed_nor_limited(platform: Platform) -> None:
    registry = protected_registry(platform, limits={"per_transfer": 1})
    assert registry.ledger.pool is not None
    moved = registry.do(
        commands.TransferUnits(
            actor_id=ADMIN, source_account_id=registry.ledger.pool, destination_account_id=registry.source, quantity=5
        )
    )
    assert moved.status is TransactionStatus.COMPLETED


def test_control_changes_and_movements_are_announced_with_the_holding_account(platform: Platform) -> None:
    registry = protected_registry(platform)
    registry.trust(registry.destination)
    pending = registry.transfer(5)
    registry.do(commands.CancelTransaction(actor_id=HOLDER, transaction_id=pending.transaction_id, reason="no"))
    registry.do(commands.FreezeAccount(actor_id=ADMIN, account_id=registry.source, reason="incident"))

    types = _outbox(registry)
    number = registry.number(registry.source)
    for event_type in (
        "ledger.trusted_account.proposed.v1",
        "ledger.trusted_account.approved.v1",
        "ledger.account.frozen.v1",
    ):
        [data] = types[event_type]
        assert (data["account_id"], data["account_number"]) == (str(registry.source), number)
    [approved] = types["ledger.trusted_account.approved.v1"]
    assert approved["active_from"].startswith("2031-03-10T10:00:00")
    for event_type in ("ledger.transaction.delayed.v1", "ledger.transaction.cancelled.v1"):
        assert [d["account_id"] for d in types[event_type]] == [str(registry.source)]
    [delayed] = types["ledger.transaction.delayed.v1"]
    assert delayed["reason"].startswith("LDG-086")


def _outbox(registry: Protected) -> dict[str, list[dict[str, Any]]]:
    import json

    from sqlalchemy import select

    from services.events.adapters.orm import outbox

    found: dict[str, list[dict[str, Any]]] = {}
    with registry.ledger.platform.database.transaction(registry.ledger.tenant.id) as session:
        rows = session.execute(
            select(outbox.c.event_type, outbox.c.payload).where(outbox.c.tenant_id == registry.ledger.tenant.id)
        )
        for event_type, payload in rows:
            found.setdefault(event_type, []).append(json.loads(payload)["data"])
    return found


def test_refused_control_changes_change_nothing(platform: Platform) -> None:
    registry = protected_registry(platform)
    refused(
        lambda: registry.do(commands.SetAccountLimits(actor_id=ADMIN, account_id=registry.source, per_transfer=0)),
        "LDG-094",
    )
    refused(
        lambda: registry.do(commands.FreezeAccount(actor_id=ADMIN, account_id=registry.source, reason=" ")), "LDG-093"
    )
    refused(lambda: registry.do(commands.UnfreezeAccount(actor_id=ADMIN, account_id=registry.source)), "LDG-093")
    pool = registry.ledger.pool
    assert pool is not None
    refused(lambda: registry.do(commands.FreezeAccount(actor_id=ADMIN, account_id=pool, reason="x")), "LDG-005")
    with registry.ledger.platform.ledger.uow(registry.ledger.tenant) as uow:
        assert uow.controls.get(registry.source) is None
