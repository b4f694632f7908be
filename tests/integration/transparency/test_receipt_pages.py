"""A retirement's public page offers its receipt as JSON and as a PDF with a QR code of the JSON's address;
the registry's public log page shows the latest checkpoint, who cosigned it, and the keys."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pypdf
import pytest
from flask import Flask

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from tests.conftest import DatabaseUrls, settings_for
from tests.integration.ledger_api import world
from tests.integration.ledger_api.world import furnish, issue, transfer
from tests.integration.transparency.journal import new_registry
from tests.integration.transparency.test_public_log import code_of, get, registry


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


def test_a_retirement_page_offers_its_cosigned_receipt_as_json_and_pdf(database_urls: DatabaseUrls, app: Flask) -> None:
    ghana = furnish(world.new_registry(app), world.new_registry(app))
    issue(ghana, 100)
    transfer(ghana, 60, "issuance", "party")
    body = {
        "source_account_id": ghana.accounts["party"],
        "retirement_account_id": ghana.accounts["retirement"],
        "quantity": 25,
        "beneficiary": "Village of Kumasi",
    }
    retirement = ghana.ok("/transactions/retirements", body)
    page = f"/registries/{ghana.tenant.code}/retirements/{retirement['transaction_id']}"
    client = app.test_client()
    early = client.get(f"{page}/receipt.json")
    platform: Platform = platform_of(app)
    witness = code_of(platform, new_registry(platform))
    registry(database_urls, "witness", "--registry", ghana.tenant.code, "--by", witness)
    registry(database_urls, "sequence", "--registry", ghana.tenant.code)

    html = client.get(page).get_data(as_text=True)
    as_json = client.get(f"{page}/receipt.json")
    as_pdf = client.get(f"{page}/receipt.pdf")
    log_page = client.get(f"/registries/{ghana.tenant.code}/log").get_data(as_text=True)

    assert early.status_code == 404
    assert "has not integrated this retirement yet" in early.get_data(as_text=True)
    assert f'href="{page}/receipt.pdf"' in html
    assert f'href="{page}/receipt.json"' in html
    receipt = json.loads(as_json.get_data(as_text=True))
    api = get(client, ghana.tenant.code, "/receipt", sequence=retirement["journal_sequence"]).json
    assert receipt == api
    assert "\u2014 carbon-registry/" in receipt["checkpoint"]
    assert "/witness " in receipt["checkpoint"]
    assert as_pdf.mimetype == "application/pdf"
    assert as_pdf.headers["Content-Disposition"] == f'attachment; filename="receipt-{retirement["number"]}.pdf"'
    pdf = pypdf.PdfReader(io.BytesIO(as_pdf.get_data()))
    text = pdf.pages[0].extract_text()
    assert retirement["number"] in text
    assert "Village of Kumasi" in text
    assert f"http://localhost{page}/receipt.json" in text  # the address the QR code holds
    assert json.loads(str(pdf.metadata.subject)) == receipt
    assert 'id="cosignatures"' in log_page
    assert "/witness</code>" in log_page
    assert receipt["checkpoint"].split("\n")[1] in log_page
