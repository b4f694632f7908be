"""Every check of an action on units already in the registry, run on the loaded objects.

`verify` changes nothing. It runs at proposal and again when a held action is executed.
"""

from collections.abc import Callable
from datetime import datetime

from services.ledger.domain import catalogue, guard
from services.ledger.domain.accounts import Account, AccountType, OimpAction
from services.ledger.domain.authorizations import AuthorizationTerms
from services.ledger.domain.blocks import UnitBlock
from services.ledger.domain.checks import accounts as account_checks
from services.ledger.domain.checks import authorizations as authorization_checks
from services.ledger.domain.checks import reference as reference_checks
from services.ledger.domain.checks.units import check_registry_not_on_hold
from services.ledger.domain.errors import failed
from services.ledger.domain.first_transfers import first_transfer_trigger
from services.ledger.domain.movements import RULES, Movement
from services.ledger.domain.reference import CooperativeApproach
from services.ledger.domain.registry import RegistrySettings
from services.ledger.domain.transactions import TransactionType

_T = TransactionType


def verify_open(
    transaction_type: TransactionType, source: Account, destination: Account, registry: RegistrySettings
) -> None:
    """The registry and both accounts accept actions; checked first, before any unit is selected."""
    check_registry_not_on_hold(registry)
    account_checks.check_source_open(source)
    if transaction_type is not _T.AUTHORIZATION:
        account_checks.check_destination_open(destination)


def verify(movement: Movement, registry: RegistrySettings, now: datetime) -> None:
    transaction, rule = movement.transaction, RULES[movement.transaction.type]
    verify_open(transaction.type, movement.source, movement.destination, registry)
    guard.check_not_frozen(transaction, movement.source, movement.protection)
    account_checks.check_account_type(movement.source, rule.sources, "source_account_id")
    if transaction.type is not _T.AUTHORIZATION:
        account_checks.check_account_type(movement.destination, rule.destinations, "destination_account_id")
        account_checks.check_accounts_differ(movement.source, movement.destination)
    _ACCOUNT_CHECKS.get(transaction.type, _no_check)(movement, registry, now)
    for block in movement.blocks:
        _verify_block(movement, block, registry, now)


def _verify_block(movement: Movement, block: UnitBlock, registry: RegistrySettings, now: datetime) -> None:
    transaction, rule = movement.transaction, RULES[movement.transaction.type]
    account_checks.check_metric(movement.destination, block, "destination_account_id")
    approach_id = block.attributes.cooperative_approach_id
    approach = reference_checks.require_approach(movement.approaches.get(approach_id), approach_id)
    reference_checks.check_approach_active(approach)
    reference_checks.check_participates(approach, registry.party, "cooperative_approach_id")
    if transaction.type is _T.AUTHORIZATION:
        _verify_authorizing(movement, block, registry, now)
        return
    authorization_id = block.attributes.authorization_id
    if authorization_id is None:
        if rule.needs_authorization:
            authorization_checks.check_units_authorized(block)
        return
    authorization = authorization_checks.require_authorization(
        movement.authorizations.get(authorization_id), authorization_id
    )
    terms = authorization.current
    if first_transfer_trigger(transaction.type, block, terms):
        authorization_checks.check_in_force(authorization, now)
    if rule.purposes:
        authorization_checks.check_purpose(terms, rule.purposes, transaction.type)
    _BLOCK_CHECKS.get(transaction.type, _no_block_check)(movement, block, approach, terms, registry, now)


def _verify_authorizing(movement: Movement, block: UnitBlock, registry: RegistrySettings, now: datetime) -> None:
    authorization = movement.target_authorization
    authorization_checks.check_in_force(authorization, now)
    authorization_checks.check_own_outcomes(block.attributes.first_transferring_party, registry)
    authorization_checks.check_not_yet_authorized(block)
    authorization_checks.check_matches_units(authorization.current, block.attributes)
    authorization_checks.check_timeframe(authorization.current, block.attributes.vintage)
    authorization_checks.check_not_defined_at_issuance(authorization.current)


AccountCheck = Callable[[Movement, RegistrySettings, datetime], None]
BlockCheck = Callable[[Movement, UnitBlock, CooperativeApproach, AuthorizationTerms, RegistrySettings, datetime], None]


def _no_check(movement: Movement, registry: RegistrySettings, now: datetime) -> None:
    return None


def _no_block_check(
    movement: Movement,
    block: UnitBlock,
    approach: CooperativeApproach,
    terms: AuthorizationTerms,
    registry: RegistrySettings,
    now: datetime,
) -> None:
    return None


def _check_ndc_use(movement: Movement, registry: RegistrySettings, now: datetime) -> None:
    year = movement.transaction.details.ndc_year or 0
    authorization_checks.check_ndc_year(year, registry)
    if movement.destination.ndc_year != year:
        raise failed(
            catalogue.NDC_ACCOUNT_YEAR,
            f"Account {movement.destination.number} is for {movement.destination.ndc_year}, not {year}.",
            "destination_account_id",
        )


def _check_oimp_account(movement: Movement, registry: RegistrySettings, now: datetime) -> None:
    wanted = OimpAction.USE if movement.transaction.type is _T.USE_OIMP else OimpAction.CANCELLATION
    if movement.destination.oimp_action is not wanted:
        raise failed(
            catalogue.ACCOUNT_TYPE_ALLOWED,
            f"Account {movement.destination.number} is for OIMP {movement.destination.oimp_action}.",
            "destination_account_id",
        )


def _check_counterparty(movement: Movement, registry: RegistrySettings, now: datetime) -> None:
    account_checks.check_counterparty(movement.destination, registry)


def _check_authorized_quantity(movement: Movement, registry: RegistrySettings, now: datetime) -> None:
    movement.target_authorization.check_room_for(movement.transaction.quantity)


def _check_acquiring_party(
    movement: Movement,
    block: UnitBlock,
    approach: CooperativeApproach,
    terms: AuthorizationTerms,
    registry: RegistrySettings,
    now: datetime,
) -> None:
    party = movement.destination.external_party or ""
    reference_checks.check_participates(approach, party, "destination_account_id")
    authorization_checks.check_party_authorized(terms, party, "destination_account_id")


def _check_ndc_units(
    movement: Movement,
    block: UnitBlock,
    approach: CooperativeApproach,
    terms: AuthorizationTerms,
    registry: RegistrySettings,
    now: datetime,
) -> None:
    authorization_checks.check_acquired_itmo(block, registry)
    authorization_checks.check_party_authorized(terms, registry.party, "destination_account_id")


def _check_holder_entity(
    movement: Movement,
    block: UnitBlock,
    approach: CooperativeApproach,
    terms: AuthorizationTerms,
    registry: RegistrySettings,
    now: datetime,
) -> None:
    if movement.destination.type is AccountType.ENTITY_HOLDING:
        reference_checks.check_entity_authorized(terms, movement.destination, movement.holder_entities, now)


_ACCOUNT_CHECKS: dict[TransactionType, AccountCheck] = {
    _T.USE_NDC: _check_ndc_use,
    _T.USE_OIMP: _check_oimp_account,
    _T.CANCELLATION_OIMP: _check_oimp_account,
    _T.FIRST_TRANSFER: _check_counterparty,
    _T.TRANSFER_INTERNATIONAL: _check_counterparty,
    _T.AUTHORIZATION: _check_authorized_quantity,
}
_BLOCK_CHECKS: dict[TransactionType, BlockCheck] = {
    _T.FIRST_TRANSFER: _check_acquiring_party,
    _T.TRANSFER_INTERNATIONAL: _check_acquiring_party,
    _T.USE_NDC: _check_ndc_units,
    _T.TRANSFER_DOMESTIC: _check_holder_entity,
}
