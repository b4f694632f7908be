"""Pinning a registry's own OIDC identity provider."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from services.identity.domain.errors import InvalidIdentityProvider, UserNotFound
from services.identity.domain.federation import IdentityProvider, validate_provider
from services.identity.service_layer.ports import IdentityUnitOfWork
from services.shared.clock import Clock
from services.shared.ids import new_id


@dataclass(frozen=True)
class AddProvider:
    issuer: str
    audience: str
    jwks_url: str
    role_claim: str = "roles"
    role_mapping: dict[str, str] = field(default_factory=dict)
    algorithms: tuple[str, ...] = ("RS256", "ES256")


def add_provider(command: AddProvider, uow: IdentityUnitOfWork, clock: Clock) -> IdentityProvider:
    provider = IdentityProvider(
        id=new_id(),
        issuer=command.issuer.rstrip("/"),
        audience=command.audience,
        jwks_url=command.jwks_url,
        created_at=clock.now(),
        role_claim=command.role_claim,
        role_mapping=dict(command.role_mapping),
        algorithms=list(command.algorithms),
    )
    validate_provider(provider)
    with uow:
        if uow.providers.by_issuer(provider.issuer) is not None:
            raise InvalidIdentityProvider(f"issuer {provider.issuer} is pinned already: remove it first to change it")
        uow.providers.add(provider)
        uow.commit()
    return provider


def provider_for(issuer: str, uow: IdentityUnitOfWork) -> IdentityProvider | None:
    with uow:
        return uow.providers.by_issuer(issuer.rstrip("/"))


def list_providers(uow: IdentityUnitOfWork) -> list[IdentityProvider]:
    with uow:
        return uow.providers.list()


def remove_provider(provider_id: UUID, uow: IdentityUnitOfWork) -> None:
    with uow:
        provider = uow.providers.get(provider_id)
        if provider is None:
            raise UserNotFound("no such identity provider in this registry: check the identifier")
        uow.providers.remove(provider)
        uow.commit()
