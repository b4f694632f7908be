"""Tenant resolution: the tenant comes from the path, once per request, and fails closed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request

from gateway.bootstrap import current_platform
from gateway.errors import Problem
from tenants.domain.model import Tenant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SIGN_IN_ATTRIBUTE = "_sign_in_only"
KIND_HEADER = "Registry-Kind"

F = TypeVar("F", bound=Callable[..., Any])


def sign_in_only(view: F) -> F:
    """Marks a view that writes only sign-in state (codes, tokens, lockout counters, the session), never
    the registry's data, so people can still sign in to a suspended, read-only registry."""
    setattr(view, SIGN_IN_ATTRIBUTE, True)
    return view


def resolve_tenant(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.tenant = None
    if not values or "registry" not in values:
        return
    code = values.pop("registry")
    tenant = current_platform().catalogue.lookup(code)
    if tenant is None or not tenant.is_served:
        # Unknown, archived and provisioning registries look the same as any missing resource.
        raise Problem(404, "resource.not_found", f"no registry {code!r}: check the registry code in the path")
    g.tenant = tenant  # set before a refusal too: the registry console renders its error page for this tenant
    if request.method not in SAFE_METHODS and not tenant.accepts_writes and not _signs_in(endpoint):
        raise Problem(
            409,
            "tenant.suspended",
            f"registry {code!r} is suspended and read-only: ask the platform operator to resume it",
        )


def _signs_in(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint or "")
    return bool(getattr(view, SIGN_IN_ATTRIBUTE, False))


def current_tenant() -> Tenant:
    tenant: Tenant | None = g.get("tenant")
    if tenant is None:
        raise Problem(404, "resource.not_found", "no registry in the path")
    return tenant


def mark_training(response: Response) -> Response:
    """Every answer of a training registry says so, whatever its body, for clients that never read one."""
    tenant: Tenant | None = g.get("tenant")
    if tenant is not None and tenant.is_training:
        response.headers[KIND_HEADER] = tenant.kind.value
    return response


def init_tenancy(app: Flask) -> None:
    app.url_value_preprocessor(resolve_tenant)
    app.after_request(mark_training)
