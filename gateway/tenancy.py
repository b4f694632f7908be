"""Tenant resolution: the tenant comes from the path, once per request, and fails closed."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, request

from gateway.errors import Problem
from tenants.domain.model import Tenant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def resolve_tenant(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.tenant = None
    if not values or "registry" not in values:
        return
    code = values.pop("registry")
    tenant = current_app.extensions["registry"].catalogue.find(code)
    if tenant is None or not tenant.is_served:
        # Unknown, archived and provisioning registries look the same as any missing resource.
        raise Problem(404, "resource.not_found", f"no registry {code!r}: check the registry code in the path")
    if request.method not in SAFE_METHODS and not tenant.accepts_writes:
        raise Problem(
            409,
            "tenant.suspended",
            f"registry {code!r} is suspended and read-only: ask the platform operator to resume it",
        )
    g.tenant = tenant


def current_tenant() -> Tenant:
    tenant: Tenant | None = g.get("tenant")
    if tenant is None:
        raise Problem(404, "resource.not_found", "no registry in the path")
    return tenant


def init_tenancy(app: Flask) -> None:
    app.url_value_preprocessor(resolve_tenant)
