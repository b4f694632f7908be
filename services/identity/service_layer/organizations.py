"""Organizations: the account holders and agencies that users act for."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.identity.domain.errors import InvalidUser, UserNotFound
from services.identity.domain.model import Organization, OrganizationKind
from services.identity.service_layer.ports import IdentityUnitOfWork
from services.shared.clock import Clock
from services.shared.ids import new_id


@dataclass(frozen=True)
class CreateOrganization:
    name: str
    kind: OrganizationKind
    country: str
    identification_number: str | None = None
    email: str | None = None


def create_organization(command: CreateOrganization, uow: IdentityUnitOfWork, clock: Clock) -> Organization:
    name = command.name.strip()
    with uow:
        if any(o.name == name for o in uow.organizations.list()):
            raise InvalidUser(f"an organization named {name!r} exists already: use it or choose another name")
        organization = Organization(
            new_id(), name, command.kind, command.country, clock.now(), command.identification_number, command.email
        )
        uow.organizations.add(organization)
        uow.commit()
    return organization


def get_organization(organization_id: UUID, uow: IdentityUnitOfWork) -> Organization:
    with uow:
        found = uow.organizations.get(organization_id)
    if found is None:
        raise UserNotFound("no such organization in this registry: check the identifier")
    return found


def list_organizations(uow: IdentityUnitOfWork) -> list[Organization]:
    with uow:
        return uow.organizations.list()
