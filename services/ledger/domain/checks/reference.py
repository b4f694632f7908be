from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from services.ledger.domain import catalogue
from services.ledger.domain.accounts import Account
from services.ledger.domain.authorizations import AuthorizationTerms
from services.ledger.domain.catalogue import Check
from services.ledger.domain.errors import failed
from services.ledger.domain.reference import ApproachStatus, AuthorizedEntity, CooperativeApproach

Found = TypeVar("Found")


def require(record: Found | None, check: Check, detail: str, field: str) -> Found:
    if record is None:
        raise failed(check, detail, field)
    return record


def require_approach(approach: CooperativeApproach | None, approach_id: str) -> CooperativeApproach:
    return require(
        approach,
        catalogue.COOPERATIVE_APPROACH_EXISTS,
        f"There is no cooperative approach {approach_id}.",
        "cooperative_approach_id",
    )


def check_approach_active(approach: CooperativeApproach) -> None:
    if approach.status is not ApproachStatus.ACTIVE:
        raise failed(
            catalogue.COOPERATIVE_APPROACH_ACTIVE,
            f"Cooperative approach {approach.id} is {approach.status}.",
            "cooperative_approach_id",
        )


def check_participates(approach: CooperativeApproach, party: str, field: str) -> None:
    if not approach.includes(party):
        raise failed(
            catalogue.PARTY_PARTICIPATES, f"{party} does not take part in cooperative approach {approach.id}.", field
        )


def check_entity_authorized(
    terms: AuthorizationTerms, account: Account, entities: Iterable[AuthorizedEntity], at: datetime
) -> None:
    """A holder of units whose authorization names entities must be one of them, and still active."""
    if not terms.authorized_entities:
        return
    named = [e for e in entities if e.id in terms.authorized_entities and e.organization_id == account.holder_id]
    if not named:
        raise failed(
            catalogue.AUTHORIZED_ENTITY,
            f"The holder of account {account.number} is not an entity the authorization names.",
            "destination_account_id",
        )
    if not any(entity.is_active(at) for entity in named):
        raise failed(
            catalogue.AUTHORIZED_ENTITY_ACTIVE,
            f"The authorization of {named[0].name} was revoked.",
            "destination_account_id",
        )
