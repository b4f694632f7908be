"""A training registry says so everywhere: a banner on its pages, a header on every answer, a mark on
every export, AEF workbook and receipt; a production registry carries none of it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from gateway.bootstrap import reporting as context
from gateway.training.marks import AEF_MARK, EXPORT_MARK, RECEIPT_MARK
from gateway.training.seed import seed_training_registry
from services.ledger.service_layer.views import TransactionFilter
from tenants.domain.model import Tenant, TenantKind
from tests.conftest import DatabaseUrls, new_tenant_command
from tests.factories.auth import auth_header, bearer_token, ensure_user
from tests.integration.transparency.test_public_log import registry as transparency
from tests.integration.web.test_browser_session import sign_in

BANNER = {
    "en": "TRAINING registry: fictional data for practice.",
    "fr": "Registre de FORMATION : données fictives pour s'exercer.",
    "es": "Registro de FORMACIÓN: datos ficticios para practicar.",
}


@pytest.fixture
def trainee(app: Flask) -> Tenant:
    platform: Platform = platform_of(app)
    tenant = platform.catalogue.create(
        new_tenant_command(kind=TenantKind.TRAINING, settings={"languages": ["en", "fr", "es"]})
    )
    seed_training_registry(platform, tenant)
    return tenant


@pytest.fixture
def production(app: Flask) -> Tenant:
    platform: Platform = platform_of(app)
    return platform.catalogue.create(new_tenant_command())


def answers(app: Flask, http: FlaskClient, code: str) -> list[Any]:
    """A page, an API read, a refused write, a missing object and the sign-in realm of one registry."""
    token = auth_header(bearer_token(app, code, [Role.AUDITOR]))
    api = f"/api/v1/registries/{code}"
    return [
        http.get(f"/registries/{code}/"),
        http.get(api),
        http.get(f"{api}/accounts", headers=token),
        http.post(f"{api}/accounts", json={}, headers=token),
        http.get(f"{api}/accounts/00000000-0000-7000-8000-000000000000", headers=token),
        http.get(f"{api}/.well-known/openid-configuration"),
    ]


def test_every_answer_of_a_training_registry_has_the_kind_header(
    app: Flask, http: FlaskClient, trainee: Tenant, production: Tenant
) -> None:
    marked = answers(app, http, trainee.code)
    assert {a.status_code for a in marked} >= {200, 403, 404}
    assert [a.headers.get("Registry-Kind") for a in marked] == ["training"] * len(marked)
    assert all("Registry-Kind" not in a.headers for a in answers(app, http, production.code))
    assert http.get(f"/api/v1/registries/{trainee.code}").get_json()["kind"] == "training"


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_of_a_training_registry_shows_the_banner_in_its_language(
    app: Flask, http: FlaskClient, trainee: Tenant, production: Tenant, language: str
) -> None:
    for path in ("/", "/projects", "/retirements", "/console/"):
        page = http.get(f"/registries/{trainee.code}{path}?lang={language}", follow_redirects=True)
        assert BANNER[language] in page.get_data(as_text=True), path
    assert BANNER[language] not in http.get(f"/registries/{production.code}/?lang={language}").get_data(as_text=True)


def test_the_console_exports_of_a_training_registry_are_marked(app: Flask, trainee: Tenant) -> None:
    client = app.test_client()
    root = f"/registries/{trainee.code}/console"
    sign_in(client, f"{root}/login", ensure_user(app, trainee.code, [Role.AUDITOR]).username)
    lines = list(csv.reader(io.StringIO(client.get(f"{root}/transactions.csv").get_data(as_text=True))))
    assert lines[0] == [EXPORT_MARK]
    assert lines[1][0] == "number"
    assert len(lines) > 3
    sheet = load_workbook(io.BytesIO(client.get(f"{root}/transactions.xlsx").data)).active
    assert sheet is not None
    assert sheet.title.startswith("TRAINING")
    assert sheet["A1"].value == EXPORT_MARK
    assert sheet["A2"].value == "number"


def test_the_aef_of_a_training_registry_says_it_is_not_a_submission(
    app: Flask, http: FlaskClient, trainee: Tenant
) -> None:
    platform: Platform = platform_of(app)
    submission = context.request_aef(platform, trainee, datetime.now(UTC).year, None, "test")
    context.build_aef(platform, trainee, submission)
    token = auth_header(bearer_token(app, trainee.code, [Role.AUDITOR]))
    url = f"/api/v1/registries/{trainee.code}/reports/aef/{submission}/download"
    xlsx = http.get(f"{url}?format=xlsx", headers=token)
    assert xlsx.status_code == 200, xlsx.get_data(as_text=True)
    assert "TRAINING" in xlsx.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames[0] == "TRAINING"
    assert book["TRAINING"]["A1"].value == AEF_MARK
    archive = zipfile.ZipFile(io.BytesIO(http.get(f"{url}?format=csv", headers=token).data))
    first = archive.namelist()[0]
    assert archive.read(first).decode().splitlines()[0] == AEF_MARK
    assert json.loads(http.get(f"{url}?format=json", headers=token).data)["training"] == AEF_MARK


def test_a_training_registrys_retirement_receipt_is_marked(
    database_urls: DatabaseUrls, app: Flask, http: FlaskClient, trainee: Tenant
) -> None:
    platform: Platform = platform_of(app)
    views = platform.ledger.views(platform.ledger_tenant(trainee))
    retirement = views.transactions(TransactionFilter(type="retirement"), 1, 10).items[0]
    transparency(database_urls, "sequence", "--registry", trainee.code)
    answer = http.get(f"/registries/{trainee.code}/retirements/{retirement.id}/receipt.pdf")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    pdf = pypdf.PdfReader(io.BytesIO(answer.get_data()))
    assert RECEIPT_MARK in pdf.pages[0].extract_text()
    assert str(pdf.metadata.title).startswith(RECEIPT_MARK)


def test_the_public_list_of_registries_badges_a_training_registry(http: FlaskClient, trainee: Tenant) -> None:
    page = http.get("/?lang=fr").get_data(as_text=True)
    entry = page[page.index(f"/registries/{trainee.code}/") :]
    assert '<span class="badge">Formation</span>' in entry[: entry.index("</li>")]
