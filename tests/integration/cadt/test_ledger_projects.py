"""The node's projects and issuances held against the ledger's own, read through its public read path (both
databases), as `registry cadt diff` does: what the cadt consumer never projected still shows."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete

from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from gateway.cadt.ledger_projects import LedgerProjectReads
from services.cadt.adapters.orm import records as cadt_records
from services.cadt.domain.model import Kind
from services.cadt.service_layer.diff import Difference, diff
from services.cadt.service_layer.ledger_projects import project_differences
from tests.cadt_standin.fixtures import RunningStandIn
from tests.integration.cadt.scenario import Example, worked_example


def published(platform: Platform, url: str) -> Example:
    example = worked_example(platform)
    example.connect(url)
    example.sync()
    return example


def both_diffs(example: Example) -> tuple[list[Difference], list[Difference]]:
    """What the sync-record diff finds, and what the diff against the ledger finds."""
    service = wiring.cadt_for(example.platform)
    store = service.store(example.tenant.id)
    connection = store.connection()
    assert connection is not None
    client = service.client_for(connection)
    reads = LedgerProjectReads(example.platform.database, example.tenant.id)
    return diff(store, client, connection), project_differences(reads, client.projects(), connection)


def forget(example: Example, kind: Kind, local_id: str) -> None:
    """A sync record gone, as if its event had never reached the cadt consumer."""
    c = cadt_records.c
    with example.platform.database.transaction(example.tenant.id) as session:
        session.execute(delete(cadt_records).where(c.tenant_id == example.tenant.id, c.kind == kind.value,
                                                   c.local_id == local_id))  # fmt: skip


def node_project(running: RunningStandIn, example: Example) -> dict[str, Any]:
    (project,) = [p for p in running.node.projects.values() if p["projectId"] == str(example.ids["project"])]
    return project


def test_the_published_worked_example_differs_in_nothing_from_the_ledger(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = published(platform, cadt_node.url)
    assert both_diffs(example) == ([], [])


def test_a_project_whose_event_never_arrived_is_named_against_the_ledger(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = published(platform, cadt_node.url)
    project_id = str(example.ids["project"])
    for key in ("first", "second"):
        forget(example, Kind.ISSUANCE, str(example.ids[key]))
    forget(example, Kind.PROJECT, project_id)
    cadt_node.node.projects.pop(node_project(cadt_node, example)["warehouseProjectId"])
    records_say, ledger_says = both_diffs(example)
    assert [d for d in records_say if d.kind == "project"] == []
    assert [d.describe() for d in ledger_says] == [
        f"ledger project {project_id} (CAD Trust -): in the ledger, not on CAD Trust"
    ]


def test_a_stale_project_record_published_as_it_said_is_named_field_by_field(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = published(platform, cadt_node.url)
    store = wiring.cadt_for(platform).store(example.tenant.id)
    project = store.get(Kind.PROJECT, str(example.ids["project"]))
    assert project is not None
    project.data = project.data | {"name": "Old cookstoves", "status": "listed"}  # an update that never arrived
    store.save(project)
    held = node_project(cadt_node, example)
    held |= {"projectName": "Old cookstoves", "projectStatus": "Listed"}
    cadt_node.node.projects[held["warehouseProjectId"]] = held
    records_say, ledger_says = both_diffs(example)
    assert records_say == []
    assert [(d.field, d.registry, d.cadt) for d in ledger_says] == [
        ("projectName", "Clean cookstoves", "Old cookstoves"),
        ("projectStatus", "Registered", "Listed"),
    ]


def test_an_issuance_missing_on_the_node_and_a_stray_node_project_are_named(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = published(platform, cadt_node.url)
    forget(example, Kind.ISSUANCE, str(example.ids["second"]))
    held = node_project(cadt_node, example)
    held["issuances"] = [i for i in held["issuances"] if not i["startDate"].startswith("2024")]
    stray = held | {"warehouseProjectId": "stray", "projectId": "P-9"}
    cadt_node.node.projects["stray"] = stray
    ledger_says = both_diffs(example)[1]
    (missing,) = [d for d in ledger_says if d.field == "issuances"]
    rows = [json.loads(row) for row in missing.registry]  # distinct contents, as the sync-record diff names them
    assert [(i["startDate"], i["endDate"]) for i in rows] == [("2024-01-01", "2024-12-31")]
    assert missing.cadt == []
    assert "ledger project - (CAD Trust stray): P-9: no such project in the ledger" in [
        d.describe() for d in ledger_says
    ]
