"""The identity API of one registry: who am I, users, organizations, machine clients, second factor."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import import_key

from gateway.auth import schemas
from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.auth.realm import identity, issuer_for, path_tenant, realm_uow
from gateway.errors import Problem
from services.identity.domain.clients import ASYMMETRIC_TYPES, PRIVATE_MEMBERS
from services.identity.domain.model import OrganizationKind
from services.identity.domain.roles import Role as DomainRole
from services.identity.service_layer import accounts, clients, organizations

blp = Blueprint(
    "identity", __name__, url_prefix="/api/v1/registries/<string:registry>", description="Users, roles and clients"
)
ADMIN = Role.REGISTRY_ADMIN


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, schemas.MeSchema)
    @requires()
    def get(self) -> dict[str, Any]:
        """The signed-in principal as this registry sees it"""
        principal = current_principal()
        return {**principal.__dict__, "roles": sorted(principal.roles)}


@blp.route("/me/mfa")
class MfaEnrolment(MethodView):
    @blp.response(201, schemas.MfaEnrolmentSchema)
    @requires()
    def post(self) -> dict[str, str]:
        """Start enrolling a TOTP second factor; confirm it with a first code"""
        secret, uri = accounts.start_totp_enrolment(
            _own_user_id(), path_tenant_name(), realm_uow(), identity().credentials
        )
        return {"secret": secret, "otpauth_uri": uri}


@blp.route("/me/mfa/confirm")
class MfaConfirmation(MethodView):
    @blp.arguments(schemas.MfaConfirmSchema)
    @blp.response(204)
    @requires()
    def post(self, body: dict[str, str]) -> None:
        """Confirm the second factor; from now on signing in asks for a one-time code"""
        accounts.confirm_totp(_own_user_id(), body["code"], realm_uow(), identity().credentials)


def _own_user_id() -> UUID:
    principal = current_principal()
    if not principal.is_user:
        raise Problem(
            403,
            "auth.forbidden",
            "machine clients have no second factor: their key is their strong authentication "
            "(private_key_jwt and DPoP, see docs/identity.md)",
        )
    try:
        return UUID(principal.subject)
    except ValueError:
        raise Problem(403, "auth.forbidden", "federated users enrol second factors at their own provider") from None


def path_tenant_name() -> str:
    tenant = path_tenant()
    return tenant.name if tenant else issuer_for(None)


@blp.route("/users")
class Users(MethodView):
    @blp.response(200, schemas.UserSchema(many=True))
    @requires(ADMIN, Role.AUDITOR)
    def get(self) -> Any:
        """Users of this registry"""
        return accounts.list_users(realm_uow())

    @blp.arguments(schemas.UserCreateSchema)
    @blp.response(201, schemas.UserSchema)
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> Any:
        """Create a user with roles in this registry"""
        command = accounts.CreateUser(
            username=body["username"],
            password=body["password"],
            roles=frozenset(DomainRole(r) for r in body["roles"]),
            organization_id=body.get("organization_id"),
            display_name=body.get("display_name", ""),
            email=body.get("email"),
        )
        return accounts.create_user(command, realm_uow(), identity().credentials)


@blp.route("/users/<uuid:user_id>")
class UserById(MethodView):
    @blp.response(200, schemas.UserSchema)
    @requires(ADMIN, Role.AUDITOR)
    def get(self, user_id: UUID) -> Any:
        """One user of this registry"""
        return accounts.get_user(user_id, realm_uow())


@blp.route("/organizations")
class Organizations(MethodView):
    @blp.response(200, schemas.OrganizationSchema(many=True))
    @requires(ADMIN, Role.AUDITOR, Role.AUTHORIZING_OFFICER, Role.APPROVER)
    def get(self) -> Any:
        """Organizations known to this registry"""
        return organizations.list_organizations(realm_uow())

    @blp.arguments(schemas.OrganizationCreateSchema)
    @blp.response(201, schemas.OrganizationSchema)
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> Any:
        """Register an organization that users and accounts act for"""
        command = organizations.CreateOrganization(**{**body, "kind": OrganizationKind(body["kind"])})
        return organizations.create_organization(command, realm_uow(), identity().clock)


@blp.route("/organizations/<uuid:organization_id>")
class OrganizationById(MethodView):
    @blp.response(200, schemas.OrganizationSchema)
    @requires(ADMIN, Role.AUDITOR, Role.AUTHORIZING_OFFICER, Role.APPROVER)
    def get(self, organization_id: UUID) -> Any:
        """One organization of this registry"""
        return organizations.get_organization(organization_id, realm_uow())


@blp.route("/clients")
class Clients(MethodView):
    @blp.response(200, schemas.ClientSchema(many=True))
    @requires(ADMIN)
    def get(self) -> Any:
        """Machine clients of this registry"""
        return clients.list_clients(realm_uow())

    @blp.arguments(schemas.ClientCreateSchema)
    @blp.response(201, schemas.ClientSchema)
    @requires(ADMIN, mfa="key_and_policy_changes")
    def post(self, body: dict[str, Any]) -> Any:
        """Register a machine client (client credentials): with a public key (private_key_jwt), or with a secret
        shown only in this answer"""
        client, secret = clients.create_client(_client_command(body), realm_uow(), identity().credentials)
        answer = {**client.__dict__, "auth_methods": client.auth_methods}
        return answer if secret is None else {**answer, "client_secret": secret}


def _client_command(body: dict[str, Any]) -> clients.CreateClient:
    keys = [body["jwk"]] if "jwk" in body else body["jwks"].get("keys") if "jwks" in body else None
    if "jwk" in body or "jwks" in body:
        check_public_keys(keys)
    actions, accounts = body.get("allowed_actions"), body.get("allowed_accounts")
    return clients.CreateClient(
        body["name"],
        frozenset(DomainRole(r) for r in body["roles"]),
        body.get("organization_id"),
        public_keys=tuple(keys) if keys is not None else None,
        allowed_actions=frozenset(actions) if actions is not None else None,
        allowed_accounts=frozenset(accounts) if accounts is not None else None,
    )


def check_public_keys(keys: Any) -> None:
    """Each public key must be a JWK that the JOSE library reads; the identity service says what else is
    wrong (a secret or private key, a missing kid)."""
    if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
        raise Problem(422, "client.invalid", "jwks must be {'keys': [JWK, ...]}", field="jwks")
    for key in keys:
        if key.get("kty") not in ASYMMETRIC_TYPES or PRIVATE_MEMBERS & key.keys():
            continue
        try:
            import_key(key)
        except (JoseError, SecurityWarning, ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
            raise Problem(422, "client.invalid", f"a key is not a valid JWK ({error})", field="jwks") from None
