"""Registry records as CAD Trust v1 payloads: projects with their issuances, and units.

A payload holds only fields the v1 API accepts on a write; ids the node assigned are added by the
publisher. Retirement beneficiaries travel in `unitOwner` and `unitStatusReason`, as v1 has no
beneficiary fields (CAD Trust's own tokenization engine does the same).
"""

from __future__ import annotations

from typing import Any

from services.cadt.domain import details as project_details
from services.cadt.domain.model import Connection, SyncRecord

# The ledger's project statuses onto the six CAD Trust v1 values (docs/cadt.md explains each choice)
PROJECT_STATUS = {
    "listed": "Listed",
    "validated": "Listed",  # validated, not yet registered: still a listing
    "registered": "Registered",
    "approved": "Registered",  # approved or authorized by the host Party: a registered project
    "authorized": "Registered",
    "completed": "Completed",
    "transitioned": "Transitioned",
    "withdrawn": "Withdrawn",
    "rejected": "Withdrawn",  # a listing that did not proceed to registration
    "inactive": "De-registered",  # no longer active in the registry; v1 has no inactive value
    "deregistered": "De-registered",
}
UNIT_STATUS = {
    "active": "Held",
    "pending_out": "Pending Export",
    "used": "Retired",
    "cancelled": "Cancelled",
    "retired": "Retired",
    "exported": "Exported",
}
ISSUANCE_KEYS = ("startDate", "endDate", "verificationApproach", "verificationReportDate", "verificationBody")


def link(connection: Connection, path: str) -> str:
    base = str(connection.option("public_base_url")).rstrip("/")
    return f"{base}/{path}" if base else ""


def country_name(connection: Connection, code: str) -> str:
    """The host Party's country as the CAD Trust list spells it; other codes go as they are (and fail the list)."""
    if code == connection.options.get("party") and connection.option("country"):
        return str(connection.option("country"))
    return code


def issuance_payload(issuance: SyncRecord, connection: Connection) -> dict[str, Any]:
    data = issuance.data
    payload = {
        "startDate": data["monitoring_start"],
        "endDate": data["monitoring_end"],
        "verificationApproach": connection.option("verification_approach"),
        "verificationReportDate": data["verified_on"],
        "verificationBody": data["verifier"],
    }
    if issuance.cadt_id:
        payload["id"] = issuance.cadt_id
    return payload


def project_children(
    project: SyncRecord,
    details: dict[str, Any] | None,
    authorizations: list[SyncRecord],
    units: list[SyncRecord],
    connection: Connection,
) -> dict[str, list[dict[str, Any]]]:
    """The child tables beyond issuances: recorded details, with labels derived from authorizations first."""
    children = project_details.child_tables(details)
    derived = project_details.authorization_labels(project, authorizations, units, lambda p: link(connection, p))
    labels = derived + children.get("labels", [])
    if labels:
        children["labels"] = labels
    return children


def project_payload(
    project: SyncRecord,
    issuances: list[SyncRecord],
    connection: Connection,
    children: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    data = project.data
    country = country_name(connection, data["country"])
    payload: dict[str, Any] = {
        "projectId": data["project_id"],
        "originProjectId": data["project_id"],
        "registryOfOrigin": connection.option("registry_of_origin"),
        "projectName": data["name"],
        "projectLink": link(connection, f"projects/{data['project_id']}"),
        "projectDeveloper": data["developer"],
        "sector": data["sector"],
        "projectType": data["project_type"],
        "coveredByNDC": connection.option("covered_by_ndc"),
        "projectStatus": PROJECT_STATUS.get(data["status"], data["status"]),
        "projectStatusDate": data["recorded_on"],
        "unitMetric": "tCO2e",
        "methodology": data["methodology"],
        "projectLocations": [{"country": country, "geographicIdentifier": country}],
    }
    if data.get("cooperative_approach_id"):
        payload["program"] = f"Article 6.2 cooperative approach {data['cooperative_approach_id']}"
    payload.update(children or {})  # recorded locations replace the host country
    if issuances:
        ordered = sorted(issuances, key=lambda i: (i.data["monitoring_start"], i.local_id))
        payload["issuances"] = [issuance_payload(i, connection) for i in ordered]
    return payload


def unit_status(data: dict[str, Any]) -> str:
    return UNIT_STATUS["exported"] if data.get("exported") else UNIT_STATUS.get(data["state"], data["state"])


def corresponding_adjustment(data: dict[str, Any]) -> tuple[str, str]:
    if data.get("authorization_id") is None:
        return "Not Required", "Not Started"
    return "Committed", "Pending" if data.get("first_transferred_at") else "Not Started"


def unit_payload(unit: SyncRecord, owners: dict[str, str], connection: Connection) -> dict[str, Any]:
    data = unit.data
    declaration, adjustment = corresponding_adjustment(data)
    payload: dict[str, Any] = {
        "countryJurisdictionOfOwner": country_name(connection, connection.options.get("party", "")),
        "unitOwner": data.get("owner") or owners.get(data["account_id"], ""),
        "unitBlockStart": data["first_itmo_id"],
        "unitBlockEnd": data["last_itmo_id"],
        "unitCount": data["serial_last"] - data["serial_first"] + 1,
        "vintageYear": data["vintage"],
        "unitType": connection.option("unit_types").get(data["mitigation_type"], data["mitigation_type"]),
        "unitStatus": unit_status(data),
        "unitRegistryLink": link(connection, f"units/{unit.local_id}"),
        "correspondingAdjustmentDeclaration": declaration,
        "correspondingAdjustmentStatus": adjustment,
        "unitTags": data["cooperative_approach_id"],
    }
    payload["unitStatusReason"] = data.get("status_reason")
    # v1 merges a unit update: a field left out keeps its value, so a field the registry does not give is a null
    return {key: None if value == "" else value for key, value in payload.items()}


def without_nulls(payload: dict[str, Any]) -> dict[str, Any]:
    """A new record carries only the fields it has."""
    return {key: value for key, value in payload.items() if value is not None}


def comparable(payload: dict[str, Any]) -> dict[str, Any]:
    """The part of a payload a node echoes back, for deciding whether an update is due."""
    return {k: v for k, v in payload.items() if k not in ("issuance", "warehouseUnitId", "warehouseProjectId")}
