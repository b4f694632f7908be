"""The v1 rules for a project's child tables (labels, estimations, ratings, co-benefits, related projects,
locations), pinned so that the stand-in cannot accept what CADT refuses."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from services.cadt.domain.dates import as_sent
from tests.cadt_standin.server import ORG_UID, CadtStandIn
from tests.cadt_standin.test_standin_rules import KEY, commit, project

CHILDREN: dict[str, dict[str, Any]] = {
    "labels": {
        "label": "Authorization A-1",
        "labelType": "Letter of Authorization",
        "creditingPeriodStartDate": "2021-01-01",
        "creditingPeriodEndDate": "2030-12-31",
        "validityPeriodStartDate": "2024-01-01",
        "validityPeriodEndDate": "2030-12-31",
        "unitQuantity": 1000,
        "labelLink": "https://registry.example/authorizations/1",
    },
    "estimations": {"creditingPeriodStart": "2021-01-01", "creditingPeriodEnd": "2025-12-31", "unitCount": 5000},
    "projectRatings": {
        "ratingType": "BeZero",
        "ratingRangeLowest": "D",
        "ratingRangeHighest": "AAA",
        "rating": "A",
        "ratingLink": "https://ratings.example/1",
    },
    "coBenefits": {"cobenefit": "SDG 13 - Climate action"},
    "relatedProjects": {"relatedProjectId": "VCS-1", "relationshipType": "successor", "registry": "Verra"},
}
REQUIRED = [
    (table, name)
    for table, row in CHILDREN.items()
    for name in row
    if (table, name) not in {("relatedProjects", "relationshipType"), ("relatedProjects", "registry")}
]


@pytest.fixture
def node() -> CadtStandIn:
    return CadtStandIn()


@pytest.fixture
def client(node: CadtStandIn) -> FlaskClient:
    return node.app.test_client()


def with_children(**overrides: Any) -> dict[str, Any]:
    return project(**{table: [dict(row)] for table, row in CHILDREN.items()}) | overrides


def errors(client: FlaskClient, body: dict[str, Any]) -> list[str]:
    answer = client.post("/v1/projects", json=body, headers=KEY)
    assert answer.status_code == 400, answer.json
    result: list[str] = answer.json["errors"]
    return result


def test_every_child_table_is_accepted_nested_in_the_project(node: CadtStandIn, client: FlaskClient) -> None:
    uid = client.post("/v1/projects", json=with_children(), headers=KEY).json["uuid"]
    commit(client)
    stored = as_sent(node.projects[uid])  # dates are held as timestamps
    for table, row in CHILDREN.items():
        (held,) = stored[table]
        assert {k: held[k] for k in row} == row
        assert held["warehouseProjectId"] == uid
        assert held["orgUid"] == ORG_UID
        assert held["id"]


@pytest.mark.parametrize(("table", "name"), REQUIRED)
def test_each_child_needs_its_required_fields(client: FlaskClient, table: str, name: str) -> None:
    row = {k: v for k, v in CHILDREN[table].items() if k != name}
    assert f'"{table}[0].{name}" is required' in errors(client, with_children(**{table: [row]}))


def test_related_projects_need_only_the_related_id(client: FlaskClient) -> None:
    body = with_children(relatedProjects=[{"relatedProjectId": "VCS-1"}])
    assert client.post("/v1/projects", json=body, headers=KEY).status_code == 200


@pytest.mark.parametrize(
    ("table", "field", "picklist"),
    [("labels", "labelType", "labelType"), ("projectRatings", "ratingType", "ratingType")],
)
def test_label_and_rating_types_are_enforced_picklists(
    node: CadtStandIn, client: FlaskClient, table: str, field: str, picklist: str
) -> None:
    body = with_children(**{table: [CHILDREN[table] | {field: "Nope"}]})
    allowed = ", ".join(node.picklists[picklist])
    assert f"{table} {field} does not include a valid option {allowed} instead got 'Nope'" in errors(client, body)


def test_co_benefits_are_free_text_as_cadt_does_not_enforce_their_list(client: FlaskClient) -> None:
    body = with_children(coBenefits=[{"cobenefit": "Cleaner air"}])
    assert client.post("/v1/projects", json=body, headers=KEY).status_code == 200


@pytest.mark.parametrize(("table", "name"), [("labels", "unitQuantity"), ("estimations", "unitCount")])
def test_counts_must_be_numbers(client: FlaskClient, table: str, name: str) -> None:
    body = with_children(**{table: [CHILDREN[table] | {name: "many"}]})
    assert f'"{table}[0].{name}" must be a number' in errors(client, body)


def test_label_dates_must_be_dates_but_the_validity_start_is_a_plain_string(client: FlaskClient) -> None:
    label = CHILDREN["labels"] | {"creditingPeriodEndDate": "soon", "validityPeriodStartDate": 2024}
    found = errors(client, with_children(labels=[label]))
    assert '"labels[0].creditingPeriodEndDate" must be a valid date' in found
    assert '"labels[0].validityPeriodStartDate" must be a string' in found


@pytest.mark.parametrize("table", [*CHILDREN, "projectLocations"])
def test_an_empty_child_table_is_refused(client: FlaskClient, table: str) -> None:
    assert f'"{table}" must contain at least 1 items' in errors(client, with_children(**{table: []}))


def test_a_child_may_not_carry_server_fields(client: FlaskClient) -> None:
    body = with_children(coBenefits=[{"cobenefit": "SDG 13 - Climate action", "orgUid": ORG_UID}])
    assert '"coBenefits[0].orgUid" is not allowed' in errors(client, body)


def test_an_update_replaces_the_child_tables_it_carries_and_keeps_the_others(
    node: CadtStandIn, client: FlaskClient
) -> None:
    uid = client.post("/v1/projects", json=with_children(), headers=KEY).json["uuid"]
    commit(client)
    update = project(coBenefits=[{"cobenefit": "SDG 1 - No poverty"}], warehouseProjectId=uid)
    assert client.put("/v1/projects", json=update, headers=KEY).status_code == 200
    commit(client)
    stored = node.projects[uid]
    assert [row["cobenefit"] for row in stored["coBenefits"]] == ["SDG 1 - No poverty"]
    assert [row["label"] for row in stored["labels"]] == ["Authorization A-1"]  # left out: kept


def test_a_label_validity_may_not_end_before_it_starts(client: FlaskClient) -> None:
    label = CHILDREN["labels"] | {"validityPeriodStartDate": "2026-11-01", "validityPeriodEndDate": "2025-12-31"}
    assert errors(client, project(labels=[label])) == [
        '"labels[0].validityPeriodEndDate" must be greater than or equal to "ref:validityPeriodStartDate"'
    ]
