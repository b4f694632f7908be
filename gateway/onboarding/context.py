"""Builds the onboarding context for a request, and provisions a promoted production registry."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from gateway.bootstrap import Platform
from services.identity.domain.roles import Role
from services.identity.service_layer import accounts
from services.onboarding import bootstrap as onboarding_context
from services.onboarding.bootstrap import SqlOnboarding
from services.onboarding.domain.errors import NotTraining
from services.onboarding.domain.promotion import Administrator, ProductionIdentity
from tenants.domain.errors import DuplicateTenant
from tenants.domain.model import Tenant, TenantKind, validate_identity
from tenants.service_layer.catalogue import CreateTenant

scripts = onboarding_context.scripts  # the guided scripts, per role
questionnaire = onboarding_context.questionnaire  # the needs assessment's questionnaire, newest by default


def onboarding(platform: Platform) -> SqlOnboarding:
    return onboarding_context.journeys(platform.database)


def training(tenant: Tenant) -> Tenant:
    if not tenant.is_training:
        raise NotTraining(f"registry {tenant.code!r} is a production registry: onboarding happens in training ones")
    return tenant


def check_production_identity(platform: Platform, identity: ProductionIdentity) -> ProductionIdentity:
    """Refuse at the request what the catalogue would refuse at the approval: a bad or taken identity."""
    validate_identity(identity.code, identity.party, identity.registry_id)
    if platform.catalogue.find(identity.code) is not None:
        raise DuplicateTenant(f"a registry with code {identity.code!r} exists already: choose another code")
    return identity


class CatalogueProvisioner:
    """A new, empty production registry from the catalogue, its first administrators made by identity."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def provision(
        self, identity: ProductionIdentity, settings: Mapping[str, Any], administrators: tuple[Administrator, ...]
    ) -> tuple[UUID, dict[str, str]]:
        command = CreateTenant(
            identity.code,
            identity.party,
            identity.registry_id,
            identity.name,
            dict(settings),
            kind=TenantKind.PRODUCTION,
        )
        tenant = self.platform.catalogue.create(command)
        ring, passwords = self.platform.identity, {}
        for person in administrators:
            password = secrets.token_urlsafe(18)  # one-time: shown once to the approving operator
            user = accounts.CreateUser(
                person.username, password, frozenset({Role.REGISTRY_ADMIN}), None, person.display_name
            )
            accounts.create_user(user, ring.uow(tenant.id), ring.credentials)
            passwords[person.username] = password
        return tenant.id, passwords
