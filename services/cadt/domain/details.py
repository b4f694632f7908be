"""Project details the ledger does not carry, as CAD Trust v1 child tables of a project.

Registry administrators record labels, estimations, ratings, co-benefits, related projects and
locations (stored as given, in snake_case); labels for authorizations are derived from the ledger's
authorizations of the project's units. v1 takes the child tables nested in the project and replaces
a table's rows on an update that carries the table; an empty table is refused, so it is left out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.cadt.domain.model import FieldProblem, Kind, SyncRecord

DETAIL_TABLES = ("labels", "estimations", "ratings", "co_benefits", "related_projects", "locations")
# our field -> (CAD Trust v1 child table, {our key: CAD Trust key})
CHILD_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "labels": (
        "labels",
        {
            "label": "label",
            "label_type": "labelType",
            "crediting_period_start": "creditingPeriodStartDate",
            "crediting_period_end": "creditingPeriodEndDate",
            "validity_period_start": "validityPeriodStartDate",
            "validity_period_end": "validityPeriodEndDate",
            "unit_quantity": "unitQuantity",
            "label_link": "labelLink",
        },
    ),
    "estimations": (
        "estimations",
        {
            "crediting_period_start": "creditingPeriodStart",
            "crediting_period_end": "creditingPeriodEnd",
            "unit_count": "unitCount",
        },
    ),
    "ratings": (
        "projectRatings",
        {
            "rating_type": "ratingType",
            "rating_range_lowest": "ratingRangeLowest",
            "rating_range_highest": "ratingRangeHighest",
            "rating": "rating",
            "rating_link": "ratingLink",
        },
    ),
    "co_benefits": ("coBenefits", {"cobenefit": "cobenefit"}),
    "related_projects": (
        "relatedProjects",
        {"related_project_id": "relatedProjectId", "relationship_type": "relationshipType", "registry": "registry"},
    ),
    "locations": (
        "projectLocations",
        {"country": "country", "geographic_identifier": "geographicIdentifier", "in_country_region": "inCountryRegion"},
    ),
}
# our field -> (row key, CAD Trust picklist): the lists CADT has for these child fields
PICKLIST_FIELDS = {
    "labels": ("label_type", "labelType"),
    "ratings": ("rating_type", "ratingType"),
    "co_benefits": ("cobenefit", "coBenefits"),
    "locations": ("country", "countries"),
}
PERIODS = {"labels": (("crediting_period_start", "crediting_period_end"), ("validity_period_start",
                                                                           "validity_period_end")),
           "estimations": (("crediting_period_start", "crediting_period_end"),)}  # fmt: skip
AUTHORIZATION_LABEL = "Letter of Authorization"


def empty() -> dict[str, list[dict[str, Any]]]:
    return {table: [] for table in DETAIL_TABLES}


def problems(details: dict[str, Any], picklists: dict[str, list[str]] | None) -> list[FieldProblem]:
    """Values off a CAD Trust list (when the list is known) and periods that end before they start."""
    found: list[FieldProblem] = []
    for table, (key, picklist) in PICKLIST_FIELDS.items():
        allowed = (picklists or {}).get(picklist)
        for index, row in enumerate(details.get(table, [])):
            if allowed is not None and row.get(key) not in allowed:
                found.append(FieldProblem(f"{table}[{index}].{key}", row.get(key), tuple(allowed)))
    for table, periods in PERIODS.items():
        for index, row in enumerate(details.get(table, [])):
            for start, end in periods:
                if str(row[end]) < str(row[start]):
                    found.append(FieldProblem(f"{table}[{index}].{end}", row[end], message=f"is before {start}"))
    return found


def _row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    names = CHILD_TABLES[table][1]
    return {names[k]: v for k, v in row.items() if k in names and v not in (None, "")}


def child_tables(details: dict[str, Any] | None) -> dict[str, list[dict[str, Any]]]:
    """The recorded details as CAD Trust v1 child rows; tables without rows are left out."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, (cadt_table, _) in CHILD_TABLES.items():
        rows = [_row(table, row) for row in (details or {}).get(table, [])]
        if rows:
            tables[cadt_table] = rows
    return tables


def authorization_labels(
    project: SyncRecord, authorizations: list[SyncRecord], units: list[SyncRecord], link: Any
) -> list[dict[str, Any]]:
    """One "Letter of Authorization" label per authorization under which the project's units are authorized."""
    counts: dict[str, int] = {}
    for unit in units:
        data = unit.data
        if data.get("authorization_id") and str(data.get("project_id")) == project.local_id:
            key = str(data["authorization_id"])
            counts[key] = counts.get(key, 0) + data["serial_last"] - data["serial_first"] + 1
    by_id = {a.local_id: a for a in authorizations if a.kind is Kind.AUTHORIZATION}
    return [_label(by_id[key], counts[key], link) for key in sorted(counts) if key in by_id]


def _label(authorization: SyncRecord, authorized_units: int, link: Any) -> dict[str, Any]:
    data, terms = authorization.data, authorization.data["terms"]
    frame = terms["timeframe"]
    purposes = ", ".join(sorted(terms.get("purposes") or []))
    last_day = date(int(frame["vintage_to"]), 12, 31).isoformat()
    valid_from, valid_until = validity(frame, str(terms["authorized_on"]), last_day)
    return {
        "label": f"Article 6.2 authorization {data['reference']} (version {data['version']}; purposes {purposes})",
        "labelType": AUTHORIZATION_LABEL,
        "creditingPeriodStartDate": date(int(frame["vintage_from"]), 1, 1).isoformat(),
        "creditingPeriodEndDate": last_day,
        "validityPeriodStartDate": valid_from,
        "validityPeriodEndDate": valid_until,
        "unitQuantity": int(terms.get("authorized_quantity") or authorized_units),
        "labelLink": link(f"authorizations/{authorization.local_id}"),
    }


def validity(frame: dict[str, Any], authorized_on: str, last_vintage_day: str) -> tuple[str, str]:
    """From `valid_from` (else the authorization date) to `valid_until`, else the end of the last vintage but
    never before the start: CAD Trust refuses a label whose validity ends before it starts, and an
    authorization may be given after its last vintage."""
    start = date.fromisoformat(str(frame.get("valid_from") or authorized_on)[:10])
    end = date.fromisoformat(str(frame.get("valid_until") or last_vintage_day)[:10])
    return start.isoformat(), max(start, end).isoformat()
