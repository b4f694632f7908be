"""Each bad input fails with its check code and changes nothing: state, journal and outbox stay as they were."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountStatus, AccountType
from services.ledger.domain.acquisitions import IncomingBlock
from services.ledger.domain.authorizations import FirstTransferDefinition, Purpose
from services.ledger.domain.blocks import BlockAttributes, UnitFilter
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.reference import ApproachStatus
from services.ledger.domain.registry import ApprovalPolicy
from services.ledger.domain.transactions import TransactionType
from services.ledger.domain.values import Metric, MitigationType, UnitType, VintageQuantity
from services.shared.ids import new_id

from .world import ADMINISTRATOR, REPRESENTATIVE, World, ghana, terms

NDC = frozenset({Purpose.NDC})
UNAUTHORIZED = UnitFilter(authorized=False)
AUTHORIZED = UnitFilter(authorized=True)


def prepared() -> World:
    """1,000 units held by the Party: serials 1-400 unauthorized, 401-1000 authorized for NDC use."""
    world = ghana()
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    world.ndc_authorization = world.authorization(purposes=NDC, quantity=600)
    world.authorize(600, world.ndc_authorization, world.party_holding)
    return world


def transfer(world: World, quantity: object = 10, **options: object) -> commands.TransferUnits:
    values = {"source_account_id": world.party_holding, "destination_account_id": world.developer_holding}
    return commands.TransferUnits(actor_id=REPRESENTATIVE, quantity=quantity, **values | options)  # type: ignore[arg-type]


def abroad(world: World, unit_filter: UnitFilter = AUTHORIZED, **options: object) -> commands.Command:
    values = {"external_account_id": world.switzerland}
    return commands.RequestInternationalTransfer(
        actor_id=REPRESENTATIVE,
        source_account_id=world.party_holding,
        quantity=10,
        unit_filter=unit_filter,
        **values | options,  # type: ignore[arg-type]
    )


def use_for_ndc(world: World, year: int = 2025) -> commands.Command:
    return commands.UseUnitsTowardsNdc(
        actor_id=REPRESENTATIVE,
        source_account_id=world.party_holding,
        ndc_account_id=world.ndc_2025,
        ndc_year=year,
        quantity=10,
        unit_filter=AUTHORIZED,
    )


def issue(world: World, **options: object) -> commands.Command:
    values = {
        "issuance_id": world.issuance_id,
        "account_id": world.issuance_account,
        "cooperative_approach_id": "CA0001",
        "vintage": 2023,
        "quantity": 10,
    }
    return commands.IssueUnits(actor_id=REPRESENTATIVE, **values | options)  # type: ignore[arg-type]


def with_status(world: World, account_id: object, status: AccountStatus) -> None:
    world.do(commands.ChangeAccountStatus(actor_id=ADMINISTRATOR, account_id=account_id, status=status))  # type: ignore[arg-type]


def held_transfer(world: World) -> object:
    world.with_policy(ApprovalPolicy(four_eyes=frozenset({TransactionType.TRANSFER_DOMESTIC})))
    return world.transfer(100, world.party_holding, world.developer_holding).transaction_id


def closed_account(world: World) -> commands.Command:
    account = world.account(AccountType.PARTY_HOLDING, "Old account")
    with_status(world, account, AccountStatus.CLOSED)
    return transfer(world, destination_account_id=account)


def suspended_source(world: World) -> commands.Command:
    with_status(world, world.party_holding, AccountStatus.SUSPENDED)
    return transfer(world)


def suspended_destination(world: World) -> commands.Command:
    with_status(world, world.developer_holding, AccountStatus.SUSPENDED)
    return transfer(world)


def reserved_units(world: World) -> commands.Command:
    held_transfer(world)
    return transfer(world, 1_000)


def self_approval(world: World) -> commands.Command:
    return commands.ApproveTransaction(actor_id=REPRESENTATIVE, transaction_id=held_transfer(world))  # type: ignore[arg-type]


def expired_authorization(world: World) -> commands.Command:
    expiring = world.authorization(purposes=NDC, valid_until=date(2025, 12, 31))
    world.authorize(100, expiring, world.party_holding)
    world.clock.set(datetime(2026, 2, 1, tzinfo=UTC))
    return abroad(world, UnitFilter(authorization_id=expiring))


def restricted_parties(world: World) -> commands.Command:
    only_singapore = world.authorization(purposes=NDC, authorized_parties=frozenset({"SGP"}))
    world.authorize(100, only_singapore, world.party_holding)
    return abroad(world, UnitFilter(authorization_id=only_singapore))


def non_participating_party(world: World) -> commands.Command:
    singapore = world.account(AccountType.EXTERNAL, "Singapore", external_party="SGP", external_registry_id="SGP01")
    return abroad(world, external_account_id=singapore)


def non_ghg_destination(world: World) -> commands.Command:
    account = world.account(AccountType.PARTY_HOLDING, "Electricity", metric=Metric.non_ghg("MWh"))
    return transfer(world, destination_account_id=account)


def exhausted_authorization(world: World) -> commands.Command:
    return commands.AuthorizeUnits(
        actor_id=REPRESENTATIVE, account_id=world.party_holding, authorization_id=world.ndc_authorization, quantity=1
    )  # type: ignore[attr-defined]


def authorize_under(world: World, unit_filter: UnitFilter = UNAUTHORIZED, **options: object) -> commands.Command:
    authorization = world.authorization(**options)
    return commands.AuthorizeUnits(
        actor_id=REPRESENTATIVE,
        account_id=world.party_holding,
        authorization_id=authorization,
        quantity=10,
        unit_filter=unit_filter,
    )


def record_entity(world: World, organization_id: UUID, entity_id: UUID | None = None) -> UUID:
    result = world.do(
        commands.RecordAuthorizedEntity(
            actor_id=ADMINISTRATOR,
            cooperative_approach_id="CA0001",
            name="Cookstove Ltd",
            country_of_incorporation="GHA",
            identification_number="CS-1",
            authorized_on=date(2024, 2, 1),
            organization_id=organization_id,
            entity_id=entity_id,
        )
    )
    return UUID(result.record_id)


def entity_restricted(world: World, revoked: bool) -> commands.Command:
    if revoked:
        named = record_entity(world, world.developer)
        record_entity(world, world.developer, entity_id=named)
    else:
        named = record_entity(world, organization_id=new_id())
    authorization = world.authorization(purposes=NDC, authorized_entities=frozenset({named}))
    world.authorize(50, authorization, world.party_holding)
    return transfer(world, unit_filter=UnitFilter(authorization_id=authorization))


def incoming(**options: object) -> IncomingBlock:
    attributes = BlockAttributes(
        "CA0001", "CHE01", "CHE", 2023, Metric.ghg(), UnitType.MITIGATION_OUTCOME, MitigationType.REDUCTIONS
    )
    values = {"serial_first": 1, "serial_last": 100}
    return IncomingBlock(attributes, **values | options)  # type: ignore[arg-type]


def acquisition(world: World, transfer_id: object, *blocks: IncomingBlock) -> commands.Command:
    return commands.RecordAcquisition(
        actor_id=REPRESENTATIVE,
        incoming_transfer_id=transfer_id,
        transferring_party="CHE",  # type: ignore[arg-type]
        transferring_registry_id="CHE01",
        account_id=world.party_holding,
        blocks=blocks or (incoming(),),
    )


def acquired_twice(world: World) -> commands.Command:
    transfer_id = new_id()
    world.do(acquisition(world, transfer_id))
    return acquisition(world, transfer_id, incoming(serial_first=500, serial_last=600))


def acquired_overlap(world: World) -> commands.Command:
    world.do(acquisition(world, new_id()))
    return acquisition(world, new_id(), incoming(serial_first=50, serial_last=150))


def foreign_units_authorized_here(world: World) -> commands.Command:
    world.do(acquisition(world, new_id()))
    return authorize_under(world, purposes=NDC, unit_filter=UnitFilter(registry_id="CHE01"))


def completed_transfer(world: World) -> object:
    return world.transfer(10, world.party_holding, world.developer_holding).transaction_id


@dataclass(frozen=True)
class Case:
    name: str
    command: Callable[[World], commands.Command]
    code: str


CASES = [
    Case("unknown transferring account", lambda w: transfer(w, source_account_id=new_id()), "LDG-001"),
    Case("unknown acquiring account", lambda w: transfer(w, destination_account_id=new_id()), "LDG-001"),
    Case("unknown issuance", lambda w: issue(w, issuance_id=new_id()), "LDG-025"),
    Case("unknown cooperative approach", lambda w: issue(w, cooperative_approach_id="CA0042"), "LDG-020"),
    Case(
        "unknown authorization",
        lambda w: commands.AuthorizeUnits(
            actor_id=REPRESENTATIVE, account_id=w.party_holding, authorization_id=new_id(), quantity=1
        ),
        "LDG-030",
    ),
    Case(
        "unknown transaction",
        lambda w: commands.ApproveTransaction(actor_id=ADMINISTRATOR, transaction_id=new_id()),
        "LDG-070",
    ),
    Case(
        "issuance for an unknown project",
        lambda w: commands.RecordIssuance(
            actor_id=ADMINISTRATOR,
            project_id=new_id(),
            monitoring_start=date(2023, 1, 1),
            monitoring_end=date(2023, 12, 31),
            verifier="V",
            verified_on=date(2024, 1, 1),
            issued_on=date(2024, 1, 2),
            quantities=(VintageQuantity(2023, 1),),
        ),
        "LDG-024",
    ),
    Case("zero quantity", lambda w: transfer(w, 0), "LDG-011"),
    Case("negative quantity", lambda w: transfer(w, -5), "LDG-011"),
    Case("fractional quantity", lambda w: transfer(w, 2.5), "LDG-011"),
    Case("boolean quantity", lambda w: transfer(w, True), "LDG-011"),
    Case("more than is held", lambda w: transfer(w, 1_001), "LDG-012"),
    Case("units reserved by a pending transaction", reserved_units, "LDG-013"),
    Case("vintage in the future", lambda w: issue(w, vintage=2026), "LDG-056"),
    Case("vintage not a four-digit year", lambda w: issue(w, vintage=23), "LDG-055"),
    Case("issuing more than was verified", lambda w: issue(w, quantity=1_000_000), "LDG-026"),
    Case("use outside the NDC period", lambda w: use_for_ndc(w, 2035), "LDG-050"),
    Case("use for another year than the account's", lambda w: use_for_ndc(w, 2026), "LDG-051"),
    Case("use of the Party's own units towards its NDC", use_for_ndc, "LDG-052"),
    Case("suspended transferring account", suspended_source, "LDG-002"),
    Case("suspended acquiring account", suspended_destination, "LDG-003"),
    Case("closed acquiring account", closed_account, "LDG-003"),
    Case(
        "closed transferring account",
        lambda w: (with_status(w, w.voluntary, AccountStatus.CLOSED), transfer(w, source_account_id=w.voluntary))[1],
        "LDG-002",
    ),
    Case("transfer to a retirement account", lambda w: transfer(w, destination_account_id=w.retirement), "LDG-005"),
    Case("transfer to the same account", lambda w: transfer(w, destination_account_id=w.party_holding), "LDG-006"),
    Case("transfer to an account of another metric", non_ghg_destination, "LDG-007"),
    Case("first transfer of unauthorized units", lambda w: abroad(w, UNAUTHORIZED), "LDG-038"),
    Case("first transfer after the authorization expired", expired_authorization, "LDG-031"),
    Case(
        "use for a purpose the authorization does not cover",
        lambda w: commands.UseUnitsForOimp(
            actor_id=REPRESENTATIVE,
            source_account_id=w.party_holding,
            oimp_account_id=w.corsia_use,
            quantity=10,
            unit_filter=AUTHORIZED,
        ),
        "LDG-034",
    ),
    Case("transfer to a Party the authorization does not name", restricted_parties, "LDG-035"),
    Case("transfer to a Party outside the cooperative approach", non_participating_party, "LDG-022"),
    Case("more than the authorized quantity", exhausted_authorization, "LDG-032"),
    Case("vintage outside the authorized timeframe", lambda w: authorize_under(w, vintages=(2024, 2030)), "LDG-033"),
    Case(
        "authorizing issued units where issuance is the first transfer",
        lambda w: authorize_under(w, purposes=frozenset({Purpose.OIMP}), definition=FirstTransferDefinition.ISSUANCE),
        "LDG-046",
    ),
    Case("authorizing another Party's units", foreign_units_authorized_here, "LDG-040"),
    Case("holder not among the authorized entities", lambda w: entity_restricted(w, revoked=False), "LDG-036"),
    Case("holder's authorization as an entity revoked", lambda w: entity_restricted(w, revoked=True), "LDG-027"),
    Case(
        "suspended cooperative approach",
        lambda w: (
            w.do(
                commands.RecordCooperativeApproach(
                    actor_id=ADMINISTRATOR,
                    cooperative_approach_id="CA0001",
                    name="Ghana-Switzerland",
                    participating_parties=frozenset({"GHA", "CHE"}),
                    status=ApproachStatus.SUSPENDED,
                )
            ),
            transfer(w),
        )[1],
        "LDG-021",
    ),
    Case("acquiring one incoming transfer twice", acquired_twice, "LDG-061"),
    Case("acquiring units already recorded", acquired_overlap, "LDG-062"),
    Case(
        "acquiring units of this registry that never left it",
        lambda w: acquisition(
            w,
            new_id(),
            IncomingBlock(
                replace(incoming().attributes, registry_id="GHA01", first_transferring_party="GHA"), 5_000, 5_010
            ),
        ),
        "LDG-062",
    ),
    Case(
        "acquiring overlapping incoming blocks",
        lambda w: acquisition(w, new_id(), incoming(), incoming(serial_first=100, serial_last=120)),
        "LDG-015",
    ),
    Case(
        "completing a domestic transfer",
        lambda w: commands.CompleteInternationalTransfer(actor_id=REPRESENTATIVE, transaction_id=completed_transfer(w)),
        "LDG-063",
    ),  # type: ignore[arg-type]
    Case(
        "reversing a completed transfer",
        lambda w: commands.ReverseInternationalTransfer(
            actor_id=REPRESENTATIVE, transaction_id=completed_transfer(w), reason="late"
        ),
        "LDG-063",
    ),  # type: ignore[arg-type]
    Case(
        "approving a completed transaction",
        lambda w: commands.ApproveTransaction(actor_id=ADMINISTRATOR, transaction_id=completed_transfer(w)),
        "LDG-071",
    ),  # type: ignore[arg-type]
    Case(
        "cancelling a completed transaction",
        lambda w: commands.CancelTransaction(
            actor_id=ADMINISTRATOR, transaction_id=completed_transfer(w), reason="typo"
        ),
        "LDG-071",
    ),  # type: ignore[arg-type]
    Case("self-approval", self_approval, "LDG-072"),
    Case(
        "closing an account that holds units",
        lambda w: commands.ChangeAccountStatus(
            actor_id=ADMINISTRATOR, account_id=w.party_holding, status=AccountStatus.CLOSED
        ),
        "LDG-009",
    ),
    Case(
        "reopening a closed account",
        lambda w: (
            with_status(w, w.voluntary, AccountStatus.CLOSED),
            commands.ChangeAccountStatus(actor_id=ADMINISTRATOR, account_id=w.voluntary, status=AccountStatus.OPEN),
        )[1],
        "LDG-010",
    ),
    Case(
        "retirement without a beneficiary",
        lambda w: commands.RetireUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=w.party_holding,
            retirement_account_id=w.retirement,
            quantity=1,
            beneficiary=" ",
        ),
        "LDG-075",
    ),
    Case(
        "NDC use account without a year",
        lambda w: commands.OpenAccount(actor_id=ADMINISTRATOR, account_type=AccountType.NDC_USE, name="NDC"),
        "LDG-008",
    ),
    Case(
        "external account of the Party itself",
        lambda w: commands.OpenAccount(
            actor_id=ADMINISTRATOR,
            account_type=AccountType.EXTERNAL,
            name="Us",
            external_party="GHA",
            external_registry_id="GHA02",
        ),
        "LDG-060",
    ),
    Case(
        "cooperative approach without this Party",
        lambda w: commands.RecordCooperativeApproach(
            actor_id=ADMINISTRATOR,
            cooperative_approach_id="CA0002",
            name="Others",
            participating_parties=frozenset({"CHE", "SGP"}),
        ),
        "LDG-022",
    ),
    Case(
        "malformed cooperative approach id",
        lambda w: commands.RecordCooperativeApproach(
            actor_id=ADMINISTRATOR,
            cooperative_approach_id="CA02",
            name="Others",
            participating_parties=frozenset({"GHA", "SGP"}),
        ),
        "LDG-023",
    ),
    Case(
        "authorization recorded for another Party",
        lambda w: commands.RecordAuthorization(
            actor_id=ADMINISTRATOR, reference="CHE-1", terms=replace(terms(), authorizing_party="CHE")
        ),
        "LDG-041",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_bad_input_fails_its_check_and_changes_nothing(case: Case) -> None:
    world = prepared()
    command = case.command(world)
    before = world.snapshot()

    with pytest.raises(CheckFailed) as failure:
        world.do(command)

    assert failure.value.code == case.code, failure.value.message
    assert world.state == before
    assert world.state.journal == before.journal
    assert world.state.outbox == before.outbox


def test_the_registry_on_hold_refuses_unit_actions() -> None:
    world = prepared()
    world.bus.registry = replace(world.registry, on_hold=True)
    before = world.snapshot()

    with pytest.raises(CheckFailed) as failure:
        world.do(transfer(world))

    assert failure.value.code == "LDG-074"
    assert world.state == before


def test_an_idempotency_key_is_reused_only_for_the_same_request() -> None:
    world = prepared()
    first = world.do(transfer(world, 10, idempotency_key="k-1"))
    before = world.snapshot()

    assert world.do(transfer(world, 10, idempotency_key="k-1")) == first
    with pytest.raises(CheckFailed) as failure:
        world.do(transfer(world, 11, idempotency_key="k-1"))

    assert failure.value.code == "LDG-073"
    assert world.state == before


def test_a_failure_message_says_what_to_do_next_and_names_the_field() -> None:
    world = prepared()

    with pytest.raises(CheckFailed) as failure:
        world.do(transfer(world, 5_000))

    assert failure.value.field == "quantity"
    assert failure.value.message == (
        "The account holds 1000 matching units, not 5000. "
        "Lower the quantity or widen the selection; the account's holdings show what is available."
    )
