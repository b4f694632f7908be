"""One worked example through the real handlers on the fake ledger and on the SQL unit of work (SQLite and
PostgreSQL): the same commands give the same holdings, blocks, journal, events and failures."""

from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from gateway.bootstrap import Platform
from services.events.adapters.orm import outbox
from services.events.adapters.outbox import OutboxWriter
from services.ledger.adapters.unit_of_work import SqlAlchemyLedgerUnitOfWork
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.authorizations import Purpose
from services.ledger.domain.blocks import UnitFilter
from services.ledger.domain.counters import UNIT_SERIALS
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.journal import next_record, verify_chain
from services.ledger.service_layer.messagebus import LedgerBus
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.shared.messages import JsonValue
from tests.conftest import new_tenant_command
from tests.unit.ledger.world import NOW, REPRESENTATIVE, World, terms

Observation = dict[str, Any]


def sql_uow(platform: Platform) -> SqlAlchemyLedgerUnitOfWork:
    tenant = platform.catalogue.create(new_tenant_command())
    return SqlAlchemyLedgerUnitOfWork(platform.database, tenant.id, tenant.registry_id, OutboxWriter("test"))


def world_on(uow: AbstractLedgerUnitOfWork) -> World:
    world = World()
    world.uow = uow  # type: ignore[assignment]
    world.bus = LedgerBus(uow, world.registry, world.clock)
    return world


def accounts_of(world: World) -> dict[str, UUID]:
    world.approach()
    world.project_id = world.project()
    world.issuance_id = world.issuance(world.project_id)
    world.issuance_account = world.account(AccountType.ISSUANCE)
    return {
        "issuance": world.issuance_account,
        "party": world.account(AccountType.PARTY_HOLDING, "Government of Ghana"),
        "developer": world.account(AccountType.ENTITY_HOLDING, "Cookstove Ltd", holder_id=REPRESENTATIVE),
        "ndc": world.account(AccountType.NDC_USE, ndc_year=2025),
        "retirement": world.account(AccountType.RETIREMENT),
        "switzerland": world.account(
            AccountType.EXTERNAL, "Swiss registry", external_party="CHE", external_registry_id="CHE01"
        ),
    }


def run_example(world: World) -> tuple[dict[str, UUID], list[str]]:
    """Issue, transfer, authorize, first transfer abroad, split transfer at home, NDC use, retirement."""
    accounts, outcomes = accounts_of(world), []
    world.issue(1_000)
    world.transfer(1_000, accounts["issuance"], accounts["party"])
    authorization = UUID(
        world.do(
            commands.RecordAuthorization(
                actor_id=REPRESENTATIVE,
                reference="GHA-A-1",
                terms=terms(purposes=frozenset({Purpose.NDC}), quantity=800),
            )
        ).record_id
    )
    world.authorize(600, authorization, accounts["party"])
    requested = world.do(
        commands.RequestInternationalTransfer(
            actor_id=REPRESENTATIVE,
            source_account_id=accounts["party"],
            external_account_id=accounts["switzerland"],
            quantity=250,
            unit_filter=UnitFilter(authorized=True),
        )
    )
    world.do(commands.CompleteInternationalTransfer(actor_id=REPRESENTATIVE, transaction_id=requested.transaction_id))
    world.transfer(300, accounts["party"], accounts["developer"])
    try:  # Ghana's own units are not ITMOs acquired from another Party: refused, on every backend alike
        world.do(
            commands.UseUnitsTowardsNdc(
                actor_id=REPRESENTATIVE,
                source_account_id=accounts["party"],
                ndc_account_id=accounts["ndc"],
                ndc_year=2025,
                quantity=100,
                unit_filter=UnitFilter(authorized=True),
            )
        )
    except CheckFailed as failure:
        outcomes.append(failure.code)
    world.do(
        commands.RetireUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=accounts["developer"],
            retirement_account_id=accounts["retirement"],
            quantity=120,
            beneficiary="Accra Water Company",
            reason="2024 operational emissions",
        )
    )
    for quantity in (10_000, 0):
        try:
            world.transfer(quantity, accounts["party"], accounts["developer"])
        except CheckFailed as failure:
            outcomes.append(failure.code)
    return accounts, outcomes


def observe(uow: AbstractLedgerUnitOfWork, accounts: dict[str, UUID]) -> Observation:
    with uow:
        names = {account_id: name for name, account_id in accounts.items()}
        blocks = {
            name: [
                (
                    b.serial_first,
                    b.serial_last,
                    str(b.state),
                    b.attributes.authorization_id is not None,
                    None if b.first_transfer is None else str(b.first_transfer.trigger),
                    b.reserved_by is None,
                )
                for b in uow.blocks.held_by(account_id)
            ]
            for name, account_id in accounts.items()
        }
        records = uow.journal.records()
        history = {name: [t.number for t in uow.transactions.history(i)] for name, i in accounts.items()}
        trail = [t.number for t in uow.transactions.touching("CA0001", "GHA01", 900)]
        holder = uow.blocks.containing("CA0001", "GHA01", 900)
        return {
            "blocks": blocks,
            "history": history,
            "trail": trail,
            "holder": None if holder is None else names[holder.account_id],
            "journal": [(r.sequence, r.payload["number"], r.payload["type"], r.payload["status"]) for r in records],
            "chain_whole": verify_chain(records) is None,
            "by_number": uow.accounts.by_number(str(uow.accounts.get_many([accounts["ndc"]])[accounts["ndc"]].number))
            is not None,
        }


def sql_events(uow: SqlAlchemyLedgerUnitOfWork) -> list[tuple[str, int | None]]:
    import json

    with uow.database.transaction(None) as session:
        rows = session.execute(
            select(outbox.c.event_type, outbox.c.payload)
            .where(outbox.c.tenant_id == uow.tenant_id)
            .order_by(outbox.c.id)
        ).all()
    return [(event_type, json.loads(payload).get("journalseq")) for event_type, payload in rows]


@pytest.fixture
def fake_result() -> tuple[Observation, list[str], list[tuple[str, int | None]]]:
    world = World()
    accounts, failures = run_example(world)
    events = [(e.type, getattr(e, "journal_sequence", None)) for e in world.state.outbox]
    return observe(world.uow, accounts), failures, events


def test_the_sql_ledger_gives_the_results_of_the_fake(platform: Platform, fake_result: Any) -> None:
    expected, expected_failures, expected_events = fake_result
    uow = sql_uow(platform)

    accounts, failures = run_example(world_on(uow))

    assert failures == expected_failures
    assert len(failures) == 3
    assert observe(uow, accounts) == expected
    assert sql_events(uow) == expected_events
    assert expected["chain_whole"]
    assert len(expected["journal"]) == 6


def test_a_failed_unit_of_work_leaves_nothing(platform: Platform) -> None:
    uow = sql_uow(platform)
    world = world_on(uow)
    accounts = accounts_of(world)
    before = observe(uow, accounts)
    events_before = sql_events(uow)

    def change_then_fail() -> None:
        with uow:
            uow.counters.get(UNIT_SERIALS).take(5)
            payload: dict[str, JsonValue] = {"number": "x", "type": "t", "status": "s"}
            uow.journal.append(next_record(uow.journal.last(), uow.tenant_id, payload, NOW))
            uow.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        change_then_fail()

    with uow:
        assert uow.counters.get(UNIT_SERIALS).next_value == 1
    assert observe(uow, accounts) == before
    assert sql_events(uow) == events_before
