"""Behaviour seen on the real CADT 1.7.24 node (simulator mode) that the stand-in must share."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.cadt_standin.server import NO_ORGANIZATION, ORG_UID, PENDING, CadtStandIn
from tests.cadt_standin.test_standin_rules import KEY, commit, committed_project, committed_unit, project, unit

PICKLIST = {"unitStatus": "unitStatus", "countryJurisdictionOfOwner": "countries"}


@pytest.fixture
def node() -> CadtStandIn:
    return CadtStandIn()


@pytest.fixture
def client(node: CadtStandIn) -> FlaskClient:
    return node.app.test_client()


def update(stored: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A unit update with the required fields and the given ones, without the issuance."""
    body = {k: v for k, v in unit(stored["issuance"]).items() if k != "issuance"}
    return body | {"warehouseUnitId": stored["warehouseUnitId"]} | fields


def land(client: FlaskClient, path: str, body: dict[str, Any]) -> None:
    assert client.put(path, json=body, headers=KEY).status_code == 200
    commit(client)


def fetch_unit(client: FlaskClient, wuid: str) -> dict[str, Any]:
    result: dict[str, Any] = client.get(f"/v1/units?warehouseUnitId={wuid}", headers=KEY).json
    return result


def test_dates_come_back_as_timestamps(client: FlaskClient) -> None:
    stored = committed_project(client)
    assert stored["projectStatusDate"] == "2025-01-01T00:00:00.000Z"
    (issuance,) = stored["issuances"]
    assert (issuance["startDate"], issuance["endDate"], issuance["verificationReportDate"]) == (
        "2023-01-01T00:00:00.000Z",
        "2023-12-31T00:00:00.000Z",
        "2024-03-01T00:00:00.000Z",
    )


def test_columns_never_written_come_back_as_null(client: FlaskClient) -> None:
    stored = committed_project(client)
    assert (stored["currentRegistry"], stored["validationDate"], stored["description"]) == (None, None, None)
    assert stored["projectLocations"][0]["inCountryRegion"] is None


def test_a_unit_update_keeps_what_it_leaves_out_and_clears_only_explicit_nulls(client: FlaskClient) -> None:
    issuance = committed_project(client)["issuances"][0]
    body = unit(issuance, unitOwner="Owner A", unitTags="CA0001", unitStatusReason="first", marketplace="M")
    wuid = client.post("/v1/units", json=body, headers=KEY).json["uuid"]
    commit(client)
    land(client, "/v1/units", update(fetch_unit(client, wuid), unitStatus="Retired"))
    kept = fetch_unit(client, wuid)
    assert (kept["unitStatus"], kept["unitOwner"], kept["unitTags"], kept["unitStatusReason"]) == (
        "Retired",
        "Owner A",
        "CA0001",
        "first",
    )
    land(client, "/v1/units", update(kept, unitOwner=None, unitStatusReason=None))
    cleared = fetch_unit(client, wuid)
    assert (cleared["unitOwner"], cleared["unitStatusReason"], cleared["unitTags"]) == (None, None, "CA0001")


def test_every_unit_update_without_the_issuance_adds_a_copy_to_the_project(
    node: CadtStandIn, client: FlaskClient
) -> None:
    stored = committed_unit(client)
    land(client, "/v1/units", update(stored))
    land(client, "/v1/units", update(stored, unitOwner="Owner B"))
    (project_row,) = node.projects.values()
    copies = project_row["issuances"]
    assert len(copies) == 3
    assert len({i["id"] for i in copies}) == 3
    assert {(i["startDate"], i["verificationBody"]) for i in copies} == {("2023-01-01T00:00:00.000Z", "Verifier GmbH")}
    assert fetch_unit(client, stored["warehouseUnitId"])["issuanceId"] == copies[-1]["id"]


def test_a_unit_update_carrying_the_issuance_adds_a_copy_that_belongs_to_no_project(
    node: CadtStandIn, client: FlaskClient
) -> None:
    stored = committed_unit(client)
    reference = {k: stored["issuance"][k] for k in unit(stored["issuance"])["issuance"]}
    land(client, "/v1/units", update(stored, issuance=reference))
    assert len(client.get("/v1/issuances", headers=KEY).json) == 2
    assert len(next(iter(node.projects.values()))["issuances"]) == 1
    landed = fetch_unit(client, stored["warehouseUnitId"])["issuance"]
    assert landed["id"] != stored["issuanceId"]
    assert (landed["warehouseProjectId"], landed["verificationBody"]) == (None, None)


def test_a_split_adds_an_issuance_copy_per_part(client: FlaskClient) -> None:
    stored = committed_unit(client)
    records = [
        {"unitCount": 40, "unitBlockStart": "A-1", "unitBlockEnd": "A-40"},
        {"unitCount": 60, "unitBlockStart": "A-41", "unitBlockEnd": "A-100"},
    ]
    client.post("/v1/units/split", json={"warehouseUnitId": stored["warehouseUnitId"], "records": records}, headers=KEY)
    commit(client)
    assert len(client.get("/v1/issuances", headers=KEY).json) == 3


@pytest.mark.parametrize(("field", "value"), [("unitStatus", "Gone"), ("countryJurisdictionOfOwner", "Narnia")])
def test_split_parts_are_checked_against_the_picklists(
    node: CadtStandIn, client: FlaskClient, field: str, value: str
) -> None:
    stored = committed_unit(client)
    records = [
        {"unitCount": 40, "unitBlockStart": "A-1", "unitBlockEnd": "A-40"},
        {"unitCount": 60, "unitBlockStart": "A-41", "unitBlockEnd": "A-100", field: value},
    ]
    split = {"warehouseUnitId": stored["warehouseUnitId"], "records": records}
    refused = client.post("/v1/units/split", json=split, headers=KEY).json
    assert refused["errors"] == [
        f"{field} does not include a valid option {', '.join(node.picklists[PICKLIST[field]])} instead got '{value}'"
    ]


def test_writes_need_the_home_organization_first() -> None:
    node = CadtStandIn(organization=False)
    client = node.app.test_client()
    assert client.get("/v1/organizations", headers=KEY).json == {}
    refused = client.post("/v1/projects", json=project(), headers=KEY)
    assert (refused.status_code, refused.json) == (
        400,
        {"message": "Error creating new project", "error": NO_ORGANIZATION, "success": False},
    )
    assert node.staging == []
    body = {"name": "Registry", "icon": "https://registry.example/icon.svg"}
    created = client.post("/v1/organizations", json=body, headers=KEY).json
    assert created == {"message": "New organization created successfully.", "success": True, "orgId": ORG_UID}
    assert client.get("/v1/organizations", headers=KEY).json[ORG_UID]["isHome"] is True
    again = client.post("/v1/organizations", json=body, headers=KEY).json
    assert again == {"message": "Your organization already exists.", "orgId": ORG_UID, "success": False}
    assert client.post("/v1/projects", json=project(), headers=KEY).status_code == 200


@pytest.mark.parametrize(
    ("path", "message"),
    [("/v1/projects", "Error creating new project"), ("/v1/staging/commit", "Error commiting staging table")],
)
def test_a_write_while_a_commit_is_pending_gets_the_exact_body(client: FlaskClient, path: str, message: str) -> None:
    client.post("/v1/projects", json=project(), headers=KEY)
    client.post("/v1/staging/commit", json={}, headers=KEY)
    refused = client.post(path, json=project(projectId="P-2"), headers=KEY)
    assert (refused.status_code, refused.json) == (400, {"message": message, "error": PENDING, "success": False})


def test_unknown_records_answer_null_and_an_unknown_split_names_the_id(client: FlaskClient) -> None:
    committed_unit(client)
    assert client.get("/v1/projects?warehouseProjectId=nope", headers=KEY).json is None
    assert client.get("/v1/units?warehouseUnitId=nope", headers=KEY).json is None
    records = [{"unitCount": 1, "unitBlockStart": "a", "unitBlockEnd": "b"}] * 2
    refused = client.post("/v1/units/split", json={"warehouseUnitId": "nope", "records": records}, headers=KEY)
    assert refused.json["error"] == "The unit record for the warehouseUnitId: nope does not exist."


def test_bad_dates_are_refused_as_cadt_words_it(client: FlaskClient) -> None:
    issuance = project()["issuances"][0] | {"startDate": "2023-13-01", "endDate": "x"}
    body = project(projectStatusDate="not a date", issuances=[issuance])
    assert client.post("/v1/projects", json=body, headers=KEY).json["errors"] == [
        '"projectStatusDate" must be a valid date',
        '"issuances[0].startDate" must be a valid date',
        '"issuances[0].endDate" must be a valid date',
    ]
