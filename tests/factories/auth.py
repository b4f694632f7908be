"""Real tokens for tests: users and clients are created through the identity services and sign in
through the real endpoints (login form + authorization code with PKCE, or client credentials).

    app = create_app(settings_for(urls))
    token = bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN])
    app.test_client().get(f"/api/v1/registries/{tenant.code}/users", headers=auth_header(token))
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Flask
from uuid6 import uuid7

from gateway.auth.clients import CONSOLE_CLIENT_ID
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from services.identity.adapters.totp import PyOtpTotp
from services.identity.domain.errors import MfaError
from services.identity.domain.users import Account
from services.identity.service_layer import accounts, clients

PASSWORD = "correct horse battery staple"
LOCAL = "http://localhost"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ENROLMENT_OFFERED = 'name="step" value="later"'


def bearer_token(
    app: Flask,
    tenant_code: str | None,
    roles: Iterable[Role],
    *,
    organization_id: UUID | None = None,
    mfa: bool = False,
    username: str | None = None,
    base_url: str = LOCAL,
) -> str:
    """An access token of a (new, or existing when `username` is reused) user with these roles; `base_url`
    is where the platform is reached (its tokens' issuer), for a server on a port of its own."""
    account = ensure_user(app, tenant_code, roles, organization_id=organization_id, mfa=mfa, username=username)
    otp = otp_for(app, account) if mfa else None
    return sign_in(app, tenant_code, account.username, otp, base_url=base_url)["access_token"]


def auth_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def realm_path(tenant_code: str | None) -> str:
    return f"/api/v1/registries/{tenant_code}" if tenant_code else "/api/v1/platform"


def ensure_user(
    app: Flask,
    tenant_code: str | None,
    roles: Iterable[Role],
    *,
    organization_id: UUID | None = None,
    mfa: bool = False,
    username: str | None = None,
    password: str = PASSWORD,
) -> Account:
    platform: Platform = platform_of(app)
    identity = platform.identity
    name = username or f"user-{uuid7().hex[-12:]}"
    if tenant_code is None:
        uow = identity.uow(None)
        existing: Account | None = _existing(uow, name, operator=True)
        account = existing or accounts.create_operator(name, password, uow, identity.credentials)
    else:
        tenant = platform.catalogue.get(tenant_code)
        uow = identity.uow(tenant.id)
        wanted = frozenset(roles)
        if Role.ACCOUNT_REPRESENTATIVE in wanted and organization_id is None:
            organization_id = uuid7()
        if organization_id is not None:
            accounts.ensure_organization(organization_id, f"Organization {organization_id}", uow, identity.clock.now())
        existing = _existing(uow, name, operator=False)
        command = accounts.CreateUser(name, password, wanted, organization_id)
        account = existing or accounts.create_user(command, uow, identity.credentials)
    if mfa and not account.mfa_enabled:
        secret, _uri = accounts.start_totp_enrolment(account.id, "tests", uow, identity.credentials)
        _confirm_with_the_previous_step(identity, uow, account.id, secret)
        account.totp_secret, account.mfa_enabled = _reload(uow, account)
    return account


def _confirm_with_the_previous_step(identity: Any, uow: Any, account_id: UUID, secret: str) -> None:
    """The previous step's code (still within the drift window) confirms, so the current one can sign in. On a
    busy machine a step may end between making the code and checking it, which puts the code two steps back:
    then it is made again, once."""
    for attempt in (1, 2):
        earlier = identity.clock.now() - timedelta(seconds=30)
        try:
            accounts.confirm_totp(account_id, PyOtpTotp.code_at(secret, earlier), uow, identity.credentials)
            return
        except MfaError:
            if attempt == 2:
                raise


def _existing(uow: Any, name: str, *, operator: bool) -> Account | None:
    with uow:
        found: Account | None = uow.operators.by_username(name) if operator else uow.users.by_username(name)
        return found


def _reload(uow: Any, account: Account) -> tuple[str | None, bool]:
    with uow:
        found = uow.users.get(account.id) if uow.tenant_id else uow.operators.get(account.id)
        return found.totp_secret, found.mfa_enabled


def otp_for(app: Flask, account: Account) -> str:
    identity = platform_of(app).identity
    assert account.totp_secret is not None, "the account has no second factor"
    secret = identity.credentials.box.decrypt(account.totp_secret.encode(), f"totp:{account.id}").decode()
    return PyOtpTotp.code_at(secret, identity.clock.now())


def sign_in(
    app: Flask,
    tenant_code: str | None,
    username: str,
    otp: str | None = None,
    password: str = PASSWORD,
    base_url: str = LOCAL,
) -> dict[str, Any]:
    """The whole browser flow: login form, authorization code with PKCE, token exchange."""
    http = app.test_client()
    base = realm_path(tenant_code)
    verifier = secrets.token_urlsafe(48)
    query = {
        "response_type": "code",
        "client_id": CONSOLE_CLIENT_ID,
        "redirect_uri": f"{base_url}{base}/oauth/callback",
        "state": secrets.token_urlsafe(8),
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    form = http.get(f"{base}/oauth/authorize", query_string=query, base_url=base_url)
    assert form.status_code == 200, form.get_data(as_text=True)
    csrf = _CSRF.search(form.get_data(as_text=True))
    assert csrf is not None, "the login form has no CSRF token"
    fields = {"csrf_token": csrf.group(1), "username": username, "password": password, "otp": otp or ""}
    answer = http.post(f"{base}/oauth/authorize", query_string=query, data=fields, base_url=base_url)
    if answer.status_code == 200 and ENROLMENT_OFFERED in answer.get_data(as_text=True):
        # An administrator without a second factor is offered to enrol one; these users go on without.
        later = {**fields, "step": "later"}
        answer = http.post(f"{base}/oauth/authorize", query_string=query, data=later, base_url=base_url)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": query["redirect_uri"],
        "client_id": CONSOLE_CLIENT_ID,
        "code_verifier": verifier,
    }
    tokens = http.post(f"{base}/oauth/token", data=exchange, base_url=base_url)
    assert tokens.status_code == 200, tokens.get_data(as_text=True)
    issued: dict[str, Any] = tokens.get_json()
    return issued


def machine_client(
    app: Flask, tenant_code: str, roles: Iterable[Role], *, organization_id: UUID | None = None
) -> tuple[str, str]:
    """A machine client (client id, secret) registered through the identity service."""
    platform: Platform = platform_of(app)
    tenant = platform.catalogue.get(tenant_code)
    uow = platform.identity.uow(tenant.id)
    if organization_id is not None:
        accounts.ensure_organization(
            organization_id, f"Organization {organization_id}", uow, platform.identity.clock.now()
        )
    client, secret = clients.create_client(
        clients.CreateClient("test client", frozenset(roles), organization_id), uow, platform.identity.credentials
    )
    return client.client_id, secret


def client_credentials_token(app: Flask, tenant_code: str, client_id: str, secret: str) -> str:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    answer = app.test_client().post(
        f"{realm_path(tenant_code)}/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    token: str = answer.get_json()["access_token"]
    return token


def machine_token(app: Flask, tenant_code: str, roles: Iterable[Role], *, organization_id: UUID | None = None) -> str:
    client_id, secret = machine_client(app, tenant_code, roles, organization_id=organization_id)
    return client_credentials_token(app, tenant_code, client_id, secret)
