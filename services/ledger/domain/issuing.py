"""Issuance: units verified for a project come into being in an issuance account.

Serials come from the tenant's counter when the issuance is executed, so an issuance held for
approval or a delay takes no serials until it happens.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from services.ledger.domain import catalogue, events
from services.ledger.domain.accounts import Account, AccountType
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import BlockAttributes, FirstTransfer, UnitBlock
from services.ledger.domain.checks import accounts as account_checks
from services.ledger.domain.checks import authorizations as authorization_checks
from services.ledger.domain.checks import reference as reference_checks
from services.ledger.domain.checks.units import check_registry_not_on_hold, check_vintage_not_in_future
from services.ledger.domain.counters import Counter
from services.ledger.domain.errors import failed
from services.ledger.domain.first_transfers import first_transfer_trigger
from services.ledger.domain.reference import CooperativeApproach, Issuance, Project
from services.ledger.domain.registry import RegistrySettings
from services.ledger.domain.transactions import BlockChange, Transaction, TransactionType
from services.shared.ids import new_id


@dataclass
class Issuing:
    """An issuance action with what its checks and effects need, as the handler loaded it."""

    transaction: Transaction
    account: Account
    issuance: Issuance
    project: Project
    approach: CooperativeApproach
    authorization: Authorization | None

    @property
    def planned(self) -> BlockAttributes:
        planned = self.transaction.details.planned_block
        if planned is None:
            raise failed(catalogue.ACTION_FIELDS_COMPLETE, "The issuance names no units.", "planned_block")
        return planned


def verify_issuance(issuing: Issuing, registry: RegistrySettings, now: datetime) -> None:
    planned, quantity = issuing.planned, issuing.transaction.quantity
    check_registry_not_on_hold(registry)
    account_checks.check_destination_open(issuing.account)
    account_checks.check_account_type(issuing.account, {AccountType.ISSUANCE}, "account_id")
    if issuing.account.metric != planned.metric:
        raise failed(
            catalogue.ACCOUNT_METRIC_MATCHES,
            f"Account {issuing.account.number} holds {issuing.account.metric}, not {planned.metric}.",
            "account_id",
        )
    reference_checks.check_approach_active(issuing.approach)
    reference_checks.check_participates(issuing.approach, registry.party, "cooperative_approach_id")
    _check_project(issuing)
    check_vintage_not_in_future(planned.vintage, now)
    issuing.issuance.check_room_for(planned.vintage, quantity)
    if issuing.authorization is not None:
        _check_authorization(issuing.authorization, planned, quantity, now)


def _check_project(issuing: Issuing) -> None:
    project, approach_id = issuing.project, issuing.planned.cooperative_approach_id
    if issuing.issuance.project_id != project.id:
        raise failed(
            catalogue.REFERENCE_DATA_VALID,
            f"Issuance {issuing.issuance.id} is not for project {project.id}.",
            "issuance_id",
        )
    if project.cooperative_approach_id not in (None, approach_id):
        raise failed(
            catalogue.REFERENCE_DATA_VALID,
            f"Project {project.name} is under {project.cooperative_approach_id}, not {approach_id}.",
            "cooperative_approach_id",
        )


def _check_authorization(authorization: Authorization, planned: BlockAttributes, quantity: int, now: datetime) -> None:
    authorization_checks.check_in_force(authorization, now)
    authorization_checks.check_matches_units(authorization.current, planned)
    authorization_checks.check_timeframe(authorization.current, planned.vintage)
    authorization.check_room_for(quantity)


def issue(issuing: Issuing, serials: Counter, now: datetime) -> UnitBlock:
    """Create the units: take serials, count them against the issuance and the authorization."""
    transaction, quantity, authorization = issuing.transaction, issuing.transaction.quantity, issuing.authorization
    attributes = issuing.planned
    if authorization is not None:
        attributes = replace(
            attributes, authorization_id=authorization.id, authorization_version=authorization.current.version
        )
        authorization.consume(quantity)
    issuing.issuance.issue(attributes.vintage, quantity)
    first = serials.take(quantity)
    block = UnitBlock(
        id=new_id(),
        serial_first=first,
        serial_last=first + quantity - 1,
        attributes=attributes,
        account_id=issuing.account.id,
        underlying_first_unit_id=transaction.details.underlying_first_unit_id,
    )
    terms = authorization.current if authorization else None
    trigger = first_transfer_trigger(TransactionType.ISSUANCE, block, terms)
    if trigger is not None:
        block.mark_first_transferred(FirstTransfer(now, trigger, transaction.id))
    transaction.complete(now, [BlockChange.of(block, None, trigger is not None)])
    if trigger is not None:
        transaction.record(
            events.UnitsFirstTransferred(
                transaction.id,
                transaction.number,
                trigger,
                None,
                (block.snapshot(),),
                now,
            )
        )
    transaction.record(
        events.UnitsIssued(
            transaction.id,
            transaction.number,
            issuing.issuance.id,
            issuing.account.id,
            (block.snapshot(),),
            now,
        )
    )
    return block
