"""Eight threads take units out of one account at once, through the real service layer on PostgreSQL.

Deadlocks and serialization failures are not retried: every handler takes its locks in the one order
`docs/ledger/model.md` documents (accounts shared, then blocks ascending, then counters, then the journal
head) under READ COMMITTED, so concurrent actions on the same blocks queue behind each other instead of
deadlocking. Should one ever happen it surfaces to the caller as a database error (a 5xx, nothing
changed); this test records every exception that is not a check failure and fails on it.

Demand exceeds supply on purpose, so some requests must fail with LDG-012 (not enough units); which ones
depends on the interleaving, but every assertion below holds for any interleaving.
"""

import itertools
import json
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import RowMapping, Select, func, select

from gateway.bootstrap import Platform
from services.events.adapters.orm import outbox
from services.ledger.adapters import tables
from services.ledger.bootstrap import LedgerTenant
from services.ledger.domain import catalogue, commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.blocks import UnitState
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.journal import verify_chain
from services.ledger.domain.transactions import FINAL_STATUSES, TransactionStatus, TransactionType
from services.ledger.service_layer.results import TransactionResult
from services.shared.messages import Command
from tests.conftest import DatabaseUrls, new_tenant_command, settings_for
from tests.unit.ledger.world import REPRESENTATIVE, World

pytestmark = pytest.mark.postgres

THREADS = 8
ACTIONS_PER_THREAD = 30
QUANTITIES = (3, 5, 7, 9)  # 8 x 30 actions ask for 1,440 units; 1,200 are issued
ISSUED = {2023: 700, 2024: 500}
DESTINATIONS = 3
SET_UP_TRANSACTIONS = len(ISSUED) + 1  # the issuances and the transfer to the source account
UNIT_EVENTS = {
    TransactionType.ISSUANCE.value: "ledger.units.issued.v1",
    TransactionType.TRANSFER_DOMESTIC.value: "ledger.units.transferred.v1",
    TransactionType.RETIREMENT.value: "ledger.units.retired.v1",
    TransactionType.VOLUNTARY_CANCELLATION.value: "ledger.units.cancelled.v1",
}


@dataclass
class Scene:
    tenant: LedgerTenant
    world: World
    source: UUID
    destinations: list[UUID]
    retirement: UUID
    cancellation: UUID


@dataclass
class Outcomes:
    succeeded: list[tuple[UUID, int]] = field(default_factory=list)  # (destination, quantity)
    refused: list[str] = field(default_factory=list)  # check codes
    crashed: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def prepare(platform: Platform) -> Scene:
    """A tenant with its reference data, accounts, and two issued blocks moved to one Party holding."""
    tenant = platform.ledger_tenant(platform.catalogue.create(new_tenant_command()))
    bus = platform.ledger.bus(tenant)
    world = World(bus.registry)
    world.uow, world.bus = bus.uow, bus  # type: ignore[assignment]
    world.approach(parties=frozenset({tenant.party, "CHE"}))
    world.project_id = world.project()
    world.issuance_id = world.issuance(world.project_id, ISSUED)
    world.issuance_account = world.account(AccountType.ISSUANCE)
    source = world.account(AccountType.PARTY_HOLDING, "Government")
    for vintage, quantity in ISSUED.items():
        world.issue(quantity, vintage)
    world.transfer(sum(ISSUED.values()), world.issuance_account, source)
    return Scene(
        tenant,
        world,
        source,
        [
            world.account(AccountType.ENTITY_HOLDING, f"Buyer {n}", holder_id=REPRESENTATIVE)
            for n in range(DESTINATIONS)
        ],
        world.account(AccountType.RETIREMENT),
        world.account(AccountType.VOLUNTARY_CANCELLATION),
    )


def action(scene: Scene, worker: int, step: int) -> tuple[Command, UUID, int]:
    """Mostly transfers to the buyers; every tenth a retirement, every tenth a voluntary cancellation."""
    quantity = QUANTITIES[(worker + step) % len(QUANTITIES)]
    if step % 10 == 3:
        return (
            commands.RetireUnits(
                actor_id=REPRESENTATIVE,
                source_account_id=scene.source,
                retirement_account_id=scene.retirement,
                quantity=quantity,
                beneficiary=f"Beneficiary {worker}",
                reason="Operational emissions",
            ),
            scene.retirement,
            quantity,
        )
    if step % 10 == 7:
        command: Command = commands.CancelUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=scene.source,
            cancellation_account_id=scene.cancellation,
            quantity=quantity,
        )
        return command, scene.cancellation, quantity
    destination = scene.destinations[(worker + step) % DESTINATIONS]
    return (
        commands.TransferUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=scene.source,
            destination_account_id=destination,
            quantity=quantity,
        ),
        destination,
        quantity,
    )


def worker(platform: Platform, scene: Scene, number: int, start: threading.Barrier, outcomes: Outcomes) -> None:
    bus = platform.ledger.bus(scene.tenant)  # one unit of work, so one session, per thread
    start.wait()
    for step in range(ACTIONS_PER_THREAD):
        command, destination, quantity = action(scene, number, step)
        try:
            result = bus.handle(command)
        except CheckFailed as failure:
            with outcomes.lock:
                outcomes.refused.append(failure.code)
        except Exception as error:  # noqa: BLE001 - any other error is what this test looks for
            with outcomes.lock:
                outcomes.crashed.append(error)
        else:
            assert isinstance(result, TransactionResult)
            assert result.status is TransactionStatus.COMPLETED
            with outcomes.lock:
                outcomes.succeeded.append((destination, quantity))


def run_concurrently(platform: Platform, scene: Scene) -> Outcomes:
    outcomes, start = Outcomes(), threading.Barrier(THREADS)
    threads = [
        threading.Thread(target=worker, args=(platform, scene, n, start, outcomes), name=f"ledger-worker-{n}")
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker is stuck: look for a lock wait"
    return outcomes


def table(platform: Platform, tenant_id: UUID, statement: Select[Any]) -> list[RowMapping]:
    with platform.database.transaction(tenant_id) as session:
        return list(session.execute(statement).mappings())


@pytest.fixture(scope="module")
def contended(postgres_urls: DatabaseUrls) -> Iterator[tuple[Platform, Scene, Outcomes]]:
    platform = Platform.from_settings(settings_for(postgres_urls))
    scene = prepare(platform)
    yield platform, scene, run_concurrently(platform, scene)
    platform.close()


def blocks_of(platform: Platform, scene: Scene) -> list[RowMapping]:
    c = tables.unit_blocks.c
    return table(platform, scene.tenant.id, select(tables.unit_blocks).order_by(c.serial_first))


def test_only_missing_units_refuse_a_request(contended: tuple[Platform, Scene, Outcomes]) -> None:
    _, _, outcomes = contended

    assert outcomes.crashed == []
    assert len(outcomes.succeeded) + len(outcomes.refused) == THREADS * ACTIONS_PER_THREAD
    assert outcomes.refused, "demand exceeds supply, so some requests must be refused"
    assert set(outcomes.refused) == {catalogue.QUANTITY_AVAILABLE.code}


def test_what_left_the_source_is_what_the_successful_requests_moved(
    contended: tuple[Platform, Scene, Outcomes],
) -> None:
    platform, scene, outcomes = contended
    held: Counter[UUID] = Counter()
    for block in blocks_of(platform, scene):
        held[block["account_id"]] += block["serial_last"] - block["serial_first"] + 1
    moved: Counter[UUID] = Counter()
    for destination, quantity in outcomes.succeeded:
        moved[destination] += quantity

    assert sum(ISSUED.values()) - held[scene.source] == sum(moved.values())
    assert held[scene.source] < max(QUANTITIES), "a request was refused although enough units were held"
    for account in [*scene.destinations, scene.retirement, scene.cancellation]:
        assert held[account] == moved[account]


def test_every_serial_is_in_exactly_one_block(contended: tuple[Platform, Scene, Outcomes]) -> None:
    platform, scene, _ = contended
    blocks = blocks_of(platform, scene)

    assert {(b["cooperative_approach_id"], b["registry_id"]) for b in blocks} == {("CA0001", scene.tenant.registry_id)}
    assert blocks[0]["serial_first"] == 1
    assert blocks[-1]["serial_last"] == sum(ISSUED.values())
    for before, after in itertools.pairwise(blocks):
        assert after["serial_first"] == before["serial_last"] + 1, f"gap or overlap after {before['id']}"


def test_units_issued_are_held_pending_used_cancelled_or_retired(contended: tuple[Platform, Scene, Outcomes]) -> None:
    platform, scene, outcomes = contended
    t = tables.transactions.c
    [issued] = table(
        platform,
        scene.tenant.id,
        select(func.sum(t.quantity).label("units")).where(
            t.type == TransactionType.ISSUANCE.value, t.status == TransactionStatus.COMPLETED.value
        ),
    )
    by_state: Counter[str] = Counter()
    for block in blocks_of(platform, scene):
        by_state[block["state"]] += block["serial_last"] - block["serial_first"] + 1
    retired = sum(q for account, q in outcomes.succeeded if account == scene.retirement)
    cancelled = sum(q for account, q in outcomes.succeeded if account == scene.cancellation)

    assert issued["units"] == sum(ISSUED.values())
    assert set(by_state) <= {s.value for s in UnitState}
    assert sum(by_state[s.value] for s in UnitState) == issued["units"]
    assert by_state[UnitState.PENDING_OUT.value] == by_state[UnitState.USED.value] == 0
    assert (by_state[UnitState.RETIRED.value], by_state[UnitState.CANCELLED.value]) == (retired, cancelled)


def test_the_journal_has_one_record_per_final_transaction_and_verifies(
    contended: tuple[Platform, Scene, Outcomes],
) -> None:
    platform, scene, outcomes = contended
    with scene.world.uow:
        records = scene.world.uow.journal.records()
    t = tables.transactions.c
    transactions = table(platform, scene.tenant.id, select(t.number, t.status))
    final = [row["number"] for row in transactions if TransactionStatus(row["status"]) in FINAL_STATUSES]

    assert verify_chain(records) is None
    assert [r.sequence for r in records] == list(range(1, len(records) + 1))
    assert sorted(str(r.payload["number"]) for r in records) == sorted(final)
    assert len(final) == len(transactions) == SET_UP_TRANSACTIONS + len(outcomes.succeeded)


def test_the_outbox_has_the_events_of_each_completed_transaction_once(
    contended: tuple[Platform, Scene, Outcomes],
) -> None:
    platform, scene, _ = contended
    events = table(
        platform,
        scene.tenant.id,
        select(outbox.c.event_type, outbox.c.payload).where(outbox.c.tenant_id == scene.tenant.id),
    )
    t = tables.transactions.c
    completed = table(
        platform, scene.tenant.id, select(t.id, t.type).where(t.status == TransactionStatus.COMPLETED.value)
    )
    seen = Counter((row["event_type"], json.loads(row["payload"])["subject"]) for row in events)

    for transaction in completed:
        subject, unit_event = str(transaction["id"]), UNIT_EVENTS[transaction["type"]]
        assert seen[("ledger.transaction.completed.v1", subject)] == 1
        assert seen[(unit_event, subject)] == 1
    assert sum(n for (kind, _), n in seen.items() if kind == "ledger.transaction.completed.v1") == len(completed)
    assert max(seen.values()) == 1
