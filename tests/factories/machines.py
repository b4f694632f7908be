"""Machine clients with their own keys: private_key_jwt assertions and DPoP proofs, made as a client would.

machine = key_machine(app, tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=org)
token = machine.token(app)  # DPoP-bound
app.test_client().get(url, headers=machine.headers("GET", url, token))
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from flask import Flask
from joserfc import jwt
from joserfc.jwk import ECKey

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from services.identity.service_layer import accounts, clients
from tests.factories.auth import realm_path

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
BASE = "http://localhost"


def new_key() -> ECKey:
    return ECKey.generate_key("P-256", auto_kid=True)


@dataclass
class KeyMachine:
    tenant_code: str
    client_id: str
    key: ECKey
    dpop_key: ECKey = field(default_factory=new_key)

    @property
    def token_url(self) -> str:
        return f"{BASE}{realm_path(self.tenant_code)}/oauth/token"

    def assertion(self, *, key: ECKey | None = None, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": self.client_id, "sub": self.client_id, "aud": self.token_url, "iat": now, "exp": now + 60}
        body["jti"] = secrets.token_urlsafe(16)
        signer = key or self.key
        return jwt.encode({"alg": "ES256", "kid": signer.kid}, body | claims, signer)

    def proof(self, method: str, url: str, token: str | None = None, *, key: ECKey | None = None, **claims: Any) -> str:
        signer = key or self.dpop_key
        body: dict[str, Any] = {"jti": secrets.token_urlsafe(16), "htm": method, "htu": url, "iat": int(time.time())}
        if token is not None:
            digest = hashlib.sha256(token.encode()).digest()
            body["ath"] = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": signer.as_dict(private=False)}
        return jwt.encode(header, body | claims, signer)

    def token_form(self, assertion: str | None = None) -> dict[str, str]:
        return {
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion or self.assertion(),
        }

    def token_answer(self, app: Flask, *, dpop: bool = True, assertion: str | None = None) -> Any:
        headers = {"DPoP": self.proof("POST", self.token_url)} if dpop else {}
        return app.test_client().post(self.token_url, data=self.token_form(assertion), headers=headers)

    def token(self, app: Flask, *, dpop: bool = True) -> str:
        answer = self.token_answer(app, dpop=dpop)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        issued: str = answer.get_json()["access_token"]
        return issued

    def headers(self, method: str, path: str, token: str) -> dict[str, str]:
        """Authorization and DPoP headers for one request to `path` (without query)."""
        return {"Authorization": f"DPoP {token}", "DPoP": self.proof(method, f"{BASE}{path}", token)}


def key_machine(
    app: Flask,
    tenant_code: str,
    roles: Iterable[Role],
    *,
    organization_id: UUID | None = None,
    allowed_actions: Iterable[str] | None = None,
    allowed_accounts: Iterable[UUID] | None = None,
) -> KeyMachine:
    """A machine client registered (through the identity service) with the public half of a new key."""
    platform: Platform = platform_of(app)
    tenant = platform.catalogue.get(tenant_code)
    uow = platform.identity.uow(tenant.id)
    if organization_id is not None:
        accounts.ensure_organization(
            organization_id, f"Organization {organization_id}", uow, platform.identity.clock.now()
        )
    key = new_key()
    command = clients.CreateClient(
        "key client",
        frozenset(roles),
        organization_id,
        public_keys=(key.as_dict(private=False),),
        allowed_actions=frozenset(allowed_actions) if allowed_actions is not None else None,
        allowed_accounts=frozenset(allowed_accounts) if allowed_accounts is not None else None,
    )
    client, _secret = clients.create_client(command, uow, platform.identity.credentials)
    return KeyMachine(tenant_code, client.client_id, key)
