from datetime import UTC, datetime, timedelta, timezone
from itertools import product

import pytest

from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.transactions import (
    FINAL_STATUSES,
    TRANSITIONS,
    ActionDetails,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from services.shared.ids import new_id

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
INITIATOR = new_id()
S = TransactionStatus


def proposed(type: TransactionType = TransactionType.TRANSFER_DOMESTIC, **details: object) -> Transaction:
    return Transaction.propose(
        number="GHA-T-00000001",
        type=type,
        initiator_id=INITIATOR,
        at=NOW,
        quantity=10,
        details=ActionDetails(**details),
    )  # type: ignore[arg-type]


def test_the_final_statuses_are_completed_rejected_cancelled_and_terminated() -> None:
    assert {S.COMPLETED, S.REJECTED, S.CANCELLED, S.TERMINATED} == FINAL_STATUSES


@pytest.mark.parametrize(("current", "target"), list(product(S, S)))
def test_only_the_transitions_in_the_table_are_allowed(current: S, target: S) -> None:
    transaction = proposed()
    transaction.status = current
    if target in TRANSITIONS[current]:
        transaction._become(target, NOW)
        assert transaction.status is target
    else:
        with pytest.raises(CheckFailed) as failure:
            transaction._become(target, NOW)
        assert failure.value.code == "LDG-071"
        assert transaction.status is current


def test_a_transaction_records_each_status_it_takes() -> None:
    transaction = proposed()
    transaction.mark_checked(NOW)
    transaction.hold_for_approval(NOW)
    transaction.approve(new_id(), NOW)
    transaction.delay(NOW + timedelta(hours=26), NOW)
    transaction.complete(NOW + timedelta(hours=26), [])

    statuses = [change.status for change in transaction.history]
    assert statuses == [S.PROPOSED, S.CHECKED, S.AWAITING_APPROVAL, S.AWAITING_APPROVAL, S.DELAYED, S.COMPLETED]
    assert transaction.execute_after == NOW + timedelta(hours=26)
    assert [e.type for e in transaction.events] == [
        "ledger.transaction.held_for_approval.v1",
        "ledger.transaction.delayed.v1",
    ]


def test_the_initiator_never_approves_their_own_transaction() -> None:
    transaction = proposed()
    transaction.mark_checked(NOW)
    transaction.hold_for_approval(NOW)

    with pytest.raises(CheckFailed) as failure:
        transaction.approve(INITIATOR, NOW)
    assert failure.value.code == "LDG-072"
    assert transaction.approver_id is None


def test_only_a_transaction_awaiting_approval_is_approved() -> None:
    transaction = proposed()

    with pytest.raises(CheckFailed) as failure:
        transaction.approve(new_id(), NOW)
    assert failure.value.code == "LDG-071"


def test_ending_a_transaction_needs_a_reason() -> None:
    transaction = proposed()
    transaction.mark_checked(NOW)
    transaction.hold_for_approval(NOW)

    with pytest.raises(CheckFailed) as failure:
        transaction.reject(new_id(), NOW, "  ")
    assert failure.value.code == "LDG-075"


@pytest.mark.parametrize(
    ("type", "missing"),
    [
        (TransactionType.RETIREMENT, "beneficiary"),
        (TransactionType.USE_NDC, "ndc_year"),
        (TransactionType.USE_OIMP, "oimp_purpose"),
        (TransactionType.TRANSFER_INTERNATIONAL, "acquiring_party"),
        (TransactionType.ACQUISITION, "transferring_party"),
        (TransactionType.ISSUANCE, "issuance_id"),
        (TransactionType.AUTHORIZATION, "authorization_id"),
    ],
)
def test_an_action_has_every_field_its_aef_row_needs(type: TransactionType, missing: str) -> None:
    with pytest.raises(CheckFailed) as failure:
        proposed(type)
    assert (failure.value.code, failure.value.field) == ("LDG-075", missing)


@pytest.mark.parametrize("quantity", [0, -1, 2.5, True, "10"])
def test_a_transaction_moves_a_positive_whole_number_of_units(quantity: object) -> None:
    with pytest.raises(CheckFailed) as failure:
        Transaction.propose(
            number="T", type=TransactionType.TRANSFER_DOMESTIC, initiator_id=INITIATOR, at=NOW, quantity=quantity
        )  # type: ignore[arg-type]
    assert failure.value.code == "LDG-011"


NAIVE = datetime(2025, 6, 2, 9, 0)  # noqa: DTZ001 - naive on purpose
IN_CAIRO = datetime(2025, 6, 2, 11, 0, tzinfo=timezone(timedelta(hours=2)))


@pytest.mark.parametrize("moment", [NAIVE, IN_CAIRO])
def test_every_time_of_an_action_is_utc(moment: datetime) -> None:
    with pytest.raises(CheckFailed) as failure:
        Transaction.propose(
            number="T", type=TransactionType.TRANSFER_DOMESTIC, initiator_id=INITIATOR, at=moment, quantity=1
        )
    assert failure.value.code == "LDG-076"


def test_the_journaled_outcome_carries_the_journal_sequence() -> None:
    transaction = proposed()
    transaction.mark_checked(NOW)
    transaction.complete(NOW, [])

    transaction.journaled(7, NOW)

    [event] = transaction.events
    assert event.type == "ledger.transaction.completed.v1"
    assert event.to_data()["journal_sequence"] == 7


def test_the_summary_is_plain_json() -> None:
    transaction = proposed(TransactionType.RETIREMENT, beneficiary="A school")

    summary = transaction.summary()

    assert summary["details"]["beneficiary"] == "A school"  # type: ignore[index,call-overload]
    assert "events" not in summary


def test_a_transaction_proposed_without_a_number_records_no_event_until_it_has_one() -> None:
    def unnumbered() -> Transaction:
        transaction = Transaction.propose(
            type=TransactionType.TRANSFER_DOMESTIC, initiator_id=INITIATOR, at=NOW, quantity=10
        )
        transaction.mark_checked(NOW)
        return transaction

    early = unnumbered()
    with pytest.raises(ValueError, match="before it is numbered"):
        early.hold_for_approval(NOW)
    assert early.events == []

    numbered_first = unnumbered()
    numbered_first.numbered("GHA-T-00000007")
    numbered_first.hold_for_approval(NOW)
    assert [event.transaction_number for event in numbered_first.events] == ["GHA-T-00000007"]  # type: ignore[attr-defined]
