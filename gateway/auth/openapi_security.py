"""OAuth 2.0 security schemes in the OpenAPI document, one per realm served.

Every registry is its own issuer, and OpenAPI cannot parametrize a flow's URLs, so the document served
at a moment declares one scheme per registry that people can sign in to then (`registry-{code}`) and one
for the operators (`platform`), each with that realm's absolute authorize and token URLs. Operations keep
`bearerAuth` (a token obtained elsewhere) and list the realm schemes as alternatives with their scope.
The caller chooses the registries: every one, or one (`?registry=CODE`, gateway/auth/__init__.py).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from tenants.domain.model import Tenant, TenantStatus

BEARER = "bearerAuth"
PLATFORM_SCHEME = "platform"
REGISTRY_PATHS = "/api/v1/registries/{registry}"
PLATFORM_PATHS = "/api/v1/platform"
SIGNS_IN = frozenset({TenantStatus.ACTIVE, TenantStatus.SUSPENDED})
METHODS = ("get", "put", "post", "patch", "delete")
PKCE_NOTE = "Authorization code with PKCE (S256 only) for people; client credentials for machine clients."


def registry_scheme(code: str) -> str:
    return f"registry-{code}"


def realm_flows(issuer: str, scope: str, description: str, machines: bool) -> dict[str, Any]:
    scopes = {scope: description}
    flows: dict[str, Any] = {
        "authorizationCode": {
            "authorizationUrl": f"{issuer}/oauth/authorize",
            "tokenUrl": f"{issuer}/oauth/token",
            "refreshUrl": f"{issuer}/oauth/token",
            "scopes": scopes,
        }
    }
    if machines:
        flows["clientCredentials"] = {"tokenUrl": f"{issuer}/oauth/token", "scopes": scopes}
    return {"type": "oauth2", "description": f"{description}. {PKCE_NOTE}", "flows": flows}


def realm_schemes(base: str, tenants: Iterable[Tenant]) -> dict[str, dict[str, Any]]:
    schemes = {
        PLATFORM_SCHEME: realm_flows(
            f"{base}{PLATFORM_PATHS}", "platform", "Platform operators (issuer /api/v1/platform)", machines=False
        )
    }
    for tenant in sorted(tenants, key=lambda t: t.code):
        if tenant.status in SIGNS_IN:
            issuer = f"{base}/api/v1/registries/{tenant.code}"
            about = f"Registry {tenant.code}: {tenant.name} (issuer /api/v1/registries/{tenant.code})"
            schemes[registry_scheme(tenant.code)] = realm_flows(issuer, "registry", about, machines=True)
    return schemes


def with_realm_security(document: dict[str, Any], base: str, tenants: Iterable[Tenant]) -> dict[str, Any]:
    """A copy of the document declaring the realms' OAuth 2.0 schemes, referenced by every operation that
    takes a bearer token: a registry's routes by each registry's scheme, platform routes by the platform's."""
    served = copy.deepcopy(document)
    schemes = realm_schemes(base, tenants)
    served.setdefault("components", {}).setdefault("securitySchemes", {}).update(schemes)
    registries = [name for name in schemes if name != PLATFORM_SCHEME]
    for path, item in served.get("paths", {}).items():
        realm = _realm_of(path, registries)
        for method in METHODS:
            operation = item.get(method)
            if realm is not None and operation is not None and "security" in operation:
                operation["security"] = _with_alternatives(operation["security"], realm)
    return served


def _realm_of(path: str, registries: list[str]) -> list[dict[str, list[str]]] | None:
    if path.startswith(REGISTRY_PATHS):
        return [{name: ["registry"]} for name in registries]
    if path.startswith(PLATFORM_PATHS):
        return [{PLATFORM_SCHEME: ["platform"]}]
    return None


def _with_alternatives(security: list[dict[str, list[str]]], realm: list[dict[str, list[str]]]) -> Any:
    if not any(BEARER in requirement for requirement in security):
        return security
    return [*security, *realm]
