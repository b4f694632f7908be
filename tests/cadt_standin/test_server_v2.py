"""The stand-in's v2 routes behave as CADT's v2 controllers do (src/controllers/v2, issuance-v2 @ 08b8be5,
staging-v2 @ 24c6ddf): the node assigns ids, references must name held or staged records, an update names a
held record, the first error answers, and writes wait while a commit is landing."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.cadt_standin.server import ORG_UID
from tests.cadt_standin.server_v2 import CadtStandInV2
from tests.cadt_standin.test_rules_v2 import PROJECT

HEADERS = {"x-api-key": "test-key"}
MISSING = "0b9a2b0e-4d3c-4f7e-9a55-3c1f7a1d2eff"


def post(client: FlaskClient, segment: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    answer = client.post(f"/v2/{segment}", json=body, headers=HEADERS)
    return answer.status_code, answer.json or {}


def pending(client: FlaskClient) -> list[dict[str, Any]]:
    answer = client.get("/v2/staging", query_string={"type": "pending", "page": 1, "limit": 10}, headers=HEADERS)
    return list((answer.json or {})["data"])


def test_a_record_may_name_a_staged_record_and_lands_with_the_id_it_was_given() -> None:
    node = CadtStandInV2()
    client = node.app.test_client()
    status, project = post(client, "project", PROJECT)
    assert status == 200
    project_id = project["cadTrustProjectId"]
    status, verification = post(client, "verification", {"verificationId": "v-1", "verificationBody": "DNV",
                                                         "cadTrustProjectId": project_id})  # fmt: skip
    assert status == 200
    assert client.get("/v2/staging/pending", headers=HEADERS).json["confirmed"] is False  # uncommitted rows
    assert client.post("/v2/staging/commit", json={}, headers=HEADERS).status_code == 200
    assert client.get("/v2/staging/pending", headers=HEADERS).json["confirmed"] is True
    assert pending(client) != []  # committed, landing
    assert pending(client) == []  # landed
    held = client.get(f"/v2/project/{project_id}", headers=HEADERS).json
    assert held["orgUid"] == ORG_UID
    assert held["projectName"] == PROJECT["projectName"]
    assert node.held("verification")[0]["cadTrustVerificationId"] == verification["cadTrustVerificationId"]


def test_a_reference_to_nothing_is_refused_with_the_first_error_only() -> None:
    client = CadtStandInV2().app.test_client()
    status, body = post(client, "project-methodology", {"cadTrustProjectId": MISSING, "cadTrustMethodologyId": MISSING})
    assert status == 400
    assert body["error"] == f"cadTrustProjectId '{MISSING}' does not exist"
    status, body = post(client, "project", PROJECT | {"orgUid": ORG_UID, "projectLink": "no"})
    assert (status, body["error"]) == (400, '"orgUid" is not allowed')
    status, body = post(client, "project", PROJECT | {"projectLink": "no"})
    assert (status, body["error"]) == (400, '"projectLink" must be a valid uri')
    assert client.post("/v2/staging/commit", json={}, headers=HEADERS).status_code == 400  # nothing was staged


def test_an_update_names_a_held_record_and_writes_wait_for_a_landing_commit() -> None:
    node = CadtStandInV2()
    client = node.app.test_client()
    assert client.put(f"/v2/project/{MISSING}", json=PROJECT, headers=HEADERS).status_code == 404
    project_id = post(client, "project", PROJECT)[1]["cadTrustProjectId"]
    assert client.put(f"/v2/project/{project_id}", json=PROJECT, headers=HEADERS).status_code == 404  # only staged
    client.post("/v2/staging/commit", json={}, headers=HEADERS)
    status, body = post(client, "stakeholder", {"stakeholderName": "Acme"})
    assert (status, "pending on the blockchain" in body["error"]) == (400, True)
    node.land_v2()
    renamed = PROJECT | {"projectName": "Renamed"}
    assert client.put(f"/v2/project/{project_id}", json=renamed, headers=HEADERS).status_code == 200
    client.post("/v2/staging/commit", json={}, headers=HEADERS)
    node.land_v2()
    assert node.tables["project"][project_id]["projectName"] == "Renamed"


def test_an_aef_record_is_deleted_by_a_staged_delete_that_lands_with_the_commit() -> None:
    """`DELETE /v2/aef-t*/:id` (controllers/v2/aef-t3-actions-v2.controller.js @ 11e4a3e): 404 for an id the
    node neither holds nor has staged; otherwise staged as a DELETE that removes the row once committed."""
    node = CadtStandInV2()
    client = node.app.test_client()
    submission = {"aefT1SubmissionParty": "GHA", "aefT1SubmissionVersion": "1.0", "aefT1SubmissionReportYear": 2024,
                  "aefT1SubmissionSubmissionDate": "2025-01-10"}  # fmt: skip
    assert client.delete(f"/v2/aef-t1-submission/{MISSING}", headers=HEADERS).status_code == 404
    status, body = post(client, "aef-t1-submission", submission)
    assert status == 200, body
    record_id = body["cadTrustAefT1SubmissionId"]
    client.post("/v2/staging/commit", json={}, headers=HEADERS)
    assert client.delete(f"/v2/aef-t1-submission/{record_id}", headers=HEADERS).status_code == 400  # landing
    node.land_v2()
    assert client.delete(f"/v2/aef-t1-submission/{record_id}", headers=HEADERS).status_code == 200
    assert len(node.held("aefT1Submission")) == 1  # staged, not yet committed
    client.post("/v2/staging/commit", json={}, headers=HEADERS)
    node.land_v2()
    assert node.held("aefT1Submission") == []
