"""OAuth clients as authlib sees them: the built-in browser console of each realm, and machine clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from gateway.auth.realm import identity, issuer_for, path_tenant, public_base, realm_uow
from services.identity.domain.clients import Client
from services.identity.service_layer.clients import find_client

CONSOLE_CLIENT_ID = "registry-console"
DOCS_CLIENT_ID = "api-docs"
DOCS_REDIRECT_PATH = "/api/v1/docs/assets/oauth2-redirect.html"


@dataclass
class OAuthClient:
    client_id: str
    redirect_uris: list[str]
    grant_types: list[str]
    auth_methods: list[str]
    scope: str
    roles: list[str] = field(default_factory=list)
    organization_id: UUID | None = None
    secret_hash: str | None = None
    public_jwks: dict[str, Any] | None = None
    allowed_actions: list[str] | None = None
    allowed_accounts: list[str] | None = None

    @property
    def is_public(self) -> bool:
        return self.auth_methods == ["none"]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return self.scope
        allowed = set(self.scope.split())
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if self.secret_hash is None:
            return False
        return identity().credentials.hasher.verify(self.secret_hash, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in self.auth_methods

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


def realm_scope() -> str:
    return "registry" if path_tenant() else "platform"


def console() -> OAuthClient:
    """The platform's own browser client: public, PKCE only, redirecting to this realm's callback page
    or to the web pages' sign-in callback."""
    tenant = path_tenant()
    pages = f"{public_base()}/registries/{tenant.code}/console" if tenant else f"{public_base()}/operator"
    return OAuthClient(
        client_id=CONSOLE_CLIENT_ID,
        redirect_uris=[f"{issuer_for(tenant)}/oauth/callback", f"{pages}/callback"],
        grant_types=["authorization_code", "refresh_token"],
        auth_methods=["none"],
        scope=realm_scope(),
    )


def api_docs() -> OAuthClient:
    """The self-hosted API docs page (Swagger UI): public, PKCE only, redirecting back to the docs."""
    return OAuthClient(
        client_id=DOCS_CLIENT_ID,
        redirect_uris=[f"{public_base()}{DOCS_REDIRECT_PATH}"],
        grant_types=["authorization_code", "refresh_token"],
        auth_methods=["none"],
        scope=realm_scope(),
    )


def machine(client: Client) -> OAuthClient:
    return OAuthClient(
        client_id=client.client_id,
        redirect_uris=[],
        grant_types=["client_credentials"],
        auth_methods=client.auth_methods,
        scope=realm_scope(),
        roles=list(client.roles),
        organization_id=client.organization_id,
        secret_hash=client.secret_hash,
        public_jwks=client.public_jwks,
        allowed_actions=client.allowed_actions,
        allowed_accounts=client.allowed_accounts,
    )


def query_client(client_id: str) -> OAuthClient | None:
    if client_id == CONSOLE_CLIENT_ID:
        return console()
    if client_id == DOCS_CLIENT_ID:
        return api_docs()
    if path_tenant() is None:
        return None
    found = find_client(client_id, realm_uow())
    return machine(found) if found else None
