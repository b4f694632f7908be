"""Request and response bodies of the identity API. Unknown fields, such as tenant_id, are refused."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from gateway.inputs.fields import Integer
from services.identity.domain.clients import CLIENT_ACTIONS
from services.identity.domain.federation import ALLOWED_ALGORITHMS
from services.identity.domain.model import OrganizationKind
from services.identity.domain.roles import TENANT_ROLES

ROLE = fields.String(validate=validate.OneOf(sorted(TENANT_ROLES)))


class UserCreateSchema(Schema):
    username = fields.String(required=True, metadata={"description": "lower-case login name, unique in the registry"})
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=12, max=200))
    roles = fields.List(ROLE, required=True, validate=validate.Length(min=1))
    organization_id = fields.UUID(allow_none=True, metadata={"description": "required for account representatives"})
    display_name = fields.String(load_default="")
    email = fields.Email(allow_none=True)


class UserSchema(Schema):
    id = fields.UUID(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    email = fields.String(allow_none=True)
    roles = fields.List(fields.String(), required=True)
    organization_id = fields.UUID(allow_none=True)
    mfa_enabled = fields.Boolean(required=True)
    disabled = fields.Boolean(required=True, metadata={"description": "a disabled person cannot sign in"})
    created_at = fields.DateTime(required=True)


class OperatorSchema(Schema):
    id = fields.UUID(required=True)
    username = fields.String(required=True)
    mfa_enabled = fields.Boolean(required=True)
    disabled = fields.Boolean(required=True, metadata={"description": "a disabled operator cannot sign in"})
    created_at = fields.DateTime(required=True)


class MeSchema(Schema):
    subject = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    organization_id = fields.UUID(allow_none=True)
    client_id = fields.String(required=True)
    mfa_verified = fields.Boolean(required=True)
    is_user = fields.Boolean(required=True)


class MfaEnrolmentSchema(Schema):
    secret = fields.String(required=True, metadata={"description": "base32 TOTP secret; shown once"})
    otpauth_uri = fields.String(required=True, metadata={"description": "for an authenticator app's QR code"})


class MfaConfirmSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$"))


class ClientCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    roles = fields.List(ROLE, required=True, validate=validate.Length(min=1))
    organization_id = fields.UUID(allow_none=True)
    jwk = fields.Dict(
        metadata={"description": "the client's public key (private_key_jwt): it gets no secret, and signs assertions"}
    )
    jwks = fields.Dict(metadata={"description": "or its public keys as a JWKS ({'keys': [...]}), each with a kid"})
    allowed_actions = fields.List(
        fields.String(validate=validate.OneOf(CLIENT_ACTIONS)),
        allow_none=True,
        metadata={"description": "the unit actions it may take (routes under .../transactions/); omit for all"},
    )
    allowed_accounts = fields.List(
        fields.UUID(), allow_none=True, metadata={"description": "the accounts it may act on; omit for all"}
    )

    @validates_schema
    def one_key_form(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "jwk" in data and "jwks" in data:
            raise ValidationError("give the public key as jwk or as jwks, not both", "jwks")


class ClientSchema(Schema):
    client_id = fields.String(required=True)
    name = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    organization_id = fields.UUID(allow_none=True)
    created_at = fields.DateTime(required=True)
    token_endpoint_auth_methods = fields.List(fields.String(), attribute="auth_methods", required=True)
    public_jwks = fields.Dict(allow_none=True)
    allowed_actions = fields.List(fields.String(), allow_none=True)
    allowed_accounts = fields.List(fields.String(), allow_none=True)
    client_secret = fields.String(metadata={"description": "only in the answer to POST; store it now"})


class OrganizationCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in OrganizationKind]))
    country = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"))
    identification_number = fields.String(allow_none=True)
    email = fields.Email(allow_none=True)


class OrganizationSchema(OrganizationCreateSchema):
    id = fields.UUID(required=True)
    created_at = fields.DateTime(required=True)


class ProviderCreateSchema(Schema):
    issuer = fields.URL(required=True, require_tld=False, schemes={"https", "http"})
    audience = fields.String(required=True)
    jwks_url = fields.URL(required=True, require_tld=False, schemes={"https", "http"})
    role_claim = fields.String(load_default="roles")
    role_mapping = fields.Dict(keys=fields.String(), values=ROLE, load_default=dict)
    algorithms = fields.List(
        fields.String(validate=validate.OneOf(ALLOWED_ALGORITHMS)), load_default=lambda: ["RS256", "ES256"]
    )


class ProviderSchema(ProviderCreateSchema):
    id = fields.UUID(required=True)
    created_at = fields.DateTime(required=True)


class AuditQuerySchema(Schema):
    actor = fields.String()
    action = fields.String(metadata={"description": "e.g. 'POST /api/v1/registries/{registry}/users'"})
    limit = Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class AuditEntrySchema(Schema):
    id = fields.UUID(required=True)
    occurred_at = fields.DateTime(required=True)
    actor = fields.String(required=True)
    action = fields.String(required=True)
    target = fields.String(required=True)
    outcome = fields.String(required=True)
    status = Integer(required=True)
    source_ip = fields.String(required=True)
    client_id = fields.String(required=True)
    request_id = fields.String(required=True)
    detail = fields.Dict(required=True)


class PlatformAuditEntrySchema(AuditEntrySchema):
    tenant_code = fields.String(allow_none=True)
