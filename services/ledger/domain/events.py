"""Domain events: past-tense facts with versioned type names, recorded by aggregates.

The outbox writer serializes `to_data()`; a block appears as a `BlockSnapshot`, first and last ITMO id
included, so consumers never need the ledger's tables.
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from services.shared.messages import Event, JsonValue


@dataclass(frozen=True)
class BlockSnapshot:
    block_id: UUID
    first_itmo_id: str
    last_itmo_id: str
    serial_first: int
    serial_last: int
    quantity: int
    cooperative_approach_id: str
    registry_id: str
    first_transferring_party: str
    vintage: int
    metric: str
    unit_type: str
    mitigation_type: str
    authorization_id: UUID | None
    authorization_version: int | None
    project_id: UUID | None
    issuance_id: UUID | None
    underlying_registry_id: str | None
    underlying_first_unit_id: int | None
    underlying_last_unit_id: int | None
    account_id: UUID
    state: str
    first_transferred_at: datetime | None
    first_transfer_trigger: str | None


# Reference data and accounts


@dataclass(frozen=True)
class CooperativeApproachRecorded(Event):
    """A cooperative approach was recorded, or its name, Parties or status changed."""

    type = "ledger.cooperative_approach.recorded.v1"
    cooperative_approach_id: str
    name: str
    participating_parties: frozenset[str]
    status: str


@dataclass(frozen=True)
class ProjectRecorded(Event):
    """A mitigation activity (project) was recorded."""

    type = "ledger.project.recorded.v1"
    project_id: UUID
    name: str
    developer: str
    sector: str
    project_type: str
    methodology: str
    status: str
    country: str
    cooperative_approach_id: str | None


@dataclass(frozen=True)
class IssuanceRecorded(Event):
    """A verified issuance (quantities per vintage) was recorded for a project."""

    type = "ledger.issuance.recorded.v1"
    issuance_id: UUID
    project_id: UUID
    monitoring_start: date
    monitoring_end: date
    verifier: str
    verified_on: date
    issued_on: date
    quantities: dict[str, JsonValue]


@dataclass(frozen=True)
class AuthorizedEntityRecorded(Event):
    """An entity authorized under a cooperative approach was recorded or revoked."""

    type = "ledger.authorized_entity.recorded.v1"
    entity_id: UUID
    cooperative_approach_id: str
    organization_id: UUID | None
    name: str
    country_of_incorporation: str
    identification_number: str
    authorized_on: date
    conditions: str
    revoked_at: datetime | None


@dataclass(frozen=True)
class AuthorizationRecorded(Event):
    """A version of an authorization was recorded; `terms` holds its AEF Table 2 fields."""

    type = "ledger.authorization.recorded.v1"
    authorization_id: UUID
    reference: str
    version: int
    terms: dict[str, JsonValue]


@dataclass(frozen=True)
class AccountOpened(Event):
    """An account was opened; `details` holds its type-specific fields."""

    type = "ledger.account.opened.v1"
    account_id: UUID
    number: str
    account_type: str
    metric: str
    name: str
    holder_id: UUID | None
    details: dict[str, JsonValue]
    opened_at: datetime


@dataclass(frozen=True)
class AccountStatusChanged(Event):
    """An account was suspended, reopened or closed."""

    type = "ledger.account.status_changed.v1"
    account_id: UUID
    number: str
    previous_status: str
    status: str
    changed_at: datetime


# Unit actions: every one names its transaction and carries the blocks it touched


@dataclass(frozen=True)
class UnitsIssued(Event):
    """Units were issued into an issuance account."""

    type = "ledger.units.issued.v1"
    transaction_id: UUID
    transaction_number: str
    issuance_id: UUID
    account_id: UUID
    blocks: tuple[BlockSnapshot, ...]
    executed_at: datetime


@dataclass(frozen=True)
class UnitsAuthorized(Event):
    """Units were authorized under a version of an authorization (AEF action Authorization)."""

    type = "ledger.units.authorized.v1"
    transaction_id: UUID
    transaction_number: str
    authorization_id: UUID
    authorization_version: int
    account_id: UUID
    blocks: tuple[BlockSnapshot, ...]
    executed_at: datetime


@dataclass(frozen=True)
class UnitsFirstTransferred(Event):
    """Units were first transferred; `trigger` says which event was the first transfer."""

    type = "ledger.units.first_transferred.v1"
    transaction_id: UUID
    transaction_number: str
    trigger: str
    acquiring_party: str | None
    blocks: tuple[BlockSnapshot, ...]
    executed_at: datetime


@dataclass(frozen=True)
class UnitsTransferred(Event):
    """Units moved between two accounts of this registry."""

    type = "ledger.units.transferred.v1"
    transaction_id: UUID
    transaction_number: str
    from_account_id: UUID
    to_account_id: UUID
    blocks: tuple[BlockSnapshot, ...]
    executed_at: datetime


@dataclass(frozen=True)
class InternationalTransferRequested(Event):
    """Everything the acquiring registry needs to record the acquisition, authorizations included.

    `first_transferred_block_ids` names the blocks this transfer first transfers once it is accepted.
    """

    type = "ledger.transfer.international_requested.v1"
    transfer_id: UUID
    transaction_number: str
    from_account_id: UUID
    external_account_id: UUID
    transferring_party: str
    transferring_registry_id: str
    acquiring_party: str
    acquiring_registry_id: str
    blocks: tuple[BlockSnapshot, ...]
    first_transferred_block_ids: tuple[UUID, ...]
    authorizations: tuple[dict[str, JsonValue], ...]
    requested_at: datetime


@dataclass(frozen=True)
class InternationalTransferCompleted(Event):
    """The acquiring registry accepted a transfer; the units left this registry."""

    type = "ledger.transfer.international_completed.v1"
    transfer_id: UUID
    transaction_number: str
    acquiring_party: str
    blocks: tuple[BlockSnapshot, ...]
    executed_at: datetime


@dataclass(frozen=True)
class InternationalTransferReversed(Event):
    """The acquiring registry refused a transfer; the units returned to their account."""

    type = "ledger.transfer.international_reversed.v1"
    transfer_id: UUID
    transaction_number: str
    reason: str
    blocks: tuple[BlockSnapshot, ...]
    reversed_at: datetime


@dataclass(frozen=True)
class AcquisitionRecorded(Event):
    """Units transferred from another Party's registry were recorded (AEF action Acquisition)."""

    type = "ledger.acquisition.recorded.v1"
    transaction_id: UUID
    transaction_number: str
    incoming_transfer_id: UUID
    transferring_party: str
    transferring_registry_id: str
    account_id: UUID
    blocks: tuple[BlockSnapshot, ...]
    executed_at: datetime


@dataclass(frozen=True)
class UnitsUsed(Event):
    """Units were used towards an NDC (with the calendar year of use) or for OIMP."""

    type = "ledger.units.used.v1"
    transaction_id: UUID
    transaction_number: str
    purpose: str
    ndc_year: int | None
    oimp_purpose: str | None
    from_account_id: UUID
    account_id: UUID
    blocks: tuple[BlockSnapshot, ...]
    executed_at: datetime


@dataclass(frozen=True)
class UnitsCancelled(Event):
    """Units were cancelled: voluntarily, for OMGE, or for OIMP (other purposes)."""

    type = "ledger.units.cancelled.v1"
    transaction_id: UUID
    transaction_number: str
    cancellation: str
    oimp_purpose: str | None
    from_account_id: UUID
    account_id: UUID
    blocks: tuple[BlockSnapshot, ...]
    executed_at: datetime


@dataclass(frozen=True)
class UnitsRetired(Event):
    """Units were retired on behalf of a beneficiary."""

    type = "ledger.units.retired.v1"
    transaction_id: UUID
    transaction_number: str
    beneficiary: str
    retirement_reason: str | None
    from_account_id: UUID
    account_id: UUID
    blocks: tuple[BlockSnapshot, ...]
    executed_at: datetime


# Transaction lifecycle


@dataclass(frozen=True)
class TransactionHeldForApproval(Event):
    """A transaction waits for a second person to approve it; its units are reserved."""

    type = "ledger.transaction.held_for_approval.v1"
    transaction_id: UUID
    transaction_number: str
    transaction_type: str
    initiator_id: UUID
    at: datetime
    account_id: UUID | None = None  # the account units leave; absent from payloads before account protection


@dataclass(frozen=True)
class TransactionDelayed(Event):
    """A transaction waits until `execute_after`; it can be cancelled until then. `reason` names the check
    that made it wait (an untrusted acquiring account, the registry's hours) or is None for the policy delay."""

    type = "ledger.transaction.delayed.v1"
    transaction_id: UUID
    transaction_number: str
    transaction_type: str
    execute_after: datetime
    account_id: UUID | None = None
    reason: str | None = None


@dataclass(frozen=True)
class TransactionHeldForRelease(Event):
    """A movement over a limit waits for an administrator to release or reject it; its units are reserved."""

    type = "ledger.transaction.held_for_release.v1"
    transaction_id: UUID
    transaction_number: str
    transaction_type: str
    account_id: UUID
    account_number: str
    check_code: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class TransactionOutcome:
    """The fields of the four final-status events; `journal_sequence` links to the journal record."""

    transaction_id: UUID
    transaction_number: str
    transaction_type: str
    status: str
    reason: str | None
    journal_sequence: int
    at: datetime
    account_id: UUID | None = None  # the account units leave; absent from payloads before account protection
    quantity: int | None = None  # units moved; absent from payloads written before it was added


@dataclass(frozen=True)
class TransactionCompleted(TransactionOutcome, Event):
    """A transaction completed; its journal record is `journal_sequence`."""

    type = "ledger.transaction.completed.v1"


@dataclass(frozen=True)
class TransactionRejected(TransactionOutcome, Event):
    """An approver rejected a transaction; its units were released."""

    type = "ledger.transaction.rejected.v1"


@dataclass(frozen=True)
class TransactionCancelled(TransactionOutcome, Event):
    """A held transaction was cancelled before execution; its units were released."""

    type = "ledger.transaction.cancelled.v1"


@dataclass(frozen=True)
class TransactionTerminated(TransactionOutcome, Event):
    """A transaction failed a check at execution or was refused abroad; its units were released."""

    type = "ledger.transaction.terminated.v1"


# Account protection


@dataclass(frozen=True)
class TrustedAccountProposed(Event):
    """Someone proposed an account for the holding account's trusted list; a second person approves it."""

    type = "ledger.trusted_account.proposed.v1"
    account_id: UUID
    account_number: str
    trusted_account_id: UUID
    trusted_account_number: str
    trusted_registry_id: str | None
    proposed_by: UUID
    at: datetime


@dataclass(frozen=True)
class TrustedAccountApproved(Event):
    """A second person approved a trusted account; transfers to it go through at once from `active_from`."""

    type = "ledger.trusted_account.approved.v1"
    account_id: UUID
    account_number: str
    trusted_account_id: UUID
    trusted_account_number: str
    trusted_registry_id: str | None
    approved_by: UUID
    active_from: datetime
    at: datetime


@dataclass(frozen=True)
class TrustedAccountRemoved(Event):
    """An account left the holding account's trusted list, at once."""

    type = "ledger.trusted_account.removed.v1"
    account_id: UUID
    account_number: str
    trusted_account_id: UUID
    trusted_account_number: str
    trusted_registry_id: str | None
    removed_by: UUID
    at: datetime


@dataclass(frozen=True)
class AccountFrozen(Event):
    """An administrator froze the account, or its organization (`organization_id`): nothing moves out."""

    type = "ledger.account.frozen.v1"
    account_id: UUID
    account_number: str
    reason: str
    frozen_by: UUID
    organization_id: UUID | None
    at: datetime


@dataclass(frozen=True)
class AccountUnfrozen(Event):
    """A second administrator confirmed the unfreeze one had asked for: units move out again."""

    type = "ledger.account.unfrozen.v1"
    account_id: UUID
    account_number: str
    asked_by: UUID
    unfrozen_by: UUID
    organization_id: UUID | None
    at: datetime
