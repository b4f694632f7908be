"""Project details for CAD Trust: recorded through the API or derived from authorizations, sent as v1 child tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from flask import Flask

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from services.cadt.domain.dates import as_sent
from services.cadt.domain.model import Kind, Status
from services.cadt.service_layer.publisher import PublishPolicy
from services.ledger.domain import commands
from services.ledger.domain.authorizations import AuthorizationTerms, Purpose, Timeframe
from services.ledger.domain.blocks import UnitFilter
from services.ledger.domain.values import Metric
from tests.cadt_standin.fixtures import RunningStandIn
from tests.cadt_standin.server import ORG_UID
from tests.factories.auth import auth_header, bearer_token
from tests.integration.cadt.scenario import ACTOR, Example, issue, own, reference_data

APPROVER = UUID("00000000-0000-7000-8000-000000000002")  # authorizations need a second person
DETAILS: dict[str, Any] = {
    "labels": [
        {
            "label": "Letter of approval by the host Party",
            "label_type": "Letter of Approval",
            "crediting_period_start": "2021-01-01",
            "crediting_period_end": "2030-12-31",
            "validity_period_start": "2024-01-01",
            "validity_period_end": "2030-12-31",
            "unit_quantity": 1500,
            "label_link": "https://registry.example/loa/approval-1",
        }
    ],
    "estimations": [{"crediting_period_start": "2023-01-01", "crediting_period_end": "2024-12-31", "unit_count": 1600}],
    "ratings": [
        {
            "rating_type": "BeZero",
            "rating_range_lowest": "D",
            "rating_range_highest": "AAA",
            "rating": "A",
            "rating_link": "https://ratings.example/cookstoves",
        }
    ],
    "co_benefits": [{"cobenefit": "SDG 13 - Climate action"}, {"cobenefit": "SDG 1 - No poverty"}],
    "related_projects": [
        {"related_project_id": "GS-1234", "relationship_type": "transitioned from", "registry": "Gold Standard"}
    ],
    "locations": [{"country": "Ghana", "geographic_identifier": "6.69,-1.62", "in_country_region": "Ashanti"}],
}  # fmt: skip


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


@pytest.fixture
def app(platform: Platform) -> Flask:
    return create_app(platform.settings, platform)


def authorization_terms(example: Example, **changes: Any) -> AuthorizationTerms:
    terms = AuthorizationTerms(
        version=1,
        authorized_on=date(2024, 2, 1),
        cooperative_approach_id="CA0001",
        authorizing_party=example.tenant.party,
        metric=Metric.ghg(),
        purposes=frozenset({Purpose.NDC}),
        timeframe=Timeframe(2021, 2030),
    )
    return dataclasses.replace(terms, **changes)


def authorized_example(platform: Platform, url: str, **changes: Any) -> tuple[Example, UUID]:
    """The worked example's project and issuances, with 300 units of the first issuance authorized for NDC use."""
    example = reference_data(platform)
    issue(example)
    example.do(
        commands.TransferUnits(
            actor_id=ACTOR,
            source_account_id=example.ids["issuance"],
            destination_account_id=example.ids["holding"],
            quantity=400,
            unit_filter=UnitFilter(issuance_id=example.ids["first"]),
        )
    )
    terms = authorization_terms(example, **changes)
    authorization = example.record(
        "authorization", commands.RecordAuthorization(actor_id=ACTOR, reference="GHA-LoA-2024-7", terms=terms)
    )
    held = example.do(
        commands.AuthorizeUnits(
            actor_id=ACTOR, account_id=example.ids["holding"], authorization_id=authorization, quantity=300
        )
    )
    example.do(commands.ApproveTransaction(actor_id=APPROVER, transaction_id=held.transaction_id))
    example.connect(url)
    example.sync()
    return example, authorization


def node_project(running: RunningStandIn) -> dict[str, Any]:
    (project,) = running.node.projects.values()
    held: dict[str, Any] = as_sent(project)  # the node holds dates as timestamps
    return held


def held(project: dict[str, Any], table: str) -> list[dict[str, Any]]:
    server = ("id", "warehouseProjectId", "orgUid")
    for row in project[table]:
        assert row["orgUid"] == ORG_UID
        assert row["warehouseProjectId"] == project["warehouseProjectId"]
        assert row["id"]
    return [{k: v for k, v in row.items() if k not in server and v is not None} for row in project[table]]


def derived_label(example: Example, authorization: UUID) -> dict[str, Any]:
    return {
        "label": "Article 6.2 authorization GHA-LoA-2024-7 (version 1; purposes NDC)",
        "labelType": "Letter of Authorization",
        "creditingPeriodStartDate": "2021-01-01",
        "creditingPeriodEndDate": "2030-12-31",
        "validityPeriodStartDate": "2024-02-01",
        "validityPeriodEndDate": "2030-12-31",
        "unitQuantity": 300,
        "labelLink": f"https://registry.example/{example.tenant.code}/authorizations/{authorization}",
    }


def test_authorizations_are_published_as_labels_without_any_details_recorded(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example, authorization = authorized_example(platform, cadt_node.url)
    project = node_project(cadt_node)
    assert held(project, "labels") == [derived_label(example, authorization)]
    assert held(project, "projectLocations") == [{"country": "Ghana", "geographicIdentifier": "Ghana"}]
    assert [project[t] for t in ("estimations", "projectRatings", "coBenefits", "relatedProjects")] == [[]] * 4


def test_recorded_details_land_as_v1_child_tables_field_by_field_and_updates_replace_them(
    app: Flask, platform: Platform, cadt_node: RunningStandIn
) -> None:
    example, authorization = authorized_example(platform, cadt_node.url)
    admin = auth_header(bearer_token(app, example.tenant.code, [Role.REGISTRY_ADMIN]))
    path = f"/api/v1/registries/{example.tenant.code}/cadt/projects/{example.ids['project']}/details"
    answer = app.test_client().put(path, json=DETAILS, headers=admin)
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "pending"
    assert answer.json["derived_labels"] == [derived_label(example, authorization)]
    assert app.test_client().get(path, headers=admin).json == answer.json
    outcomes = wiring.retry_timer(platform).tick()  # the change is published by the consumer's timer
    assert outcomes == {example.tenant.id: "published"}
    project = node_project(cadt_node)
    approval = DETAILS["labels"][0]
    assert held(project, "labels") == [
        derived_label(example, authorization),
        {
            "label": approval["label"],
            "labelType": "Letter of Approval",
            "creditingPeriodStartDate": "2021-01-01",
            "creditingPeriodEndDate": "2030-12-31",
            "validityPeriodStartDate": "2024-01-01",
            "validityPeriodEndDate": "2030-12-31",
            "unitQuantity": 1500,
            "labelLink": "https://registry.example/loa/approval-1",
        },
    ]
    assert held(project, "estimations") == [
        {"creditingPeriodStart": "2023-01-01", "creditingPeriodEnd": "2024-12-31", "unitCount": 1600}
    ]
    assert held(project, "projectRatings") == [
        {"ratingType": "BeZero", "ratingRangeLowest": "D", "ratingRangeHighest": "AAA", "rating": "A",
         "ratingLink": "https://ratings.example/cookstoves"}
    ]  # fmt: skip
    assert held(project, "coBenefits") == [
        {"cobenefit": "SDG 13 - Climate action"},
        {"cobenefit": "SDG 1 - No poverty"},
    ]
    assert held(project, "relatedProjects") == [
        {"relatedProjectId": "GS-1234", "relationshipType": "transitioned from", "registry": "Gold Standard"}
    ]
    assert held(project, "projectLocations") == [
        {"country": "Ghana", "geographicIdentifier": "6.69,-1.62", "inCountryRegion": "Ashanti"}
    ]
    assert len(project["issuances"]) == 2

    fewer = DETAILS | {"co_benefits": [{"cobenefit": "SDG 1 - No poverty"}], "locations": []}
    assert app.test_client().put(path, json=fewer, headers=admin).status_code == 200
    assert own(wiring.retry_timer(platform).tick(), example.tenant.id) == {example.tenant.id: "published"}
    project = node_project(cadt_node)
    # the node never removes a child row: the one left over is rewritten as the row kept
    assert held(project, "coBenefits") == [{"cobenefit": "SDG 1 - No poverty"}] * 2
    assert held(project, "projectLocations") == [{"country": "Ghana", "geographicIdentifier": "Ghana"}]
    assert len(cadt_node.node.projects) == 1
    assert len(project["issuances"]) == 2
    store = wiring.cadt_for(platform).store(example.tenant.id)
    assert store.get(Kind.PROJECT, str(example.ids["project"])).status is Status.PUBLISHED  # type: ignore[union-attr]


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"labels": [DETAILS["labels"][0] | {"label_type": "Blessing"}]}, "cadt.not_on_picklist", "labels[0].label_type"),
    ({"ratings": [DETAILS["ratings"][0] | {"rating_type": "Moody"}]}, "cadt.not_on_picklist", "ratings[0].rating_type"),
    ({"locations": [{"country": "Narnia", "geographic_identifier": "x"}]}, "cadt.not_on_picklist",
     "locations[0].country"),
    ({"co_benefits": [{"cobenefit": "Cleaner air"}]}, "cadt.not_on_picklist", "co_benefits[0].cobenefit"),
    ({"estimations": [DETAILS["estimations"][0] | {"crediting_period_end": "2022-01-01"}]}, "cadt.invalid_period",
     "estimations[0].crediting_period_end"),
]  # fmt: skip


def test_bad_details_are_refused_with_a_stable_code_and_change_nothing(
    app: Flask, platform: Platform, cadt_node: RunningStandIn
) -> None:
    example, _ = authorized_example(platform, cadt_node.url)
    admin = auth_header(bearer_token(app, example.tenant.code, [Role.REGISTRY_ADMIN]))
    path = f"/api/v1/registries/{example.tenant.code}/cadt/projects/{example.ids['project']}/details"
    for change, code, field in BAD:
        answer = app.test_client().put(path, json=DETAILS | change, headers=admin)
        assert answer.status_code == 422, change
        assert answer.headers["Content-Type"].startswith("application/problem+json")
        assert (answer.json["code"], answer.json["field"]) == (code, field)
        assert code != "cadt.not_on_picklist" or answer.json["problems"][0]["allowed"]
    assert app.test_client().get(path, headers=admin).json["labels"] == []
    assert own(wiring.retry_timer(platform).tick(), example.tenant.id) == {}  # nothing to republish
    assert node_project(cadt_node)["coBenefits"] == []


def test_malformed_details_unknown_projects_and_other_roles_are_refused(
    app: Flask, platform: Platform, cadt_node: RunningStandIn
) -> None:
    example, _ = authorized_example(platform, cadt_node.url)
    code = example.tenant.code
    admin = auth_header(bearer_token(app, code, [Role.REGISTRY_ADMIN]))
    path = f"/api/v1/registries/{code}/cadt/projects/{example.ids['project']}/details"
    bad = DETAILS | {"estimations": [DETAILS["estimations"][0] | {"unit_count": "many"}]}
    answer = app.test_client().put(path, json=bad, headers=admin)
    assert answer.status_code == 422
    assert "unit_count" in answer.get_data(as_text=True)
    missing = f"/api/v1/registries/{code}/cadt/projects/{example.ids['first']}/details"
    assert app.test_client().get(missing, headers=admin).json["code"] == "cadt.project_not_found"
    auditor = auth_header(bearer_token(app, code, [Role.AUDITOR]))
    assert app.test_client().put(path, json=DETAILS, headers=auditor).status_code == 403
    assert app.test_client().get(path, headers=auditor).status_code == 403
