"""The v1 validation rules the stand-in enforces, as observed on CADT 1.7.24 (see docs/cadt.md).

Only the picklists CADT enforces are checked; every error is reported, not just the first.
"""

from __future__ import annotations

from typing import Any

from tests.cadt_standin.records import parse_date

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
ENFORCED_CHILD = {  # child: (field, picklist, the name CADT's error gives it)
    "projectLocations": ("country", "countries", "ProjectLocation Country"),
    "labels": ("labelType", "labelType", "labelType"),
    "projectRatings": ("ratingType", "ratingType", "ratingType"),
}
PERIODS = {  # child: (start, end) pairs where CADT wants end >= start
    "issuances": (("startDate", "endDate"),),
    "labels": (
        ("creditingPeriodStartDate", "creditingPeriodEndDate"),
        ("validityPeriodStartDate", "validityPeriodEndDate"),
    ),
    "estimations": (("creditingPeriodStart", "creditingPeriodEnd"),),
}
PROJECT_DATES = ("projectStatusDate",)
ISSUANCE_DATES = ("startDate", "endDate", "verificationReportDate")
CHILD_INTEGERS = {"labels": ("unitQuantity",), "estimations": ("unitCount",)}
CHILD_DATES = {
    "labels": ("creditingPeriodStartDate", "creditingPeriodEndDate", "validityPeriodEndDate"),
    "estimations": ("creditingPeriodStart", "creditingPeriodEnd"),
}
CHILD_STRINGS = {"labels": ("validityPeriodStartDate",)}  # CADT validates this one date as a plain string


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


def _periods(child: str, row: dict[str, Any], prefix: str) -> list[str]:
    errors = []
    for start_name, end_name in PERIODS.get(child, ()):
        start, end = parse_date(row.get(start_name)), parse_date(row.get(end_name))
        if start is not None and end is not None and end < start:
            errors.append(f'"{prefix}{end_name}" must be greater than or equal to "ref:{start_name}"')
    return errors


def _valid_dates(row: dict[str, Any], names: tuple[str, ...], prefix: str) -> list[str]:
    return [
        f'"{prefix}{name}" must be a valid date'
        for name in names
        if row.get(name) not in (None, "") and parse_date(row[name]) is None
    ]


def _child_types(child: str, row: dict[str, Any], prefix: str) -> list[str]:
    errors = [
        f'"{prefix}{name}" must be a number'
        for name in CHILD_INTEGERS.get(child, ())
        if name in row and (isinstance(row[name], bool) or not isinstance(row[name], int))
    ]
    errors += _valid_dates(row, CHILD_DATES.get(child, ()), prefix)
    errors += [
        f'"{prefix}{name}" must be a string'
        for name in CHILD_STRINGS.get(child, ())
        if name in row and not isinstance(row[name], str)
    ]
    return errors


def project_errors(body: dict[str, Any], picklists: dict[str, list[str]], *, update: bool) -> list[str]:
    optional = (*PROJECT_OPTIONAL, *PROJECT_CHILDREN, *(("warehouseProjectId",) if update else ()))
    errors = _shape(body, PROJECT_REQUIRED, optional, "")
    errors += _valid_dates(body, PROJECT_DATES, "")
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
                errors += _valid_dates(row, ISSUANCE_DATES, prefix)
            errors += _periods(child, row, prefix)
            errors += _child_types(child, row, prefix)
            if child in ENFORCED_CHILD:
                field, key, name = ENFORCED_CHILD[child]
                if field in row and row[field] not in picklists[key]:
                    errors.append(picklist_error(name, picklists[key], row[field]))
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


SPLIT_ENFORCED = {"unitStatus": "unitStatus", "countryJurisdictionOfOwner": "countries"}


def split_errors(body: dict[str, Any], picklists: dict[str, list[str]]) -> list[str]:
    errors = [] if body.get("warehouseUnitId") else ['"warehouseUnitId" is required']
    records = body.get("records")
    if not isinstance(records, list) or len(records) < 2:
        return [*errors, '"records" must contain at least 2 items']
    for index, record in enumerate(records):
        errors += _shape(record, SPLIT_REQUIRED, SPLIT_OPTIONAL, f"records[{index}].")
        errors += _picklists(record, SPLIT_ENFORCED, picklists)
    return errors
