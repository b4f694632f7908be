"""One round of a publishing pass: learn what the node holds, then stage what can be staged now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from services.cadt.domain import mapping, readback
from services.cadt.domain.blocks import Split, plan_splits, published_serials
from services.cadt.domain.model import Connection, FieldProblem, Kind, Status, SyncRecord
from services.cadt.domain.picklists import Picklists, missing, project_problems, unit_problems
from services.cadt.service_layer.ports import CadtClient, CadtRefused, CadtStore

UNIT_KEYS = (
    "countryJurisdictionOfOwner",
    "unitOwner",
    "unitBlockStart",
    "unitBlockEnd",
    "unitCount",
    "vintageYear",
    "unitType",
    "unitStatus",
    "unitStatusReason",
    "unitRegistryLink",
    "correspondingAdjustmentDeclaration",
    "correspondingAdjustmentStatus",
    "unitTags",
)
SPLIT_KEYS = ("unitCount", "unitBlockStart", "unitBlockEnd", "unitOwner", "unitStatus", "countryJurisdictionOfOwner")
ISSUANCE_REF_KEYS = ("id", "startDate", "endDate", "verificationApproach", "verificationReportDate")
PROJECT_REQUIRED = ("registryOfOrigin", "projectLink")
UNIT_REQUIRED = ("countryJurisdictionOfOwner", "unitRegistryLink")
LIVE = (Status.PENDING, Status.STAGED, Status.PUBLISHED, Status.INVALID, Status.FAILED)


def node_unit(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in UNIT_KEYS if row.get(k) not in (None, "")}


def project_view(payload: dict[str, Any]) -> dict[str, Any]:
    """A project payload without the ids the node assigned, to compare what was sent with what is due."""
    issuances = [{k: v for k, v in i.items() if k != "id"} for i in payload.get("issuances", [])]
    return payload | {"issuances": issuances}


def _retry_if_changed(project: SyncRecord, payload: dict[str, Any]) -> None:
    """A project dead-lettered by the node is tried again once what it should be has changed (a derived label)."""
    if project.status is Status.FAILED and project.meta.get("refused") != project_view(payload):
        project.status, project.attempts = Status.PENDING, 0
        project.meta.pop("refused", None)


class Round:
    def __init__(
        self,
        store: CadtStore,
        connection: Connection,
        picklists: Picklists,
        max_attempts: int,
        now: Callable[[], datetime],
    ) -> None:
        self.store, self.connection, self.picklists = store, connection, picklists
        self.max_attempts, self.now = max_attempts, now
        self.records = {kind: store.records(kind) for kind in Kind}
        self.details = store.all_details()
        self.node_issuances: dict[str, dict[str, Any]] = {}
        self.node_projects: dict[str, dict[str, Any]] = {}
        self.staged = 0
        self.errors: list[str] = []

    # Learning what landed

    def settle(self, projects: list[dict[str, Any]], units: list[dict[str, Any]]) -> None:
        by_id = self.node_projects = {p["warehouseProjectId"]: p for p in projects}
        self.node_issuances = {i["id"]: i for p in projects for i in p.get("issuances", [])}
        for project in self.records[Kind.PROJECT]:
            self._settle_project(project, by_id.get(project.cadt_id or ""))
        unit_rows = {u["warehouseUnitId"]: u for u in units}
        by_block = {(u["unitBlockStart"], u["unitBlockEnd"]): u for u in units}
        for unit in self.records[Kind.UNIT]:
            row = unit_rows.get(unit.cadt_id or "") if unit.cadt_id else None
            if row is None and unit.status is Status.STAGED and not unit.cadt_id:
                row = by_block.get((unit.data["first_itmo_id"], unit.data["last_itmo_id"]))
            self._settle_unit(unit, row)

    def _settle_project(self, project: SyncRecord, row: dict[str, Any] | None) -> None:
        if project.status not in (Status.STAGED, Status.PUBLISHED):
            return
        if row is None:
            self._not_landed(project) if project.status is Status.STAGED else self._not_held(project)
            return
        if project.status is Status.PUBLISHED:
            return  # compared with what it should be when staging
        staged = project.meta.pop("staged", None) or {}
        differences = readback.project_differences(staged, row)
        if differences:  # landed, yet the node does not hold what was sent: not published
            project.meta["refused"] = project_view(staged)
            self._refused(project, CadtRefused("CAD Trust holds the project differently", differences))
            return
        project.status, project.published = Status.PUBLISHED, staged
        self._adopt_issuances(project, row, (Status.STAGED,))
        self.store.save(project)

    def _adopt_issuances(self, project: SyncRecord, row: dict[str, Any], statuses: tuple[Status, ...]) -> None:
        """The node's ids of the project's issuances it holds; those it does not hold go back to pending."""
        claimed = {i.cadt_id for i in self.records[Kind.ISSUANCE] if i.cadt_id is not None}
        for issuance in self._issuances_of(project):
            if issuance.status not in statuses:
                continue
            if not issuance.cadt_id:
                issuance.cadt_id = self._match_issuance(issuance, row.get("issuances", []), claimed)
            issuance.status = Status.PUBLISHED if issuance.cadt_id else Status.PENDING
            self.store.save(issuance)

    def _match_issuance(self, issuance: SyncRecord, rows: list[dict[str, Any]], claimed: set[str]) -> str | None:
        wanted = mapping.issuance_payload(issuance, self.connection)
        for row in rows:
            if row["id"] not in claimed and all(str(row.get(k) or "") == str(wanted[k] or "") for k in wanted):
                claimed.add(row["id"])
                return str(row["id"])
        return None

    def _settle_unit(self, unit: SyncRecord, row: dict[str, Any] | None) -> None:
        if row is None:
            if unit.status is Status.STAGED:
                self._not_landed(unit)
            elif unit.status is Status.PUBLISHED:
                self._not_held(unit)
            return
        unit.cadt_id = row["warehouseUnitId"]
        start, end = row["unitBlockStart"], row["unitBlockEnd"]
        if unit.status is Status.STAGED and (start, end) == (unit.data["first_itmo_id"], unit.data["last_itmo_id"]):
            unit.status = Status.PUBLISHED
        unit.published = node_unit(row)
        if (start, end) == (unit.data["first_itmo_id"], unit.data["last_itmo_id"]):
            unit.meta["serials"] = [unit.data["serial_first"], unit.data["serial_last"]]
        unit.meta.pop("staged", None)
        self.store.save(unit)

    def _not_held(self, record: SyncRecord) -> None:
        """Published, yet the node no longer lists it: not published. It keeps its id, so that a node that
        lists it again is not given a second copy; updates go on, and the node's refusals say the rest."""
        record.status, record.published = Status.PENDING, None
        record.reason = "CAD Trust no longer holds this record; `registry cadt diff` lists it"
        self.store.save(record)

    def _not_landed(self, record: SyncRecord) -> None:
        """Staged, committed, yet not on the node: stage it again."""
        if record.meta.pop("inserted", False):
            record.cadt_id = None
        record.meta.pop("staged", None)
        record.status = Status.PENDING
        self.store.save(record)

    # Staging

    def stage(self, client: CadtClient) -> int:
        for project in self.records[Kind.PROJECT]:
            self._stage_project(client, project)
        splits, fresh = plan_splits([u for u in self.records[Kind.UNIT] if u.status in LIVE])
        for split in splits:
            self._stage_split(client, split)
        busy = {s.parent.local_id for s in splits} | self._containers()
        for unit in self.records[Kind.UNIT]:
            if unit.cadt_id and unit.local_id not in busy and unit.status in (Status.PENDING, Status.PUBLISHED):
                self._stage_unit_update(client, unit)
        for unit in fresh:
            if unit.status is Status.PENDING:
                self._stage_new_unit(client, unit)
        return self.staged

    def _issuances_of(self, project: SyncRecord) -> list[SyncRecord]:
        return [i for i in self.records[Kind.ISSUANCE] if i.parent_id == project.local_id]

    def _owners(self) -> dict[str, str]:
        return {a.local_id: str(a.data["name"]) for a in self.records[Kind.ACCOUNT]}

    def _invalid(self, record: SyncRecord, problems: list[FieldProblem]) -> bool:
        if not problems:
            return False
        record.status, record.problems = Status.INVALID, [p.to_dict() for p in problems]
        record.reason = "; ".join(p.describe() for p in problems)
        self.errors.append(f"{record.kind} {record.local_id}: {record.reason}")
        self.store.save(record)
        return True

    def _refused(self, record: SyncRecord, error: CadtRefused) -> None:
        record.attempts += 1
        record.last_attempt_at = self.now()
        record.reason = str(error)
        record.status = Status.FAILED if record.attempts >= self.max_attempts else Status.PENDING
        self.errors.append(f"{record.kind} {record.local_id}: {error}")
        self.store.save(record)

    def _staged(self, record: SyncRecord, payload: dict[str, Any] | None) -> None:
        record.status, record.reason, record.problems = Status.STAGED, "", []
        record.last_attempt_at = self.now()
        if payload is not None:
            record.meta["staged"] = payload
        self.store.save(record)
        self.staged += 1

    def _project_payload(self, project: SyncRecord, issuances: list[SyncRecord]) -> dict[str, Any]:
        children = mapping.project_children(
            project,
            self.details.get(project.local_id),
            self.records[Kind.AUTHORIZATION],
            self.records[Kind.UNIT],
            self.connection,
        )
        return mapping.project_payload(project, issuances, self.connection, children)

    def _stage_project(self, client: CadtClient, project: SyncRecord) -> None:
        issuances = [i for i in self._issuances_of(project) if i.status in LIVE]
        payload = self._project_payload(project, issuances)
        _retry_if_changed(project, payload)
        pending = project.status is Status.PENDING or any(i.status is Status.PENDING for i in issuances)
        if not pending and project.status is not Status.PUBLISHED:
            return
        row = self.node_projects.get(project.cadt_id or "")
        held = row is not None and not readback.project_differences(payload, row)
        if held and not pending:
            return  # the node holds what the project should be, derived labels included
        problems = missing(payload, PROJECT_REQUIRED) + project_problems(payload, self.picklists)
        if self._invalid(project, problems):
            return
        if held and row is not None:  # read back equal: published without a write
            project.status, project.reason, project.published = Status.PUBLISHED, "", payload
            self._adopt_issuances(project, row, (Status.PENDING,))
            self.store.save(project)
            return
        try:
            if project.cadt_id is None:
                project.cadt_id = client.create_project(payload)
                project.meta["inserted"] = True
            else:
                client.update_project(payload | {"warehouseProjectId": project.cadt_id})
        except CadtRefused as error:
            project.meta["refused"] = project_view(payload)
            self._refused(project, error)
            return
        self._staged(project, payload)
        for issuance in issuances:
            if issuance.status is Status.PENDING:
                issuance.status = Status.STAGED
                self.store.save(issuance)

    def _unit_payload(self, unit: SyncRecord) -> dict[str, Any] | None:
        payload = mapping.unit_payload(unit, self._owners(), self.connection)
        problems = missing(payload, UNIT_REQUIRED) + unit_problems(payload, self.picklists)
        return None if self._invalid(unit, problems) else payload

    def _containers(self) -> set[str]:
        """Published units with serials an unpublished block now holds: a split is due, not an update."""
        holders = set()
        for unit in self.records[Kind.UNIT]:
            serials = published_serials(unit)
            if unit.cadt_id and serials and unit.data["serial_last"] < serials[1]:
                holders.add(unit.local_id)
        return holders

    def _stage_split(self, client: CadtClient, split: Split) -> None:
        if any(part.status is Status.STAGED for part in split.parts):
            return
        payloads = [self._unit_payload(part) for part in split.parts]
        if any(p is None for p in payloads):
            return
        records = [{k: p[k] for k in SPLIT_KEYS if k in p} for p in payloads if p is not None]
        try:
            client.split_unit(str(split.parent.cadt_id), records)
        except CadtRefused as error:
            self._refused(split.parent, error)
            return
        for part in split.parts:
            self._staged(part, None)

    def _stage_unit_update(self, client: CadtClient, unit: SyncRecord) -> None:
        payload = self._unit_payload(unit)
        if payload is None:
            return
        if unit.published == {k: v for k, v in payload.items() if v not in (None, "")}:
            if unit.status is not Status.PUBLISHED:
                unit.status = Status.PUBLISHED
                self.store.save(unit)
            return
        try:
            client.update_unit(payload | {"warehouseUnitId": unit.cadt_id})
        except CadtRefused as error:
            self._refused(unit, error)
            return
        self._staged(unit, payload)

    def _stage_new_unit(self, client: CadtClient, unit: SyncRecord) -> None:
        issuance = self.store.get(Kind.ISSUANCE, unit.parent_id or "")
        node_issuance = self.node_issuances.get(issuance.cadt_id or "") if issuance else None
        if node_issuance is None:
            unit.reason = "waiting for its issuance to be committed on CAD Trust"
            self.store.save(unit)
            return
        payload = self._unit_payload(unit)
        if payload is None:
            return
        reference = {k: node_issuance[k] for k in ISSUANCE_REF_KEYS}
        try:
            unit.cadt_id = client.create_unit(mapping.without_nulls(payload) | {"issuance": reference})
        except CadtRefused as error:
            self._refused(unit, error)
            return
        unit.meta["inserted"] = True
        self._staged(unit, payload)
