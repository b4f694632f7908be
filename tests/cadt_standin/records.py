"""How a CADT 1.7.24 node stores what lands and answers it back (seen on the real node; see docs/cadt.md).

Dates come back as timestamps, columns never written come back as `null`, a unit update merges into the
stored unit, and every unit update or split writes a fresh copy of the unit's issuance.
"""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from typing import Any

PROJECT_COLUMNS = (
    "currentRegistry",
    "program",
    "projectTags",
    "ndcInformation",
    "methodology2",
    "validationBody",
    "validationDate",
    "description",
)
UNIT_COLUMNS = (
    "projectLocationId",
    "unitOwner",
    "inCountryJurisdictionOfOwner",
    "marketplace",
    "marketplaceLink",
    "marketplaceIdentifier",
    "unitTags",
    "unitStatusReason",
)
CHILD_COLUMNS = {"projectLocations": ("inCountryRegion", "fileId"), "issuances": ("verificationBody",)}
DATES = {
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
ISSUANCE_REFERENCE = ("startDate", "endDate", "verificationApproach", "verificationReportDate")


def parse_date(value: Any) -> datetime | None:
    """A value Joi's `date()` takes: an ISO date or timestamp; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def timestamp(value: Any) -> Any:
    """`"2023-01-01"` as the node answers it, `"2023-01-01T00:00:00.000Z"`; other values unchanged."""
    parsed = parse_date(value)
    if parsed is None:
        return value
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{parsed.microsecond // 1000:03d}Z"


def _dated(row: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in row:
            row[name] = timestamp(row[name])


def stored_project(record: dict[str, Any]) -> dict[str, Any]:
    project = copy.deepcopy(record)
    for column in PROJECT_COLUMNS:
        project.setdefault(column, None)
    _dated(project, DATES["project"])
    for child, rows in project.items():
        if not isinstance(rows, list):
            continue
        for row in rows:
            for column in CHILD_COLUMNS.get(child, ()):
                row.setdefault(column, None)
            _dated(row, DATES.get(child, ()))
    return project


def stored_unit(record: dict[str, Any]) -> dict[str, Any]:
    unit = copy.deepcopy(record)
    for column in UNIT_COLUMNS:
        unit.setdefault(column, None)
    unit.setdefault("labels", [])
    return unit


def merged_unit(stored: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """A unit update: a field left out keeps its stored value, an explicit null clears it."""
    return copy.deepcopy(stored) | {k: copy.deepcopy(v) for k, v in update.items() if k != "issuance"}


def merged_project(stored: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """A project update: fields left out keep their value; a child row replaces the stored row with its id
    and any other row is added. No child row is ever removed (CADT leaves them orphaned)."""
    project = copy.deepcopy(stored)
    for name, value in update.items():
        if not isinstance(value, list):
            project[name] = copy.deepcopy(value)
            continue
        rows = {row["id"]: row for row in project.get(name, [])}
        rows |= {row["id"]: copy.deepcopy(row) for row in value}
        project[name] = list(rows.values())
    return project


def issuance_copy(source: dict[str, Any], *, reference_only: bool) -> dict[str, Any]:
    """The fresh issuance row a unit update or split writes.

    An update that carries the issuance copies only the fields it sent (the copy belongs to no project);
    one that leaves it out, and every part of a split, copy the unit's current issuance whole.
    """
    if reference_only:
        row = {k: timestamp(source.get(k)) for k in ISSUANCE_REFERENCE}
        row |= {"warehouseProjectId": None, "verificationBody": None, "orgUid": source.get("orgUid")}
    else:
        row = copy.deepcopy(source)
    return row | {"id": str(uuid.uuid4())}
