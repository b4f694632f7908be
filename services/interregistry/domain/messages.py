"""The messages registries exchange about an international transfer, hosted or not.

A transfer request travels from the transferring registry (A) to the acquiring registry (B); B answers
with exactly one of `accepted` or `refused`, which makes A complete or reverse its transfer. The same
CloudEvents types travel between hosted tenants through the outbox and, signed, over HTTP to and from
registries that are not on the platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

LEDGER_TRANSFER_REQUESTED = "ledger.transfer.international_requested.v1"
TRANSFER_REQUESTED = "interregistry.transfer.requested.v1"
TRANSFER_ACCEPTED = "interregistry.transfer.accepted.v1"
TRANSFER_REFUSED = "interregistry.transfer.refused.v1"
MESSAGE_ACKNOWLEDGED = "interregistry.message.acknowledged.v1"

MESSAGE_TYPES = (TRANSFER_REQUESTED, TRANSFER_ACCEPTED, TRANSFER_REFUSED, MESSAGE_ACKNOWLEDGED)

REQUIRED_REQUEST_FIELDS = (
    "transfer_id",
    "transaction_number",
    "transferring_party",
    "transferring_registry_id",
    "acquiring_party",
    "acquiring_registry_id",
    "blocks",
    "first_transferred_block_ids",
    "authorizations",
)

ANSWER_TYPES = (TRANSFER_ACCEPTED, TRANSFER_REFUSED)

REQUIRED_ANSWER_FIELDS = ("transfer_id", "transaction_number", "transferring_registry_id", "acquiring_registry_id")


@dataclass(frozen=True)
class TransferRequested:
    """A transferring registry asks the acquiring registry to take units (Article 6.2 transfer).

    The fields of `ledger.transfer.international_requested.v1`; an external sender may add
    `acquiring_account_number` to choose the account that receives the units.
    """

    type: ClassVar[str] = TRANSFER_REQUESTED
    transfer_id: UUID
    transaction_number: str
    transferring_party: str
    transferring_registry_id: str
    acquiring_party: str
    acquiring_registry_id: str
    blocks: tuple[dict[str, Any], ...]
    first_transferred_block_ids: tuple[UUID, ...]
    authorizations: tuple[dict[str, Any], ...]
    requested_at: datetime
    acquiring_account_number: str | None = None


@dataclass(frozen=True)
class TransferAccepted:
    """The acquiring registry recorded the acquisition; the transferring registry completes its transfer."""

    type: ClassVar[str] = TRANSFER_ACCEPTED
    transfer_id: UUID
    transaction_number: str
    transferring_registry_id: str
    acquiring_registry_id: str
    acquisition_transaction_id: UUID
    acquisition_transaction_number: str
    account_number: str


@dataclass(frozen=True)
class TransferRefused:
    """The acquiring registry refused the transfer (a stable `code`, a `reason` for people); it is reversed."""

    type: ClassVar[str] = TRANSFER_REFUSED
    transfer_id: UUID
    transaction_number: str
    transferring_registry_id: str
    acquiring_registry_id: str
    code: str
    reason: str


@dataclass(frozen=True)
class MessageAcknowledged:
    """A registry received a signed message over HTTP (`status` received or duplicate); not its decision."""

    type: ClassVar[str] = MESSAGE_ACKNOWLEDGED
    message_id: UUID
    transfer_id: UUID
    status: str


MESSAGE_CLASSES = (TransferRequested, TransferAccepted, TransferRefused, MessageAcknowledged)


class InvalidMessage(ValueError):
    """A message from another registry that cannot be read; it changes nothing."""


@dataclass(frozen=True)
class Refusal:
    """Why the acquiring registry refused a transfer: a stable code and a sentence for people."""

    code: str
    reason: str


@dataclass(frozen=True)
class Acceptance:
    transaction_id: str
    transaction_number: str
    account_number: str


def check_request(data: dict[str, Any]) -> None:
    missing = [name for name in REQUIRED_REQUEST_FIELDS if name not in data]
    if missing:
        raise InvalidMessage(f"the transfer request lacks {', '.join(missing)}")
    if not isinstance(data["blocks"], list) or not data["blocks"]:
        raise InvalidMessage("the transfer request names no blocks of units")


def check_answer(message_type: str, data: dict[str, Any]) -> UUID:
    """The transfer an acquiring registry's answer settles; InvalidMessage when it cannot be read."""
    required = REQUIRED_ANSWER_FIELDS + (("code", "reason") if message_type == TRANSFER_REFUSED else ())
    missing = [name for name in required if not data.get(name)]
    if missing:
        raise InvalidMessage(f"the {message_type} answer lacks {', '.join(missing)}")
    try:
        return UUID(str(data["transfer_id"]))
    except ValueError as error:
        raise InvalidMessage(f"transfer_id {data['transfer_id']!r} is not a UUID") from error


def reply_data(request: dict[str, Any], outcome: Acceptance | Refusal) -> dict[str, Any]:
    """The answer to `request`: who it concerns, and what the acquiring registry decided."""
    data: dict[str, Any] = {
        "transfer_id": request["transfer_id"],
        "transaction_number": request["transaction_number"],
        "transferring_registry_id": request["transferring_registry_id"],
        "acquiring_registry_id": request["acquiring_registry_id"],
    }
    if isinstance(outcome, Refusal):
        return data | {"code": outcome.code, "reason": outcome.reason}
    return data | {
        "acquisition_transaction_id": outcome.transaction_id,
        "acquisition_transaction_number": outcome.transaction_number,
        "account_number": outcome.account_number,
    }


def reply_type(outcome: Acceptance | Refusal) -> str:
    return TRANSFER_REFUSED if isinstance(outcome, Refusal) else TRANSFER_ACCEPTED
