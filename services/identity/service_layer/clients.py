"""Machine clients: registered by a registry administrator, authenticated by client credentials."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from uuid import UUID

from services.identity.domain.clients import Client
from services.identity.domain.errors import InvalidClient
from services.identity.domain.roles import TENANT_ROLES, Role
from services.identity.service_layer.accounts import Credentials
from services.identity.service_layer.ports import IdentityUnitOfWork


@dataclass(frozen=True)
class CreateClient:
    name: str
    roles: frozenset[Role]
    organization_id: UUID | None = None


def create_client(command: CreateClient, uow: IdentityUnitOfWork, credentials: Credentials) -> tuple[Client, str]:
    """A new client and its secret; the secret is shown once and stored only as a hash."""
    if not command.name.strip():
        raise InvalidClient("name must not be empty: say which system will use this client")
    if not command.roles or not command.roles <= TENANT_ROLES:
        raise InvalidClient("give the client one or more registry roles: " + ", ".join(sorted(TENANT_ROLES)))
    if Role.ACCOUNT_REPRESENTATIVE in command.roles and command.organization_id is None:
        raise InvalidClient("an account representative client acts for an organization: give its organization_id")
    secret = secrets.token_urlsafe(32)
    client = Client(
        client_id=f"cli_{secrets.token_hex(12)}",
        name=command.name.strip(),
        secret_hash=credentials.hasher.hash(secret),
        created_at=credentials.clock.now(),
        roles=sorted(r.value for r in command.roles),
        organization_id=command.organization_id,
    )
    with uow:
        if command.organization_id is not None and uow.organizations.get(command.organization_id) is None:
            raise InvalidClient("organization_id names no organization of this registry: create it first")
        uow.clients.add(client)
        uow.commit()
    return client, secret


def find_client(client_id: str, uow: IdentityUnitOfWork) -> Client | None:
    with uow:
        client = uow.clients.get(client_id)
        return None if client is None or client.disabled else client


def list_clients(uow: IdentityUnitOfWork) -> list[Client]:
    with uow:
        return uow.clients.list()
