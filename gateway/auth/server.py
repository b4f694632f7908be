"""The authorization server (authlib): code + PKCE, refresh, client credentials (a secret or private_key_jwt,
optionally DPoP-bound), RFC 7009 revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidRequestError, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from flask import Flask, current_app, g
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, import_key

from gateway.auth.assertions import PrivateKeyJwt
from gateway.auth.clients import OAuthClient, query_client
from gateway.auth.realm import identity, issuer_for, path_tenant, realm_uow
from gateway.auth.tokens import ALGORITHMS, PublishedKeys
from services.identity.domain.clients import KEY_METHOD
from services.identity.domain.tokens import AuthorizationCode, RefreshToken
from services.identity.domain.users import Account, User
from services.identity.service_layer import grants as stored

CODE_SECONDS = 60
REFRESH_SECONDS = 8 * 3600


@dataclass(frozen=True)
class TokenSubject:
    """The resource owner authlib hands around: an account and whether a second factor was shown."""

    account: Account
    mfa_verified: bool

    def get_user_id(self) -> str:
        return str(self.account.id)


def now() -> datetime:
    return identity().clock.now()


def load_subject(account_id: Any, mfa_verified: bool) -> TokenSubject | None:
    with realm_uow() as uow:
        account: Account | None = uow.users.get(account_id) if uow.tenant_id else uow.operators.get(account_id)
    if account is None or account.disabled:
        return None
    return TokenSubject(account, mfa_verified)


class RegistryTokenGenerator(JWTBearerTokenGenerator):  # type: ignore[misc]
    def get_jwks(self) -> KeySet:
        ring = identity()
        return KeySet([import_key(ring.keys.active_private_jwk(ring.uow(None)))])

    def get_audiences(self, client: OAuthClient, user: Any, scope: str) -> str:
        return issuer_for(path_tenant())

    def get_extra_claims(self, client: OAuthClient, grant_type: str, user: Any, scope: str) -> dict[str, Any]:
        tenant = path_tenant()
        claims: dict[str, Any] = {"iss": issuer_for(tenant), "tenant": tenant.code if tenant else None}
        claims["tenant_id"] = str(tenant.id) if tenant else None
        if isinstance(user, TokenSubject):
            account = user.account
            claims["roles"] = list(account.roles) if isinstance(account, User) else ["platform_operator"]
            organization = account.organization_id if isinstance(account, User) else None
            claims["amr"] = ["pwd", "otp"] if user.mfa_verified else ["pwd"]
            claims["preferred_username"] = account.username
        else:
            claims["roles"] = list(client.roles)
            organization = client.organization_id
            claims.update(_machine_claims(client))
        claims["organization_id"] = str(organization) if organization else None
        g.issued_to = str(user.get_user_id()) if user else client.client_id
        return claims

    def generate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        token: dict[str, Any] = super().generate(*args, **kwargs)
        if g.get("dpop_jkt"):
            token["token_type"] = "DPoP"  # noqa: S105  RFC 9449 section 5: the token is bound to the proof's key
        return token


def _machine_claims(client: OAuthClient) -> dict[str, Any]:
    """How the client signed in, the key its token is bound to, and the scopes its administrator set."""
    claims: dict[str, Any] = {}
    if g.get("client_auth_method"):
        claims["client_auth"] = g.client_auth_method
    if g.get("dpop_jkt"):
        claims["cnf"] = {"jkt": g.dpop_jkt}
    if client.allowed_actions is not None:
        claims["client_actions"] = list(client.allowed_actions)
    if client.allowed_accounts is not None:
        claims["client_accounts"] = list(client.allowed_accounts)
    return claims


class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

    def save_authorization_code(self, code: str, request: Any) -> None:
        subject: TokenSubject = request.user
        data = request.payload.data
        record = AuthorizationCode(
            code_hash=stored.digest(code),
            tenant_id=_tenant_id(),
            client_id=request.payload.client_id,
            user_id=subject.account.id,
            redirect_uri=request.payload.redirect_uri or "",
            scope=request.payload.scope or "",
            code_challenge=data.get("code_challenge") or "",
            code_challenge_method=data.get("code_challenge_method") or "plain",
            mfa_verified=subject.mfa_verified,
            expires_at=now() + timedelta(seconds=CODE_SECONDS),
        )
        stored.save_code(record, realm_uow())

    def query_authorization_code(self, code: str, client: OAuthClient) -> _Code | None:
        found = stored.take_code(code, client.client_id, now(), realm_uow())
        return _Code(found) if found else None

    def delete_authorization_code(self, authorization_code: _Code) -> None:
        """Taken already when it was looked up: a code works once."""

    def authenticate_user(self, authorization_code: _Code) -> TokenSubject | None:
        return load_subject(authorization_code.record.user_id, authorization_code.record.mfa_verified)


class _Code:
    def __init__(self, record: AuthorizationCode) -> None:
        self.record = record
        self.code_challenge = record.code_challenge
        self.code_challenge_method = record.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.record.redirect_uri

    def get_scope(self) -> str:
        return self.record.scope


class S256Challenge(CodeChallenge):  # type: ignore[misc]
    """PKCE on every authorization request, with S256 only: 'plain' protects nothing."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE is required: send code_challenge and code_challenge_method=S256")
        super().validate_code_challenge(grant, redirect_uri)


class RefreshGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]
    INCLUDE_NEW_REFRESH_TOKEN = True  # each refresh token works once; its successor replaces it

    def authenticate_refresh_token(self, refresh_token: str) -> _Refresh | None:
        found = stored.usable_refresh(refresh_token, now(), realm_uow())
        return _Refresh(found) if found else None

    def authenticate_user(self, refresh_token: _Refresh) -> TokenSubject | None:
        return load_subject(refresh_token.record.user_id, refresh_token.record.mfa_verified)

    def revoke_old_credential(self, refresh_token: _Refresh) -> None:
        stored.revoke_refresh(refresh_token.record.token_hash, now(), realm_uow())


class _Refresh:
    def __init__(self, record: RefreshToken) -> None:
        self.record = record

    def check_client(self, client: OAuthClient) -> bool:
        return client.client_id == self.record.client_id

    def get_scope(self) -> str:
        return self.record.scope

    def is_expired(self) -> bool:
        return not self.record.is_usable(now())

    def is_revoked(self) -> bool:
        return self.record.revoked_at is not None


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", KEY_METHOD]


@dataclass(frozen=True)
class _AccessToken:
    jti: str
    client_id: str
    expires_at: datetime

    def check_client(self, client: OAuthClient) -> bool:
        return client.client_id == self.client_id


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> _AccessToken | _Refresh | None:
        if token_string.count(".") == 2:
            return _access_token(token_string)
        found = stored.usable_refresh(token_string, now(), realm_uow())
        return _Refresh(found) if found else None

    def revoke_token(self, token: _AccessToken | _Refresh, request: Any) -> None:
        if isinstance(token, _AccessToken):
            tenant = path_tenant()
            stored.revoke_access(token.jti, token.expires_at, identity().uow(None), tenant.id if tenant else None)
        else:
            stored.revoke_refresh(token.record.token_hash, now(), realm_uow())


def _access_token(token: str) -> _AccessToken | None:
    """One of our access tokens for this realm, checked by signature only (expired ones may be revoked)."""
    keys: PublishedKeys = current_app.extensions["auth.keys"]
    try:
        claims = jwt.decode(token, keys.for_kid(None), algorithms=ALGORITHMS).claims
    except (JoseError, ValueError):
        return None
    if claims.get("iss") != issuer_for(path_tenant()):
        return None
    expires = datetime.fromtimestamp(int(claims.get("exp", 0)), UTC)
    return _AccessToken(str(claims.get("jti")), str(claims.get("client_id")), expires)


def save_token(token: dict[str, Any], request: Any) -> None:
    refresh = token.get("refresh_token")
    if not refresh or not isinstance(request.user, TokenSubject):
        return
    issued = now()
    record = RefreshToken(
        token_hash=stored.digest(refresh),
        tenant_id=_tenant_id(),
        client_id=request.client.client_id,
        user_id=request.user.account.id,
        scope=token.get("scope") or "",
        mfa_verified=request.user.mfa_verified,
        issued_at=issued,
        expires_at=issued + timedelta(seconds=REFRESH_SECONDS),
    )
    stored.save_refresh(record, realm_uow())


def _tenant_id() -> Any:
    tenant = path_tenant()
    return tenant.id if tenant else None


def build_server(app: Flask, access_token_seconds: int) -> AuthorizationServer:
    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    generator = RegistryTokenGenerator(
        issuer="(set per realm)",
        alg="ES256",
        refresh_token_generator=lambda *_args, **_kwargs: generate_token(48),
        expires_generator=lambda _client, _grant_type: access_token_seconds,
    )
    server.register_token_generator("default", generator)
    server.register_client_auth_method(KEY_METHOD, PrivateKeyJwt())
    server.register_grant(CodeGrant, [S256Challenge(required=True)])
    server.register_grant(RefreshGrant)
    server.register_grant(ClientCredentialsGrant)
    server.register_endpoint(Revocation)
    return server
