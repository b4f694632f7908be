"""Publishing the worked example to the CAD Trust stand-in, end to end through the bus."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from services.cadt.domain.dates import as_sent
from services.cadt.domain.model import ConnectionState, Kind, Status
from services.cadt.service_layer.diff import diff
from services.cadt.service_layer.publisher import PublishPolicy
from tests.cadt_standin.fixtures import RunningStandIn
from tests.cadt_standin.server import ORG_UID, CadtStandIn
from tests.integration.cadt.scenario import Example, issue, move, reference_data, worked_example


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


def expected_units(example: Example) -> list[dict[str, Any]]:
    code, party = example.tenant.code, example.tenant.party
    records = wiring.cadt_for(example.platform).store(example.tenant.id).records(Kind.UNIT)
    link = {(r.data["serial_first"]): f"https://registry.example/{code}/units/{r.local_id}" for r in records}

    def unit(first: int, last: int, vintage: int, owner: str, status: str = "Held") -> dict[str, Any]:
        start, end = f"CA0001-{party}01-{party}-{first}-{vintage}", f"CA0001-{party}01-{party}-{last}-{vintage}"
        return {
            "countryJurisdictionOfOwner": "Ghana",
            "unitOwner": owner,
            "unitBlockStart": start,
            "unitBlockEnd": end,
            "unitCount": last - first + 1,
            "vintageYear": vintage,
            "unitType": "Reduction - technical",
            "unitStatus": status,
            "unitRegistryLink": link[first],
            "correspondingAdjustmentDeclaration": "Not Required",
            "correspondingAdjustmentStatus": "Not Started",
            "unitTags": "CA0001",
            "orgUid": ORG_UID,
            "labels": [],
            "serialNumberBlock": f"{start}-{end}",
        }

    retired = unit(901, 1000, 2023, "Acme Airlines", "Retired")
    retired["unitStatusReason"] = "Retired on behalf of Acme Airlines: 2025 climate claim"
    return [
        unit(1, 600, 2023, "issuance account"),
        unit(601, 900, 2023, "holding account"),
        retired,
        unit(1001, 1500, 2024, "issuance account"),
    ]


def project_fields(example: Example) -> dict[str, Any]:
    pid = str(example.ids["project"])
    return {
        "projectId": pid,
        "originProjectId": pid,
        "registryOfOrigin": "UNFCCC",
        "projectName": "Clean cookstoves",
        "projectLink": f"https://registry.example/{example.tenant.code}/projects/{pid}",
        "projectDeveloper": "Cookstove Ltd",
        "sector": "Energy",
        "projectType": "Cookstoves",
        "coveredByNDC": "Unknown",
        "projectStatus": "Registered",
        "projectStatusDate": datetime.now(UTC).date().isoformat(),
        "unitMetric": "tCO2e",
        "methodology": "GS TPDDTEC",
        "program": "Article 6.2 cooperative approach CA0001",
        "orgUid": ORG_UID,
    }


def issuance_fields(year: int) -> dict[str, Any]:
    return {
        "startDate": f"{year}-01-01",
        "endDate": f"{year}-12-31",
        "verificationApproach": "Verification",
        "verificationReportDate": f"{year + 1}-03-01",
        "verificationBody": "Verifier GmbH",
        "orgUid": ORG_UID,
    }


def distinct(issuances: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The issuances without the copies the node makes when split units land."""
    unique = {json.dumps(i, sort_keys=True): i for i in issuances}
    return sorted(unique.values(), key=lambda i: i["startDate"])


def held(row: dict[str, Any], *node_ids: str) -> dict[str, Any]:
    """A node's row without the ids it assigned and the columns it answers null because nothing was written."""
    return {k: v for k, v in row.items() if k not in node_ids and v is not None}


def node_state(node: CadtStandIn) -> dict[str, Any]:
    """What the node holds, without the ids it assigned, with each unit's issuance by its dates (read as dates)."""
    issuances = as_sent(node.issuances())
    projects = []
    for project in as_sent(list(node.projects.values())):
        scalars = {k: v for k, v in held(project, "warehouseProjectId").items() if not isinstance(v, list)}
        children = {
            "issuances": distinct(held(i, "id", "warehouseProjectId") for i in project["issuances"]),
            "projectLocations": [held(p, "id", "warehouseProjectId") for p in project["projectLocations"]],
        }
        projects.append(scalars | children)
    units = sorted(
        (
            {k: v for k, v in u.items() if k not in ("warehouseUnitId", "issuanceId") and v is not None}
            | {"issuance": issuances[u["issuanceId"]]["startDate"]}
            for u in node.units.values()
        ),
        key=lambda u: (u["vintageYear"], u["unitCount"] and int(u["unitBlockStart"].split("-")[3])),
    )
    return {"projects": projects, "units": units}


def expected_state(example: Example) -> dict[str, Any]:
    location = {"country": "Ghana", "geographicIdentifier": "Ghana", "orgUid": ORG_UID}
    project = project_fields(example) | {
        "issuances": [issuance_fields(2023), issuance_fields(2024)],
        "projectLocations": [location],
    }
    units = [
        u | {"issuance": "2023-01-01" if u["vintageYear"] == 2023 else "2024-01-01"} for u in expected_units(example)
    ]
    return {"projects": [project], "units": units}


def test_worked_example_lands_field_by_field(platform: Platform, cadt_node: RunningStandIn) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url)
    example.sync()
    assert node_state(cadt_node.node) == expected_state(example)
    store = wiring.cadt_for(platform).store(example.tenant.id)
    statuses = {r.status for kind in (Kind.PROJECT, Kind.ISSUANCE, Kind.UNIT) for r in store.records(kind)}
    assert statuses == {Status.PUBLISHED}
    assert cadt_node.node.staging == []


def test_publishing_event_by_event_or_all_at_once_ends_the_same(platform: Platform, cadt_node: RunningStandIn) -> None:
    example = reference_data(platform)
    example.connect(cadt_node.url)
    example.sync()
    issue(example)
    example.sync()
    move(example)
    example.sync()
    assert node_state(cadt_node.node) == expected_state(example)
    assert len(cadt_node.node.issuances()) > 2  # the split units landed with copies of their issuance
    service = wiring.cadt_for(platform)
    store = service.store(example.tenant.id)
    connection = store.connection()
    assert connection is not None
    assert diff(store, service.client_for(connection), connection) == []


def test_republishing_and_replaying_create_no_duplicates(platform: Platform, cadt_node: RunningStandIn) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url)
    example.sync()
    before = node_state(cadt_node.node)
    ids = (set(cadt_node.node.projects), set(cadt_node.node.units))
    writes = len(cadt_node.node.writes())
    runtime = example.runtime()
    runtime.replay()
    runtime.drain(idle_polls=1, timeout_s=0.05)
    assert runtime.stats.applied > 0
    wiring.cadt_for(platform).publisher(example.tenant.id).publish(force=True)
    assert node_state(cadt_node.node) == before
    assert (set(cadt_node.node.projects), set(cadt_node.node.units)) == ids
    assert len(cadt_node.node.writes()) == writes


def test_a_wrong_api_key_stops_the_tenant_with_a_clear_status(platform: Platform, cadt_node: RunningStandIn) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url, api_key="wrong")
    example.sync()
    store = wiring.cadt_for(platform).store(example.tenant.id)
    connection = store.connection()
    assert connection is not None
    assert connection.state is ConnectionState.UNAUTHORIZED
    assert "refused the API key" in connection.state_detail
    assert len(cadt_node.node.requests) == 1  # one refusal, then no loop of failures
    assert {r.status for r in store.records(Kind.UNIT)} == {Status.PENDING}
    example.connect(cadt_node.url)
    wiring.cadt_for(platform).publisher(example.tenant.id).publish()
    assert node_state(cadt_node.node) == expected_state(example)


def test_a_record_off_the_picklist_is_reported_on_that_record(platform: Platform, cadt_node: RunningStandIn) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url, covered_by_ndc="Partly")
    example.sync()
    store = wiring.cadt_for(platform).store(example.tenant.id)
    (project,) = store.records(Kind.PROJECT)
    assert project.status is Status.INVALID
    assert project.problems == [
        {
            "field": "coveredByNDC",
            "value": "Partly",
            "allowed": ["Inside NDC", "Outside NDC", "Unknown"],
            "message": "coveredByNDC 'Partly' is not on the CAD Trust list; allowed: Inside NDC, Outside NDC, Unknown",
        }
    ]
    assert cadt_node.node.writes() == []
    example.connect(cadt_node.url, covered_by_ndc="Unknown")
    wiring.cadt_for(platform).publisher(example.tenant.id).publish()
    assert node_state(cadt_node.node) == expected_state(example)


def test_a_node_that_is_down_leaves_records_pending_and_backs_off(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = worked_example(platform)
    example.connect(cadt_node.url)
    cadt_node.node.down = True
    example.sync()
    store = wiring.cadt_for(platform).store(example.tenant.id)
    connection = store.connection()
    assert connection is not None
    assert connection.state is ConnectionState.UNAVAILABLE
    assert connection.failures >= 1
    assert connection.next_attempt_at is not None
    assert {r.status for r in store.records(Kind.UNIT)} == {Status.PENDING}
    cadt_node.node.down = False
    wiring.cadt_for(platform).publisher(example.tenant.id).publish(force=True)
    assert node_state(cadt_node.node) == expected_state(example)
    connection = store.connection()
    assert connection is not None
    assert connection.state is ConnectionState.OK
    assert connection.failures == 0
