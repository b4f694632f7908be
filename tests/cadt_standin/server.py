"""A CAD Trust v1 node for tests: the endpoints the publisher uses, with CADT 1.7.24's behaviour.

Writes need the home organization (`organization=False` starts without one) and only stage; a commit
lands in the tables once the node has been asked for pending commits `pending_polls` times, and every
write meanwhile is refused as on a real node. What lands is stored as CADT stores it (`records.py`).
`down` answers 503 to everything, `down_after` starts doing so after that many more requests (an
outage mid-run).
"""

from __future__ import annotations

import copy
import threading
import uuid
from contextlib import AbstractContextManager
from typing import Any

from flask import Flask, Response, jsonify, request

from tests.cadt_standin import records, rules
from tests.factories.wsgi import serving_app

ORG_UID = "f1c54511-865e-4611-976c-7c3c1f704662"
PENDING = (
    "You currently have changes pending on the blockchain. Please wait for them to propagate before making more changes"
)
NO_ORGANIZATION = "No Home organization found, please create an organization to write data"


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
    def __init__(self, api_key: str = "test-key", pending_polls: int = 1, *, organization: bool = True) -> None:
        self.api_key = api_key
        self.pending_polls = pending_polls
        self.loose_issuances: dict[str, dict[str, Any]] = {}  # issuance copies that belong to no project
        self.picklists = copy.deepcopy(rules.PICKLISTS)
        self.projects: dict[str, dict[str, Any]] = {}
        self.units: dict[str, dict[str, Any]] = {}
        self.staging: list[dict[str, Any]] = []
        self.remaining_polls = 0
        self.down = False
        self.down_after: int | None = None
        self.requests: list[tuple[str, str]] = []
        self.organizations: dict[str, dict[str, Any]] = {ORG_UID: home_organization()} if organization else {}
        self.lock = threading.RLock()
        self.app = self._build_app()

    # State helpers for tests

    @property
    def outstanding(self) -> bool:
        return any(row["commited"] for row in self.staging)

    def issuances(self) -> dict[str, dict[str, Any]]:
        held = {i["id"]: i for p in self.projects.values() for i in p.get("issuances", [])}
        return held | self.loose_issuances

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
            ("GET", "/v1/organizations"): self._get_organizations,
            ("POST", "/v1/organizations"): self._post_organization,
            ("GET", "/v1/governance/meta/pickList"): lambda: self.picklists,
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
            return jsonify(result) if result is None or isinstance(result, dict | list) else result

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
        if not any(org.get("isHome") for org in self.organizations.values()):
            raise Refused(400, {"message": message, "error": NO_ORGANIZATION, "success": False})
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
        page_count = -(-len(rows) // limit)  # 0 for no rows, as CADT answers
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

    # Organization

    def _get_organizations(self) -> Any:
        return self.organizations  # {} before one is created

    def _post_organization(self) -> Any:
        if ORG_UID in self.organizations:
            return {"message": "Your organization already exists.", "orgId": ORG_UID, "success": False}
        self.organizations[ORG_UID] = home_organization()
        return {"message": "New organization created successfully.", "success": True, "orgId": ORG_UID}

    # Projects

    def _get_projects(self) -> Any:
        wanted = request.args.get("warehouseProjectId")
        if wanted:
            return self.projects.get(wanted)  # an unknown id answers 200 null
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
        for child in rules.PROJECT_CHILDREN:  # _with_ids gives an omitted table []: it stays out of the update
            if child not in body:
                del record[child]
        self._stage("Projects", "UPDATE", wpid, [record])
        return {"message": "Project update added to staging", "success": True}

    # Units

    def _answered_unit(self, unit: dict[str, Any]) -> dict[str, Any]:
        return unit | {"issuance": self.issuances().get(unit.get("issuanceId") or "")}

    def _get_units(self) -> Any:
        wanted = request.args.get("warehouseUnitId")
        if wanted:
            unit = self.units.get(wanted)
            return self._answered_unit(unit) if unit else None  # an unknown id answers 200 null
        return self._paged([self._answered_unit(u) for u in self.units.values()])

    @staticmethod
    def _unknown_unit(message: str, wuid: Any) -> Refused:
        error = f"The unit record for the warehouseUnitId: {wuid} does not exist."
        return Refused(400, {"message": message, "error": error, "success": False})

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
        self._assert_writable("Error updating new unit")
        body = self._body()
        self._checked_unit(body, update=True)
        wuid = body["warehouseUnitId"]
        if wuid not in self.units:
            raise self._unknown_unit("Error updating new unit", wuid)
        record = copy.deepcopy(body) | {"orgUid": ORG_UID}
        record["serialNumberBlock"] = f"{body['unitBlockStart']}-{body['unitBlockEnd']}"
        carried = isinstance(body.get("issuance"), dict)
        source = body["issuance"] if carried else self.issuances()[self.units[wuid]["issuanceId"]]
        record["issuance"] = records.issuance_copy(source, reference_only=carried) | {"orgUid": ORG_UID}
        self._stage("Units", "UPDATE", wuid, [record])
        return {"message": "Unit update added to staging", "success": True}

    def _split(self) -> Any:
        self._assert_writable("Error splitting unit")
        body = self._body()
        errors = rules.split_errors(body, self.picklists)
        if errors:
            raise invalid(errors)
        parent = self.units.get(body["warehouseUnitId"])
        if parent is None:
            raise self._unknown_unit("Error splitting unit", body["warehouseUnitId"])
        total = sum(int(r["unitCount"]) for r in body["records"])
        if total != parent["unitCount"]:
            error = f"Your total split coount is {total} units and the original record is {parent['unitCount']} units"
            raise Refused(400, {"message": "Error splitting unit", "error": error, "success": False})
        parts = []
        for index, part in enumerate(body["records"]):
            wuid = parent["warehouseUnitId"] if index == 0 else str(uuid.uuid4())
            record = copy.deepcopy(parent) | part | {"warehouseUnitId": wuid}
            record["serialNumberBlock"] = f"{part['unitBlockStart']}-{part['unitBlockEnd']}"
            record["issuance"] = records.issuance_copy(self.issuances()[parent["issuanceId"]], reference_only=False)
            parts.append(record)
        self._stage("Units", "UPDATE", parent["warehouseUnitId"], parts)
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
        for record in row["diff"]["change"]:
            if row["table"] == "Projects":
                stored = self.projects.get(record["warehouseProjectId"])
                merged = records.merged_project(stored, record) if stored else record
                self.projects[record["warehouseProjectId"]] = records.stored_project(merged)
            else:
                self._land_unit(record)

    def _land_unit(self, record: dict[str, Any]) -> None:
        issuance = record.pop("issuance", None)
        if issuance is not None:  # a fresh copy written by an update or a split
            self._keep_issuance(issuance)
            record["issuanceId"] = issuance["id"]
        wuid = record["warehouseUnitId"]
        stored = self.units.get(wuid)
        self.units[wuid] = records.stored_unit(records.merged_unit(stored, record) if stored else record)

    def _keep_issuance(self, issuance: dict[str, Any]) -> None:
        project = self.projects.get(issuance.get("warehouseProjectId") or "")
        if project is None:
            self.loose_issuances[issuance["id"]] = issuance
        else:
            project["issuances"].append(issuance)


def serving(standin: CadtStandIn) -> AbstractContextManager[str]:
    """Serve the stand-in on 127.0.0.1 in a thread; yields its base URL."""
    return serving_app(standin.app)
