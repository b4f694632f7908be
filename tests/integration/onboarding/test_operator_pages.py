"""The operator console's onboarding pages: every country's phase, the assessment answered in a form, its
gap report downloaded, and a promotion asked by one operator and approved by another."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from tests.conftest import DatabaseUrls, fresh_postgres_database, settings_for, sqlite_urls
from tests.factories.auth import auth_header, bearer_token, ensure_user
from tests.integration.training.conftest import TENANTS, registry_body
from tests.integration.web.console.conftest import csrf
from tests.integration.web.test_browser_session import sign_in

FORM = {
    "q-legal_mandate": "in_force",
    "q-article6_participation": "multi_year",
    "q-ndc_first_year": "2026",
    "q-ndc_last_year": "2035",
    "q-cooperative_approaches": "negotiating",
    "q-metrics": ["t_co2e"],
    "q-languages": ["en", "es"],
    "q-default_language": "es",
    "q-time_zone": "America/Lima",
    "q-data_residency": "in_country",
    "q-identity_federation": "platform_accounts",
    "q-cadt_participation": "no",
    "q-aef_reporting": "yes",
    "q-integrations": ["none"],
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def urls(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseUrls]:
    """A database of this test alone: the journeys page walks every registry of it."""
    if request.param == "sqlite":
        yield sqlite_urls(tmp_path_factory.mktemp("journeys"))
    else:
        yield from fresh_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def app(urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


def operator_client(app: Flask) -> FlaskClient:
    account = ensure_user(app, None, [])
    client = app.test_client()
    sign_in(client, "/operator/", account.username)
    client.username = account.username  # type: ignore[attr-defined]
    return client


def test_an_operator_runs_a_country_from_training_to_production_with_a_second_operator(app: Flask) -> None:
    operator = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))
    body = registry_body()
    assert app.test_client().post(TENANTS, json=body, headers=operator).status_code == 201
    code, party = body["code"], body["party"]
    first, second = operator_client(app), operator_client(app)

    listing = first.get("/operator/journeys").get_data(as_text=True)
    assert f'id="journey-{code}"' in listing
    assert "administrator 0/6" in listing

    page = f"/operator/journeys/{code}"
    saved = first.post(f"{page}/assessment", data={**FORM, "csrf_token": csrf(first)})
    assert saved.status_code == 303
    report = first.get(f"{page}/gap-report.csv").get_data(as_text=True)
    lines = {(r["question"], r["answer"]): r for r in csv.DictReader(io.StringIO(report))}
    assert lines[("data_residency", "in_country")]["finding"] == "gap"
    assert lines[("languages", "es")]["setting"] == "languages"
    assert 'class="phase">assessment' in first.get("/operator/journeys").get_data(as_text=True)

    promotion = {"code": f"{code}-prod", "party": party, "registry_id": f"{party}02", "name": "Registro nacional"}
    people = {"admin_username": "lucia.quispe", "admin_name": "Lucía Quispe"}
    bad = first.post(f"{page}/promotions", data={**promotion, **people, "code": "Bad Code", "csrf_token": csrf(first)})
    assert bad.status_code == 422
    asked = first.post(f"{page}/promotions", data={**promotion, **people, "csrf_token": csrf(first)})
    assert asked.status_code == 303
    mine = first.get(page).get_data(as_text=True)
    assert 'data-setting="default_language"' in mine
    assert "another operator approves it" in mine
    assert f"Asked by {first.username}:" in second.get(page).get_data(as_text=True)  # type: ignore[attr-defined]
    approve_path = mine.split('action="', 2)[-1].split('"')[0] if "/approve" in mine else None
    assert approve_path is None  # the asking operator has no approve button

    theirs = second.get(page).get_data(as_text=True)
    action = next(part.split('"')[0] for part in theirs.split('action="') if part.split('"')[0].endswith("/approve"))
    same = first.post(action, data={"csrf_token": csrf(first)})
    assert same.status_code == 403
    approved = second.post(action, data={"csrf_token": csrf(second)})
    assert approved.status_code == 200
    assert 'class="one-time-password"' in approved.get_data(as_text=True)
    platform: Platform = platform_of(app)
    production = platform.catalogue.get(f"{code}-prod")
    assert (production.kind.value, production.settings["default_language"]) == ("production", "es")
    assert 'class="phase">deployed' in first.get("/operator/journeys").get_data(as_text=True)


def test_an_operator_marks_feedback_as_dealt_with_and_the_open_count_falls(app: Flask) -> None:
    operator = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))
    body = registry_body()
    assert app.test_client().post(TENANTS, json=body, headers=operator).status_code == 201
    code = body["code"]
    holder = bearer_token(app, code, [Role.ACCOUNT_REPRESENTATIVE])
    sent = app.test_client().post(
        f"/api/v1/registries/{code}/onboarding/feedback",
        json={"page": f"/registries/{code}/console/", "text": "Where are my units?"},
        headers=auth_header(holder),
    )
    feedback_id = sent.get_json()["id"]
    client = operator_client(app)
    assert 'class="open-feedback">1<' in client.get("/operator/journeys").get_data(as_text=True)

    resolved = client.post(
        f"/operator/journeys/{code}/feedback/{feedback_id}/resolve", data={"csrf_token": csrf(client)}
    )
    assert resolved.status_code == 303
    assert 'class="open-feedback">0<' in client.get("/operator/journeys").get_data(as_text=True)
    page = client.get(f"/operator/journeys/{code}").get_data(as_text=True)
    assert "Mark as dealt with" not in page


def test_a_partner_made_for_a_training_registry_is_no_country_s_journey(app: Flask) -> None:
    operator = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))
    first, second = registry_body(), registry_body()
    assert app.test_client().post(TENANTS, json=first, headers=operator).status_code == 201
    chosen = {**second, "partner": first["code"]}  # a country's own training registry, taken as a partner
    assert app.test_client().post(TENANTS, json=chosen, headers=operator).status_code == 201
    made = f"{first['code']}-partner"
    assert platform_of(app).catalogue.get(made).is_training

    overview = app.test_client().get("/api/v1/platform/onboarding", headers=operator).get_json()["items"]
    assert sorted(item["code"] for item in overview) == sorted([first["code"], second["code"]])
    listing = operator_client(app).get("/operator/journeys").get_data(as_text=True)
    assert f'id="journey-{first["code"]}"' in listing
    assert f'id="journey-{second["code"]}"' in listing
    assert f'id="journey-{made}"' not in listing
