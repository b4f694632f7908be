"""The ledger unit of work's statements: what is queued is sent before anything reads, a refused write
surfaces as SQLAlchemy's error when its batch is sent, and a unit of work that fails writes nothing."""

from uuid import UUID

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from bench.ledger import ACTOR, set_up
from gateway.bootstrap import Platform
from services.ledger.adapters import tables
from services.ledger.adapters.unit_of_work import SqlAlchemyLedgerUnitOfWork
from services.ledger.domain import commands
from services.shared.db.statements import PsycopgStatements, SqlStatements
from tests.conftest import new_tenant_command


def counters_named(platform: Platform, tenant_id: UUID, name: str) -> int:
    with platform.database.transaction(tenant_id) as session:
        c = tables.counters.c
        found = session.execute(select(func.count()).where(c.tenant_id == tenant_id, c.name == name)).scalar()
    return int(found or 0)


def test_postgres_units_of_work_pipeline_and_sqlite_ones_do_not(platform: Platform) -> None:
    ledger = set_up(platform, new_tenant_command())
    with platform.ledger.uow(ledger.tenant) as uow:
        expected = PsycopgStatements if platform.database.is_postgres else SqlStatements
        assert type(uow.statements) is expected


def test_a_read_sees_the_writes_queued_before_it(platform: Platform) -> None:
    ledger = set_up(platform, new_tenant_command())
    tenant_id = ledger.tenant.id
    with platform.ledger.uow(ledger.tenant) as uow:
        assert uow.statements is not None
        uow.statements.write(insert(tables.counters), {"tenant_id": tenant_id, "name": "queued", "next_value": 7})
        c = tables.counters.c
        query = select(tables.counters).where(c.tenant_id == tenant_id, c.name == "queued")
        assert [row["next_value"] for row in uow.statements.read(query, {})] == [7]
        uow.rollback()
    assert counters_named(platform, tenant_id, "queued") == 0


def test_a_refused_write_raises_integrity_error_and_the_unit_of_work_writes_nothing(platform: Platform) -> None:
    ledger = set_up(platform, new_tenant_command())
    tenant_id = ledger.tenant.id
    twice = [{"tenant_id": tenant_id, "name": "twice", "next_value": 1}] * 2

    def write_twice_and_flush(uow: SqlAlchemyLedgerUnitOfWork) -> None:
        assert uow.statements is not None
        uow.statements.write(insert(tables.counters), twice)  # queued on PostgreSQL, refused at once on SQLite
        uow.flush()

    with platform.ledger.uow(ledger.tenant) as uow:
        uow.counters.take_one("before")
        with pytest.raises(IntegrityError):
            write_twice_and_flush(uow)

    assert counters_named(platform, tenant_id, "twice") == 0
    assert counters_named(platform, tenant_id, "before") == 0
    ledger.transfer(1, ledger.pool, ledger.account("After"))  # the pooled connection is usable again


def record_round_trips(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The round trips of the PostgreSQL units of work to come, each named by its first statement's verb
    and table, and every statement sent."""
    trips: list[str] = []
    round_trip = PsycopgStatements._round_trip

    def recorded(self: PsycopgStatements, first_sql: str) -> object:
        words = first_sql.split()
        table = words[2] if words[0] == "INSERT" else words[1]
        trips.append(f"{words[0]} {table.split('.')[0]}")
        return round_trip(self, first_sql)

    monkeypatch.setattr(PsycopgStatements, "_round_trip", recorded)
    sent: list[str] = []
    monkeypatch.setattr(PsycopgStatements, "observers", [sent.append])
    return trips, sent


READS = ["SELECT ledger_accounts", "SELECT ledger_unit_blocks"]
READS += ["SELECT ledger_controls"]  # the source's and its holder's account protection, in one read
READS += ["SELECT ledger_cooperative_approaches", "SELECT ledger_authorized_entities"]
WRITTEN_AHEAD = "INSERT ledger_transactions"  # then its block changes and blocks
LOCKED = "INSERT ledger_counters"  # the number, and the journal head
COMMITTED = "UPDATE ledger_transactions"  # its number, then the journal, the head, the outbox, COMMIT


@pytest.mark.postgres
def test_a_transfer_on_postgres_takes_eight_round_trips_two_of_them_under_the_tenant_wide_locks(
    postgres_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = set_up(postgres_platform, new_tenant_command())
    source, sink = ledger.funded(5, "Source"), ledger.account("Sink")
    trips, sent = record_round_trips(monkeypatch)
    ledger.transfer(1, source, sink)

    assert sent[0].startswith("select set_config('app.tenant_id'")  # the tenant's scope, with the first read
    assert trips == [*READS, WRITTEN_AHEAD, LOCKED, COMMITTED]


@pytest.mark.postgres
def test_a_keyed_transfer_claims_its_key_with_the_first_read_and_stores_its_result_with_the_commit(
    postgres_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = set_up(postgres_platform, new_tenant_command())
    source, sink = ledger.funded(5, "Source"), ledger.account("Sink")
    trips, sent = record_round_trips(monkeypatch)
    ledger.do(
        commands.TransferUnits(
            actor_id=ACTOR, source_account_id=source, destination_account_id=sink, quantity=1, idempotency_key="k"
        )
    )

    assert sent[0].startswith("select set_config('app.tenant_id'")
    assert sent[1].startswith("INSERT INTO ledger_idempotency_keys")  # the claim, in the scope's round trip
    stored = "UPDATE ledger_idempotency_keys"  # the result, queued first, in the commit's round trip
    assert trips == ["INSERT ledger_idempotency_keys", *READS, WRITTEN_AHEAD, LOCKED, stored]
