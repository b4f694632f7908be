"""Authorization code + PKCE, refresh, client credentials and revocation, over HTTP on both backends."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlsplit

from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import KeySet

from gateway.auth.clients import CONSOLE_CLIENT_ID
from gateway.auth.principal import Role
from tenants.domain.model import Tenant
from tests.factories.auth import (
    PASSWORD,
    auth_header,
    bearer_token,
    client_credentials_token,
    ensure_user,
    machine_client,
    realm_path,
    sign_in,
)


def claims_of(http: FlaskClient, tenant: Tenant, token: str) -> dict[str, object]:
    keys = KeySet.import_key_set(http.get(f"{realm_path(tenant.code)}/oauth/jwks.json").get_json())
    decoded = jwt.decode(token, keys, algorithms=["ES256"])
    assert decoded.header["typ"] == "at+jwt"
    return decoded.claims


def test_discovery_metadata_is_valid_rfc8414(http: FlaskClient, tenant: Tenant) -> None:
    base = realm_path(tenant.code)
    for path in ("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"):
        document = http.get(base + path).get_json()
        AuthorizationServerMetadata(document).validate()
        assert document["issuer"] == f"http://localhost{base}"
        assert document["code_challenge_methods_supported"] == ["S256"]


def test_code_flow_with_pkce_issues_an_rfc9068_token(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    user = ensure_user(app, tenant.code, [Role.APPROVER, Role.AUDITOR])
    tokens = sign_in(app, tenant.code, user.username)
    claims = claims_of(http, tenant, tokens["access_token"])
    assert claims["tenant"] == tenant.code
    assert claims["tenant_id"] == str(tenant.id)
    assert sorted(claims["roles"]) == ["approver", "auditor"]  # type: ignore[arg-type]
    assert claims["sub"] == str(user.id)
    assert claims["client_id"] == CONSOLE_CLIENT_ID
    assert claims["scope"] == "registry"
    assert claims["aud"] == claims["iss"] == f"http://localhost{realm_path(tenant.code)}"
    assert claims["jti"]
    assert claims["exp"] - claims["iat"] == 300  # type: ignore[operator]
    me = http.get(f"{realm_path(tenant.code)}/me", headers=auth_header(tokens["access_token"]))
    assert me.status_code == 200
    assert me.get_json()["subject"] == str(user.id)


def test_a_refresh_token_works_once_and_is_replaced(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    user = ensure_user(app, tenant.code, [Role.AUDITOR])
    first = sign_in(app, tenant.code, user.username)
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": CONSOLE_CLIENT_ID}
    renewed = http.post(f"{realm_path(tenant.code)}/oauth/token", data=refresh)
    assert renewed.status_code == 200, renewed.get_data(as_text=True)
    assert renewed.get_json()["refresh_token"] != first["refresh_token"]
    again = http.post(f"{realm_path(tenant.code)}/oauth/token", data=refresh)
    assert again.status_code == 400
    assert again.get_json()["error"] == "invalid_grant"


def _authorize(app: Flask, tenant: Tenant, username: str) -> tuple[str, str, dict[str, str]]:
    http = app.test_client()
    base = realm_path(tenant.code)
    verifier = secrets.token_urlsafe(48)
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    query = {
        "response_type": "code",
        "client_id": CONSOLE_CLIENT_ID,
        "redirect_uri": f"http://localhost{base}/oauth/callback",
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    page = http.get(f"{base}/oauth/authorize", query_string=query).get_data(as_text=True)
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = http.post(
        f"{base}/oauth/authorize",
        query_string=query,
        data={"csrf_token": csrf, "username": username, "password": PASSWORD},
    )
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    return code, verifier, query


def test_a_wrong_verifier_and_a_reused_code_are_refused(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    user = ensure_user(app, tenant.code, [Role.AUDITOR])
    code, verifier, query = _authorize(app, tenant, user.username)
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": query["redirect_uri"],
        "client_id": CONSOLE_CLIENT_ID,
    }
    token_url = f"{realm_path(tenant.code)}/oauth/token"
    assert http.post(token_url, data={**exchange, "code_verifier": "x" * 50}).status_code == 400
    assert http.post(token_url, data={**exchange, "code_verifier": verifier}).status_code == 400  # used up


def test_authorization_without_pkce_is_refused(http: FlaskClient, tenant: Tenant) -> None:
    base = realm_path(tenant.code)
    query = {
        "response_type": "code",
        "client_id": CONSOLE_CLIENT_ID,
        "redirect_uri": f"http://localhost{base}/oauth/callback",
    }
    page = http.get(f"{base}/oauth/authorize", query_string=query)
    assert page.status_code == 400
    assert "PKCE" in page.get_data(as_text=True)
    evil = http.get(f"{base}/oauth/authorize", query_string={**query, "redirect_uri": "https://evil.example/cb"})
    assert evil.status_code == 400
    assert "Location" not in evil.headers


def test_client_credentials_for_machine_clients(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    client_id, secret = machine_client(app, tenant.code, [Role.AUDITOR])
    token = client_credentials_token(app, tenant.code, client_id, secret)
    claims = claims_of(http, tenant, token)
    assert (claims["sub"], claims["client_id"], claims["roles"]) == (client_id, client_id, ["auditor"])
    me = http.get(f"{realm_path(tenant.code)}/me", headers=auth_header(token)).get_json()
    assert me["is_user"] is False
    wrong = http.post(
        f"{realm_path(tenant.code)}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": "wrong"},
    )
    assert wrong.status_code in (400, 401)
    assert wrong.get_json()["error"] == "invalid_client"


def test_revoking_an_access_token_takes_effect(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    assert http.get(f"{realm_path(tenant.code)}/me", headers=auth_header(token)).status_code == 200
    revoked = http.post(
        f"{realm_path(tenant.code)}/oauth/revoke", data={"token": token, "client_id": CONSOLE_CLIENT_ID}
    )
    assert revoked.status_code == 200
    after = http.get(f"{realm_path(tenant.code)}/me", headers=auth_header(token))
    assert after.status_code == 401
    assert after.get_json()["code"] == "auth.token_revoked"


def test_revoking_a_refresh_token_takes_effect(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    user = ensure_user(app, tenant.code, [Role.AUDITOR])
    tokens = sign_in(app, tenant.code, user.username)
    base = realm_path(tenant.code)
    data = {"token": tokens["refresh_token"], "token_type_hint": "refresh_token", "client_id": CONSOLE_CLIENT_ID}
    assert http.post(f"{base}/oauth/revoke", data=data).status_code == 200
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": CONSOLE_CLIENT_ID}
    assert http.post(f"{base}/oauth/token", data=refresh).status_code == 400


def test_operators_sign_in_to_the_platform_realm(app: Flask, http: FlaskClient) -> None:
    token = bearer_token(app, None, [Role.PLATFORM_OPERATOR])
    listed = http.get("/api/v1/platform/tenants", headers=auth_header(token))
    assert listed.status_code == 200
