"""Four eyes, execution delays, cancellation during the delay, and re-checks when held actions execute."""

from datetime import timedelta

from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountStatus
from services.ledger.domain.authorizations import Purpose
from services.ledger.domain.blocks import UnitState
from services.ledger.domain.registry import ApprovalPolicy
from services.ledger.domain.transactions import TransactionStatus, TransactionType
from services.ledger.service_layer.results import BatchResult

from .world import ADMINISTRATOR, APPROVER, REPRESENTATIVE, World, ghana

T, S = TransactionType, TransactionStatus
DAY = timedelta(hours=26)


def with_units(policy: ApprovalPolicy) -> World:
    world = ghana()
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    return world.with_policy(policy)


def test_a_transfer_needing_four_eyes_waits_with_its_units_reserved() -> None:
    world = with_units(ApprovalPolicy(four_eyes=frozenset({T.TRANSFER_DOMESTIC})))

    held = world.transfer(100, world.party_holding, world.developer_holding)

    assert held.status is S.AWAITING_APPROVAL
    assert held.journal_sequence is None
    reserved = [b for b in world.blocks_of(world.party_holding) if b.reserved_by == held.transaction_id]
    assert [(b.serial_first, b.serial_last, b.state) for b in reserved] == [(901, 1000, UnitState.PENDING_OUT)]
    assert world.state.outbox[-1].type == "ledger.transaction.held_for_approval.v1"


def test_another_representative_approves_and_the_transfer_completes() -> None:
    world = with_units(ApprovalPolicy(four_eyes=frozenset({T.TRANSFER_DOMESTIC})))
    held = world.transfer(100, world.party_holding, world.developer_holding)

    approved = world.do(commands.ApproveTransaction(actor_id=APPROVER, transaction_id=held.transaction_id))

    assert approved.status is S.COMPLETED
    assert world.state.transactions[held.transaction_id].approver_id == APPROVER
    assert world.held(world.developer_holding) == 100


def test_an_approver_rejects_and_the_units_are_released() -> None:
    world = with_units(ApprovalPolicy(four_eyes=frozenset({T.TRANSFER_DOMESTIC})))
    held = world.transfer(100, world.party_holding, world.developer_holding)

    rejected = world.do(
        commands.RejectTransaction(actor_id=APPROVER, transaction_id=held.transaction_id, reason="Wrong buyer")
    )

    assert rejected.status is S.REJECTED
    assert rejected.reason == "Wrong buyer"
    assert all(b.is_available for b in world.blocks_of(world.party_holding))
    assert world.state.journal[-1].payload["status"] == "rejected"


def test_a_delayed_transfer_can_be_cancelled_during_the_delay() -> None:
    world = with_units(ApprovalPolicy(delays={T.TRANSFER_DOMESTIC: DAY}))
    delayed = world.transfer(100, world.party_holding, world.developer_holding)
    assert delayed.status is S.DELAYED
    assert delayed.execute_after == world.clock.now() + DAY

    cancelled = world.do(
        commands.CancelTransaction(
            actor_id=REPRESENTATIVE, transaction_id=delayed.transaction_id, reason="Changed my mind"
        )
    )

    assert cancelled.status is S.CANCELLED
    world.clock.advance(DAY)
    assert world.do(commands.ExecuteDueTransactions()) == BatchResult(())
    assert world.held(world.developer_holding) == 0


def test_delayed_transactions_execute_once_their_time_has_come() -> None:
    world = with_units(ApprovalPolicy(delays={T.TRANSFER_DOMESTIC: DAY}))
    first = world.transfer(100, world.party_holding, world.developer_holding)
    world.clock.advance(timedelta(hours=1))
    second = world.transfer(50, world.party_holding, world.developer_holding)

    world.clock.advance(DAY - timedelta(minutes=30))
    early = world.do(commands.ExecuteDueTransactions())
    world.clock.advance(timedelta(hours=1))
    late = world.do(commands.ExecuteDueTransactions())

    assert [r.transaction_id for r in early.results] == [first.transaction_id]
    assert [r.transaction_id for r in late.results] == [second.transaction_id]
    assert world.held(world.developer_holding) == 150


def test_approval_then_delay_then_execution() -> None:
    world = with_units(ApprovalPolicy(four_eyes=frozenset({T.RETIREMENT}), delays={T.RETIREMENT: DAY}))
    held = world.do(
        commands.RetireUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            retirement_account_id=world.retirement,
            quantity=10,
            beneficiary="A school",
        )
    )

    approved = world.do(commands.ApproveTransaction(actor_id=APPROVER, transaction_id=held.transaction_id))
    world.clock.advance(DAY)
    [executed] = world.do(commands.ExecuteDueTransactions()).results

    assert (held.status, approved.status, executed.status) == (S.AWAITING_APPROVAL, S.DELAYED, S.COMPLETED)
    assert world.held(world.retirement) == 10


def test_a_held_transfer_is_terminated_when_its_account_was_suspended_meanwhile() -> None:
    world = with_units(ApprovalPolicy(delays={T.TRANSFER_DOMESTIC: DAY}))
    delayed = world.transfer(100, world.party_holding, world.developer_holding)
    world.do(
        commands.ChangeAccountStatus(
            actor_id=ADMINISTRATOR, account_id=world.developer_holding, status=AccountStatus.SUSPENDED
        )
    )
    world.clock.advance(DAY)

    [terminated] = world.do(commands.ExecuteDueTransactions()).results

    assert terminated.transaction_id == delayed.transaction_id
    assert terminated.status is S.TERMINATED
    assert terminated.reason is not None
    assert terminated.reason.startswith("LDG-003")
    assert all(b.is_available for b in world.blocks_of(world.party_holding))
    assert world.state.outbox[-1].type == "ledger.transaction.terminated.v1"


def test_an_issuance_held_for_approval_takes_no_serials_until_it_happens() -> None:
    world = ghana().with_policy(ApprovalPolicy(four_eyes=frozenset({T.ISSUANCE})))
    held = world.issue(1_000)
    assert world.state.blocks == {}
    world.with_policy(ApprovalPolicy())
    world.issue(10)

    approved = world.do(commands.ApproveTransaction(actor_id=APPROVER, transaction_id=held.transaction_id))

    assert approved.status is S.COMPLETED
    assert approved.units[0].first_itmo_id == "CA0001-GHA01-GHA-11-2023"


def test_an_acquisition_is_never_held() -> None:
    policy = ApprovalPolicy(four_eyes=frozenset(T), delays=dict.fromkeys(T, DAY))

    assert not policy.requires_approval(T.ACQUISITION)
    assert policy.delay_for(T.ACQUISITION) is None
    assert policy.requires_approval(T.TRANSFER_DOMESTIC)


def test_a_transfer_abroad_that_needs_a_person_waits_even_where_the_policy_holds_nothing() -> None:
    world = with_units(ApprovalPolicy())
    world.authorize(1_000, world.authorization(purposes=frozenset({Purpose.NDC})), world.party_holding)
    request = commands.RequestInternationalTransfer(
        actor_id=REPRESENTATIVE,
        source_account_id=world.party_holding,
        external_account_id=world.switzerland,
        quantity=100,
        needs_person=True,
    )

    held = world.do(request)
    approved = world.do(commands.ApproveTransaction(actor_id=APPROVER, transaction_id=held.transaction_id))

    assert (held.type, held.status) == (T.FIRST_TRANSFER, S.AWAITING_APPROVAL)
    assert approved.status is S.AWAITING_ACCEPTANCE
