"""Worked examples in the regulator's words, each driven through the handlers on the fake ledger."""

from datetime import timedelta

from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.authorizations import FirstTransferDefinition, Purpose
from services.ledger.domain.blocks import FirstTransferTrigger, UnitFilter, UnitState
from services.ledger.domain.events import InternationalTransferRequested, UnitsFirstTransferred
from services.ledger.domain.journal import verify_chain
from services.ledger.domain.transactions import TransactionStatus, TransactionType
from services.ledger.service_layer.incoming import acquisition_from_request

from .world import REPRESENTATIVE, SWITZERLAND, World, ghana

NDC = frozenset({Purpose.NDC})
NDC_AND_OIMP = frozenset({Purpose.NDC, Purpose.OIMP})
OIMP = frozenset({Purpose.OIMP})


def event_types(world: World) -> list[str]:
    return [event.type for event in world.state.outbox]


def test_the_registry_issues_verified_mitigation_outcomes_into_the_issuance_account() -> None:
    world = ghana()

    result = world.issue(1_000_000, vintage=2023)

    assert result.status is TransactionStatus.COMPLETED
    [block] = world.blocks_of(world.issuance_account)
    assert (block.first_itmo_id, block.last_itmo_id) == ("CA0001-GHA01-GHA-1-2023", "CA0001-GHA01-GHA-1000000-2023")
    assert block.attributes.project_id == world.project_id
    assert block.first_transfer is None
    assert world.state.journal[-1].payload["number"] == result.number
    assert event_types(world)[-2:] == ["ledger.units.issued.v1", "ledger.transaction.completed.v1"]


def test_a_second_issuance_continues_the_serials_and_never_reuses_them() -> None:
    world = ghana()
    world.issue(1_000, vintage=2023)

    second = world.issue(500, vintage=2024)

    assert second.units[0].first_itmo_id == "CA0001-GHA01-GHA-1001-2024"


def test_the_authorizing_officer_authorizes_part_of_the_holdings_for_ndc_use() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    authorization = world.authorization(purposes=NDC, quantity=800)

    result = world.authorize(600, authorization, world.party_holding)

    unauthorized, authorized = world.blocks_of(world.party_holding)
    assert (unauthorized.serial_first, unauthorized.serial_last) == (1, 400)
    assert (authorized.serial_first, authorized.serial_last) == (401, 1000)
    assert authorized.attributes.authorization_id == authorization
    assert authorized.first_transfer is None, "for NDC use the first transfer is the first international one"
    assert world.state.authorizations[authorization].consumed == 600
    assert result.type is TransactionType.AUTHORIZATION


def test_ghana_first_transfers_itmos_to_switzerland_which_accepts() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    world.authorize(1_000, world.authorization(purposes=NDC), world.party_holding)

    requested = world.do(
        commands.RequestInternationalTransfer(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            external_account_id=world.switzerland,
            quantity=250,
        )
    )

    assert requested.type is TransactionType.FIRST_TRANSFER
    assert requested.status is TransactionStatus.AWAITING_ACCEPTANCE
    pending = [b for b in world.blocks_of(world.party_holding) if b.state is UnitState.PENDING_OUT]
    assert [(b.serial_first, b.serial_last, b.reserved_by) for b in pending] == [(751, 1000, requested.transaction_id)]
    assert "ledger.transfer.international_requested.v1" in event_types(world)

    accepted = world.do(
        commands.CompleteInternationalTransfer(
            actor_id=REPRESENTATIVE,
            transaction_id=requested.transaction_id,
        )
    )

    assert accepted.status is TransactionStatus.COMPLETED
    [abroad] = world.blocks_of(world.switzerland)
    assert abroad.state is UnitState.ACTIVE
    assert abroad.quantity == 250
    assert abroad.first_transfer is not None
    assert abroad.first_transfer.trigger is FirstTransferTrigger.INTERNATIONAL_TRANSFER
    first = [e for e in world.state.outbox if isinstance(e, UnitsFirstTransferred)]
    assert [(e.trigger, e.acquiring_party) for e in first] == [("first_international_transfer", "CHE")]
    assert world.held(world.party_holding) == 750


def test_switzerland_refuses_the_transfer_and_the_units_return() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    world.authorize(1_000, world.authorization(purposes=NDC), world.party_holding)
    requested = world.do(
        commands.RequestInternationalTransfer(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            external_account_id=world.switzerland,
            quantity=250,
        )
    )

    reversed_ = world.do(
        commands.ReverseInternationalTransfer(
            actor_id=REPRESENTATIVE,
            transaction_id=requested.transaction_id,
            reason="Account CH-100-7 is closed",
        )
    )

    assert reversed_.status is TransactionStatus.TERMINATED
    assert all(b.state is UnitState.ACTIVE and b.reserved_by is None for b in world.blocks_of(world.party_holding))
    assert all(b.first_transfer is None for b in world.blocks_of(world.party_holding))
    assert world.held(world.party_holding) == 1_000
    assert world.held(world.switzerland) == 0
    assert event_types(world)[-2:] == ["ledger.transfer.international_reversed.v1", "ledger.transaction.terminated.v1"]


def swiss_registry_acquires(world: World, accepted: int = 250) -> tuple[World, dict[str, object]]:
    """Ghana sends units to Switzerland, Switzerland accepts; returns Switzerland's world and the request."""
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    world.authorize(
        1_000, world.authorization(purposes=NDC, authorized_parties=frozenset({"CHE"})), world.party_holding
    )
    requested = world.do(
        commands.RequestInternationalTransfer(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            external_account_id=world.switzerland,
            quantity=accepted,
        )
    )
    world.do(commands.CompleteInternationalTransfer(actor_id=REPRESENTATIVE, transaction_id=requested.transaction_id))
    [request] = [e for e in world.state.outbox if isinstance(e, InternationalTransferRequested)]

    swiss = World(SWITZERLAND, store=world.uow.store)
    swiss.approach()
    swiss.holding = swiss.account(AccountType.PARTY_HOLDING, "Swiss Confederation")
    swiss.ndc_2025 = swiss.account(AccountType.NDC_USE, ndc_year=2025)
    swiss.ghana = swiss.account(
        AccountType.EXTERNAL, "Ghana registry", external_party="GHA", external_registry_id="GHA01"
    )
    return swiss, request.to_data()


def test_switzerland_records_the_acquisition_once_and_uses_the_itmos_towards_its_ndc() -> None:
    swiss, request = swiss_registry_acquires(ghana())
    acquisition = acquisition_from_request(
        request, actor_id=REPRESENTATIVE, account_id=swiss.holding, accepted_at=swiss.clock.now()
    )

    acquired = swiss.do(acquisition)

    assert acquired.type is TransactionType.ACQUISITION
    assert acquired.quantity == 250
    [block] = swiss.blocks_of(swiss.holding)
    assert block.first_itmo_id == "CA0001-GHA01-GHA-751-2023"
    assert block.first_transfer is not None
    assert swiss.do(acquisition) == acquired, "a redelivered request is answered, not recorded twice"

    used = swiss.do(
        commands.UseUnitsTowardsNdc(
            actor_id=REPRESENTATIVE,
            source_account_id=swiss.holding,
            ndc_account_id=swiss.ndc_2025,
            ndc_year=2025,
            quantity=100,
        )
    )

    assert used.type is TransactionType.USE_NDC
    [used_block] = swiss.blocks_of(swiss.ndc_2025)
    assert (used_block.serial_first, used_block.state) == (901, UnitState.USED)
    assert swiss.held(swiss.holding) == 150
    assert "ledger.units.used.v1" in event_types(swiss)


def test_the_registry_cancels_units_for_overall_mitigation_in_global_emissions() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)

    result = world.do(
        commands.CancelUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            cancellation_account_id=world.omge,
            quantity=20,
        )
    )

    assert result.type is TransactionType.OMGE_CANCELLATION
    [cancelled] = world.blocks_of(world.omge)
    assert cancelled.state is UnitState.CANCELLED
    assert cancelled.quantity == 20


def test_a_holder_cancels_units_voluntarily() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(300, world.issuance_account, world.developer_holding)

    result = world.do(
        commands.CancelUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=world.developer_holding,
            cancellation_account_id=world.voluntary,
            quantity=300,
        )
    )

    assert result.type is TransactionType.VOLUNTARY_CANCELLATION
    assert world.held(world.developer_holding) == 0
    assert [b.state for b in world.blocks_of(world.voluntary)] == [UnitState.CANCELLED]


def test_oimp_first_transfer_defined_as_authorization_happens_when_units_are_authorized() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    authorization = world.authorization(purposes=OIMP, definition=FirstTransferDefinition.AUTHORIZATION)

    world.authorize(400, authorization, world.party_holding)
    used = world.do(
        commands.UseUnitsForOimp(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            oimp_account_id=world.corsia_use,
            quantity=100,
            unit_filter=UnitFilter(authorization_id=authorization),
        )
    )

    [block] = world.blocks_of(world.corsia_use)
    assert block.first_transfer is not None
    assert block.first_transfer.trigger is FirstTransferTrigger.AUTHORIZATION
    assert block.state is UnitState.USED
    assert used.type is TransactionType.USE_OIMP
    assert world.state.outbox[-1].type == "ledger.transaction.completed.v1"


def test_oimp_first_transfer_defined_as_issuance_happens_when_units_are_issued_under_the_authorization() -> None:
    world = ghana()
    authorization = world.authorization(purposes=OIMP, definition=FirstTransferDefinition.ISSUANCE)

    world.issue(1_000, authorization_id=authorization)

    [block] = world.blocks_of(world.issuance_account)
    assert block.first_transfer is not None
    assert block.first_transfer.trigger is FirstTransferTrigger.ISSUANCE
    assert event_types(world)[-3:] == [
        "ledger.units.first_transferred.v1",
        "ledger.units.issued.v1",
        "ledger.transaction.completed.v1",
    ]


def test_oimp_first_transfer_defined_as_use_or_cancellation_happens_at_the_use() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    authorization = world.authorization(purposes=OIMP, definition=FirstTransferDefinition.USE_OR_CANCELLATION)
    world.authorize(1_000, authorization, world.party_holding)
    assert all(b.first_transfer is None for b in world.blocks_of(world.party_holding))

    result = world.do(
        commands.UseUnitsForOimp(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            oimp_account_id=world.other_cancellation,
            quantity=300,
        )
    )

    assert result.type is TransactionType.CANCELLATION_OIMP
    [cancelled] = world.blocks_of(world.other_cancellation)
    assert cancelled.state is UnitState.CANCELLED
    assert cancelled.first_transfer is not None
    assert cancelled.first_transfer.trigger is FirstTransferTrigger.USE_OR_CANCELLATION
    assert all(b.first_transfer is None for b in world.blocks_of(world.party_holding))


def test_a_buyer_retires_units_naming_the_beneficiary() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(500, world.issuance_account, world.developer_holding)

    result = world.do(
        commands.RetireUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=world.developer_holding,
            retirement_account_id=world.retirement,
            quantity=120,
            beneficiary="Accra Water Company",
            reason="2024 operational emissions",
        )
    )

    assert result.type is TransactionType.RETIREMENT
    [retired] = world.blocks_of(world.retirement)
    assert retired.state is UnitState.RETIRED
    assert retired.quantity == 120
    assert world.state.transactions[result.transaction_id].details.beneficiary == "Accra Water Company"
    assert world.state.outbox[-2].to_data()["beneficiary"] == "Accra Water Company"


def test_units_sent_abroad_that_come_back_are_acquired_into_the_same_serials() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    authorization = world.authorization(purposes=NDC)
    world.authorize(1_000, authorization, world.party_holding)
    sent = world.do(
        commands.RequestInternationalTransfer(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            external_account_id=world.switzerland,
            quantity=300,
        )
    )
    world.do(commands.CompleteInternationalTransfer(actor_id=REPRESENTATIVE, transaction_id=sent.transaction_id))
    [request] = [e for e in world.state.outbox if isinstance(e, InternationalTransferRequested)]
    data = request.to_data()
    block = data["blocks"][0]
    block.update(serial_first=801, serial_last=900, quantity=100)
    data |= {
        "transfer_id": "01890000-0000-7000-8000-00000000abcd",
        "transferring_party": "CHE",
        "transferring_registry_id": "CHE01",
        "first_transferred_block_ids": [],
    }
    block["first_transferred_at"] = "2025-06-02T09:00:00+00:00"
    block["first_transfer_trigger"] = "first_international_transfer"

    world.do(
        acquisition_from_request(
            data, actor_id=REPRESENTATIVE, account_id=world.party_holding, accepted_at=world.clock.now()
        )
    )

    assert [(b.serial_first, b.serial_last) for b in world.blocks_of(world.switzerland)] == [(701, 800), (901, 1000)]
    assert world.held(world.party_holding) == 800
    assert [(b.serial_first, b.serial_last) for b in world.blocks_of(world.party_holding)][-1] == (801, 900)


def test_every_completed_action_is_journaled_in_an_unbroken_chain() -> None:
    world = ghana()
    world.issue(1_000)
    world.transfer(600, world.issuance_account, world.party_holding)
    world.clock.advance(timedelta(days=1))
    world.do(
        commands.RetireUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            retirement_account_id=world.retirement,
            quantity=10,
            beneficiary="A school",
        )
    )

    assert [r.sequence for r in world.state.journal] == [1, 2, 3]
    assert verify_chain(world.state.journal) is None
    assert all(r.tenant_id == world.uow.tenant_id for r in world.state.journal)
