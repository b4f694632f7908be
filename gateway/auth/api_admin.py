"""A registry's audit log and its pinned identity providers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth import schemas
from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.auth.realm import identity, realm_uow
from services.identity.service_layer import audit, federation

blp = Blueprint(
    "access_admin", __name__, url_prefix="/api/v1/registries/<string:registry>", description="Audit and federation"
)


@blp.route("/audit-events")
class AuditEvents(MethodView):
    @blp.arguments(schemas.AuditQuerySchema, location="query")
    @blp.response(200, schemas.AuditEntrySchema(many=True))
    @requires(Role.AUDITOR, Role.REGISTRY_ADMIN)
    def get(self, query: dict[str, Any]) -> Any:
        """The registry's audit log, newest first"""
        return audit.entries(realm_uow(), actor=query.get("actor"), action=query.get("action"), limit=query["limit"])


@blp.route("/identity-providers")
class IdentityProviders(MethodView):
    @blp.response(200, schemas.ProviderSchema(many=True))
    @requires(Role.REGISTRY_ADMIN, Role.AUDITOR)
    def get(self) -> Any:
        """Identity providers whose tokens this registry accepts"""
        return federation.list_providers(realm_uow())

    @blp.arguments(schemas.ProviderCreateSchema)
    @blp.response(201, schemas.ProviderSchema)
    @requires(Role.REGISTRY_ADMIN, mfa="key_and_policy_changes")
    def post(self, body: dict[str, Any]) -> Any:
        """Pin an OIDC identity provider: issuer, audience, JWKS URL and claim-to-role mapping"""
        command = federation.AddProvider(**{**body, "algorithms": tuple(body["algorithms"])})
        return federation.add_provider(command, realm_uow(), identity().clock)


@blp.route("/identity-providers/<uuid:provider_id>")
class IdentityProviderById(MethodView):
    @blp.response(204)
    @requires(Role.REGISTRY_ADMIN, mfa="key_and_policy_changes")
    def delete(self, provider_id: UUID) -> None:
        """Stop accepting tokens from this provider"""
        federation.remove_provider(provider_id, realm_uow())
