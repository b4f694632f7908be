"""Each documented CADT v1 rule, pinned, so that the stand-in cannot drift into accepting what CADT refuses."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from tests.cadt_standin import rules
from tests.cadt_standin.server import ORG_UID, PENDING, CadtStandIn, serving

KEY = {"x-api-key": "test-key"}


def project(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "projectId": "P-1",
        "originProjectId": "P-1",
        "registryOfOrigin": "UNFCCC",
        "projectName": "Cookstoves",
        "projectLink": "https://registry.example/p/1",
        "projectDeveloper": "Cookstove Ltd",
        "sector": "Energy",
        "projectType": "Cookstoves",
        "coveredByNDC": "Inside NDC",
        "projectStatus": "Registered",
        "projectStatusDate": "2025-01-01",
        "unitMetric": "tCO2e",
        "methodology": "GS TPDDTEC",
        "projectLocations": [{"country": "Ghana", "geographicIdentifier": "Ashanti"}],
        "issuances": [
            {
                "startDate": "2023-01-01",
                "endDate": "2023-12-31",
                "verificationApproach": "Verification",
                "verificationReportDate": "2024-03-01",
                "verificationBody": "Verifier GmbH",
            }
        ],
    }
    return body | overrides


def unit(issuance: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "countryJurisdictionOfOwner": "Ghana",
        "unitBlockStart": "A-1",
        "unitBlockEnd": "A-100",
        "unitCount": 100,
        "vintageYear": 2023,
        "unitType": "Reduction - technical",
        "unitStatus": "Held",
        "unitRegistryLink": "https://registry.example/u/1",
        "correspondingAdjustmentDeclaration": "Committed",
        "correspondingAdjustmentStatus": "Not Started",
        "issuance": {
            k: issuance[k] for k in ("id", "startDate", "endDate", "verificationApproach", "verificationReportDate")
        },
    }
    return body | overrides


@pytest.fixture
def node() -> CadtStandIn:
    return CadtStandIn()


@pytest.fixture
def client(node: CadtStandIn) -> FlaskClient:
    return node.app.test_client()


def commit(client: FlaskClient) -> None:
    assert client.post("/v1/staging/commit", json={}, headers=KEY).status_code == 200
    while not client.get("/v1/staging/hasPendingTransactions", headers=KEY).json["confirmed"]:
        pass


def committed_project(client: FlaskClient) -> dict[str, Any]:
    uid = client.post("/v1/projects", json=project(), headers=KEY).json["uuid"]
    commit(client)
    result: dict[str, Any] = client.get(f"/v1/projects?warehouseProjectId={uid}", headers=KEY).json
    return result


def committed_unit(client: FlaskClient) -> dict[str, Any]:
    issuance = committed_project(client)["issuances"][0]
    uid = client.post("/v1/units", json=unit(issuance), headers=KEY).json["uuid"]
    commit(client)
    result: dict[str, Any] = client.get(f"/v1/units?warehouseUnitId={uid}", headers=KEY).json
    return result


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong"}])
@pytest.mark.parametrize("path", ["/health", "/v1/projects?page=1&limit=10", "/v1/governance/meta/pickList"])
def test_every_route_needs_the_api_key(client: FlaskClient, headers: dict[str, str], path: str) -> None:
    response = client.get(path, headers=headers)
    assert (response.status_code, response.json) == (403, {"message": "CADT API key not found"})
    assert client.get(path, headers=KEY).status_code == 200


@pytest.mark.parametrize("field", ["projectId", "projectName", "projectLink", "methodology", "projectStatusDate"])
def test_a_project_needs_its_required_fields(client: FlaskClient, field: str) -> None:
    body = project()
    del body[field]
    response = client.post("/v1/projects", json=body, headers=KEY)
    assert response.status_code == 400
    assert f'"{field}" is required' in response.json["errors"]


@pytest.mark.parametrize(
    ("field", "value", "picklist"),
    [
        ("coveredByNDC", "Maybe", "coveredByNDC"),
        ("projectStatus", "Active", "projectStatusValues"),
        ("unitMetric", "tCO2", "unitMetric"),
    ],
)
def test_enforced_project_picklists_are_enforced(client: FlaskClient, field: str, value: str, picklist: str) -> None:
    response = client.post("/v1/projects", json=project(**{field: value}), headers=KEY)
    assert response.status_code == 400
    allowed = ", ".join(CadtStandIn().picklists[picklist])
    assert f"{field} does not include a valid option {allowed} instead got '{value}'" in response.json["errors"]


def test_unenforced_picklists_accept_free_text_as_cadt_does(client: FlaskClient) -> None:
    body = project(sector="Not on the list", projectType="Nor this", methodology="Free text", registryOfOrigin="X")
    assert client.post("/v1/projects", json=body, headers=KEY).status_code == 200


def test_every_error_is_listed_and_unknown_fields_are_refused(client: FlaskClient) -> None:
    body = project(coveredByNDC="Maybe", unknownField=1, projectLocations=[{"country": "Narnia"}])
    del body["projectName"]
    errors = client.post("/v1/projects", json=body, headers=KEY).json["errors"]
    assert '"projectName" is required' in errors
    assert '"unknownField" is not allowed' in errors
    assert '"projectLocations[0].geographicIdentifier" is required' in errors
    assert any("instead got 'Narnia'" in e for e in errors)
    assert any("instead got 'Maybe'" in e for e in errors)


def test_an_issuance_cannot_end_before_it_starts(client: FlaskClient) -> None:
    issuance = project()["issuances"][0] | {"endDate": "2022-01-01"}
    errors = client.post("/v1/projects", json=project(issuances=[issuance]), headers=KEY).json["errors"]
    assert errors == ['"issuances[0].endDate" must be greater than or equal to "ref:startDate"']


@pytest.mark.parametrize("path", ["/v1/projects", "/v1/units"])
def test_lists_need_page_and_limit(client: FlaskClient, path: str) -> None:
    assert client.get(f"{path}?page=1", headers=KEY).json["errors"] == ['"limit" is required']
    assert client.get(f"{path}?page=1&limit=1001", headers=KEY).status_code == 400
    assert client.get(f"{path}?page=1&limit=5", headers=KEY).json == {"page": 1, "pageCount": 1, "data": []}


def test_staged_records_reach_the_tables_only_once_the_commit_lands(node: CadtStandIn, client: FlaskClient) -> None:
    uid = client.post("/v1/projects", json=project(), headers=KEY).json["uuid"]
    assert client.get("/v1/projects?page=1&limit=10", headers=KEY).json["data"] == []
    assert client.get("/v1/staging", headers=KEY).json[0]["uuid"] == uid
    client.post("/v1/staging/commit", json={}, headers=KEY)
    pending = client.get("/v1/staging/hasPendingTransactions", headers=KEY).json
    assert pending["confirmed"] is False
    assert node.projects == {}
    assert client.get("/v1/staging/hasPendingTransactions", headers=KEY).json["confirmed"] is True
    landed = client.get(f"/v1/projects?warehouseProjectId={uid}", headers=KEY).json
    assert landed["orgUid"]
    assert landed["issuances"][0]["warehouseProjectId"] == uid
    assert client.get("/v1/staging", headers=KEY).json == []


def test_an_empty_staging_table_cannot_be_committed(client: FlaskClient) -> None:
    response = client.post("/v1/staging/commit", json={}, headers=KEY)
    assert (response.status_code, response.json["error"]) == (400, "Cant commit empty staging table")


def test_writes_and_commits_are_refused_while_a_commit_is_pending(client: FlaskClient) -> None:
    client.post("/v1/projects", json=project(), headers=KEY)
    client.post("/v1/staging/commit", json={}, headers=KEY)
    for method, path in (("post", "/v1/projects"), ("post", "/v1/staging/commit"), ("post", "/v1/units/split")):
        response = getattr(client, method)(path, json=project(), headers=KEY)
        assert (response.status_code, response.json["error"]) == (400, PENDING)


def test_a_get_result_sent_back_unchanged_is_refused(client: FlaskClient) -> None:
    stored = committed_project(client)
    errors = client.put("/v1/projects", json=stored, headers=KEY).json["errors"]
    assert '"orgUid" is not allowed' in errors
    assert '"projectLocations[0].warehouseProjectId" is not allowed' in errors
    assert '"labels" must contain at least 1 items' in errors


def test_a_unit_must_reference_a_committed_issuance(client: FlaskClient) -> None:
    uid = client.post("/v1/projects", json=project(), headers=KEY).json["uuid"]
    staged_issuance = client.get("/v1/staging", headers=KEY).json[0]["diff"]["change"][0]["issuances"][0]
    response = client.post("/v1/units", json=unit(staged_issuance), headers=KEY)
    assert response.json["error"] == f"issuance does not have a record for {staged_issuance['id']}"
    commit(client)
    issuance = client.get(f"/v1/projects?warehouseProjectId={uid}", headers=KEY).json["issuances"][0]
    assert client.post("/v1/units", json=unit(issuance), headers=KEY).status_code == 200


def test_a_unit_reference_to_an_issuance_must_be_the_full_object(client: FlaskClient) -> None:
    issuance = committed_project(client)["issuances"][0]
    body = unit(issuance) | {"issuance": {"id": issuance["id"]}}
    errors = client.post("/v1/units", json=body, headers=KEY).json["errors"]
    assert len(errors) == 4
    assert '"issuance.startDate" is required' in errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unitType", "Avoidance"),
        ("unitStatus", "Active"),
        ("correspondingAdjustmentStatus", "Done"),
        ("correspondingAdjustmentDeclaration", "Yes"),
        ("countryJurisdictionOfOwner", "Narnia"),
    ],
)
def test_enforced_unit_picklists_are_enforced(client: FlaskClient, field: str, value: str) -> None:
    issuance = committed_project(client)["issuances"][0]
    errors = client.post("/v1/units", json=unit(issuance, **{field: value}), headers=KEY).json["errors"]
    assert len(errors) == 1
    assert errors[0].startswith(f"{field} does not include a valid option")


def test_vintage_year_is_bounded(client: FlaskClient) -> None:
    issuance = committed_project(client)["issuances"][0]
    errors = client.post("/v1/units", json=unit(issuance, vintageYear=1899), headers=KEY).json["errors"]
    assert errors == ['"vintageYear" must be greater than or equal to 1900']


def test_a_unit_lands_with_its_serial_block_and_issuance(client: FlaskClient) -> None:
    stored = committed_unit(client)
    assert stored["serialNumberBlock"] == "A-1-A-100"
    assert stored["issuanceId"]
    assert "issuance" not in stored


def test_a_split_keeps_the_first_id_and_needs_matching_counts(node: CadtStandIn, client: FlaskClient) -> None:
    parent = committed_unit(client)
    records = [
        {"unitCount": 40, "unitBlockStart": "A-1", "unitBlockEnd": "A-40"},
        {"unitCount": 50, "unitBlockStart": "A-41", "unitBlockEnd": "A-90", "unitStatus": "Retired"},
    ]
    split = {"warehouseUnitId": parent["warehouseUnitId"], "records": records}
    wrong = client.post("/v1/units/split", json=split, headers=KEY).json
    assert wrong["error"] == "Your total split coount is 90 units and the original record is 100 units"
    one = client.post("/v1/units/split", json=split | {"records": records[:1]}, headers=KEY).json
    assert one["errors"] == ['"records" must contain at least 2 items']
    records[1] |= {"unitCount": 60, "unitBlockEnd": "A-100"}
    assert client.post("/v1/units/split", json=split, headers=KEY).json == {
        "message": "Unit split successful",
        "success": True,
    }
    commit(client)
    by_start = {u["unitBlockStart"]: u for u in node.units.values()}
    assert by_start["A-1"]["warehouseUnitId"] == parent["warehouseUnitId"]
    assert by_start["A-1"]["unitCount"] == 40
    assert by_start["A-41"]["unitStatus"] == "Retired"
    (held,) = node.projects.values()
    copies = [i for i in held["issuances"] if i["id"] != parent["issuanceId"]]
    assert len(copies) == 2  # each part lands with a copy of the issuance, as on CADT
    assert {by_start["A-1"]["issuanceId"], by_start["A-41"]["issuanceId"]} == {i["id"] for i in copies}
    assert {i["startDate"] for i in copies} == {held["issuances"][0]["startDate"]}


def test_only_a_committed_unit_can_be_updated(client: FlaskClient) -> None:
    issuance = committed_project(client)["issuances"][0]
    response = client.put("/v1/units", json=unit(issuance, warehouseUnitId="nope"), headers=KEY)
    assert response.status_code == 400
    assert response.json["error"] == "nope does not exist"


def test_a_node_that_is_down_answers_503_and_the_server_runs_on_a_port() -> None:
    node = CadtStandIn()
    with serving(node) as url:
        assert requests.get(f"{url}/health", headers=KEY, timeout=5).status_code == 200
        node.down_after = 1
        assert requests.get(f"{url}/health", headers=KEY, timeout=5).status_code == 200
        assert requests.get(f"{url}/health", headers=KEY, timeout=5).status_code == 503


def test_dates_come_back_as_timestamps(client: FlaskClient) -> None:
    stored = committed_project(client)
    assert stored["projectStatusDate"] == "2025-01-01T00:00:00.000Z"
    issuance = stored["issuances"][0]
    assert (issuance["startDate"], issuance["endDate"]) == ("2023-01-01T00:00:00.000Z", "2023-12-31T00:00:00.000Z")
    assert issuance["verificationReportDate"] == "2024-03-01T00:00:00.000Z"


def test_a_unit_update_keeps_the_fields_it_leaves_out_and_clears_those_sent_as_null(
    node: CadtStandIn, client: FlaskClient
) -> None:
    stored = committed_unit(client)
    uid = stored["warehouseUnitId"]
    required = {k: stored[k] for k in rules.UNIT_REQUIRED}
    reasoned = required | {"warehouseUnitId": uid, "unitOwner": "A", "unitStatusReason": "Transfer requested"}
    assert client.put("/v1/units", json=reasoned, headers=KEY).status_code == 200
    commit(client)
    left_out = {k: v for k, v in reasoned.items() if k not in ("unitOwner", "unitStatusReason")}
    assert client.put("/v1/units", json=left_out, headers=KEY).status_code == 200
    commit(client)
    assert (node.units[uid]["unitOwner"], node.units[uid]["unitStatusReason"]) == ("A", "Transfer requested")
    assert client.put("/v1/units", json=left_out | {"unitStatusReason": None}, headers=KEY).status_code == 200
    commit(client)
    assert (node.units[uid]["unitOwner"], node.units[uid]["unitStatusReason"]) == ("A", None)


def test_a_unit_update_carrying_its_issuance_adds_a_copy_and_one_without_does_not(
    node: CadtStandIn, client: FlaskClient
) -> None:
    stored = committed_unit(client)
    (project_id,) = node.projects
    issuance = node.projects[project_id]["issuances"][0]
    update = {k: stored[k] for k in rules.UNIT_REQUIRED} | {"warehouseUnitId": stored["warehouseUnitId"]}
    assert client.put("/v1/units", json=update, headers=KEY).status_code == 200
    commit(client)
    assert len(node.projects[project_id]["issuances"]) == 1
    carrying = update | {"issuance": {k: issuance[k] for k in ("id", *rules.ISSUANCE_FIELDS)}}
    assert client.put("/v1/units", json=carrying, headers=KEY).status_code == 200
    commit(client)
    assert len(node.projects[project_id]["issuances"]) == 2


def test_organizations_are_listed_by_org_uid_and_empty_before_one_is_created(
    node: CadtStandIn, client: FlaskClient
) -> None:
    assert client.get("/v1/organizations", headers=KEY).json[ORG_UID]["isHome"] is True
    node.organizations = {}
    assert client.get("/v1/organizations", headers=KEY).json == {}
