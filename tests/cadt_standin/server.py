"""A CAD Trust v1 node for tests: the endpoints the publisher uses, with CADT's documented behaviour.

Writes only stage; a commit lands in the tables once the node has been asked for pending commits
`pending_polls` times, and every write meanwhile is refused as on a real node. `down` answers 503 to
everything, `down_after` starts doing so after that many more requests (an outage mid-run).
"""

from __future__ import annotations

import copy
import threading
import uuid
from contextlib import AbstractContextManager
from typing import Any

from flask import Flask, Response, jsonify, request

from tests.cadt_standin import rules
from tests.factories.wsgi import serving_app

ORG_UID = "f1c54511-865e-4611-976c-7c3c1f704662"
COPY_ISSUANCE = "_copiesIssuance"  # a staged unit that will add a copy of its issuance when it lands
PENDING = (
    "You currently have changes pending on the blockchain. Please wait for them to propagate before making more changes"
)


def home_organization() -> dict[str, Any]:
    """The node's own organization, as `GET /v1/organizations` lists it once created."""
    return {"orgUid": ORG_UID, "name": "Test registry", "icon": "", "isHome": True, "subscribed": True, "synced": False}


class Refused(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body)
        self.status, self.body = status, body


def invalid(errors: list[str]) -> Refused:
    return Refused(400, {"message": "Data Validation error", "errors": errors, "success": False})


class CadtStandIn:
    def __init__(self, api_key: str = "test-key", pending_polls: int = 1) -> None:
        self.api_key = api_key
        self.pending_polls = pending_polls
        self.picklists = copy.deepcopy(rules.PICKLISTS)
        self.projects: dict[str, dict[str, Any]] = {}
        self.units: dict[str, dict[str, Any]] = {}
        self.staging: list[dict[str, Any]] = []
        self.remaining_polls = 0
        self.down = False
        self.down_after: int | None = None
        self.requests: list[tuple[str, str]] = []
        self.organizations: dict[str, dict[str, Any]] = {ORG_UID: home_organization()}  # {} before one is created
        self.lock = threading.RLock()
        self.app = self._build_app()

    # State helpers for tests

    @property
    def outstanding(self) -> bool:
        return any(row["commited"] for row in self.staging)

    def issuances(self) -> dict[str, dict[str, Any]]:
        return {i["id"]: i for p in self.projects.values() for i in p.get("issuances", [])}

    def land(self) -> None:
        """Apply every committed staging row to the tables, as the sync task does."""
        for row in [r for r in self.staging if r["commited"]]:
            self._apply(row)
            self.staging.remove(row)
        self.remaining_polls = 0

    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] != "GET"]

    # Requests

    def _build_app(self) -> Flask:
        app = Flask("cadt-standin")
        app.before_request(self._gate)
        app.after_request(self._headers)
        app.register_error_handler(Refused, lambda e: (jsonify(e.body), e.status))
        routes = {
            ("GET", "/health"): lambda: {"message": "OK", "timestamp": "2026-11-25T00:00:00Z"},
            ("GET", "/v1/governance/meta/pickList"): lambda: self.picklists,
            ("GET", "/v1/organizations"): lambda: self.organizations,
            ("GET", "/v1/projects"): self._get_projects,
            ("POST", "/v1/projects"): self._post_project,
            ("PUT", "/v1/projects"): self._put_project,
            ("GET", "/v1/issuances"): lambda: list(self.issuances().values()),
            ("GET", "/v1/units"): self._get_units,
            ("POST", "/v1/units"): self._post_unit,
            ("PUT", "/v1/units"): self._put_unit,
            ("POST", "/v1/units/split"): self._split,
            ("GET", "/v1/staging"): lambda: self.staging,
            ("POST", "/v1/staging/commit"): self._commit,
            ("GET", "/v1/staging/hasPendingTransactions"): self._has_pending,
        }
        for (method, path), view in routes.items():
            app.add_url_rule(path, f"{method} {path}", self._locked(view), methods=[method])
        return app

    def _locked(self, view: Any) -> Any:
        def run() -> Any:
            with self.lock:
                result = view()
            return jsonify(result) if isinstance(result, dict | list) else result

        return run

    def _gate(self) -> Response | tuple[Response, int] | None:
        with self.lock:
            self.requests.append((request.method, request.path))
            if self.down_after is not None:
                self.down_after -= 1
                self.down = self.down or self.down_after < 0
            if self.down:
                return jsonify({"message": "node unavailable"}), 503
        if request.headers.get("x-api-key") != self.api_key:
            return jsonify({"message": "CADT API key not found"}), 403
        return None

    @staticmethod
    def _headers(response: Response) -> Response:
        response.headers["x-api-version"] = "1.7.24"
        response.headers["x-datamodel-version"] = "v1"
        return response

    def _assert_writable(self, message: str) -> None:
        if self.outstanding:
            raise Refused(400, {"message": message, "error": PENDING, "success": False})

    @staticmethod
    def _body() -> dict[str, Any]:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise invalid(['"value" must be of type object'])
        return body

    @staticmethod
    def _page() -> tuple[int, int]:
        errors = [f'"{name}" is required' for name in ("page", "limit") if not request.args.get(name)]
        if errors:
            raise invalid(errors)
        page, limit = int(request.args["page"]), int(request.args["limit"])
        if limit > 1000 or page < 1:
            raise invalid(['"limit" must be less than or equal to 1000'] if limit > 1000 else ['"page" must be >= 1'])
        return page, limit

    def _paged(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        page, limit = self._page()
        page_count = max(1, -(-len(rows) // limit))
        return {"page": page, "pageCount": page_count, "data": rows[(page - 1) * limit : page * limit]}

    def _stage(self, table: str, action: str, uid: str, data: list[dict[str, Any]]) -> None:
        self.staging.append(
            {
                "id": len(self.staging) + 1,
                "uuid": uid,
                "table": table,
                "action": action,
                "commited": False,
                "failedCommit": False,
                "isTransfer": False,
                "diff": {"original": {}, "change": data},
            }
        )

    # Projects

    def _get_projects(self) -> Any:
        wanted = request.args.get("warehouseProjectId")
        if wanted:
            return self.projects.get(wanted) or (jsonify({"message": "Project not found"}), 404)
        return self._paged(list(self.projects.values()))

    def _with_ids(self, body: dict[str, Any], wpid: str) -> dict[str, Any]:
        record = copy.deepcopy(body) | {"warehouseProjectId": wpid, "orgUid": ORG_UID}
        for child in rules.PROJECT_CHILDREN:
            for row in record.setdefault(child, []):
                row.setdefault("id", str(uuid.uuid4()))
                row.update(warehouseProjectId=wpid, orgUid=ORG_UID)
                if child == "issuances" and row.get("verificationBody") is None:
                    row["verificationBody"] = ""
        return record

    def _post_project(self) -> Any:
        self._assert_writable("Error creating new project")
        body = self._body()
        errors = rules.project_errors(body, self.picklists, update=False)
        if errors:
            raise invalid(errors)
        wpid = str(uuid.uuid4())
        self._stage("Projects", "INSERT", wpid, [self._with_ids(body, wpid)])
        return {"message": "Project staged successfully", "uuid": wpid, "success": True}

    def _put_project(self) -> Any:
        self._assert_writable("Error updating project")
        body = self._body()
        errors = rules.project_errors(body, self.picklists, update=True)
        wpid = body.get("warehouseProjectId")
        if wpid not in self.projects:
            errors.append(f"The project record for the warehouseProjectId {wpid} does not exist")
        if errors:
            raise invalid(errors)
        record = self._with_ids(body, wpid)
        for child in rules.PROJECT_CHILDREN:  # an omitted child array keeps the children
            if child not in body:
                record[child] = copy.deepcopy(self.projects[wpid].get(child, []))
        self._stage("Projects", "UPDATE", wpid, [record])
        return {"message": "Project update added to staging", "success": True}

    # Units

    def _get_units(self) -> Any:
        wanted = request.args.get("warehouseUnitId")
        if wanted:
            return self.units.get(wanted) or (jsonify({"message": "Unit not found"}), 404)
        return self._paged(list(self.units.values()))

    def _unit_record(self, body: dict[str, Any], wuid: str) -> dict[str, Any]:
        issuance = body.get("issuance")
        record = copy.deepcopy(body) | {"warehouseUnitId": wuid, "orgUid": ORG_UID}
        record["serialNumberBlock"] = f"{body['unitBlockStart']}-{body['unitBlockEnd']}"
        record["issuanceId"] = issuance["id"] if isinstance(issuance, dict) else None
        record.pop("issuance", None)
        record.setdefault("labels", [])
        return record

    def _checked_unit(self, body: dict[str, Any], *, update: bool) -> None:
        errors = rules.unit_errors(body, self.picklists, update=update)
        if errors:
            raise invalid(errors)
        issuance = body.get("issuance")
        if isinstance(issuance, dict) and issuance.get("id") not in self.issuances():
            raise Refused(
                400,
                {
                    "message": "Unit Insert Failed to stage.",
                    "error": f"issuance does not have a record for {issuance.get('id')}",
                    "success": False,
                },
            )

    def _post_unit(self) -> Any:
        self._assert_writable("Error creating new unit")
        body = self._body()
        self._checked_unit(body, update=False)
        wuid = str(uuid.uuid4())
        self._stage("Units", "INSERT", wuid, [self._unit_record(body, wuid)])
        return {"message": "Unit staged successfully", "uuid": wuid, "success": True}

    def _put_unit(self) -> Any:
        self._assert_writable("Error updating unit")
        body = self._body()
        self._checked_unit(body, update=True)
        wuid = body["warehouseUnitId"]
        if wuid not in self.units:
            raise Refused(400, {"message": "Error updating unit", "error": f"{wuid} does not exist", "success": False})
        record = self._unit_record(body, wuid)
        if "issuance" not in body:
            record["issuanceId"] = self.units[wuid]["issuanceId"]
        else:
            record[COPY_ISSUANCE] = record["issuanceId"]
        merged = copy.deepcopy(self.units[wuid]) | record  # a field left out keeps its value; null clears it
        self._stage("Units", "UPDATE", wuid, [merged])
        return {"message": "Unit update added to staging", "success": True}

    def _split(self) -> Any:
        self._assert_writable("Error splitting unit")
        body = self._body()
        errors = rules.split_errors(body)
        if errors:
            raise invalid(errors)
        parent = self.units.get(body["warehouseUnitId"])
        if parent is None:
            raise Refused(400, {"message": "Error splitting unit", "error": "unit does not exist", "success": False})
        total = sum(int(r["unitCount"]) for r in body["records"])
        if total != parent["unitCount"]:
            error = f"Your total split coount is {total} units and the original record is {parent['unitCount']} units"
            raise Refused(400, {"message": "Error splitting unit", "error": error, "success": False})
        records = []
        for index, part in enumerate(body["records"]):
            wuid = parent["warehouseUnitId"] if index == 0 else str(uuid.uuid4())
            record = copy.deepcopy(parent) | part | {"warehouseUnitId": wuid, COPY_ISSUANCE: parent["issuanceId"]}
            record["serialNumberBlock"] = f"{part['unitBlockStart']}-{part['unitBlockEnd']}"
            records.append(record)
        self._stage("Units", "UPDATE", parent["warehouseUnitId"], records)
        return {"message": "Unit split successful", "success": True}

    # Staging

    def _commit(self) -> Any:
        self._assert_writable("Error commiting staging table")
        if not self.staging:
            raise Refused(
                400,
                {
                    "message": "Error commiting staging table",
                    "error": "Cant commit empty staging table",
                    "success": False,
                },
            )
        for row in self.staging:
            row["commited"] = True
        self.remaining_polls = self.pending_polls
        return {"message": "Staging Table committed to full node", "success": True}

    def _has_pending(self) -> Any:
        if self.outstanding and self.remaining_polls > 0:
            self.remaining_polls -= 1
            return {"confirmed": False, "message": "There are currently pending commits", "success": True}
        self.land()
        return {"confirmed": True, "message": "There are no pending commits", "success": True}

    def _apply(self, row: dict[str, Any]) -> None:
        table = self.projects if row["table"] == "Projects" else self.units
        key = "warehouseProjectId" if row["table"] == "Projects" else "warehouseUnitId"
        for record in row["diff"]["change"]:
            if record.get(COPY_ISSUANCE):
                record["issuanceId"] = self._copy_issuance(record.pop(COPY_ISSUANCE))
            record.pop(COPY_ISSUANCE, None)
            table[record[key]] = rules.stored_project(record) if row["table"] == "Projects" else record

    def _copy_issuance(self, issuance_id: str) -> str:
        """A unit that lands carrying its issuance (a split part, an update with `issuance`) gets a copy of it."""
        for project in self.projects.values():
            for issuance in list(project["issuances"]):
                if issuance["id"] == issuance_id:
                    project["issuances"].append(issuance | {"id": str(uuid.uuid4())})
                    return str(project["issuances"][-1]["id"])
        return issuance_id


def serving(standin: CadtStandIn) -> AbstractContextManager[str]:
    """Serve the stand-in on 127.0.0.1 in a thread; yields its base URL."""
    return serving_app(standin.app)
