"""Realms: each registry is its own issuer; the platform's operators have another."""

from __future__ import annotations

from flask import current_app, g, request

from gateway.bootstrap import current_platform
from services.identity.bootstrap import Identity
from services.identity.service_layer.ports import IdentityUnitOfWork
from tenants.domain.model import Tenant

REGISTRIES = "/api/v1/registries/"
PLATFORM = "/api/v1/platform"


def public_base() -> str:
    configured: str = current_app.config.get("AUTH_PUBLIC_URL") or ""
    return configured.rstrip("/") or request.host_url.rstrip("/")


def path_tenant() -> Tenant | None:
    tenant: Tenant | None = g.get("tenant")
    return tenant


def issuer_for(tenant: Tenant | None) -> str:
    return f"{public_base()}{REGISTRIES}{tenant.code}" if tenant else f"{public_base()}{PLATFORM}"


def identity() -> Identity:
    found: Identity = current_platform().identity
    return found


def realm_uow() -> IdentityUnitOfWork:
    """A unit of work bound to the tenant in the path, or to none on platform routes."""
    tenant = path_tenant()
    return identity().uow(tenant.id if tenant else None)
