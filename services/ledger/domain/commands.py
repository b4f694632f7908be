"""Commands: what a user or another context asks the ledger to do, named in the imperative.

Commands carry no generated ids, so a retry with the same idempotency key is the same request;
handlers create ids and return them in their result.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from services.ledger.domain.accounts import AccountStatus, AccountType, OimpAction
from services.ledger.domain.acquisitions import IncomingBlock
from services.ledger.domain.authorizations import AuthorizationTerms
from services.ledger.domain.blocks import UnitFilter
from services.ledger.domain.reference import ApproachStatus, CreditingPeriod, Location, ProjectStatus
from services.ledger.domain.values import Metric, MitigationType, UnitType, VintageQuantity
from services.shared.messages import Command

# Reference data


@dataclass(frozen=True, kw_only=True)
class RecordCooperativeApproach(Command):
    """Record a cooperative approach, or its new name, Parties or status."""

    actor_id: UUID
    cooperative_approach_id: str
    name: str
    participating_parties: frozenset[str]
    status: ApproachStatus = ApproachStatus.ACTIVE


@dataclass(frozen=True, kw_only=True)
class RecordProject(Command):
    actor_id: UUID
    name: str
    developer: str
    sector: str
    project_type: str
    methodology: str
    status: ProjectStatus
    country: str
    cooperative_approach_id: str | None = None
    developer_id: UUID | None = None
    locations: tuple[Location, ...] = ()
    links: tuple[str, ...] = ()
    crediting_periods: tuple[CreditingPeriod, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RecordIssuance(Command):
    actor_id: UUID
    project_id: UUID
    monitoring_start: date
    monitoring_end: date
    verifier: str
    verified_on: date
    issued_on: date
    quantities: tuple[VintageQuantity, ...]


@dataclass(frozen=True, kw_only=True)
class RecordAuthorizedEntity(Command):
    """Record an authorized entity; with `entity_id`, record the revocation of an existing one."""

    actor_id: UUID
    cooperative_approach_id: str
    name: str
    country_of_incorporation: str
    identification_number: str
    authorized_on: date
    organization_id: UUID | None = None
    conditions: str = ""
    change_conditions: str = ""
    entity_id: UUID | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class RecordAuthorization(Command):
    """Record version 1 of a new authorization, or, with `authorization_id`, its next version."""

    actor_id: UUID
    reference: str
    terms: AuthorizationTerms
    authorization_id: UUID | None = None


# Accounts


@dataclass(frozen=True, kw_only=True)
class OpenAccount(Command):
    actor_id: UUID
    account_type: AccountType
    name: str
    metric: Metric = field(default_factory=Metric)
    holder_id: UUID | None = None
    ndc_year: int | None = None
    oimp_purpose: str | None = None
    oimp_action: OimpAction | None = None
    external_party: str | None = None
    external_registry_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChangeAccountStatus(Command):
    actor_id: UUID
    account_id: UUID
    status: AccountStatus


# Unit actions


@dataclass(frozen=True, kw_only=True)
class IssueUnits(Command):
    actor_id: UUID
    issuance_id: UUID
    account_id: UUID
    cooperative_approach_id: str
    vintage: int
    quantity: int
    unit_type: UnitType = UnitType.MITIGATION_OUTCOME
    mitigation_type: MitigationType = MitigationType.REDUCTIONS
    metric: Metric = field(default_factory=Metric)
    authorization_id: UUID | None = None
    underlying_registry_id: str | None = None
    underlying_first_unit_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class AuthorizeUnits(Command):
    actor_id: UUID
    account_id: UUID
    authorization_id: UUID
    quantity: int
    unit_filter: UnitFilter = field(default_factory=UnitFilter)


@dataclass(frozen=True, kw_only=True)
class TransferUnits(Command):
    actor_id: UUID
    source_account_id: UUID
    destination_account_id: UUID
    quantity: int
    unit_filter: UnitFilter = field(default_factory=UnitFilter)


@dataclass(frozen=True, kw_only=True)
class RequestInternationalTransfer(Command):
    actor_id: UUID
    source_account_id: UUID
    external_account_id: UUID
    quantity: int
    unit_filter: UnitFilter = field(default_factory=UnitFilter)
    # The initiator cannot be the only one to decide (a machine client): a person approves it, whatever the policy.
    needs_person: bool = False


@dataclass(frozen=True, kw_only=True)
class CompleteInternationalTransfer(Command):
    """The acquiring registry accepted the transfer."""

    actor_id: UUID
    transaction_id: UUID


@dataclass(frozen=True, kw_only=True)
class ReverseInternationalTransfer(Command):
    """The acquiring registry refused the transfer: return the units."""

    actor_id: UUID
    transaction_id: UUID
    reason: str


@dataclass(frozen=True)
class ForeignAuthorization:
    """Another Party's authorization, as its registry sent it with a transfer."""

    authorization_id: UUID
    reference: str
    terms: AuthorizationTerms


@dataclass(frozen=True, kw_only=True)
class RecordAcquisition(Command):
    actor_id: UUID
    incoming_transfer_id: UUID
    transferring_party: str
    transferring_registry_id: str
    account_id: UUID
    blocks: tuple[IncomingBlock, ...]
    authorizations: tuple[ForeignAuthorization, ...] = ()


@dataclass(frozen=True, kw_only=True)
class UseUnitsTowardsNdc(Command):
    actor_id: UUID
    source_account_id: UUID
    ndc_account_id: UUID
    ndc_year: int
    quantity: int
    unit_filter: UnitFilter = field(default_factory=UnitFilter)


@dataclass(frozen=True, kw_only=True)
class UseUnitsForOimp(Command):
    """Use or cancel units for OIMP, as the OIMP account says; it names the purpose (e.g. CORSIA)."""

    actor_id: UUID
    source_account_id: UUID
    oimp_account_id: UUID
    quantity: int
    unit_filter: UnitFilter = field(default_factory=UnitFilter)


@dataclass(frozen=True, kw_only=True)
class CancelUnits(Command):
    """Cancel units voluntarily or for OMGE, as the cancellation account's type says."""

    actor_id: UUID
    source_account_id: UUID
    cancellation_account_id: UUID
    quantity: int
    unit_filter: UnitFilter = field(default_factory=UnitFilter)


@dataclass(frozen=True, kw_only=True)
class RetireUnits(Command):
    actor_id: UUID
    source_account_id: UUID
    retirement_account_id: UUID
    quantity: int
    beneficiary: str
    reason: str | None = None
    unit_filter: UnitFilter = field(default_factory=UnitFilter)


# Transaction lifecycle


@dataclass(frozen=True, kw_only=True)
class ApproveTransaction(Command):
    actor_id: UUID
    transaction_id: UUID


@dataclass(frozen=True, kw_only=True)
class RejectTransaction(Command):
    actor_id: UUID
    transaction_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class CancelTransaction(Command):
    actor_id: UUID
    transaction_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class ExecuteDueTransactions(Command):
    """Execute every delayed transaction whose delay has passed (run by a scheduler)."""


@dataclass(frozen=True, kw_only=True)
class ReleaseTransaction(Command):
    """An administrator releases a movement held over a limit; it goes on to approval, delay or execution."""

    actor_id: UUID
    transaction_id: UUID


# Account protection


@dataclass(frozen=True, kw_only=True)
class ProposeTrustedAccount(Command):
    """Propose an account for the holding account's trusted list: of this registry (`registry_id` None) or
    abroad (the registry id and the number of its external account here)."""

    actor_id: UUID
    account_id: UUID
    account_number: str
    registry_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ApproveTrustedAccount(Command):
    actor_id: UUID
    account_id: UUID
    trusted_account_id: UUID


@dataclass(frozen=True, kw_only=True)
class RemoveTrustedAccount(Command):
    actor_id: UUID
    account_id: UUID
    trusted_account_id: UUID


@dataclass(frozen=True, kw_only=True)
class SetAccountLimits(Command):
    """Set the holding account's limits; None is no limit of the account's own (the registry's still apply)."""

    actor_id: UUID
    account_id: UUID
    per_transfer: int | None = None
    per_24_hours: int | None = None
    transfers_per_24_hours: int | None = None


@dataclass(frozen=True, kw_only=True)
class FreezeAccount(Command):
    actor_id: UUID
    account_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class UnfreezeAccount(Command):
    """The first administrator asks, a second one lifts the freeze."""

    actor_id: UUID
    account_id: UUID


@dataclass(frozen=True, kw_only=True)
class FreezeOrganization(Command):
    actor_id: UUID
    organization_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class UnfreezeOrganization(Command):
    """The first administrator asks, a second one lifts the freeze."""

    actor_id: UUID
    organization_id: UUID
