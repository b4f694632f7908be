"""The v2 routes of a CAD Trust node for tests, beside the v1 ones, as read from Chia-Network/cadt.

Read from `src/routes/v2/resources/*.js` and `src/controllers/v2/*.controller.js` (issuance-v2 @ 08b8be5,
staging-v2 @ 24c6ddf): a create is validated (the first error answers, 400), its references must name a
record the node holds or has staged, the node assigns the record's id and answers it at once, and the
record is staged; an update names a record the node holds and carries every field. An AEF record is
deleted by a staged DELETE (aef-t*-v2.controller.js @ 11e4a3e: 404 unless held or staged) that lands
with the commit. `POST /v2/staging/commit`
commits what is staged; committed rows land once `GET /v2/staging?type=pending` has been asked
`pending_polls` times, and writes meanwhile are refused. `GET /v2/staging/pending` says whether
uncommitted rows remain.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from flask import request

from tests.cadt_standin import rules_v2
from tests.cadt_standin.server import ORG_UID, PENDING, CadtStandIn, Refused

# route segment -> (rules table, id field the node assigns)
TABLES: dict[str, tuple[str, str]] = {
    "project": ("project", "cadTrustProjectId"),
    "stakeholder": ("stakeholder", "cadTrustStakeholderId"),
    "stakeholder-projects": ("stakeholderProject", "cadTrustStakeholderProjectId"),
    "methodology": ("methodology", "cadTrustMethodologyId"),
    "project-methodology": ("projectMethodology", "cadTrustProjectMethodologyId"),
    "estimation": ("estimation", "cadTrustEstimationId"),
    "validation": ("validation", "cadTrustValidationId"),
    "verification": ("verification", "cadTrustVerificationId"),
    "issuance": ("issuance", "cadTrustIssuanceId"),
    "unit": ("unit", "cadTrustUnitId"),
    "label": ("label", "cadTrustLabelId"),
    "unit-label": ("unitLabel", "cadTrustUnitLabelId"),
    "aef-t1-submission": ("aefT1Submission", "cadTrustAefT1SubmissionId"),
    "aef-t2-authorizations": ("aefT2Authorizations", "cadTrustAefT2AuthorizationsId"),
    "aef-t3-actions": ("aefT3Actions", "cadTrustAefT3ActionsId"),
    "aef-t4-holdings": ("aefT4Holdings", "cadTrustAefT4HoldingsId"),
    "aef-t5-authorized-entities": ("aefT5AuthorizedEntities", "cadTrustAefT5AuthorizedEntitiesId"),
}
ID_FIELDS = dict(TABLES.values())
# records whose schema sets orgUid from the home organization
OWNED = ("project", "unit")


class CadtStandInV2(CadtStandIn):
    """A node serving v1 and v2; `tables` holds the v2 records that landed, per rules table, by id."""

    def __init__(self, api_key: str = "test-key", pending_polls: int = 1) -> None:
        super().__init__(api_key, pending_polls)
        self.tables: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in ID_FIELDS}
        self.staging_v2: list[dict[str, Any]] = []
        self.remaining_polls_v2 = 0
        self._add_v2_routes()

    # State helpers for tests

    @property
    def outstanding_v2(self) -> bool:
        return any(row["committed"] for row in self.staging_v2)

    def land_v2(self) -> None:
        for row in [r for r in self.staging_v2 if r["committed"]]:
            if row["action"] == "DELETE":
                self.tables[row["table"]].pop(row["id"], None)
            else:
                self.tables[row["table"]][row["id"]] = row["data"]
            self.staging_v2.remove(row)
        self.remaining_polls_v2 = 0

    def held(self, table: str) -> list[dict[str, Any]]:
        return list(self.tables[table].values())

    # Routes

    def _add_v2_routes(self) -> None:
        app = self.app
        app.add_url_rule("/v2/staging", "v2 staging", self._locked(self._staging), methods=["GET"])
        app.add_url_rule("/v2/staging/pending", "v2 pending", self._locked(self._pending), methods=["GET"])
        app.add_url_rule("/v2/staging/commit", "v2 commit", self._locked(self._commit_v2), methods=["POST"])
        for segment, (table, _) in TABLES.items():
            app.add_url_rule(f"/v2/{segment}", f"v2 create {segment}", self._locked(self._creator(table)),
                             methods=["POST"])  # fmt: skip
            app.add_url_rule(f"/v2/{segment}", f"v2 list {segment}", self._locked(self._lister(table)),
                             methods=["GET"])  # fmt: skip
            methods = ["GET", "PUT", "DELETE"] if segment.startswith("aef-") else ["GET", "PUT"]  # DELETE: AEF only
            app.add_url_rule(f"/v2/{segment}/<record_id>", f"v2 one {segment}", self._locked_one(self._one(table)),
                             methods=methods)  # fmt: skip

    def _locked_one(self, view: Any) -> Any:
        def run(record_id: str) -> Any:
            with self.lock:
                return view(record_id)

        return run

    def _creator(self, table: str) -> Any:
        return lambda: self._create(table)

    def _lister(self, table: str) -> Any:
        return lambda: self._paged(self.held(table))

    def _one(self, table: str) -> Any:
        def view(record_id: str) -> Any:
            if request.method == "DELETE":
                return self._delete(table, record_id)
            if record_id not in self.tables[table]:
                return {"message": "Record not found", "success": False}, 404
            if request.method == "PUT":
                return self._update(table, record_id)
            return self.tables[table][record_id]

        return view

    def _checked(self, table: str, action: str, body: dict[str, Any]) -> None:
        if self.outstanding_v2:
            raise Refused(400, {"message": f"Error {action} {table}", "error": PENDING, "success": False})
        errors = rules_v2.validate(table, body) + self._missing_references(table, body)
        if errors:  # a v2 controller answers its first error
            raise Refused(400, {"message": f"Error {action} {table}", "error": errors[0], "success": False})

    def _missing_references(self, table: str, body: dict[str, Any]) -> list[str]:
        staged = {(row["table"], row["id"]) for row in self.staging_v2}
        return [
            f"{field} '{body[field]}' does not exist"
            for field, target in rules_v2.REFERENCES.get(table, ())
            if body.get(field) is not None
            and str(body[field]) not in self.tables[target]
            and (target, str(body[field])) not in staged
        ]

    def _create(self, table: str) -> Any:
        body = self._body()
        self._checked(table, "creating", body)
        id_field, record_id = ID_FIELDS[table], str(uuid.uuid4())
        self._stage_v2(table, "INSERT", record_id, body)
        return {"message": "Record staged successfully", "uuid": str(uuid.uuid4()), id_field: record_id,
                "success": True}  # fmt: skip

    def _update(self, table: str, record_id: str) -> Any:
        body = self._body()
        self._checked(table, "updating", body)
        self._stage_v2(table, "UPDATE", record_id, body)
        return {"message": "Record update staged successfully", "success": True}

    def _delete(self, table: str, record_id: str) -> Any:
        staged = any(row["table"] == table and row["id"] == record_id for row in self.staging_v2)
        if record_id not in self.tables[table] and not staged:
            return {"message": "Record not found", "success": False}, 404
        if self.outstanding_v2:
            raise Refused(400, {"message": f"Error deleting {table}", "error": PENDING, "success": False})
        self._stage_v2(table, "DELETE", record_id, {})
        return {"message": "Record delete staged successfully", "success": True}

    def _stage_v2(self, table: str, action: str, record_id: str, body: dict[str, Any]) -> None:
        data = copy.deepcopy(body) | {ID_FIELDS[table]: record_id}
        if table in OWNED:
            data["orgUid"] = ORG_UID
        self.staging_v2.append({"uuid": str(uuid.uuid4()), "table": table, "action": action, "id": record_id,
                                "data": data, "committed": False, "failedCommit": False})  # fmt: skip

    # Staging

    def _staging(self) -> Any:
        rows = self.staging_v2
        if request.args.get("type") == "pending":
            if self.outstanding_v2 and self.remaining_polls_v2 <= 0:
                self.land_v2()
            self.remaining_polls_v2 -= 1
            rows = [r for r in self.staging_v2 if r["committed"]]
        elif request.args.get("type") == "staged":
            rows = [r for r in self.staging_v2 if not r["committed"]]
        return self._paged(rows)

    def _pending(self) -> Any:
        if any(not row["committed"] for row in self.staging_v2):
            return {"confirmed": False, "message": "There are currently pending commits", "success": True}
        return {"confirmed": True, "message": "There are no pending commits", "success": True}

    def _commit_v2(self) -> Any:
        message = "Error committing staging table"
        if not self.staging_v2:
            raise Refused(400, {"message": message, "error": "No records to commit", "success": False})
        if self.outstanding_v2:
            raise Refused(400, {"message": message, "error": PENDING, "success": False})
        for row in self.staging_v2:
            row["committed"] = True
        self.remaining_polls_v2 = self.pending_polls
        return {"message": "Staging Table committing to full node", "success": True}
