"""Every record a real node holds for one registry, compared with what the registry's ledger says.

The node is matched by the registry's own keys (project id, serial range), not by the ids the publisher
learned, so a record the publisher lost track of still shows. A date the node answers as a timestamp
(`2023-01-01T00:00:00.000Z`) equals the date that was sent.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from services.cadt.domain import mapping
from services.cadt.domain.model import Connection, Kind, Status, SyncRecord
from services.cadt.service_layer.ledger_check import ledger_differences
from services.cadt.service_layer.ports import CadtStore

ISSUANCE_KEYS = ("startDate", "endDate", "verificationApproach", "verificationReportDate", "verificationBody")
UNIT_OPTIONAL = ("unitStatusReason",)


@dataclass
class Comparison:
    matched: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    def check(self, what: str, problems: list[str]) -> None:
        if problems:
            self.differences += [f"{what}: {p}" for p in problems]
        else:
            self.matched.append(what)


def same(registry: Any, node: Any) -> bool:
    if registry == node:
        return True
    return isinstance(registry, str) and isinstance(node, str) and node == f"{registry}T00:00:00.000Z"


def _row(row: dict[str, Any], keys: list[str]) -> str:
    return json.dumps({k: _date(row.get(k)) for k in keys}, sort_keys=True, default=str)


def _date(value: Any) -> Any:
    if isinstance(value, str) and value.endswith("T00:00:00.000Z"):
        return value[:10]
    return value


def _fields(wanted: dict[str, Any], held: dict[str, Any]) -> list[str]:
    return [
        f"{name}: registry {value!r}, node {held.get(name)!r}"
        for name, value in wanted.items()
        if not isinstance(value, list) and not same(value, held.get(name))
    ]


def _table(name: str, wanted: list[dict[str, Any]], held: list[dict[str, Any]], *, distinct: bool = False) -> list[str]:
    """The rows as a multiset; `distinct` as a set, for the issuance copies the node writes itself."""
    keys = sorted({k for row in wanted for k in row if k != "id"})
    want, have = Counter(_row(r, keys) for r in wanted), Counter(_row(r, keys) for r in held)
    if want == have or (distinct and set(want) == set(have)):
        return []
    extra, missing = sorted((have - want).elements()), sorted((want - have).elements())
    return [f"{name}: registry {len(wanted)} rows, node {len(held)}; only on the node {extra}; missing {missing}"]


def _unit_issuance(issuance: SyncRecord | None, node: dict[str, Any], connection: Connection) -> list[str]:
    """The node's issuance for a unit has the dates and approach of the registry's issuance of its block."""
    if issuance is None:
        return []
    wanted = mapping.issuance_payload(issuance, connection)
    reference = {k: wanted[k] for k in ("startDate", "endDate", "verificationApproach", "verificationReportDate")}
    return [f"issuance.{problem}" for problem in _fields(reference, node.get("issuance") or {})]


def compare(
    store: CadtStore, connection: Connection, projects: list[dict[str, Any]], units: list[dict[str, Any]]
) -> Comparison:
    result = Comparison()
    issuances = store.records(Kind.ISSUANCE)
    for project in store.records(Kind.PROJECT):
        _compare_project(result, store, connection, project, issuances, projects)
    _compare_units(result, store, connection, {i.local_id: i for i in issuances}, units)
    return result


def _compare_project(
    result: Comparison,
    store: CadtStore,
    connection: Connection,
    project: SyncRecord,
    issuances: list[SyncRecord],
    projects: list[dict[str, Any]],
) -> None:
    own = [i for i in issuances if i.parent_id == project.local_id]
    details = store.all_details().get(project.local_id)
    authorizations, units = store.records(Kind.AUTHORIZATION), store.records(Kind.UNIT)
    children = mapping.project_children(project, details, authorizations, units, connection)
    wanted = mapping.project_payload(project, own, connection, children)
    held = [p for p in projects if p["projectId"] == wanted["projectId"]]
    what = f"project {wanted['projectId']}"
    if len(held) != 1:
        result.check(what, [f"the node holds {len(held)} projects with this projectId"])
        return
    (node,) = held
    result.check(what, _fields(wanted, node))
    for table, rows in children.items():
        result.check(f"{what} {table}", _table(table, rows, node.get(table) or []))
    wanted_issuances = [{k: i.get(k) for k in ISSUANCE_KEYS} for i in wanted.get("issuances", [])]
    # every unit update and split part adds a copy of the unit's issuance to the project (CADT 1.7.24)
    held_issuances = node.get("issuances") or []
    result.check(f"{what} issuances", _table("issuances", wanted_issuances, held_issuances, distinct=True))
    copies = len(held_issuances) - len(wanted_issuances)
    if copies > 0:
        result.matched.append(f"{what} issuances: {copies} copies made by the node, each equal to an issuance")


def _compare_units(
    result: Comparison,
    store: CadtStore,
    connection: Connection,
    issuances: dict[str, SyncRecord],
    units: list[dict[str, Any]],
) -> None:
    owners = {a.local_id: str(a.data["name"]) for a in store.records(Kind.ACCOUNT)}
    mine = own_units(connection, units)
    by_serials = {(u["unitBlockStart"], u["unitBlockEnd"]): u for u in mine}
    expected = set()
    for unit in store.records(Kind.UNIT):
        if unit.status is Status.EXCLUDED:
            continue
        wanted = dict.fromkeys(UNIT_OPTIONAL) | mapping.unit_payload(unit, owners, connection)
        serials = (wanted["unitBlockStart"], wanted["unitBlockEnd"])
        expected.add(serials)
        what = f"unit {serials[0]}..{serials[1]} ({wanted['unitCount']} {wanted['unitStatus']})"
        node = by_serials.get(serials)
        if node is None:
            result.check(what, [f"not on the node (registry status {unit.status.value}: {unit.reason or '-'})"])
            continue
        result.check(
            what, _fields(wanted, node) + _unit_issuance(issuances.get(unit.parent_id or ""), node, connection)
        )
    for serials, node in by_serials.items():
        if serials not in expected:
            result.check(f"unit {serials[0]}..{serials[1]}", [f"only on the node ({node['unitCount']} units)"])


def own_units(connection: Connection, units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The node's units this registry published (the node may hold other registries' too)."""
    own_link = mapping.link(connection, "units/")
    return [u for u in units if str(u.get("unitRegistryLink") or "").startswith(own_link)]


def against_ledger(
    result: Comparison, blocks: list[dict[str, Any]], units: list[dict[str, Any]], registry: str
) -> None:
    """Every current block of the ledger (read through the reporting context) on the node as it is, and no other."""
    differences = ledger_differences(blocks, units, registry)
    result.check(f"ledger blocks ({len(blocks)})", [d.describe() for d in differences])
