"""The v2 validation rules the stand-in enforces, as read from the Joi schemas of Chia-Network/cadt.

Each table's rules name the file and commit they were read from (docs/cadt.md, "Data model v2").
Every error is reported, not just the first. A field is described by a `Field`: its type, whether it
is required, whether null is allowed, and its limits; fields the schema forbids are listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse
from uuid import UUID

SOURCE = "src/validations/v2"
COMMITS = {
    "project": "0fdcecc3b7b5ff98ea10cac91fa4dca485a1765a",
    "unit": "25781ab59f25d846fb8585370cd76a8505666a42",
    "issuance": "0da39ccc879b6aa6e13cb3993e4e768131a8d8a2",
    "label": "3a5bbf0bf7189df5332e560f7fd8d15bfaa20405",
    "unitLabel": "41348bdf42814c408e31bc7a054aae98bbeaf605",
    "estimation": "0fdcecc3b7b5ff98ea10cac91fa4dca485a1765a",
    "methodology": "3a5bbf0bf7189df5332e560f7fd8d15bfaa20405",
    "projectMethodology": "3a5bbf0bf7189df5332e560f7fd8d15bfaa20405",
    "stakeholder": "3a5bbf0bf7189df5332e560f7fd8d15bfaa20405",
    "stakeholderProject": "738f709434b0daf57c624c3450c17601f024e751",
    "validation": "29899cefb22a95861f9eef9282313983b7d9c980",
    "verification": "0fdcecc3b7b5ff98ea10cac91fa4dca485a1765a",
    "aefT1Submission": "41348bdf42814c408e31bc7a054aae98bbeaf605",
    "aefT2Authorizations": "3a5bbf0bf7189df5332e560f7fd8d15bfaa20405",
    "aefT3Actions": "3e586333c9419c9657a9aa7d965b9df0c19f410a",
    "aefT4Holdings": "11e4a3e9febc3e5379532c9dc67b9b4cab6556f9",
    "aefT5AuthorizedEntities": "3a5bbf0bf7189df5332e560f7fd8d15bfaa20405",
}
# The v2 pick lists the schemas check (a stand-in's choice of values; the node reads its own lists)
PICKLISTS: dict[str, list[str]] = {
    "projectSector": ["Energy", "Agriculture; forestry and fishing"],
    "projectType": ["Cookstoves", "Afforestation"],
    "projectStatus": ["Listed", "Registered", "Completed", "Transitioned", "Withdrawn", "De-registered"],
    "projectUnitMetric": ["tCO2e"],
    "unitMetric": ["tCO2e"],
    "unitType": ["Reduction - nature", "Reduction - technical", "Removal - nature", "Removal - technical"],
    "unitStatus": ["Held", "Retired", "Cancelled", "Expired", "Buffer", "Exported", "Pending Export"],
    "methodologyType": ["CDM", "Article 6.4"],
    "verificationBody": ["DNV", "SGS", "TÜV SÜD", "Verifier GmbH"],
    "validationBody": ["DNV", "SGS", "TÜV SÜD"],
    "validationType": ["Initial", "Renewal"],
    # the AEF's controlled values (CMA.6), which CADT's v2 pick lists carry for the aef tables
    "metric": ["GHG", "non-GHG"],
    "sector": ["Agriculture", "Energy generation", "Forestry and land use", "Waste management"],
    "type": ["Cookstoves", "Afforestation"],
    "purpose": ["NDC", "OIMP", "IMP", "OP", "NDC and OIMP", "NDC and IMP", "NDC and OP"],
    "aefT3ActionsType": [
        "Authorization",
        "First transfer",
        "Transfer",
        "Acquisition",
        "Use",
        "Cancellation",
        "Voluntary Cancellation",
    ],
    "aefT3ActionsMitigationType": ["Emission reductions", "Removals", "Emission reductions and removals"],
    "country": ["Ghana", "Switzerland", "Singapore"],
}
LABEL_TYPES = (
    "Certification",
    "Article 6 - Endorsement",
    "Article 6 - Letter of Qualification",
    "Article 6 - Authorisation",
    "Article 6 - Letter of Approvals",
)
STAKEHOLDER_TYPES = ("Owner", "Developer", "Consultant")


@dataclass(frozen=True)
class Field:
    kind: str  # string, number, integer, date, uuid, uri, strings (an array of strings)
    required: bool = False
    nullable: bool = False
    max: int | None = None  # a string's length, or a number's value
    min: int | None = None
    picklist: str | None = None
    allowed: tuple[str, ...] = ()
    blank: bool = False  # the empty string is allowed as well (Joi `.allow('')`)


def _f(kind: str, **rules: Any) -> Field:
    return Field(kind, **rules)


REQ, OPT = {"required": True}, {"nullable": True}
SCHEMAS: dict[str, dict[str, Field]] = {
    "project": {
        "projectRegistryName": _f("string", max=255, **REQ),
        "projectId": _f("string", max=255, **REQ),
        "projectCreditingProgram": _f("string", max=255, **OPT),
        "projectName": _f("string", max=500, **REQ),
        "projectLink": _f("uri", max=500, **REQ),
        "projectDescription": _f("string", max=2000, **OPT),
        "projectSector": _f("strings", max=255, picklist="projectSector", **REQ),
        "projectType": _f("strings", max=255, picklist="projectType", **REQ),
        "projectSubtype": _f("string", max=255, **OPT),
        "projectStatus": _f("string", max=255, picklist="projectStatus", **REQ),
        "projectStatusDate": _f("date", **REQ),
        "projectUnitMetric": _f("string", max=255, picklist="projectUnitMetric", **REQ),
        "cadTrustReferenceProjectId": _f("string", max=255, **OPT),
        "cadTrustProgramId": _f("uuid", **OPT),
    },
    "unit": {
        "unitSerialId": _f("string", **REQ),
        "unitStartBlock": _f("string", **REQ),
        "unitEndBlock": _f("string", **REQ),
        "unitCount": _f("number", min=0, **OPT),
        "unitType": _f("string", picklist="unitType", **OPT),
        "unitVintageYear": _f("integer", min=1900, max=2100, **REQ),
        "unitStatus": _f("string", picklist="unitStatus", **OPT),
        "unitStatusReason": _f("string", **OPT),
        "unitStatusDate": _f("date", **OPT),
        "unitRetirementDetail": _f("string", **OPT),
        "unitRetirementBeneficiary": _f("string", **OPT),
        "unitRetirementBeneficiaryId": _f("string", **OPT),
        "unitLink": _f("uri", max=500, blank=True, **OPT),
        "unitMetric": _f("string", picklist="unitMetric", **OPT),
        "unitCurrentOwner": _f("string", **OPT),
        "unitItmosReferenceId": _f("string", **OPT),
        "marketplace": _f("string", **OPT),
        "marketplaceLink": _f("string", **OPT),
        "marketplaceIdentifier": _f("string", **OPT),
        "cadTrustIssuanceId": _f("uuid", **REQ),
    },
    "issuance": {
        "issuanceId": _f("string", **REQ),
        "issuanceDate": _f("date", **OPT),
        "cadTrustVerificationId": _f("uuid", **REQ),
        "cadTrustProjectMethodologyId": _f("uuid", **REQ),
        "cadTrustLocationId": _f("uuid", **OPT),
    },
    "label": {
        "labelName": _f("string", max=255, **REQ),
        "labelType": _f("string", allowed=LABEL_TYPES, **OPT),
        "labelLink": _f("uri", blank=True, **OPT),
        "labelDate": _f("date", **OPT),
    },
    "unitLabel": {
        "cadTrustLabelId": _f("number", required=True),
        "cadTrustUnitId": _f("number", required=True),
        "labelUnitDate": _f("date"),
        "labelUnitDescription": _f("string"),
    },
    "estimation": {
        "estimationStartDate": _f("date", **REQ),
        "estimationEndDate": _f("date", **REQ),
        "estimationUnitCount": _f("number", **REQ),
        "estimationReferenceNo": _f("string", max=255, **OPT),
        "cadTrustProjectId": _f("uuid", **REQ),
    },
    "methodology": {
        "methodologyCode": _f("string", **REQ),
        "methodologyName": _f("string", **REQ),
        "methodologyVersion": _f("string", **OPT),
        "methodologyDate": _f("date", **OPT),
        "methodologyLink": _f("uri", blank=True, **OPT),
        "methodologyType": _f("string", picklist="methodologyType", **OPT),
    },
    "projectMethodology": {
        "cadTrustProjectId": _f("uuid", **REQ),
        "cadTrustMethodologyId": _f("uuid", **REQ),
        "projectMethodologyDate": _f("date", **OPT),
        "projectMethodologyDescription": _f("string", max=10000, **OPT),
    },
    "stakeholder": {
        "stakeholderName": _f("string", max=255, **REQ),
        "stakeholderType": _f("string", allowed=STAKEHOLDER_TYPES, **OPT),
        "stakeholderLink": _f("uri", blank=True, **OPT),
    },
    "stakeholderProject": {
        "cadTrustStakeholderId": _f("uuid", required=True),
        "cadTrustProjectId": _f("uuid", required=True),
    },
    "validation": {
        "validationId": _f("string", **REQ),
        "validationType": _f("string", picklist="validationType"),
        "validationBody": _f("string", picklist="validationBody"),
        "validationDate": _f("date"),
        "validationCreditPeriodStartDate": _f("date"),
        "validationCreditPeriodEndDate": _f("date"),
        "cadTrustProjectId": _f("integer", required=True),
    },
    "verification": {
        "verificationId": _f("string", **REQ),
        "verificationStartDate": _f("date", **OPT),
        "verificationEndDate": _f("date", **OPT),
        "verificationBody": _f("string", picklist="verificationBody", required=True),
        "cadTrustProjectId": _f("uuid", **REQ),
        "cadTrustValidationId": _f("uuid", **OPT),
    },
}
T2_AUTHORIZATIONS = {
    "Id": _f("string", max=255, **REQ),
    "Date": _f("date", **REQ),
    "CooperativeApproachId": _f("string", max=255, **REQ),
    "AuthorizedPartyId": _f("string", max=255, **REQ),
    "Version": _f("string", max=255, **OPT),
    "Quantity": _f("number", **OPT),
    "Metric": _f("string", picklist="metric", **OPT),
    "GwpValue": _f("string", max=255, **OPT),
    "ApplicableNonGhgMetric": _f("string", max=255, **OPT),
    "Sector": _f("string", picklist="sector", **OPT),
    "ActivityType": _f("string", picklist="type", **OPT),
    "PurposesForAuthorization": _f("string", picklist="purpose", **OPT),
    "AuthoziedEntityId": _f("string", max=255, **OPT),
    "OimpAuthorizedParty": _f("string", max=255, **OPT),
    "AuthorizedTimeframe": _f("string", max=255, **OPT),
    "AuthorizationTerms": _f("string", max=255, **OPT),
    "AuthorizationDocumentation": _f("string", **OPT),
    "FirstTransferDefinitionOimp": _f("string", **OPT),
    "AdditionalInformation": _f("string", **OPT),
}
AEF_UNIT = {
    "AuthorizationId": _f("string", max=255, **REQ),
    "FirstTransferringPartyId": _f("string", max=255, **REQ),
    "PartyItmoRegistryId": _f("string", max=255, **REQ),
    "ItmoFirstId": _f("string", max=255, **REQ),
    "ItmoLastId": _f("string", max=255, **REQ),
    "UnitRegistryId": _f("string", max=255, **REQ),
    "UnitFirstId": _f("string", max=255, **REQ),
    "UnitLastId": _f("string", max=255, **REQ),
    "QuantityTCo2": _f("number", **REQ),
    "VintageYear": _f("integer", min=1900, max=2100, **REQ),
    "Metric": _f("string", picklist="metric", **OPT),
    "GwpValue": _f("string", max=255, **OPT),
    "ApplicableNonGhgMetric": _f("string", max=255, **OPT),
    "QuantityNonGhg": _f("string", max=255, **OPT),
    "MitigationType": _f("string", picklist="aefT3ActionsMitigationType", **OPT),
}
T3_ACTIONS = {
    "Date": _f("date", **REQ),
    "CoopoerativeApproachId": _f("string", max=255, **REQ),
    **AEF_UNIT,
    "TransferringPartyId": _f("string", max=255, **REQ),
    "AcquiringPartyId": _f("string", max=255, **REQ),
    "Type": _f("string", picklist="aefT3ActionsType", **OPT),
    "Subtype": _f("string", max=255, **OPT),
    "PurposeOfUseOimp": _f("string", max=255, **OPT),
    "UsingParticipatingPartyId": _f("string", max=255, **OPT),
    "UsingAuthorizedEntityId": _f("string", max=255, **OPT),
    "ItmoUsedYear": _f("integer", min=1900, max=2100, **OPT),
    "ConsistencyCheckResult": _f("string", max=255, **OPT),
    "AdditionalInformation": _f("string", max=255, **OPT),
}
T5_ENTITIES = {
    "AuthorizationDate": _f("date", **REQ),
    "Name": _f("string", max=255, **REQ),
    "Id": _f("string", max=255, **REQ),
    "CooperativeApproachId": _f("string", max=255, **REQ),
    "IncorporationCountry": _f("string", picklist="country", **OPT),
    "Conditions": _f("string", **OPT),
    "ChangeConditions": _f("string", **OPT),
    "AdditionalInformation": _f("string", **OPT),
}
AEF_LINKS = {"cadTrustAefT1SubmissionId": _f("uuid", **OPT), "cadTrustUnitId": _f("uuid", **OPT),
             "cadTrustProjectId": _f("uuid", **OPT)}  # fmt: skip
SCHEMAS |= {
    "aefT1Submission": {
        "cadTrustAefT1SubmissionId": _f("number"),
        "aefT1SubmissionParty": _f("string", required=True),
        "aefT1SubmissionVersion": _f("string", required=True),
        "aefT1SubmissionReportYear": _f("number", required=True),
        "aefT1SubmissionSubmissionDate": _f("date", required=True),
        "aefT1SubmissionReviewStatus": _f("string"),
        "aefT1SubmissionResultCheck": _f("string"),
        "aefT1SubmissionNdcFirstYear": _f("number"),
        "aefT1SubmissionNdcLastYear": _f("number"),
        "aefT1SubmissionReferenceReviewReport": _f("string"),
    },
    "aefT2Authorizations": {"aefT2Authorizations" + k: v for k, v in T2_AUTHORIZATIONS.items()}
    | AEF_LINKS
    | {"cadTrustAefT5AuthorizedEntitiesId": _f("uuid", **OPT)},
    "aefT3Actions": {"aefT3Actions" + k: v for k, v in T3_ACTIONS.items()}
    | AEF_LINKS
    | {"cadTrustAefT2AuthorizationsId": _f("uuid", **OPT)},
    "aefT4Holdings": {"aefT4HoldingsCooperativeApproachId": _f("string", max=255, **REQ)}
    | {"aefT4Holdings" + k: v for k, v in AEF_UNIT.items()}
    | AEF_LINKS
    | {"cadTrustAefT2AuthorizationsId": _f("uuid", **OPT)},
    "aefT5AuthorizedEntities": {"aefT5AuthorizedEntities" + k: v for k, v in T5_ENTITIES.items()} | AEF_LINKS,
}
# Fields a request may not carry: set by the node (orgUid from the home organization, ids, timestamps)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "project": ("orgUid",),
    "unit": ("orgUid",),
    "label": ("cadTrustLabelId", "createdAt", "updatedAt"),
    "estimation": ("cadTrustEstimationId", "createdAt", "updatedAt"),
    "methodology": ("cadTrustMethodologyId", "createdAt", "updatedAt"),
    "projectMethodology": ("cadTrustProjectMethodologyId", "createdAt", "updatedAt"),
    "stakeholder": ("cadTrustStakeholderId", "createdAt", "updatedAt"),
    "stakeholderProject": ("cadTrustStakeholderProjectId", "createdAt", "updatedAt", "createdByOrgUid"),
    "aefT2Authorizations": ("cadTrustAefT2AuthorizationsId", "createdAt", "updatedAt"),
    "aefT3Actions": ("cadTrustAefT3ActionsId", "createdAt", "updatedAt"),
    "aefT4Holdings": ("cadTrustAefT4HoldingsId", "createdAt", "updatedAt", "createdByOrgUid"),
    "aefT5AuthorizedEntities": ("cadTrustAefT5AuthorizedEntitiesId", "createdAt", "updatedAt"),
}
# Tables whose schema is closed (Joi `.unknown(false)`, and Joi's default for an object): an unknown key fails
# A record's references to other tables: (field, table it must name)
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "unit": (("cadTrustIssuanceId", "issuance"),),
    "issuance": (("cadTrustVerificationId", "verification"), ("cadTrustProjectMethodologyId", "projectMethodology")),
    "estimation": (("cadTrustProjectId", "project"),),
    "projectMethodology": (("cadTrustProjectId", "project"), ("cadTrustMethodologyId", "methodology")),
    "verification": (("cadTrustProjectId", "project"), ("cadTrustValidationId", "validation")),
    "unitLabel": (("cadTrustLabelId", "label"), ("cadTrustUnitId", "unit")),
    "stakeholderProject": (("cadTrustStakeholderId", "stakeholder"), ("cadTrustProjectId", "project")),
}


def validate(table: str, record: dict[str, Any]) -> list[str]:
    """Every way a record breaks its table's v2 schema, as messages naming the field."""
    schema = SCHEMAS[table]
    errors = [f'"{name}" is not allowed' for name in FORBIDDEN.get(table, ()) if name in record]
    errors += [
        f'"{name}" is not allowed' for name in record if name not in schema and name not in FORBIDDEN.get(table, ())
    ]
    for name, rule in schema.items():
        errors += _field_errors(name, rule, record)
    return errors + _cross_field_errors(table, record)


def _field_errors(name: str, rule: Field, record: dict[str, Any]) -> list[str]:
    if name not in record:
        return [f'"{name}" is required'] if rule.required else []
    value = record[name]
    if value is None:
        return [] if rule.nullable else [f'"{name}" must be a {rule.kind}']
    if value == "" and rule.blank:
        return []
    if rule.kind == "strings":
        if not isinstance(value, list):
            return [f'"{name}" must be an array']
        return [
            e
            for item in value
            for e in _scalar_errors(name, Field("string", max=rule.max, picklist=rule.picklist), item)
        ]
    return _scalar_errors(name, rule, value)


def _scalar_errors(name: str, rule: Field, value: Any) -> list[str]:
    problem = _type_problem(rule.kind, value)
    if problem:
        return [f'"{name}" {problem}']
    errors: list[str] = []
    if isinstance(value, str) and rule.max is not None and len(value) > rule.max:
        errors.append(f'"{name}" length must be less than or equal to {rule.max} characters long')
    if rule.kind in ("number", "integer"):
        number = float(value)
        if rule.min is not None and number < rule.min:
            errors.append(f'"{name}" must be greater than or equal to {rule.min}')
        if rule.max is not None and number > rule.max:
            errors.append(f'"{name}" must be less than or equal to {rule.max}')
    allowed = PICKLISTS[rule.picklist] if rule.picklist else rule.allowed
    if allowed and value not in allowed:
        errors.append(f'"{name}" must be one of: {", ".join(allowed)}')
    return errors


def _type_problem(kind: str, value: Any) -> str:
    checks = {
        "string": lambda v: isinstance(v, str) and v != "",
        "uri": _is_uri,
        "uuid": _is_uuid,
        "number": _is_number,
        "integer": lambda v: _is_number(v) and float(v).is_integer(),
        "date": _is_date,
    }
    return "" if checks[kind](value) else f"must be a valid {kind}"


def _is_number(value: Any) -> bool:
    """Joi converts a numeric string to a number; a bool is not a number."""
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _is_uri(value: Any) -> bool:
    parsed = urlparse(value) if isinstance(value, str) else None
    return bool(parsed and parsed.scheme and (parsed.netloc or parsed.path))


def _is_uuid(value: Any) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return isinstance(value, int | float) and not isinstance(value, bool)
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _cross_field_errors(table: str, record: dict[str, Any]) -> list[str]:
    """The estimation schema's own check: its end date comes after its start date."""
    if table != "estimation" or not all(_is_date(record.get(k)) for k in ("estimationStartDate", "estimationEndDate")):
        return []
    start, end = (_as_date(record[k]) for k in ("estimationStartDate", "estimationEndDate"))
    return [] if end > start else ["estimationEndDate must be after estimationStartDate"]


def _as_date(value: str) -> date:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
