"""The OpenAPI document declares how to sign in: an OAuth 2.0 scheme per registry (authorization code
with PKCE and client credentials) and one for the operators, with the realms' real URLs, referenced by the
operations with their scope; the API docs page signs people in with a registered public client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command, settings_for, sqlite_urls

DOCS_REDIRECT = "http://localhost/api/v1/docs/assets/oauth2-redirect.html"
PKCE = {"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    built = create_app(settings_for(sqlite_urls(Path(tmp_path_factory.mktemp("security")))))
    yield built
    platform_of(built).close()


@pytest.fixture(scope="module")
def registries(app: Flask) -> tuple[Tenant, Tenant]:
    platform: Platform = platform_of(app)
    served = platform.catalogue.create(new_tenant_command())
    archived = platform.catalogue.create(new_tenant_command())
    platform.catalogue.change_status(archived.code, "suspend")
    platform.catalogue.change_status(archived.code, "archive")
    return served, archived


def document(app: Flask) -> dict[str, Any]:
    found: dict[str, Any] = app.test_client().get("/api/v1/openapi.json").get_json()
    return found


def test_each_served_registry_has_oauth_flows_at_its_own_urls(app: Flask, registries: tuple[Tenant, Tenant]) -> None:
    served, archived = registries
    schemes = document(app)["components"]["securitySchemes"]
    metadata = app.test_client().get(f"/api/v1/registries/{served.code}/.well-known/oauth-authorization-server")
    endpoints = metadata.get_json()

    flows = schemes[f"registry-{served.code}"]["flows"]
    assert flows["authorizationCode"]["authorizationUrl"] == endpoints["authorization_endpoint"]
    assert flows["authorizationCode"]["tokenUrl"] == endpoints["token_endpoint"]
    assert flows["clientCredentials"]["tokenUrl"] == endpoints["token_endpoint"]
    assert set(flows["authorizationCode"]["scopes"]) == set(endpoints["scopes_supported"]) == {"registry"}
    assert f"registry-{archived.code}" not in schemes
    platform_flows = schemes["platform"]["flows"]
    assert platform_flows["authorizationCode"]["tokenUrl"] == "http://localhost/api/v1/platform/oauth/token"
    assert "clientCredentials" not in platform_flows


def test_operations_reference_the_realm_schemes_with_their_scope(app: Flask, registries: tuple[Tenant, Tenant]) -> None:
    served, _archived = registries
    paths = document(app)["paths"]

    transfers = paths["/api/v1/registries/{registry}/transactions/domestic-transfers"]["post"]["security"]
    tenants = paths["/api/v1/platform/tenants"]["post"]["security"]
    public = paths["/api/v1/registries/{registry}/public/retirements"]["get"]["security"]

    assert {"bearerAuth": []} in transfers
    assert {f"registry-{served.code}": ["registry"]} in transfers
    assert {"platform": ["platform"]} not in transfers
    assert tenants == [{"bearerAuth": []}, {"platform": ["platform"]}]
    assert {} in public


def test_the_docs_page_signs_in_with_its_public_client_and_pkce(app: Flask) -> None:
    page = app.test_client().get("/api/v1/docs").get_data(as_text=True)

    assert '"clientId": "api-docs"' in page
    assert "usePkceWithAuthorizationCodeGrant: true" in page
    assert f'"redirectUrl": "{DOCS_REDIRECT}"' in page


def test_the_docs_client_may_only_redirect_back_to_the_docs(app: Flask, registries: tuple[Tenant, Tenant]) -> None:
    served, _archived = registries
    authorize = f"/api/v1/registries/{served.code}/oauth/authorize"
    query = {"response_type": "code", "client_id": "api-docs", **PKCE}

    to_docs = app.test_client().get(authorize, query_string={**query, "redirect_uri": DOCS_REDIRECT})
    elsewhere = app.test_client().get(authorize, query_string={**query, "redirect_uri": "https://evil.example/cb"})

    assert to_docs.status_code == 200
    assert 'name="password"' in to_docs.get_data(as_text=True)
    assert elsewhere.status_code == 400


def test_the_docs_redirect_page_may_run_its_script(app: Flask) -> None:
    with app.test_client().get("/api/v1/docs/assets/oauth2-redirect.html") as answer:
        assert answer.status_code == 200
        assert "script-src 'self' 'unsafe-inline';" in answer.headers["Content-Security-Policy"]


def test_an_operation_that_declares_no_security_still_declares_none(
    app: Flask, registries: tuple[Tenant, Tenant]
) -> None:
    registry = document(app)["paths"]["/api/v1/registries/{registry}"]["get"]

    assert "security" not in registry


def test_a_document_for_one_registry_declares_its_sign_in_and_the_operators_only(
    app: Flask, registries: tuple[Tenant, Tenant]
) -> None:
    served, _archived = registries
    other = platform_of(app).catalogue.create(new_tenant_command())
    everyone = document(app)
    one = app.test_client().get("/api/v1/openapi.json", query_string={"registry": served.code}).get_json()
    unknown = app.test_client().get("/api/v1/openapi.json", query_string={"registry": "no-such"}).get_json()
    empty = app.test_client().get("/api/v1/openapi.json", query_string={"registry": ""}).get_json()

    assert {f"registry-{served.code}", f"registry-{other.code}"} <= set(everyone["components"]["securitySchemes"])
    assert set(one["components"]["securitySchemes"]) == {"bearerAuth", "platform", f"registry-{served.code}"}
    transfers = one["paths"]["/api/v1/registries/{registry}/transactions/domestic-transfers"]["post"]["security"]
    assert transfers == [{"bearerAuth": []}, {f"registry-{served.code}": ["registry"]}]
    assert set(unknown["components"]["securitySchemes"]) == {"bearerAuth", "platform"}
    assert one["paths"].keys() == everyone["paths"].keys()  # the same operations, fewer alternatives
    assert empty["components"]["securitySchemes"] == everyone["components"]["securitySchemes"]


def test_the_docs_page_for_one_registry_reads_that_registrys_document(
    app: Flask, registries: tuple[Tenant, Tenant]
) -> None:
    served, _archived = registries
    page = app.test_client().get("/api/v1/docs", query_string={"registry": served.code}).get_data(as_text=True)
    hostile = app.test_client().get("/api/v1/docs", query_string={"registry": '"</script>'}).get_data(as_text=True)

    assert f'url: "/api/v1/openapi.json?registry={served.code}"' in page
    assert '"/api/v1/openapi.json"' in app.test_client().get("/api/v1/docs").get_data(as_text=True)
    assert '"/api/v1/openapi.json"' in app.test_client().get("/api/v1/docs?registry=").get_data(as_text=True)
    assert '"</script>' not in hostile  # the code is percent-encoded into the document's URL
