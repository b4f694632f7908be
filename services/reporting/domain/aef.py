"""The five AEF tables (CMA.6 annex II): sheet names, column names, and one row from one record.

`NA` marks a column that does not apply to the row; None (a blank cell) marks a column the UNFCCC
platform fills. Every other cell comes from a recorded fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from services.reporting.domain.controlled import ControlledValues

NA = "NA"
Row = list[Any]
Record = Mapping[str, Any]

SUBMISSION = "Summary information"
AUTHORIZATIONS = "Table 2 Authorizations"
ACTIONS = "Table 3 Actions"
HOLDINGS = "Table 4 Holdings"
ENTITIES = "Table 5 Auth. entities"

UNIT_COLUMNS = [
    "Cooperative approach ID",
    "Authorization ID",
    "First transferring participating Party ID",
    "Party ITMO registry ID",
    "First ID",
    "Last ID",
    "Underlying unit registry ID",
    "First unit ID",
    "Last unit ID",
    "Metric",
    "Applicable GWP value(s)",
    "Applicable non-GHG metric",
    "Quantity (t CO2 eq)",
    "Quantity (in non-GHG metric)",
    "Mitigation type",
    "Vintage",
]

COLUMNS: dict[str, list[str]] = {
    SUBMISSION: [
        "Party",
        "Version",
        "Reported year",
        "Date of submission",
        "Review status of the initial report",
        "Result of the consistency check of this AEF submission",
        "First year of the NDC implementation period",
        "Last year of the NDC implementation period",
        "Reference to the Art. 6 TER report of the initial report",
    ],
    AUTHORIZATIONS: [
        "Authorization ID",
        "Date of authorization",
        "Cooperative approach ID",
        "Version of the authorization",
        "Authorized quantity",
        "Metric",
        "Applicable GWP value(s)",
        "Applicable non-GHG metric",
        "Sector(s)",
        "Activity type(s)",
        "Purposes for authorization",
        "Authorized Party(ies) ID",
        "Authorized entity(ies) ID",
        "OIMP authorized by the Party",
        "Authorized timeframe",
        "Authorization terms and conditions",
        "Authorization documentation",
        "First transfer definition for OIMP",
        "Additional explanatory information",
    ],
    ACTIONS: [
        "Action date",
        "Action type",
        "Action subtype",
        *UNIT_COLUMNS,
        "Transferring Party ID",
        "Acquiring Party ID",
        "OIMP purpose of use/cancellation",
        "Using/cancelling Party ID",
        "Using/cancelling authorized entity ID",
        "Calendar year for which the ITMOs are used towards the Party's NDC",
        "Result of consistency checks",
        "Additional information",
    ],
    HOLDINGS: UNIT_COLUMNS,
    ENTITIES: [
        "Date of the authorization",
        "Name",
        "Country of incorporation",
        "Identification number",
        "Cooperative approach ID",
        "Conditions",
        "Change and revocation conditions",
        "Additional explanatory information",
    ],
}
SHEETS = list(COLUMNS)


def _joined(values: Any) -> str:
    return "; ".join(sorted(str(v) for v in values)) if values else NA


def _utc_seconds(moment: datetime) -> str:
    """2025-03-04T05:06:07Z for a UTC datetime (%-formatting is several times quicker than strftime)."""
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (  # noqa: UP031
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second
    )  # fmt: skip


def _or_na(value: Any) -> Any:
    return NA if value is None or value == "" else value


def unit_cells(record: Record, terms: Record | None, values: ControlledValues) -> Row:
    """The sixteen columns a block shares between Table 3 and Table 4."""
    terms = terms or {}
    ghg = record["metric"] == values.ghg_metric_unit
    quantity = int(record["serial_last"]) - int(record["serial_first"]) + 1
    factor = terms.get("conversion_factor")
    has_underlying = record["underlying_registry_id"] is not None
    return [
        record["cooperative_approach_id"],
        terms.get("reference", NA),
        record["first_transferring_party"],
        record["registry_id"],
        record["first_itmo_id"],
        record["last_itmo_id"],
        record["underlying_registry_id"] if has_underlying else NA,
        record["underlying_first_unit_id"] if has_underlying else NA,
        record["underlying_last_unit_id"] if has_underlying else NA,
        "GHG" if ghg else "non-GHG",
        _joined(terms.get("gwp_values")) if ghg else NA,
        NA if ghg else record["metric"],
        quantity if ghg else (round(quantity * float(factor)) if factor is not None else NA),
        NA if ghg else quantity,
        values.mitigation_types.get(record["mitigation_type"], record["mitigation_type"]),
        int(record["vintage"]),
    ]


def action_row(record: Record, terms: Record | None, values: ControlledValues) -> Row:
    kind, subtype = record["action_type"], record["action_subtype"]
    moves_abroad = kind == "Transfer" or subtype == "First transfer to another Party"
    by_party = kind in ("Use", "Cancellation", "Voluntary Cancellation")
    return [
        _utc_seconds(record["executed_at"]),
        kind,
        subtype,
        *unit_cells(record, terms, values),
        record["transferring_party"] if kind == "Acquisition" else NA,
        record["acquiring_party"] if moves_abroad else NA,
        _or_na(record["oimp_purpose"]) if kind == "Use" or subtype == "Other cancellations" else NA,
        record["using_party"] if by_party else NA,
        NA,
        _or_na(record["ndc_year"]) if kind == "Use" else NA,
        None,
        f"Transaction {record['transaction_number']}",
    ]


def holding_row(record: Record, terms: Record | None, values: ControlledValues) -> Row:
    return unit_cells(record, terms, values)


def authorization_row(record: Record, values: ControlledValues) -> Row:
    terms = record["terms"]
    ghg = terms["metric"].get("non_ghg_metric") is None
    oimp = [p for p in terms["purposes"] if p != "NDC"]
    timeframe = terms["timeframe"]
    definition = terms.get("oimp_first_transfer")
    return [
        record["reference"],
        str(terms["authorized_on"]),
        terms["cooperative_approach_id"],
        int(record["version"]),
        _or_na(terms.get("authorized_quantity")),
        "GHG" if ghg else "non-GHG",
        _joined(terms.get("gwp_values")) if ghg else NA,
        NA if ghg else terms["metric"]["non_ghg_metric"],
        _joined(terms.get("sectors")),
        _joined(terms.get("activity_types")),
        values.purpose_label(list(terms["purposes"])),
        _joined(terms.get("authorized_parties")),
        _joined(terms.get("authorized_entities")),
        _joined(oimp),
        f"{timeframe['vintage_from']} - {timeframe['vintage_to']}",
        _or_na(terms.get("terms")),
        None,
        values.first_transfer_definitions[definition] if definition else NA,
        NA,
    ]


def entity_row(record: Record) -> Row:
    revoked = record["revoked_at"]
    return [
        str(record["authorized_on"]),
        record["name"],
        record["country_of_incorporation"],
        record["identification_number"],
        record["cooperative_approach_id"],
        _or_na(record["conditions"]),
        f"Revoked on {revoked.date().isoformat()}" if revoked else NA,
        NA,
    ]


def submission_row(party: str, version: str, year: int, submitted_on: str, ndc: tuple[int, int]) -> Row:
    return [party, version, year, submitted_on, None, None, ndc[0], ndc[1], None]
