"""The node's projects and their issuances against the ledger's own (read through the `LedgerProjects` port),
not against the publisher's sync records: a project or issuance whose event never arrived, or arrived
wrong, shows here."""

from __future__ import annotations

from typing import Any

from services.cadt.domain import mapping
from services.cadt.domain.model import Connection, Kind, SyncRecord
from services.cadt.service_layer.diff import Difference, issuance_differences
from services.cadt.service_layer.ports import LedgerProjects

KIND = "ledger project"
# The ledger keeps no date of a project's last status (the node's comes from the event), and the child
# tables come from details and authorizations, which the sync-record diff already holds the node against.
NOT_IN_THE_LEDGER = {"projectStatusDate"}


def project_differences(
    ledger: LedgerProjects, node_projects: list[dict[str, Any]], connection: Connection
) -> list[Difference]:
    """Each ledger project the node lacks or holds differently (its fields, its issuances as distinct
    contents), and each node project that is no project of the ledger."""
    held = {str(p.get("projectId")): p for p in node_projects}
    issuances = [SyncRecord(Kind.ISSUANCE, i["issuance_id"], i, parent_id=i["project_id"]) for i in ledger.issuances()]
    found: list[Difference] = []
    projects = ledger.projects()
    for data in projects:
        project = SyncRecord(Kind.PROJECT, data["project_id"], data | {"recorded_on": None})
        own = [i for i in issuances if i.parent_id == project.local_id]
        found += _compare(project, own, held.get(project.local_id), connection)
    ids = {p["project_id"] for p in projects}
    found += [
        Difference(KIND, None, p.get("warehouseProjectId"), None, f"{pid}: no such project in the ledger", None)
        for pid, p in held.items()
        if pid not in ids
    ]
    return found


def _compare(
    project: SyncRecord, own: list[SyncRecord], node: dict[str, Any] | None, connection: Connection
) -> list[Difference]:
    if node is None:
        return [Difference(KIND, project.local_id, None, None, "in the ledger, not on CAD Trust", None)]
    located = SyncRecord(Kind.PROJECT, project.local_id, project.data, cadt_id=node.get("warehouseProjectId"))
    wanted = mapping.project_payload(located, [], connection)
    found = [
        Difference(KIND, located.local_id, located.cadt_id, name, value, node.get(name))
        for name, value in wanted.items()
        if name not in NOT_IN_THE_LEDGER and not isinstance(value, list) and node.get(name) != value
    ]
    return found + issuance_differences(located, own, node.get("issuances") or [], connection, KIND)
