"""private_key_jwt (RFC 7523 §2.2): a machine client proves who it is with an assertion signed by its own key.

The assertion names the client (iss = sub = client id) and this registry's token endpoint (aud), lives at
most five minutes (exp), and works once (jti, remembered until it expires).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from flask import g
from joserfc import jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from gateway.auth.clients import OAuthClient
from gateway.auth.realm import identity, issuer_for, path_tenant, realm_uow
from services.identity.domain.clients import KEY_METHOD
from services.identity.service_layer import grants

ASYMMETRIC_ALGORITHMS = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"]
MAX_LIFETIME_SECONDS = 300
LEEWAY_SECONDS = 30
WRONG_KEY = "the client assertion's signature does not verify with the client's registered key"


def token_endpoint() -> str:
    return f"{issuer_for(path_tenant())}/oauth/token"


def _now() -> int:
    return int(identity().clock.now().timestamp())


def _refused(description: str) -> InvalidClientError:
    return InvalidClientError(description=description)


class PrivateKeyJwt(JWTBearerClientAssertion):  # type: ignore[misc]
    CLIENT_AUTH_METHOD = KEY_METHOD

    def __init__(self) -> None:
        super().__init__(validate_jti=True, leeway=LEEWAY_SECONDS)

    def authenticate_client(self, client: OAuthClient) -> OAuthClient:
        authenticated: OAuthClient = super().authenticate_client(client)
        g.client_auth_method = KEY_METHOD  # the token says so: with DPoP it counts as strong authentication
        return authenticated

    def get_audiences(self) -> list[str]:
        return [token_endpoint()]

    def resolve_client_public_key(self, client: OAuthClient) -> KeySet:
        if client.public_jwks is None:
            raise _refused("this client has no registered key: it authenticates with its secret")
        return KeySet.import_key_set(client.public_jwks)  # type: ignore[arg-type]

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> dict[str, Any]:
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=ASYMMETRIC_ALGORITHMS)
        except (BadSignatureError, InvalidKeyIdError):
            raise _refused(WRONG_KEY) from None
        except (JoseError, ValueError) as error:
            raise _refused(
                f"the client assertion cannot be read ({error}): sign a JWT with the registered key"
            ) from None
        self.verify_claims(token.claims)
        return dict(token.claims)

    def verify_claims(self, claims: dict[str, Any]) -> None:
        now = _now()
        registry = jwt.JWTClaimsRegistry(
            now=lambda: now,
            leeway=self.leeway,
            iss={"essential": True},
            sub={"essential": True},
            aud={"essential": True, "values": self.get_audiences()},
            exp={"essential": True},
            jti={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError:
            raise _refused("the client assertion has expired: sign a new one for each token request") from None
        except ClaimError as error:
            raise _refused(_claim_problem(error.claim)) from None
        if claims["iss"] != claims["sub"]:
            raise _refused("the client assertion's iss and sub must both be the client id")
        if int(claims["exp"]) - now > MAX_LIFETIME_SECONDS:
            raise _refused(f"the client assertion lives too long: let exp be at most {MAX_LIFETIME_SECONDS} s away")
        if not self.validate_jti(claims, str(claims["jti"])):
            raise _refused("the client assertion was used before (jti): sign a new one with a fresh jti")

    def validate_jti(self, claims: dict[str, Any], jti: str) -> bool:
        expires = datetime.fromtimestamp(int(claims["exp"]) + self.leeway, UTC)
        return grants.spend_proof("client-assertion", str(claims["sub"]), jti, expires, realm_uow())


def _claim_problem(claim: str) -> str:
    if claim == "aud":
        return f"the client assertion's aud must be this registry's token endpoint, {token_endpoint()}"
    return f"the client assertion's '{claim}' claim is missing or wrong: see RFC 7523 section 3"
