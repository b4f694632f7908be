"""The v1 validation rules the stand-in enforces, as observed on CADT 1.7.24 (see docs/cadt.md).

Only the picklists CADT enforces are checked; every error is reported, not just the first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

PICKLISTS: dict[str, list[str]] = {
    "registries": ["Verra", "Gold Standard", "UNFCCC", "Article 6.4 Mechanism Registry"],
    "projectSector": ["Energy", "Agriculture; forestry and fishing"],
    "projectType": ["Cookstoves", "Afforestation"],
    "coveredByNDC": ["Inside NDC", "Outside NDC", "Unknown"],
    "projectStatusValues": ["Listed", "Registered", "Completed", "Transitioned", "Withdrawn", "De-registered"],
    "unitMetric": ["tCO2e"],
    "methodology": ["CDM - AM0001"],
    "countries": ["Ghana", "Switzerland", "Singapore", "Antigua and Barduba"],
    "ratingType": ["BeZero", "CDP", "CCQI", "MAAP", "Sylvera"],
    "unitType": ["Reduction - nature", "Reduction - technical", "Removal - nature", "Removal - technical"],
    "unitStatus": ["Held", "Retired", "Cancelled", "Expired", "Buffer", "Exported", "Pending Export"],
    "correspondingAdjustmentDeclaration": ["Committed", "Not Required", "Unknown"],
    "correspondingAdjustmentStatus": ["Not Started", "Pending", "Completed"],
    "labelType": [
        "Endorsement",
        "Certification",
        "Letter of Approval",
        "Letter of Authorization",
        "Letter of Qualification",
    ],
    "coBenefits": ["SDG 1 - No poverty", "SDG 13 - Climate action"],
}

PROJECT_REQUIRED = (
    "projectId",
    "originProjectId",
    "registryOfOrigin",
    "projectName",
    "projectLink",
    "projectDeveloper",
    "sector",
    "projectType",
    "coveredByNDC",
    "projectStatus",
    "projectStatusDate",
    "unitMetric",
    "methodology",
)
PROJECT_OPTIONAL = (
    "currentRegistry",
    "program",
    "projectTags",
    "ndcInformation",
    "methodology2",
    "validationBody",
    "validationDate",
    "description",
)
PROJECT_CHILDREN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "projectLocations": (("country", "geographicIdentifier"), ("inCountryRegion", "fileId")),
    "issuances": (("startDate", "endDate", "verificationApproach", "verificationReportDate"), ("verificationBody",)),
    "labels": (
        (
            "label",
            "labelType",
            "creditingPeriodStartDate",
            "creditingPeriodEndDate",
            "validityPeriodStartDate",
            "validityPeriodEndDate",
            "unitQuantity",
            "labelLink",
        ),
        (),
    ),
    "estimations": (("creditingPeriodStart", "creditingPeriodEnd", "unitCount"), ()),
    "projectRatings": (("ratingType", "ratingRangeLowest", "ratingRangeHighest", "rating", "ratingLink"), ()),
    "coBenefits": (("cobenefit",), ()),
    "relatedProjects": (("relatedProjectId",), ("relationshipType", "registry")),
}
UNIT_REQUIRED = (
    "countryJurisdictionOfOwner",
    "unitBlockStart",
    "unitBlockEnd",
    "unitCount",
    "vintageYear",
    "unitType",
    "unitStatus",
    "unitRegistryLink",
    "correspondingAdjustmentDeclaration",
    "correspondingAdjustmentStatus",
)
UNIT_OPTIONAL = (
    "projectLocationId",
    "unitOwner",
    "inCountryJurisdictionOfOwner",
    "unitTags",
    "unitStatusReason",
    "marketplace",
    "marketplaceLink",
    "marketplaceIdentifier",
    "issuance",
    "labels",
)
ISSUANCE_FIELDS = ("startDate", "endDate", "verificationApproach", "verificationReportDate")
SPLIT_REQUIRED = ("unitCount", "unitBlockStart", "unitBlockEnd")
SPLIT_OPTIONAL = (
    "unitOwner",
    "unitStatus",
    "countryJurisdictionOfOwner",
    "inCountryJurisdictionOfOwner",
    "marketplace",
    "marketplaceIdentifier",
)
ENFORCED_PROJECT = {"coveredByNDC": "coveredByNDC", "projectStatus": "projectStatusValues", "unitMetric": "unitMetric"}
ENFORCED_UNIT = {
    "countryJurisdictionOfOwner": "countries",
    "unitType": "unitType",
    "unitStatus": "unitStatus",
    "correspondingAdjustmentDeclaration": "correspondingAdjustmentDeclaration",
    "correspondingAdjustmentStatus": "correspondingAdjustmentStatus",
}
ENFORCED_CHILD = {
    "projectLocations": ("country", "countries"),
    "labels": ("labelType", "labelType"),
    "projectRatings": ("ratingType", "ratingType"),
}
CHILD_INTEGERS = {"labels": ("unitQuantity",), "estimations": ("unitCount",)}
CHILD_DATES = {
    "labels": ("creditingPeriodStartDate", "creditingPeriodEndDate", "validityPeriodEndDate"),
    "estimations": ("creditingPeriodStart", "creditingPeriodEnd"),
}
CHILD_STRINGS = {"labels": ("validityPeriodStartDate",)}  # CADT validates this one date as a plain string
# Date columns: a date sent as "2023-01-01" is read back as "2023-01-01T00:00:00.000Z"
STORED_DATES = {
    "project": ("projectStatusDate", "validationDate"),
    "issuances": ("startDate", "endDate", "verificationReportDate"),
    "labels": (
        "creditingPeriodStartDate",
        "creditingPeriodEndDate",
        "validityPeriodStartDate",
        "validityPeriodEndDate",
    ),
    "estimations": ("creditingPeriodStart", "creditingPeriodEnd"),
}


def picklist_error(field: str, allowed: list[str], value: Any) -> str:
    return f"{field} does not include a valid option {', '.join(allowed)} instead got '{value}'"


def _shape(body: dict[str, Any], required: tuple[str, ...], optional: tuple[str, ...], prefix: str) -> list[str]:
    errors = [f'"{prefix}{name}" is required' for name in required if body.get(name) in (None, "")]
    allowed = set(required) | set(optional)
    errors += [f'"{prefix}{name}" is not allowed' for name in body if name not in allowed]
    return errors


def _picklists(body: dict[str, Any], enforced: dict[str, str], picklists: dict[str, list[str]]) -> list[str]:
    return [
        picklist_error(field, picklists[key], body[field])
        for field, key in enforced.items()
        if field in body and body[field] not in picklists[key]
    ]


def _dates(issuance: dict[str, Any], prefix: str) -> list[str]:
    try:
        start, end = date.fromisoformat(str(issuance["startDate"])), date.fromisoformat(str(issuance["endDate"]))
    except (KeyError, ValueError):
        return []
    return [] if end >= start else [f'"{prefix}endDate" must be greater than or equal to "ref:startDate"']


def _validity(row: dict[str, Any], prefix: str) -> list[str]:
    """A label's validity may not end before it starts (observed on the real node)."""
    try:
        start = date.fromisoformat(str(row["validityPeriodStartDate"])[:10])
        end = date.fromisoformat(str(row["validityPeriodEndDate"])[:10])
    except (KeyError, ValueError):
        return []
    return [] if end >= start else [f'"{prefix}validityPeriodEndDate" must be greater than or equal to '
                                    '"ref:validityPeriodStartDate"']  # fmt: skip


def _child_types(child: str, row: dict[str, Any], prefix: str) -> list[str]:
    errors = [
        f'"{prefix}{name}" must be a number'
        for name in CHILD_INTEGERS.get(child, ())
        if name in row and (isinstance(row[name], bool) or not isinstance(row[name], int))
    ]
    for name in CHILD_DATES.get(child, ()):
        try:
            if name in row:
                date.fromisoformat(str(row[name])[:10])
        except ValueError:
            errors.append(f'"{prefix}{name}" must be a valid date')
    errors += [
        f'"{prefix}{name}" must be a string'
        for name in CHILD_STRINGS.get(child, ())
        if name in row and not isinstance(row[name], str)
    ]
    return errors


def project_errors(body: dict[str, Any], picklists: dict[str, list[str]], *, update: bool) -> list[str]:
    optional = (*PROJECT_OPTIONAL, *PROJECT_CHILDREN, *(("warehouseProjectId",) if update else ()))
    errors = _shape(body, PROJECT_REQUIRED, optional, "")
    errors += _picklists(body, ENFORCED_PROJECT, picklists)
    for child, (required, child_optional) in PROJECT_CHILDREN.items():
        rows = body.get(child)
        if rows is None:
            continue
        if not isinstance(rows, list) or not rows:
            errors.append(f'"{child}" must contain at least 1 items')
            continue
        for index, row in enumerate(rows):
            prefix = f"{child}[{index}]."
            errors += _shape(row, required, (*child_optional, "id"), prefix)
            if child == "issuances":
                errors += _dates(row, prefix)
            if child == "labels":
                errors += _validity(row, prefix)
            errors += _child_types(child, row, prefix)
            if child in ENFORCED_CHILD:
                field, key = ENFORCED_CHILD[child]
                if field in row and row[field] not in picklists[key]:
                    errors.append(picklist_error(f"{child} {field}", picklists[key], row[field]))
    return errors


def unit_errors(body: dict[str, Any], picklists: dict[str, list[str]], *, update: bool) -> list[str]:
    optional = (*UNIT_OPTIONAL, *(("warehouseUnitId",) if update else ()))
    errors = _shape(body, UNIT_REQUIRED, optional, "")
    errors += _picklists(body, ENFORCED_UNIT, picklists)
    vintage = body.get("vintageYear")
    if isinstance(vintage, int) and not 1900 <= vintage <= 3000:
        bound = "greater than or equal to 1900" if vintage < 1900 else "less than or equal to 3000"
        errors.append(f'"vintageYear" must be {bound}')
    if "unitCount" in body and not isinstance(body["unitCount"], int):
        errors.append('"unitCount" must be a number')
    issuance = body.get("issuance")
    if isinstance(issuance, dict):
        errors += [f'"issuance.{name}" is required' for name in ISSUANCE_FIELDS if not issuance.get(name)]
    return errors


def split_errors(body: dict[str, Any]) -> list[str]:
    errors = [] if body.get("warehouseUnitId") else ['"warehouseUnitId" is required']
    records = body.get("records")
    if not isinstance(records, list) or len(records) < 2:
        return [*errors, '"records" must contain at least 2 items']
    for index, record in enumerate(records):
        errors += _shape(record, SPLIT_REQUIRED, SPLIT_OPTIONAL, f"records[{index}].")
    return errors


def _timestamp(value: Any) -> Any:
    try:
        return f"{date.fromisoformat(str(value)[:10]).isoformat()}T00:00:00.000Z"
    except ValueError:
        return value


def stored_project(record: dict[str, Any]) -> dict[str, Any]:
    """A project as the node stores it: its date columns and its children's as timestamps."""
    stored = record | {k: _timestamp(record[k]) for k in STORED_DATES["project"] if record.get(k)}
    for child in ("issuances", "labels", "estimations"):
        names = STORED_DATES[child]
        stored[child] = [row | {k: _timestamp(row[k]) for k in names if row.get(k)} for row in record.get(child, [])]
    return stored
