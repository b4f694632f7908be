"""Machine clients: registered by a registry administrator, authenticated by a secret or by their own key."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.identity.domain.clients import CLIENT_ACTIONS, Client, public_key_set
from services.identity.domain.errors import InvalidClient
from services.identity.domain.roles import TENANT_ROLES, Role
from services.identity.service_layer.accounts import Credentials
from services.identity.service_layer.ports import IdentityUnitOfWork


@dataclass(frozen=True)
class CreateClient:
    name: str
    roles: frozenset[Role]
    organization_id: UUID | None = None
    public_keys: tuple[dict[str, Any], ...] | None = None  # private_key_jwt instead of a secret
    allowed_actions: frozenset[str] | None = None
    allowed_accounts: frozenset[UUID] | None = None


def create_client(
    command: CreateClient, uow: IdentityUnitOfWork, credentials: Credentials
) -> tuple[Client, str | None]:
    """A new client and its secret (None for a client with its own key); a secret is shown once and stored
    only as a hash."""
    _check(command)
    secret = None if command.public_keys is not None else secrets.token_urlsafe(32)
    client = Client(
        client_id=f"cli_{secrets.token_hex(12)}",
        name=command.name.strip(),
        secret_hash=credentials.hasher.hash(secret) if secret is not None else None,
        created_at=credentials.clock.now(),
        roles=sorted(r.value for r in command.roles),
        organization_id=command.organization_id,
        public_jwks=_key_set(command.public_keys),
        allowed_actions=sorted(command.allowed_actions) if command.allowed_actions is not None else None,
        allowed_accounts=sorted(str(a) for a in command.allowed_accounts)
        if command.allowed_accounts is not None
        else None,
    )
    with uow:
        if command.organization_id is not None and uow.organizations.get(command.organization_id) is None:
            raise InvalidClient("organization_id names no organization of this registry: create it first")
        uow.clients.add(client)
        uow.commit()
    return client, secret


def _check(command: CreateClient) -> None:
    if not command.name.strip():
        raise InvalidClient("name must not be empty: say which system will use this client")
    if not command.roles or not command.roles <= TENANT_ROLES:
        raise InvalidClient("give the client one or more registry roles: " + ", ".join(sorted(TENANT_ROLES)))
    if Role.ACCOUNT_REPRESENTATIVE in command.roles and command.organization_id is None:
        raise InvalidClient("an account representative client acts for an organization: give its organization_id")
    unknown = (command.allowed_actions or frozenset()) - frozenset(CLIENT_ACTIONS)
    if unknown:
        raise InvalidClient(f"unknown actions {sorted(unknown)}: choose among " + ", ".join(CLIENT_ACTIONS))


def _key_set(keys: tuple[dict[str, Any], ...] | None) -> dict[str, Any] | None:
    if keys is None:
        return None
    try:
        return public_key_set(list(keys))
    except ValueError as error:
        raise InvalidClient(str(error)) from None


def find_client(client_id: str, uow: IdentityUnitOfWork) -> Client | None:
    with uow:
        client = uow.clients.get(client_id)
        return None if client is None or client.disabled else client


def list_clients(uow: IdentityUnitOfWork) -> list[Client]:
    with uow:
        return uow.clients.list()
