"""What the CAD Trust node holds against what the registry says it should hold, field by field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from services.cadt.domain import mapping
from services.cadt.domain.model import Connection, Kind, Status, SyncRecord
from services.cadt.service_layer.ports import CadtClient, CadtStore
from services.cadt.service_layer.rounds import node_unit


@dataclass(frozen=True)
class Difference:
    kind: str
    local_id: str | None
    cadt_id: str | None
    field: str | None
    registry: Any
    cadt: Any

    def describe(self) -> str:
        who = f"{self.kind} {self.local_id or '-'} (CAD Trust {self.cadt_id or '-'})"
        if self.field is None:
            return f"{who}: {self.registry if self.registry is not None else 'only on CAD Trust'}"
        return f"{who}: {self.field}: registry {self.registry!r}, CAD Trust {self.cadt!r}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "local_id": self.local_id, "cadt_id": self.cadt_id, "field": self.field,
                "registry": self.registry, "cadt": self.cadt}  # fmt: skip


def _fields(kind: str, record: SyncRecord, wanted: dict[str, Any], held: dict[str, Any]) -> list[Difference]:
    return [
        Difference(kind, record.local_id, record.cadt_id, name, value, held.get(name))
        for name, value in wanted.items()
        if not isinstance(value, list) and held.get(name) != value
    ]


def diff(store: CadtStore, client: CadtClient, connection: Connection) -> list[Difference]:
    projects = {p["warehouseProjectId"]: p for p in client.projects()}
    units = {u["warehouseUnitId"]: u for u in client.units()}
    issuances = store.records(Kind.ISSUANCE)
    owners = {a.local_id: str(a.data["name"]) for a in store.records(Kind.ACCOUNT)}
    found: list[Difference] = []
    details, authorizations, unit_records = (
        store.all_details(),
        store.records(Kind.AUTHORIZATION),
        store.records(Kind.UNIT),
    )
    for project in store.records(Kind.PROJECT):
        own = [i for i in issuances if i.parent_id == project.local_id]
        children = mapping.project_children(
            project, details.get(project.local_id), authorizations, unit_records, connection
        )
        wanted = mapping.project_payload(project, own, connection, children)
        found += _compare("project", project, wanted, projects.get(project.cadt_id or ""))
        found += _children(project, children, projects.get(project.cadt_id or ""))
        if project.cadt_id in projects:
            found += issuance_differences(project, own, projects[project.cadt_id]["issuances"], connection)
    for unit in store.records(Kind.UNIT):
        if unit.status is not Status.EXCLUDED:
            wanted = mapping.unit_payload(unit, owners, connection)
            row = units.get(unit.cadt_id or "")
            found += _compare("unit", unit, wanted, node_unit(row) if row else None)
    known = {r.cadt_id for kind in (Kind.PROJECT, Kind.UNIT) for r in store.records(kind)}
    found += [Difference("project", None, pid, None, None, None) for pid in projects if pid not in known]
    found += [Difference("unit", None, uid, None, None, None) for uid in units if uid not in known]
    return found


def _children(
    project: SyncRecord, wanted: dict[str, list[dict[str, Any]]], held: dict[str, Any] | None
) -> list[Difference]:
    """Child tables compared as sets of rows, on the fields the registry sends."""
    if held is None:
        return []
    found = []
    for table, rows in wanted.items():
        keys = {k for row in rows for k in row}
        have = [{k: v for k, v in row.items() if k in keys and v not in (None, "")} for row in held.get(table, [])]
        if sorted(map(_canonical, rows)) != sorted(map(_canonical, have)):
            found.append(Difference("project", project.local_id, project.cadt_id, table, rows, have))
    return found


def issuance_differences(
    project: SyncRecord,
    own: list[SyncRecord],
    held: list[dict[str, Any]],
    connection: Connection,
    kind: str = "project",
) -> list[Difference]:
    """Issuances compared as distinct contents: the node copies an issuance for every split part that lands."""
    wanted = {_canonical(_issuance(mapping.issuance_payload(i, connection))) for i in own}
    have = {_canonical(_issuance(row)) for row in held}
    if wanted == have:
        return []
    missing, extra = sorted(wanted - have), sorted(have - wanted)
    return [Difference(kind, project.local_id, project.cadt_id, "issuances", missing, extra)]


def _issuance(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row.get(key) or "" for key in mapping.ISSUANCE_KEYS}


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def _compare(kind: str, record: SyncRecord, wanted: dict[str, Any], held: dict[str, Any] | None) -> list[Difference]:
    if held is None:
        reason = f"not on CAD Trust ({record.status.value}{': ' + record.reason if record.reason else ''})"
        return [Difference(kind, record.local_id, record.cadt_id, None, reason, None)]
    return _fields(kind, record, wanted, held)
