"""A publishing round over CAD Trust's v2 routes: one local record becomes a few v2 records.

A v2 node answers a new record's id when it stages it and accepts a reference to a record that is
only staged, so one round stages a project, its linked records, its issuances and its unit blocks,
and one commit publishes them. An update names a record the node holds, so a round starts once the
last commit has landed; it then checks that each record staged before is held as it was sent.
Each local record keeps, in `meta["v2"]`, per v2 record: its table, the node's id and what was sent.
The AEF submission a reported year stands on is one local record too (`Kind.AEF`, keyed by the year): its
`aef-t1` record first, then every row of the other four tables naming it; a correction updates them
and deletes the rows it no longer has.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from services.cadt.domain import aef_v2
from services.cadt.domain import mapping_v2 as v2
from services.cadt.domain.model import Connection, Kind, Status, SyncRecord
from services.cadt.service_layer.ports import CadtRefused, CadtStore
from services.cadt.service_layer.ports_v2 import AefSubmissions, CadtV2Client

Planned = list[tuple[str, str, dict[str, Any]]]  # (key in meta["v2"], v2 table, payload)
SKIPPED = (Status.EXCLUDED, Status.FAILED)  # invalid is v1's own check: v2 leaves the judging to the node
PUBLISHED_KINDS = (Kind.PROJECT, Kind.ISSUANCE, Kind.UNIT, Kind.AEF)
AEF_SUBMISSION = "aefT1Submission"


def entries(record: SyncRecord) -> dict[str, dict[str, Any]]:
    held: dict[str, dict[str, Any]] = record.meta.setdefault("v2", {})
    return held


def dropped(record: SyncRecord) -> dict[str, dict[str, Any]]:
    """The v2 records deleted from the node and not yet seen gone."""
    gone: dict[str, dict[str, Any]] = record.meta.setdefault("v2_dropped", {})
    return gone


def node_id(record: SyncRecord, key: str) -> str | None:
    entry = entries(record).get(key)
    return str(entry["id"]) if entry else None


class RoundV2:
    def __init__(
        self,
        store: CadtStore,
        connection: Connection,
        max_attempts: int,
        now: Callable[[], datetime],
        aef: AefSubmissions | None = None,
    ):
        self.store, self.connection, self.max_attempts, self.now = store, connection, max_attempts, now
        self.aef, self.aef_rows = aef, dict[str, dict[str, list[dict[str, Any]]]]()
        self.records = {kind: store.records(kind) for kind in Kind}
        self.details = store.all_details()
        self.by_id = {(r.kind, r.local_id): r for records in self.records.values() for r in records}
        self.owners = {a.local_id: str(a.data["name"]) for a in self.records[Kind.ACCOUNT]}
        self.staged = 0
        self.errors: list[str] = []

    # Learning what landed

    def settle(self, client: CadtV2Client) -> None:
        held: dict[str, dict[str, dict[str, Any]]] = {}
        for kind in PUBLISHED_KINDS:
            for record in self.records[kind]:
                if record.status is Status.STAGED:
                    self._settle(record, held, client)

    def _settle(self, record: SyncRecord, held: dict[str, dict[str, dict[str, Any]]], client: CadtV2Client) -> None:
        differences: list[str] = []
        for key, entry in list(dropped(record).items()):
            del dropped(record)[key]
            if str(entry["id"]) in self._held(held, entry["table"], client):  # the delete did not land
                entries(record)[key] = entry  # surplus again: deleted again
                differences.append(f"{entry['table']} {entry['id']} still held")
        for key, entry in list(entries(record).items()):
            table = entry["table"]
            row = self._held(held, table, client).get(str(entry["id"]))
            if row is None:  # the commit did not land: stage it again
                del entries(record)[key]
                continue
            differing = [f"{table}.{k}" for k, v in entry["sent"].items() if row.get(k) != v]
            if differing:
                entry["sent"] = {}  # what the node holds is not what was sent: send it again
            differences += differing
        if differences:
            self._refused(record, CadtRefused("CAD Trust holds the record differently", differences))
            return
        record.status = Status.PUBLISHED if self._complete(record) else Status.PENDING
        record.reason = "" if record.status is Status.PUBLISHED else record.reason
        record.published = {key: entry["sent"] for key, entry in entries(record).items()}
        self.store.save(record)

    # The AEF submissions to publish

    def take_aef_submissions(self) -> None:
        """A year's record follows its latest finished version; a new version makes it pending again."""
        for submission in self.aef.latest() if self.aef else []:
            wanted = aef_record_data(submission)
            record = self.by_id.get((Kind.AEF, wanted["year"]))
            if record is None:
                record = SyncRecord(Kind.AEF, wanted["year"], wanted)
                self.records[Kind.AEF].append(record)
                self.by_id[(Kind.AEF, record.local_id)] = record
            elif record.data == wanted:
                continue
            else:
                record.refresh(wanted)
            self.store.save(record)

    def _held(
        self, held: dict[str, dict[str, dict[str, Any]]], table: str, client: CadtV2Client
    ) -> dict[str, dict[str, Any]]:
        if table not in held:
            held[table] = {str(row[v2.ROUTES[table][1]]): row for row in client.records(table)}
        return held[table]

    # Staging

    def stage(self, client: CadtV2Client) -> int:
        for kind in PUBLISHED_KINDS:
            for record in self.records[kind]:
                if record.status not in SKIPPED:
                    self._stage(client, record)
        return self.staged

    def _stage(self, client: CadtV2Client, record: SyncRecord) -> None:
        sent = 0
        try:
            while sent_now := sum(self._send(client, record, *planned) for planned in self._plan(record)):
                sent += sent_now  # a record given its id may make the records that name it due
            sent += self._drop_surplus(client, record)
        except CadtRefused as error:
            self._refused(record, error)
            return
        if sent:
            record.status = Status.STAGED  # the reason of a refusal stays until the record is published
            self.staged += 1
        elif record.status is Status.PENDING and self._complete(record):
            record.status = Status.PUBLISHED
        self.store.save(record)

    def _complete(self, record: SyncRecord) -> bool:
        plan = self._plan(record)
        return bool(plan) and all(key in entries(record) for key, _, _ in plan)

    def _send(self, client: CadtV2Client, record: SyncRecord, key: str, table: str, payload: dict[str, Any]) -> int:
        entry = entries(record).get(key)
        if entry is None:
            entries(record)[key] = {"table": table, "id": client.create(table, payload), "sent": payload}
            return 1
        if entry["sent"] != payload:
            client.update(table, entry["id"], payload)
            entry["sent"] = payload
            return 1
        return 0

    def _drop_surplus(self, client: CadtV2Client, record: SyncRecord) -> int:
        """An AEF version with fewer rows than the one the node holds: the rows it dropped are deleted."""
        if record.kind is not Kind.AEF or not node_id(record, f"{AEF_SUBMISSION}:0"):
            return 0  # until the submission has its id, the plan does not name the rows yet
        wanted = {key for key, _, _ in self._plan(record)}
        surplus = [key for key in entries(record) if key not in wanted]
        for key in surplus:
            client.delete(entries(record)[key]["table"], entries(record)[key]["id"])
            dropped(record)[key] = entries(record).pop(key)  # until the node is seen without it
        return len(surplus)

    def _refused(self, record: SyncRecord, error: CadtRefused) -> None:
        record.attempts += 1
        record.last_attempt_at = self.now()
        record.reason = str(error)
        record.status = Status.FAILED if record.attempts >= self.max_attempts else Status.PENDING
        self.errors.append(f"{record.kind.value} {record.local_id}: {error}")
        self.store.save(record)

    # What each local record becomes

    def _plan(self, record: SyncRecord) -> Planned:
        """The v2 records due for a local record, in the order their references need; [] while a parent has no id."""
        if record.kind is Kind.PROJECT:
            return self._project_plan(record)
        if record.kind is Kind.ISSUANCE:
            return self._issuance_plan(record)
        if record.kind is Kind.AEF:
            return self._aef_plan(record)
        return self._unit_plan(record)

    def _project_plan(self, project: SyncRecord) -> Planned:
        plan: Planned = [("project", "project", v2.without_nulls(v2.project_payload(project, self.connection))),
                         ("stakeholder", "stakeholder", v2.stakeholder_payload(project)),
                         ("methodology", "methodology", v2.methodology_payload(project))]  # fmt: skip
        ids = {key: node_id(project, key) for key in ("project", "stakeholder", "methodology")}
        if not all(ids.values()):
            return plan
        project_id, stakeholder_id, methodology_id = (str(ids[k]) for k in ("project", "stakeholder", "methodology"))
        plan += [
            ("stakeholderProject", "stakeholderProject", v2.stakeholder_project_payload(stakeholder_id, project_id)),
            ("projectMethodology", "projectMethodology", v2.project_methodology_payload(project_id, methodology_id)),
        ]
        details = self.details.get(project.local_id) or {}
        for index, row in enumerate(details.get("estimations", [])):
            plan.append((f"estimation:{index}", "estimation", v2.estimation_payload(row, project_id)))
        for index, row in enumerate(details.get("labels", [])):
            plan.append((f"label:recorded:{index}", "label", v2.without_nulls(v2.recorded_label_payload(row))))
        derived = v2.authorization_label_payloads(
            project, self.records[Kind.AUTHORIZATION], self.records[Kind.UNIT], self.connection
        )
        plan += [(f"label:authorization:{key}", "label", v2.without_nulls(p)) for key, p in derived.items()]
        return plan

    def _parent(self, kind: Kind, local_id: str | None) -> SyncRecord | None:
        return self.by_id.get((kind, str(local_id)))

    def _issuance_plan(self, issuance: SyncRecord) -> Planned:
        project = self._parent(Kind.PROJECT, issuance.parent_id or issuance.data.get("project_id"))
        project_id = node_id(project, "project") if project else None
        methodology_link = node_id(project, "projectMethodology") if project else None
        if not project_id or not methodology_link:
            return []
        plan: Planned = [("verification", "verification", v2.verification_payload(issuance, project_id))]
        verification_id = node_id(issuance, "verification")
        if verification_id:
            payload = v2.issuance_payload(issuance, verification_id, methodology_link)
            plan.append(("issuance", "issuance", v2.without_nulls(payload)))
        return plan

    def _unit_plan(self, unit: SyncRecord) -> Planned:
        issuance = self._parent(Kind.ISSUANCE, unit.parent_id)
        issuance_id = node_id(issuance, "issuance") if issuance else None
        if not issuance_id:
            return []
        payload = v2.unit_payload(unit, self.owners, self.connection, issuance_id)
        return [("unit", "unit", v2.without_nulls(payload))]

    def _aef_plan(self, submission: SyncRecord) -> Planned:
        """The `aef-t1` record, then, once it has an id, each row of the other tables naming it (keyed by row)."""
        tables = self._aef_tables(str(submission.data["submission_id"]))
        plan: Planned = [(f"{AEF_SUBMISSION}:{n}", AEF_SUBMISSION, row) for n, row in enumerate(tables[AEF_SUBMISSION])]
        submission_id = node_id(submission, f"{AEF_SUBMISSION}:0")
        if not submission_id:
            return plan
        link = {"cadTrustAefT1SubmissionId": submission_id}
        for table, rows in tables.items():
            if table != AEF_SUBMISSION:
                plan += [(f"{table}:{n}", table, row | link) for n, row in enumerate(rows)]
        return plan

    def _countries(self) -> dict[str, str]:
        party, country = self.connection.options.get("party"), self.connection.option("country")
        return {str(party): str(country)} if party and country else {}

    def _aef_tables(self, submission_id: str) -> dict[str, list[dict[str, Any]]]:
        if submission_id not in self.aef_rows:
            sheets = self.aef.sheets(submission_id) if self.aef else {}
            self.aef_rows[submission_id] = aef_v2.payloads(sheets, self._countries())
        return self.aef_rows[submission_id]


def aef_record_data(submission: dict[str, Any]) -> dict[str, Any]:
    year = str(submission["year"])
    return {"submission_id": str(submission["id"]), "version": str(submission["version"]), "year": year}


def aef_waiting(store: CadtStore, aef: AefSubmissions) -> bool:
    """Whether a finished AEF version is not yet the one its year's record follows (the retry timer asks)."""
    held = {record.local_id: record.data for record in store.records(Kind.AEF)}
    return any(held.get(str(s["year"])) != aef_record_data(s) for s in aef.latest())


def run(publisher: Any, client: CadtV2Client, connection: Connection, result: Any) -> None:
    """The rounds of one pass, as the v1 publisher runs them: wait for the last commit, settle, stage, commit."""
    for _ in range(publisher.policy.max_rounds):
        publisher._wait(client)
        if client.staging_count():  # staged by a pass that stopped before committing
            publisher._commit(client)
            publisher._wait(client)
        round_ = RoundV2(publisher.store, connection, publisher.policy.max_attempts, publisher.clock.now, publisher.aef)
        round_.take_aef_submissions()
        round_.settle(client)
        staged = round_.stage(client)
        result.staged += staged
        result.errors += round_.errors
        if not staged:
            return
        result.rounds += 1
        publisher._commit(client)
    result.outcome = "more_rounds_needed"
