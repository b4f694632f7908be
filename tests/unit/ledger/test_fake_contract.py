"""What every ledger unit of work must do; the SQL adapter has to pass the same checks."""

from services.ledger.domain import commands
from services.ledger.domain.blocks import UnitFilter, block_order
from services.ledger.domain.counters import UNIT_SERIALS
from services.ledger.service_layer.results import result_from_data

from .test_blocks import block
from .world import REPRESENTATIVE, World, ghana


def test_leaving_without_commit_changes_nothing() -> None:
    world = ghana()
    before = world.snapshot()

    with world.uow as uow:
        uow.counters.get(UNIT_SERIALS).take(10)
        uow.blocks.add(block(1, 10))

    assert world.state == before


def test_commit_saves_changes_and_the_recorded_events_together() -> None:
    world = ghana()
    outbox = len(world.state.outbox)

    world.issue(10)

    assert len(world.state.blocks) == 1
    assert [e.type for e in world.state.outbox[outbox:]] == [
        "ledger.units.issued.v1",
        "ledger.transaction.completed.v1",
    ]


def test_blocks_for_update_come_in_block_order_and_match_the_filter() -> None:
    world = ghana()
    for vintage in (2024, 2023, 2024):
        world.issue(10, vintage=vintage)

    with world.uow as uow:
        found = uow.blocks.for_update(world.issuance_account, UnitFilter(vintage=2024))

    assert [b.serial_first for b in found] == [1, 21]
    assert found == sorted(found, key=block_order)


def test_tenants_sharing_a_store_never_see_each_other() -> None:
    ghana_ = ghana()
    ghana_.issue(10)
    other = World(store=ghana_.uow.store)

    with other.uow as uow:
        assert uow.blocks.held_by(ghana_.issuance_account) == []
        assert uow.accounts.get(ghana_.issuance_account) is None
        assert uow.journal.last() is None


def test_idempotency_keys_and_journal_sequences_are_unique() -> None:
    world = ghana()
    world.issue(10)
    result = world.do(
        commands.TransferUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=world.issuance_account,
            destination_account_id=world.party_holding,
            quantity=1,
            idempotency_key="x",
        )
    )

    with world.uow as uow:
        last = uow.journal.last()
        stored = uow.idempotency.get("x")
        assert stored is not None
        assert stored.result == result
        assert result_from_data(result.to_data()) == result
        assert last is not None
        assert [r.sequence for r in uow.journal.records()] == list(range(1, last.sequence + 1))
