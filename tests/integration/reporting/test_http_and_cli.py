"""The reporting API and commands as their users meet them: jobs, downloads, refusals, public pages."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from gateway.cli.main import main
from services.reporting.adapters import tables
from services.reporting.domain import aef
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for
from tests.factories.auth import auth_header, bearer_token
from tests.integration.reporting.scenario import Registry, build, project


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


def example(app: Flask, **host_settings: Any) -> tuple[Registry, Registry]:
    platform: Platform = platform_of(app)
    host, buyer, _facts = build(platform, host_settings)
    project(platform)
    return host, buyer


def wait_for(http: FlaskClient, url: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job: dict[str, Any] = http.get(url, headers=headers).get_json()
        assert 0 <= job["percent"] <= 100
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    pytest.fail(f"the AEF job at {url} did not finish in 30 s")


def submissions_of(app: Flask, registry: Registry) -> int:
    platform: Platform = platform_of(app)
    with platform.database.session(registry.tenant.id) as session:
        c = tables.submissions.c
        return int(session.scalar(select(func.count()).where(c.tenant_id == registry.tenant.id)) or 0)


def test_an_aef_job_answers_202_reports_progress_and_offers_three_downloads(app: Flask) -> None:
    host, _buyer = example(app)
    http, admin = app.test_client(), auth_header(bearer_token(app, host.tenant.code, [Role.REGISTRY_ADMIN]))
    base = f"/api/v1/registries/{host.tenant.code}/reports/aef"

    answer = http.post(base, json={"year": 2025}, headers=admin)

    assert answer.status_code == 202
    assert answer.headers["Location"] == answer.get_json()["links"]["self"]
    auditor = auth_header(bearer_token(app, host.tenant.code, [Role.AUDITOR]))
    job = wait_for(http, answer.headers["Location"], auditor)
    assert (job["status"], job["percent"], job["version"], job["passed"]) == ("done", 100, "1.0", True)
    xlsx = http.get(job["links"]["xlsx"], headers=auditor)
    assert xlsx.headers["X-AEF-Checks"] == "passed"
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data), read_only=True)
    assert book.sheetnames[:5] == aef.SHEETS
    archive = zipfile.ZipFile(io.BytesIO(http.get(job["links"]["csv"], headers=auditor).data))
    assert len([n for n in archive.namelist() if n.endswith(".csv")]) == 5
    body = http.get(job["links"]["json"], headers=auditor).get_json()
    assert len(body["tables"][aef.ACTIONS]) == 7
    assert body["tables"][aef.ACTIONS][0]["Action type"] == "First transfer"
    assert [item["version"] for item in http.get(base, headers=auditor).get_json()["items"]] == ["1.0"]


def test_bad_input_is_refused_with_problem_json_and_nothing_is_written(app: Flask) -> None:
    host, _buyer = example(app)
    http, admin = app.test_client(), auth_header(bearer_token(app, host.tenant.code, [Role.REGISTRY_ADMIN]))
    base = f"/api/v1/registries/{host.tenant.code}/reports/aef"
    next_year = datetime.now(UTC).year + 1
    refusals = [
        (f"{base}", {"year": next_year}, 422, "reporting.year_in_future"),
        (f"{base}", {"year": 2023}, 422, "reporting.year_before_registry"),
        (f"{base}", {"year": 1800}, 422, None),
        (f"{base}", {"year": 2024, "tenant_id": str(host.tenant.id)}, 422, None),
        ("/api/v1/registries/no-such-registry/reports/aef", {"year": 2024}, 404, "resource.not_found"),
    ]
    for url, body, status, code in refusals:
        answer = http.post(url, json=body, headers=admin)
        assert answer.status_code == status, (body, answer.get_json())
        assert answer.mimetype == "application/problem+json"
        assert code is None or answer.get_json()["code"] == code
    assert submissions_of(app, host) == 0

    first = http.post(base, json={"year": 2024}, headers=admin)
    wait_for(http, first.headers["Location"], admin)
    correction = http.post(base, json={"year": 2024, "reason": "  "}, headers=admin)

    assert correction.status_code == 409
    assert correction.get_json()["code"] == "reporting.reason_required"
    assert correction.get_json()["field"] == "reason"
    assert submissions_of(app, host) == 1
    fixed = http.post(base, json={"year": 2024, "reason": "Table 5 entity name corrected"}, headers=admin)
    assert wait_for(http, fixed.headers["Location"], admin)["version"] == "1.1"
    assert http.get(f"{fixed.headers['Location']}/download?format=pdf", headers=admin).status_code == 422


def test_an_auditor_reads_reports_but_cannot_build_them(app: Flask) -> None:
    host, _buyer = example(app)
    http, auditor = app.test_client(), auth_header(bearer_token(app, host.tenant.code, [Role.AUDITOR]))
    base = f"/api/v1/registries/{host.tenant.code}/reports"
    assert http.post(f"{base}/aef", json={"year": 2024}, headers=auditor).status_code == 403
    assert http.post(f"{base}/aef", json={"year": 2024}).status_code == 401
    reconciliation = http.get(f"{base}/reconciliation", headers=auditor).get_json()
    assert reconciliation["consistent"] is True


@pytest.mark.parametrize("hidden", [True, False])
def test_public_registry_information_needs_no_login_and_leaves_out_confidential_fields(
    app: Flask, hidden: bool
) -> None:
    host, buyer = example(app, confidential_fields=["beneficiary"] if hidden else [])
    http = app.test_client()
    public = f"/api/v1/registries/{host.tenant.code}/public"

    retirements = http.get(f"{public}/retirements?year=2025").get_json()

    [retirement] = retirements["items"]
    assert retirement["quantity"] == 10
    assert ("beneficiary" in retirement) is not hidden
    assert retirements["confidential_fields"] == (["beneficiary"] if hidden else [])
    assert not hidden or "Acme Airlines" not in json.dumps(retirements)
    assert [a["name"] for a in http.get(f"{public}/cooperative-approaches").get_json()["items"]] == ["Cookstoves pact"]
    versions = http.get(f"{public}/authorizations").get_json()["items"]
    assert [(a["reference"], a["version"]) for a in versions] == [
        (f"{host.tenant.party}-A-1", 1),
        (f"{host.tenant.party}-A-2", 1),
    ]
    assert http.get(f"{public}/authorized-entities").get_json()["items"][0]["identification_number"] == "REG-42"
    assert [i["quantity"] for i in http.get(f"{public}/issuances?year=2024").get_json()["items"]] == [1000]
    assert len(http.get(f"{public}/actions?year=2025").get_json()["items"]) == 7
    holdings = http.get(f"{public}/holdings?year=2024").get_json()["items"]
    assert [(h["serial_first"], h["serial_last"]) for h in holdings] == [(1, 400), (401, 900)]
    buyer_actions = http.get(f"/api/v1/registries/{buyer.tenant.code}/public/actions?year=2024").get_json()["items"]
    assert {a["action_type"] for a in buyer_actions} == {"Acquisition", "Use"}


def test_the_cli_writes_the_aef_with_a_progress_bar_and_reconciles(
    app: Flask, database_urls: DatabaseUrls, tmp_path: Path
) -> None:
    host, _buyer = example(app)
    env = {"DATABASE_URL": database_urls.app, "DATABASE_OWNER_URL": database_urls.owner, "SECRET_KEY": TEST_SECRET}
    out = tmp_path / "aef.xlsx"

    made = CliRunner().invoke(
        main, ["report", "aef", "--registry", host.tenant.code, "--year", "2024", "-o", str(out)], env=env
    )

    assert made.exit_code == 0, made.output
    assert "version 1.0 written" in made.output
    assert f"AEF {host.tenant.party} 2024" in made.output  # the progress bar's label; the bar needs a terminal
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[:5] == aef.SHEETS
    refused = CliRunner().invoke(
        main, ["report", "aef", "--registry", host.tenant.code, "--year", "2024", "-o", str(out)], env=env
    )
    assert refused.exit_code == 2
    assert "reporting.reason_required" in refused.output
    unknown = CliRunner().invoke(main, ["reconcile", "--registry", "no-such-registry"], env=env)
    assert unknown.exit_code == 2
    reconciled = CliRunner().invoke(main, ["reconcile", "--registry", host.tenant.code], env=env)
    assert reconciled.exit_code == 0, reconciled.output
    assert "totals   consistent" in reconciled.output
