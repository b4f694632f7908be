from datetime import UTC, datetime, timedelta

import pytest

from services.interregistry.domain.outbound import (
    MAX_ATTEMPTS,
    BadAcknowledgement,
    OutboundStatus,
    after_failure,
    backoff,
    check_acknowledgement,
)

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def ack(message_id: str = "m-1", status: str = "received", kind: str = "interregistry.message.acknowledged.v1") -> dict:
    return {"type": kind, "data": {"message_id": message_id, "transfer_id": "t-1", "status": status}}


def test_the_wait_doubles_after_each_failure_up_to_a_ceiling() -> None:
    waits = [backoff(n) for n in range(1, 6)]

    assert waits == [timedelta(seconds=s) for s in (30, 60, 120, 240, 480)]
    assert backoff(40) == timedelta(hours=6)


def test_a_message_dead_letters_at_the_cap_and_not_before() -> None:
    assert after_failure(MAX_ATTEMPTS - 1, NOW) == (OutboundStatus.PENDING, NOW + backoff(MAX_ATTEMPTS - 1))
    assert after_failure(MAX_ATTEMPTS, NOW) == (OutboundStatus.DEAD, NOW)


@pytest.mark.parametrize("status", ["received", "duplicate"])
def test_an_acknowledgement_of_the_message_from_the_peer_is_taken(status: str) -> None:
    assert check_acknowledgement(ack(status=status), "m-1", "CHE01", "CHE01") == status


@pytest.mark.parametrize(
    ("answer", "signer"),
    [
        (ack(), "FRA01"),
        (ack(message_id="m-2"), "CHE01"),
        (ack(status="accepted"), "CHE01"),
        (ack(kind="interregistry.transfer.accepted.v1"), "CHE01"),
        ({"type": "interregistry.message.acknowledged.v1"}, "CHE01"),
    ],
)
def test_anything_else_is_not_an_acknowledgement(answer: dict, signer: str) -> None:
    with pytest.raises(BadAcknowledgement):
        check_acknowledgement(answer, "m-1", "CHE01", signer)
