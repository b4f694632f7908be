"""The onboarding journey over HTTP, on SQLite and PostgreSQL: a step ticked by the registry's own events,
feedback per country and function, the assessment's gap report, and a four-eyes promotion that carries
the assessed settings and nothing of the training data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from uuid import UUID

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.reference import ProjectStatus
from services.ledger.domain.values import VintageQuantity
from services.shared.clock import FixedClock
from services.shared.db.database import tenant_tables
from tenants.domain.model import TenantKind
from tests.conftest import DatabaseUrls, fresh_postgres_database, new_tenant_command, settings_for, sqlite_urls
from tests.factories.auth import auth_header, bearer_token, sign_in
from tests.integration.reporting.scenario import ACTOR, Registry, at
from tests.integration.test_tenant_export import drain_events
from tests.unit.onboarding.test_assessment_and_promotion import ANSWERS


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def urls(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseUrls]:
    """A database of this test alone: the operator overview walks every registry of it."""
    if request.param == "sqlite":
        yield sqlite_urls(tmp_path_factory.mktemp("onboarding"))
    else:
        yield from fresh_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def app(urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(urls))
    yield built
    platform_of(built).close()


def training_registry(app: Flask) -> Registry:
    platform: Platform = platform_of(app)
    clock = FixedClock(at("2026-01-10T08:00:00"))
    platform.ledger.clock = platform.clock = clock
    tenant = platform.catalogue.create(new_tenant_command(kind=TenantKind.TRAINING))
    registry = Registry(platform, tenant, clock)
    when = "2026-01-10T08:00:00"
    party = tenant.party
    registry.do(
        when,
        commands.RecordCooperativeApproach(
            actor_id=ACTOR,
            cooperative_approach_id="CA0001",
            name="Pact",
            participating_parties=frozenset({party, "ZZZ"}),
        ),
    )
    project = registry.do(
        when,
        commands.RecordProject(
            actor_id=ACTOR,
            name="Cookstoves",
            developer="Stoves Ltd",
            sector="Energy",
            project_type="Cookstoves",
            methodology="GS",
            status=ProjectStatus.REGISTERED,
            country=party,
            cooperative_approach_id="CA0001",
        ),
    )
    issuance = registry.do(
        when,
        commands.RecordIssuance(
            actor_id=ACTOR,
            project_id=UUID(project.record_id),
            monitoring_start=date(2025, 1, 1),
            monitoring_end=date(2025, 12, 31),
            verifier="Verifier",
            verified_on=date(2026, 1, 5),
            issued_on=date(2026, 1, 10),
            quantities=(VintageQuantity(2025, 1000),),
        ),
    )
    registry.open(when, "issuance", AccountType.ISSUANCE)
    registry.numbers["issuance_id"] = issuance.record_id
    return registry


def issue(registry: Registry, when: str, quantity: int) -> None:
    registry.do(
        when,
        commands.IssueUnits(
            actor_id=ACTOR,
            issuance_id=UUID(registry.numbers["issuance_id"]),
            account_id=registry.accounts["issuance"],
            cooperative_approach_id="CA0001",
            vintage=2025,
            quantity=quantity,
        ),
    )


def administrator_steps(http: FlaskClient, code: str, token: str, language: str = "en") -> dict[str, bool]:
    answer = http.get(f"/api/v1/registries/{code}/onboarding/scripts?language={language}", headers=auth_header(token))
    assert answer.status_code == 200, answer.get_json()
    script = next(s for s in answer.get_json()["items"] if s["role"] == "administrator")
    return {step["id"]: step["done"] for step in script["steps"]}


def test_a_step_is_ticked_by_the_registry_s_own_event_after_the_journey_began(app: Flask) -> None:
    registry = training_registry(app)
    code, http = registry.tenant.code, app.test_client()
    admin = bearer_token(app, code, [Role.REGISTRY_ADMIN])
    issue(registry, "2026-01-10T09:00:00", 100)  # the seed's issuance, before the journey began
    drain_events(platform_of(app))
    registry.clock.set(at("2026-01-11T08:00:00"))
    assert administrator_steps(http, code, admin)["issue-units"] is False

    issue(registry, "2026-01-12T08:00:00", 50)
    assert administrator_steps(http, code, admin)["issue-units"] is False  # not yet in the registry's log
    drain_events(platform_of(app))
    steps = administrator_steps(http, code, admin)
    assert steps["issue-units"] is True
    assert not any(done for step, done in steps.items() if step != "issue-units")

    registry.clock.set(at("2026-01-13T08:00:00"))  # say the registry was reset to its seed: count afresh
    operator = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))
    restarted = http.post(f"/api/v1/platform/onboarding/{code}/scripts/restart", headers=operator)
    assert restarted.status_code == 204
    assert administrator_steps(http, code, admin)["issue-units"] is False

    french = http.get(f"/api/v1/registries/{code}/onboarding/scripts?language=fr", headers=auth_header(admin))
    assert french.get_json()["items"][0]["steps"][0]["title"] == "Émettre des unités"


def test_a_production_registry_has_no_scripts(app: Flask) -> None:
    platform: Platform = platform_of(app)
    production = platform.catalogue.create(new_tenant_command())
    token = bearer_token(app, production.code, [Role.REGISTRY_ADMIN])
    answer = app.test_client().get(
        f"/api/v1/registries/{production.code}/onboarding/scripts", headers=auth_header(token)
    )
    assert answer.status_code == 409
    assert answer.get_json()["code"] == "onboarding.not_training"
    assert answer.content_type == "application/problem+json"


def test_feedback_is_kept_per_country_and_function_and_exports_as_csv_and_xlsx(app: Flask) -> None:
    registry = training_registry(app)
    code, http = registry.tenant.code, app.test_client()
    holder = bearer_token(app, code, [Role.ACCOUNT_REPRESENTATIVE])
    operator = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))
    url = f"/api/v1/registries/{code}/onboarding/feedback"
    page = f"/registries/{code}/console/actions/retirement"
    body = {"page": page, "text": "Which beneficiary name?", "role": "account_holder", "step_id": "retire-units"}
    created = http.post(url, json=body, headers=auth_header(holder))
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["function"] == "retirement"
    general = http.post(url, json={"page": f"/registries/{code}/console", "text": "Clear"}, headers=auth_header(holder))
    assert general.get_json()["function"] == "general"

    refused = http.post(url, json={**body, "step_id": "no-such-step"}, headers=auth_header(holder))
    assert (refused.status_code, refused.get_json()["code"]) == (422, "onboarding.invalid_feedback")
    empty = http.post(url, json={**body, "text": "   "}, headers=auth_header(holder))
    assert (empty.status_code, empty.get_json()["code"]) == (422, "onboarding.invalid_feedback")

    base = f"/api/v1/platform/onboarding/{code}/feedback"
    retirement = http.get(f"{base}?function=retirement", headers=operator).get_json()["items"]
    assert [(f["text"], f["page"], f["step_id"]) for f in retirement] == [
        ("Which beneficiary name?", page, "retire-units")
    ]
    rows = list(csv.DictReader(io.StringIO(http.get(f"{base}?format=csv", headers=operator).get_data(as_text=True))))
    assert sorted(r["function"] for r in rows) == ["general", "retirement"]
    book = openpyxl.load_workbook(io.BytesIO(http.get(f"{base}?format=xlsx", headers=operator).data))
    assert book.worksheets[0].max_row == 3

    overview = http.get("/api/v1/platform/onboarding", headers=operator).get_json()["items"]
    mine = next(item for item in overview if item["code"] == code)
    assert (mine["phase"], mine["open_feedback"]) == ("training", 2)
    assert mine["progress"]["administrator"] == {"done": 0, "total": 6}


def test_assessed_settings_are_promoted_with_four_eyes_into_an_empty_production_registry(app: Flask) -> None:
    registry = training_registry(app)
    issue(registry, "2026-01-10T09:00:00", 100)
    drain_events(platform_of(app))
    code, http = registry.tenant.code, app.test_client()
    first = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR], username="operator-one"))
    second = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR], username="operator-two"))
    base = f"/api/v1/platform/onboarding/{code}"
    party = registry.tenant.party
    proposal = {
        "code": f"{code}-prod",
        "party": party,
        "registry_id": f"{party}02",
        "name": "National registry",
        "administrators": [{"username": "ama.mensah", "display_name": "Ama Mensah"}],
    }

    early = http.post(f"{base}/promotions", json=proposal, headers=first)
    assert (early.status_code, early.get_json()["code"]) == (409, "onboarding.assessment_incomplete")
    bad = http.patch(f"{base}/assessment", json={"answers": {**ANSWERS, "languages": ["xx"]}}, headers=first)
    assert (bad.status_code, bad.get_json()["code"]) == (422, "onboarding.invalid_answer")
    assert all(q["answer"] is None for q in http.get(f"{base}/assessment", headers=first).get_json()["questions"])

    answered = http.patch(f"{base}/assessment", json={"answers": ANSWERS}, headers=first)
    assert answered.status_code == 200, answered.get_json()
    gaps = [line for line in answered.get_json()["gap_report"] if line["finding"] == "gap"]
    assert {line["question"] for line in gaps} == {"metrics", "languages", "identity_federation"}
    report = http.get(f"{base}/assessment?format=csv", headers=first)
    assert report.mimetype == "text/csv"
    assert "identity_federation" in report.get_data(as_text=True)

    nowhere = http.patch(f"{base}/assessment", json={"answers": {"time_zone": "Mars/Olympus"}}, headers=first)
    assert nowhere.status_code == 200  # any text answers the question; the registry's settings refuse it
    refused = http.post(f"{base}/promotions", json=proposal, headers=first)
    assert (refused.status_code, refused.get_json()["code"]) == (422, "tenant.invalid")
    assert "time_zone" in refused.get_json()["detail"]
    assert http.get(f"{base}/promotions", headers=first).get_json()["items"] == []
    http.patch(f"{base}/assessment", json={"answers": {"time_zone": "Africa/Abidjan"}}, headers=first)

    asked = http.post(f"{base}/promotions", json=proposal, headers=first)
    assert asked.status_code == 201, asked.get_json()
    promotion = asked.get_json()
    assert {"name": "languages", "training": ["en", "fr", "es"], "production": ["fr"]} in promotion["diff"]
    url = f"/api/v1/platform/onboarding/promotions/{promotion['id']}/approval"
    same = http.post(url, json={}, headers=first)
    assert (same.status_code, same.get_json()["code"]) == (403, "onboarding.same_operator")
    platform: Platform = platform_of(app)
    assert platform.catalogue.find(f"{code}-prod") is None

    approved = http.post(url, json={}, headers=second)
    assert approved.status_code == 200, approved.get_json()
    body = approved.get_json()
    assert body["production"]["kind"] == "production"
    production = platform.catalogue.get(f"{code}-prod")
    assert production.settings["languages"] == ["fr"]
    assert production.settings["time_zone"] == "Africa/Abidjan"
    assert platform.catalogue.get(code).is_served  # the training registry stays
    assert_nothing_of_training_data_in(platform, production.id, {"ama.mensah"})
    password = body["one_time_passwords"]["ama.mensah"]
    signed_in = sign_in(app, production.code, "ama.mensah", password=password)  # the invited administrator
    assert signed_in["access_token"]

    unknown = http.post(
        "/api/v1/platform/onboarding/promotions/01a24fcb-1db7-7e35-8b37-af9333eedd49/approval", headers=second
    )
    assert (unknown.status_code, unknown.get_json()["code"]) == (404, "resource.not_found")
    again = http.post(url, json={}, headers=second)
    assert (again.status_code, again.get_json()["code"]) == (409, "onboarding.promotion_conflict")
    overview = http.get("/api/v1/platform/onboarding", headers=first).get_json()["items"]
    assert next(item for item in overview if item["code"] == code)["phase"] == "deployed"


# What every new registry has from its first minutes, whatever came before: its people, the audit of their
# sign-ins, its (empty) transparency log's head and the keys the platform makes for it.
OWN_FROM_THE_START = {
    "users",
    "audit_events",
    "transparency_heads",
    "transparency_keys",
    "transparency_witness_keys",
    "interregistry_keys",
}


def assert_nothing_of_training_data_in(platform: Platform, tenant_id: UUID, administrators: set[str]) -> None:
    """No row of what a registry records in use (ledger, reporting, CAD Trust, transfers, organizations,
    clients, feedback, log entries); of people only the invited administrators; an empty log."""
    with platform.database.transaction(tenant_id) as session:
        for table in tenant_tables():
            if table.name in OWN_FROM_THE_START:
                continue
            count = session.scalar(select(func.count()).select_from(table).where(table.c.tenant_id == tenant_id))
            assert count == 0, f"{table.name} of the promoted registry holds {count} rows"
        users = next(t for t in tenant_tables() if t.name == "users")
        assert set(session.scalars(select(users.c.username).where(users.c.tenant_id == tenant_id))) == administrators
        heads = next(t for t in tenant_tables() if t.name == "transparency_heads")
        assert set(session.scalars(select(heads.c.size).where(heads.c.tenant_id == tenant_id))) <= {0}
