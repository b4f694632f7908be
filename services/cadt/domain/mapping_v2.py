"""Registry records as CAD Trust v2 payloads: one flat record per v2 table, linked by the node's ids.

v2 splits what v1 nests in a project: a project, its stakeholder (the developer), its methodology and
the project-methodology link, one verification per issuance, the issuance, its unit blocks, labels and
the unit-labels that tie a label to the blocks it covers, and estimations. A record that points at
another carries the id the node gave that other record (`cadTrust…Id`), so callers pass those ids in.
The v2 schemas read are those of Chia-Network/cadt `src/validations/v2/` (commits named in docs/cadt.md).
"""

from __future__ import annotations

from typing import Any

from services.cadt.domain import mapping as v1
from services.cadt.domain.details import AUTHORIZATION_LABEL
from services.cadt.domain.model import Connection, SyncRecord

# v2 tables in the order a record's references are created before it
TABLES = (
    "project",
    "stakeholder",
    "stakeholderProject",
    "methodology",
    "projectMethodology",
    "estimation",
    "verification",
    "issuance",
    "unit",
    "label",
    "unitLabel",
)
# v2 table -> (route segment under /v2, the id field the node assigns), as the v2 routes name them
ROUTES = {
    "project": ("project", "cadTrustProjectId"),
    "stakeholder": ("stakeholder", "cadTrustStakeholderId"),
    "stakeholderProject": ("stakeholder-projects", "cadTrustStakeholderProjectId"),
    "methodology": ("methodology", "cadTrustMethodologyId"),
    "projectMethodology": ("project-methodology", "cadTrustProjectMethodologyId"),
    "estimation": ("estimation", "cadTrustEstimationId"),
    "verification": ("verification", "cadTrustVerificationId"),
    "issuance": ("issuance", "cadTrustIssuanceId"),
    "unit": ("unit", "cadTrustUnitId"),
    "label": ("label", "cadTrustLabelId"),
    "unitLabel": ("unit-label", "cadTrustUnitLabelId"),
    "aefT1Submission": ("aef-t1-submission", "cadTrustAefT1SubmissionId"),
    "aefT2Authorizations": ("aef-t2-authorizations", "cadTrustAefT2AuthorizationsId"),
    "aefT3Actions": ("aef-t3-actions", "cadTrustAefT3ActionsId"),
    "aefT4Holdings": ("aef-t4-holdings", "cadTrustAefT4HoldingsId"),
    "aefT5AuthorizedEntities": ("aef-t5-authorized-entities", "cadTrustAefT5AuthorizedEntitiesId"),
}
# The v1 label types onto the five values the v2 label schema allows
LABEL_TYPE = {
    "Letter of Authorization": "Article 6 - Authorisation",
    "Letter of Approval": "Article 6 - Letter of Approvals",
    "Letter of Qualification": "Article 6 - Letter of Qualification",
    "Endorsement": "Article 6 - Endorsement",
    "Certification": "Certification",
}
AUTHORIZATION_LABEL_TYPE = LABEL_TYPE[AUTHORIZATION_LABEL]
DEVELOPER = "Developer"


def project_payload(project: SyncRecord, connection: Connection) -> dict[str, Any]:
    data = project.data
    approach = data.get("cooperative_approach_id")
    return {
        "projectRegistryName": connection.option("registry_of_origin"),
        "projectId": data["project_id"],
        "projectCreditingProgram": f"Article 6.2 cooperative approach {approach}" if approach else None,
        "projectName": data["name"],
        "projectLink": v1.link(connection, f"projects/{data['project_id']}"),
        "projectSector": [data["sector"]],
        "projectType": [data["project_type"]],
        "projectStatus": v1.PROJECT_STATUS.get(data["status"], data["status"]),
        "projectStatusDate": data["recorded_on"],
        "projectUnitMetric": "tCO2e",
    }


def stakeholder_payload(project: SyncRecord) -> dict[str, Any]:
    """The project developer: v2 keeps developers as stakeholders, not as a project field."""
    return {"stakeholderName": project.data["developer"], "stakeholderType": DEVELOPER}


def stakeholder_project_payload(stakeholder_id: str, project_id: str) -> dict[str, Any]:
    return {"cadTrustStakeholderId": stakeholder_id, "cadTrustProjectId": project_id}


def methodology_payload(project: SyncRecord) -> dict[str, Any]:
    """The ledger holds one methodology name per project; it is both the code and the name."""
    methodology = project.data["methodology"]
    return {"methodologyCode": methodology, "methodologyName": methodology}


def project_methodology_payload(project_id: str, methodology_id: str) -> dict[str, Any]:
    return {"cadTrustProjectId": project_id, "cadTrustMethodologyId": methodology_id}


def verification_payload(issuance: SyncRecord, project_id: str) -> dict[str, Any]:
    """Each issuance rests on one verification of its monitoring period; the ledger has no validation record."""
    data = issuance.data
    return {
        "verificationId": f"{data['issuance_id']}-verification",
        "verificationStartDate": data["monitoring_start"],
        "verificationEndDate": data["monitoring_end"],
        "verificationBody": data["verifier"],
        "cadTrustProjectId": project_id,
    }


def issuance_payload(issuance: SyncRecord, verification_id: str, project_methodology_id: str) -> dict[str, Any]:
    data = issuance.data
    return {
        "issuanceId": data["issuance_id"],
        "issuanceDate": data.get("issued_on") or data["verified_on"],
        "cadTrustVerificationId": verification_id,
        "cadTrustProjectMethodologyId": project_methodology_id,
    }


def unit_payload(unit: SyncRecord, owners: dict[str, str], connection: Connection, issuance_id: str) -> dict[str, Any]:
    """A unit block; v2 has beneficiary fields, so a retirement names its beneficiary there."""
    data = unit.data
    status = v1.unit_status(data)
    owner = data.get("owner") or owners.get(data["account_id"]) or None
    retired = status == v1.UNIT_STATUS["retired"]
    return {
        "unitSerialId": unit.local_id,
        "unitStartBlock": data["first_itmo_id"],
        "unitEndBlock": data["last_itmo_id"],
        "unitCount": data["serial_last"] - data["serial_first"] + 1,
        "unitType": connection.option("unit_types").get(data["mitigation_type"], data["mitigation_type"]),
        "unitVintageYear": int(data["vintage"]),
        "unitStatus": status,
        "unitStatusReason": data.get("status_reason") or None,
        "unitRetirementBeneficiary": owner if retired else None,
        "unitLink": v1.link(connection, f"units/{unit.local_id}") or None,
        "unitMetric": "tCO2e",
        "unitCurrentOwner": None if retired else owner,
        "cadTrustIssuanceId": issuance_id,
    }


def authorization_label_payloads(
    project: SyncRecord, authorizations: list[SyncRecord], units: list[SyncRecord], connection: Connection
) -> dict[str, dict[str, Any]]:
    """One label per authorization of the project's units, keyed by the authorization's local id."""
    by_id = {a.local_id: a for a in authorizations}
    covered = {str(u.data["authorization_id"]) for u in _authorized(project, units)}
    return {key: _authorization_label(by_id[key], connection) for key in sorted(covered) if key in by_id}


def _authorized(project: SyncRecord, units: list[SyncRecord]) -> list[SyncRecord]:
    return [u for u in units if u.data.get("authorization_id") and str(u.data.get("project_id")) == project.local_id]


def _authorization_label(authorization: SyncRecord, connection: Connection) -> dict[str, Any]:
    data, terms = authorization.data, authorization.data["terms"]
    purposes = ", ".join(sorted(terms.get("purposes") or []))
    return {
        "labelName": f"Article 6.2 authorization {data['reference']} (version {data['version']}; purposes {purposes})",
        "labelType": AUTHORIZATION_LABEL_TYPE,
        "labelLink": v1.link(connection, f"authorizations/{authorization.local_id}") or None,
        "labelDate": str(terms["authorized_on"])[:10],
    }


def recorded_label_payload(row: dict[str, Any]) -> dict[str, Any]:
    """A label an administrator recorded; its crediting and validity periods have no v2 label field."""
    return {
        "labelName": row["label"],
        "labelType": LABEL_TYPE.get(row.get("label_type") or "", row.get("label_type")),
        "labelLink": row.get("label_link") or None,
        "labelDate": row.get("validity_period_start") or None,
    }


def unit_label_payload(label_id: str, unit_id: str, unit: SyncRecord) -> dict[str, Any]:
    """Ties an authorization's label to a block it authorizes."""
    count = unit.data["serial_last"] - unit.data["serial_first"] + 1
    return {
        "cadTrustLabelId": label_id,
        "cadTrustUnitId": unit_id,
        "labelUnitDescription": f"{count} units authorized",
    }


def estimation_payload(row: dict[str, Any], project_id: str) -> dict[str, Any]:
    return {
        "estimationStartDate": row["crediting_period_start"],
        "estimationEndDate": row["crediting_period_end"],
        "estimationUnitCount": row["unit_count"],
        "cadTrustProjectId": project_id,
    }


def without_nulls(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if value is not None}
