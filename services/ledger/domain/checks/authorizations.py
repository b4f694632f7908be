from datetime import datetime
from uuid import UUID

from services.ledger.domain import catalogue
from services.ledger.domain.authorizations import (
    Authorization,
    AuthorizationTerms,
    FirstTransferDefinition,
    Purpose,
)
from services.ledger.domain.blocks import BlockAttributes, UnitBlock
from services.ledger.domain.errors import failed
from services.ledger.domain.registry import RegistrySettings


def require_authorization(authorization: Authorization | None, authorization_id: UUID | None) -> Authorization:
    if authorization is None:
        raise failed(
            catalogue.AUTHORIZATION_EXISTS, f"There is no authorization {authorization_id}.", "authorization_id"
        )
    return authorization


def check_in_force(authorization: Authorization, at: datetime) -> None:
    if not authorization.in_force_on(at):
        raise failed(
            catalogue.AUTHORIZATION_IN_FORCE,
            f"Authorization {authorization.reference} (version {authorization.current.version}) is not "
            f"in force on {at:%Y-%m-%d}.",
            "authorization_id",
        )


def check_timeframe(terms: AuthorizationTerms, vintage: int) -> None:
    frame = terms.timeframe
    if not frame.covers_vintage(vintage):
        raise failed(
            catalogue.AUTHORIZED_TIMEFRAME,
            f"Vintage {vintage} is outside the authorized {frame.vintage_from}-{frame.vintage_to}.",
            "vintage",
        )


def check_purpose(terms: AuthorizationTerms, accepted: frozenset[Purpose], action: str) -> None:
    if not terms.purposes & accepted:
        raise failed(
            catalogue.AUTHORIZED_PURPOSE,
            f"The units are authorized for {' and '.join(sorted(terms.purposes))}, not for {action}.",
            "quantity",
        )


def check_party_authorized(terms: AuthorizationTerms, party: str, field: str) -> None:
    if terms.authorized_parties and party not in terms.authorized_parties:
        raise failed(catalogue.AUTHORIZED_PARTY, f"The authorization does not name {party}.", field)


def check_matches_units(terms: AuthorizationTerms, attributes: BlockAttributes) -> None:
    if (terms.cooperative_approach_id, terms.metric) != (attributes.cooperative_approach_id, attributes.metric):
        raise failed(
            catalogue.AUTHORIZATION_MATCHES_UNITS,
            f"The authorization is for {terms.cooperative_approach_id} in {terms.metric}; the units are "
            f"for {attributes.cooperative_approach_id} in {attributes.metric}.",
            "authorization_id",
        )


def check_units_authorized(block: UnitBlock) -> None:
    if block.attributes.authorization_id is None:
        raise failed(catalogue.UNITS_AUTHORIZED, f"Units {block.first_itmo_id} are not authorized.", "quantity")


def check_not_yet_authorized(block: UnitBlock) -> None:
    if block.attributes.authorization_id is not None:
        raise failed(
            catalogue.UNITS_NOT_YET_AUTHORIZED, f"Units {block.first_itmo_id} are already authorized.", "quantity"
        )


def check_own_outcomes(party: str, registry: RegistrySettings) -> None:
    if party != registry.party:
        raise failed(
            catalogue.OWN_MITIGATION_OUTCOMES,
            f"The units were first transferable by {party}, not by {registry.party}.",
            "quantity",
        )


def check_not_defined_at_issuance(terms: AuthorizationTerms) -> None:
    """Units already issued cannot take an authorization whose first transfer is their issuance."""
    if terms.covers_oimp and terms.oimp_first_transfer is FirstTransferDefinition.ISSUANCE:
        raise failed(
            catalogue.FIRST_TRANSFER_TRIGGER,
            "This authorization makes issuance the first transfer; issue new units under it.",
            "authorization_id",
        )


def check_ndc_year(year: int, registry: RegistrySettings) -> None:
    period = registry.ndc_period
    if not period.contains(year):
        raise failed(
            catalogue.NDC_YEAR_IN_PERIOD,
            f"{year} is outside the NDC implementation period {period.first_year}-{period.last_year}.",
            "ndc_year",
        )


def check_acquired_itmo(block: UnitBlock, registry: RegistrySettings) -> None:
    if block.attributes.first_transferring_party == registry.party or block.first_transfer is None:
        raise failed(
            catalogue.NDC_USE_OF_ACQUIRED_ITMOS,
            f"Units {block.first_itmo_id} are not ITMOs first transferred by another Party.",
            "quantity",
        )
