"""A representative's action checks the source account's holder in the action's own database transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine
from uuid6 import uuid7

from gateway.auth.principal import Role
from tests.factories.auth import bearer_token
from tests.integration.ledger_api.world import Registry, issue, transfer


@contextmanager
def counted_transactions() -> Iterator[list[int]]:
    """Counts the database transactions begun on any engine while the block runs."""
    begun = [0]

    def on_begin(connection: Connection) -> None:
        begun[0] += 1

    event.listen(Engine, "begin", on_begin)
    try:
        yield begun
    finally:
        event.remove(Engine, "begin", on_begin)


def retirement(ghana: Registry, quantity: int) -> dict[str, Any]:
    return {
        "source_account_id": ghana.accounts["developer"],
        "retirement_account_id": ghana.accounts["retirement"],
        "quantity": quantity,
        "beneficiary": "Village of Kumasi",
    }


def developer_with_units(ghana: Registry) -> UUID:
    organization = ghana.ok(
        "/organizations", {"name": "Cookstove Ltd", "kind": "project_developer", "country": ghana.party}
    )
    ghana.open_account("developer", "entity_holding", holder_id=organization["id"])
    issue(ghana, 100)
    transfer(ghana, 60, "issuance", "developer")
    return UUID(organization["id"])


def test_a_representatives_action_opens_no_more_transactions_than_the_administrators(ghana: Registry) -> None:
    organization_id = developer_with_units(ghana)
    representative = bearer_token(
        ghana.app, ghana.tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=organization_id
    )
    administrator = bearer_token(ghana.app, ghana.tenant.code, [Role.REGISTRY_ADMIN])
    for token in (administrator, representative):  # warm caches, each token's revocation check among them
        ghana.post_as(token, "/transactions/retirements", retirement(ghana, 1))

    with counted_transactions() as by_administrator:
        unchecked = ghana.post_as(administrator, "/transactions/retirements", retirement(ghana, 2))
    with counted_transactions() as by_representative:
        checked = ghana.post_as(representative, "/transactions/retirements", retirement(ghana, 3))

    assert (unchecked.status_code, checked.status_code) == (201, 201), checked.get_json()
    assert by_representative[0] == by_administrator[0]


def test_a_representative_of_another_organization_gets_not_found_and_changes_nothing(ghana: Registry) -> None:
    developer_with_units(ghana)
    stranger = bearer_token(ghana.app, ghana.tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=uuid7())
    before = ghana.counts()

    refused = ghana.post_as(stranger, "/transactions/retirements", retirement(ghana, 5))

    assert refused.status_code == 404
    assert refused.content_type == "application/problem+json"
    assert refused.get_json()["code"] == "resource.not_found"
    assert ghana.counts() == before
    assert ghana.holdings("developer") == 60
