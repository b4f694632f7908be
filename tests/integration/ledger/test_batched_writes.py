"""The SQL unit of work's round trips: a transfer costs the same statements whatever the number of blocks it
moves, takes the transaction counter and the journal head with one statement each, and takes them only
after its own rows are written."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import event, func, select

from bench.ledger import ACTOR, ServiceLedger, set_up
from gateway.bootstrap import Platform
from services.ledger.adapters import tables as ledger_tables
from services.ledger.domain.commands import TransferUnits
from services.ledger.domain.journal import verify_chain
from services.shared.db import bulk
from services.shared.db.statements import PsycopgStatements
from tests.conftest import new_tenant_command


@contextmanager
def statements(platform: Platform) -> Iterator[list[str]]:
    """The SQL the ledger sends meanwhile, through SQLAlchemy or psycopg's pipelines (an executemany counts once)."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    engine = platform.ledger.database.engine
    event.listen(engine, "before_cursor_execute", record)
    PsycopgStatements.observers.append(sent.append)
    try:
        yield sent
    finally:
        PsycopgStatements.observers.remove(sent.append)
        event.remove(engine, "before_cursor_execute", record)


def fragmented(ledger: ServiceLedger, blocks: int) -> UUID:
    """An account holding `blocks` one-unit blocks."""
    whole, account = ledger.funded(blocks, f"Whole {blocks}"), ledger.account(f"Fragments {blocks}")
    for _ in range(blocks):
        ledger.transfer(1, whole, account)
    return account


def test_moving_many_blocks_takes_the_statements_moving_few_takes(platform: Platform) -> None:
    ledger = set_up(platform, new_tenant_command())
    few, many, sink = fragmented(ledger, 2), fragmented(ledger, 12), ledger.account("Sink")

    with statements(platform) as moving_few:
        ledger.transfer(2, few, sink)
    with statements(platform) as moving_many:
        ledger.transfer(12, many, sink)

    assert len(moving_many) == len(moving_few)
    with platform.database.transaction(ledger.tenant.id) as session:
        blocks = ledger_tables.unit_blocks.c
        held = session.execute(select(func.count()).where(blocks.account_id == sink)).scalar()
        changes = ledger_tables.block_changes.c
        moved = session.execute(select(func.count()).where(changes.to_account_id == sink)).scalar()
    assert (held, moved) == (14, 14)
    uow = platform.ledger.uow(ledger.tenant)
    with uow:
        assert verify_chain(uow.journal.records(), uow.journal.head()[1]) is None


def test_a_transfer_takes_the_counter_and_the_journal_head_in_one_statement_each(platform: Platform) -> None:
    ledger = set_up(platform, new_tenant_command())
    source, sink = ledger.funded(5, "Source"), ledger.account("Sink")

    with statements(platform) as sent:
        ledger.transfer(1, source, sink)

    def touching(table: str) -> list[str]:
        return [s.split()[0].upper() for s in sent if f" {table} " in f" {s} ".replace("\n", " ")]

    assert touching("ledger_counters") == ["INSERT"]  # lock (or create), take and write: one upsert
    assert touching("ledger_journal_heads") == ["INSERT", "UPDATE"]
    assert touching("ledger_journal") == ["INSERT"]  # no read of the last record: the head holds its hash


TENANT_WIDE = ("ledger_counters", "ledger_journal_heads")  # every transaction of the tenant locks these
OWN_ROWS = ("ledger_unit_blocks", "ledger_block_changes", "ledger_transactions")


def test_a_transfer_writes_its_own_rows_before_it_locks_the_tenant_wide_rows(platform: Platform) -> None:
    ledger = set_up(platform, new_tenant_command())
    source, sink = ledger.funded(5, "Source"), ledger.account("Sink")

    with statements(platform) as sent:
        transfer = TransferUnits(actor_id=ACTOR, source_account_id=source, destination_account_id=sink, quantity=1)
        result = ledger.do(transfer)

    tables = [table for statement in sent if (table := table_of(statement, TENANT_WIDE + OWN_ROWS))]
    first_lock = min(tables.index(table) for table in TENANT_WIDE)
    assert set(OWN_ROWS) <= set(tables[:first_lock])
    assert not result.number.startswith("~")
    with platform.database.transaction(ledger.tenant.id) as session:
        numbers = session.execute(
            select(ledger_tables.transactions.c.number).where(ledger_tables.transactions.c.id == result.transaction_id)
        )
        assert numbers.scalar_one() == result.number


def table_of(statement: str, tables: tuple[str, ...]) -> str | None:
    words = statement.replace("\n", " ").split()
    return next((word for word in words if word in tables), None)


def test_the_batched_form_keeps_the_columns_own_checks() -> None:
    naive = {"id": UUID(int=1), "first_transferred_at": datetime(2026, 1, 1)}  # noqa: DTZ001 - the point

    with pytest.raises(ValueError, match="naive datetime"):
        bulk.update_many(ledger_tables.unit_blocks, UUID(int=2), ("id",), [naive, naive])
