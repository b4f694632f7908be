"""The five AEF tables (CMA.6 annex II) as CAD Trust v2 `aef-t1` … `aef-t5` records.

The reporting context builds the rows; here a row arrives as {AEF column title: cell} and leaves
with the v2 field names of Chia-Network/cadt `src/validations/v2/aef-t*-v2.validations.js` (commits
in docs/cadt.md), misspellings included (`Coopoerative`, `Authozied`): the node knows no other name.
"NA" (the AEF's "does not apply") stays a string where v2 takes text and becomes null where it takes
a number; a blank cell (the UNFCCC platform fills it) is left out, as `aef-t1` refuses a null.
A country of incorporation is a Party code in the AEF and a name on v2's list: `countries` translates
the codes it knows (the host Party's, from the connection), as v1's `mapping.country_name` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

NA = "NA"
# v2 table -> AEF sheet it comes from
SHEETS = {
    "aefT1Submission": "Summary information",
    "aefT2Authorizations": "Table 2 Authorizations",
    "aefT3Actions": "Table 3 Actions",
    "aefT4Holdings": "Table 4 Holdings",
    "aefT5AuthorizedEntities": "Table 5 Auth. entities",
}
UNIT_FIELDS = {
    "Authorization ID": "AuthorizationId",
    "First transferring participating Party ID": "FirstTransferringPartyId",
    "Party ITMO registry ID": "PartyItmoRegistryId",
    "First ID": "ItmoFirstId",
    "Last ID": "ItmoLastId",
    "Underlying unit registry ID": "UnitRegistryId",
    "First unit ID": "UnitFirstId",
    "Last unit ID": "UnitLastId",
    "Metric": "Metric",
    "Applicable GWP value(s)": "GwpValue",
    "Applicable non-GHG metric": "ApplicableNonGhgMetric",
    "Quantity (t CO2 eq)": "QuantityTCo2",
    "Quantity (in non-GHG metric)": "QuantityNonGhg",
    "Mitigation type": "MitigationType",
    "Vintage": "VintageYear",
}
# AEF column -> v2 field, without the table's prefix
FIELDS: dict[str, dict[str, str]] = {
    "aefT1Submission": {
        "Party": "Party",
        "Version": "Version",
        "Reported year": "ReportYear",
        "Date of submission": "SubmissionDate",
        "Review status of the initial report": "ReviewStatus",
        "Result of the consistency check of this AEF submission": "ResultCheck",
        "First year of the NDC implementation period": "NdcFirstYear",
        "Last year of the NDC implementation period": "NdcLastYear",
        "Reference to the Art. 6 TER report of the initial report": "ReferenceReviewReport",
    },
    "aefT2Authorizations": {
        "Authorization ID": "Id",
        "Date of authorization": "Date",
        "Cooperative approach ID": "CooperativeApproachId",
        "Version of the authorization": "Version",
        "Authorized quantity": "Quantity",
        "Metric": "Metric",
        "Applicable GWP value(s)": "GwpValue",
        "Applicable non-GHG metric": "ApplicableNonGhgMetric",
        "Sector(s)": "Sector",
        "Activity type(s)": "ActivityType",
        "Purposes for authorization": "PurposesForAuthorization",
        "Authorized Party(ies) ID": "AuthorizedPartyId",
        "Authorized entity(ies) ID": "AuthoziedEntityId",
        "OIMP authorized by the Party": "OimpAuthorizedParty",
        "Authorized timeframe": "AuthorizedTimeframe",
        "Authorization terms and conditions": "AuthorizationTerms",
        "Authorization documentation": "AuthorizationDocumentation",
        "First transfer definition for OIMP": "FirstTransferDefinitionOimp",
        "Additional explanatory information": "AdditionalInformation",
    },
    "aefT3Actions": {
        "Action date": "Date",
        "Action type": "Type",
        "Action subtype": "Subtype",
        "Cooperative approach ID": "CoopoerativeApproachId",
        **UNIT_FIELDS,
        "Transferring Party ID": "TransferringPartyId",
        "Acquiring Party ID": "AcquiringPartyId",
        "OIMP purpose of use/cancellation": "PurposeOfUseOimp",
        "Using/cancelling Party ID": "UsingParticipatingPartyId",
        "Using/cancelling authorized entity ID": "UsingAuthorizedEntityId",
        "Calendar year for which the ITMOs are used towards the Party's NDC": "ItmoUsedYear",
        "Result of consistency checks": "ConsistencyCheckResult",
        "Additional information": "AdditionalInformation",
    },
    "aefT4Holdings": {"Cooperative approach ID": "CooperativeApproachId", **UNIT_FIELDS},
    "aefT5AuthorizedEntities": {
        "Date of the authorization": "AuthorizationDate",
        "Name": "Name",
        "Country of incorporation": "IncorporationCountry",
        "Identification number": "Id",
        "Cooperative approach ID": "CooperativeApproachId",
        "Conditions": "Conditions",
        "Change and revocation conditions": "ChangeConditions",
        "Additional explanatory information": "AdditionalInformation",
    },
}
# v2 fields that take a number, and fields checked against one pick-list value: "NA" is no value for them
NUMBERS = {"ReportYear", "NdcFirstYear", "NdcLastYear", "Quantity", "QuantityTCo2", "VintageYear", "ItmoUsedYear"}
PICKED = {
    "Metric",
    "Sector",
    "ActivityType",
    "PurposesForAuthorization",
    "Type",
    "MitigationType",
    "IncorporationCountry",
}
SEPARATOR = "; "  # how the AEF joins several values in one cell


def payload(table: str, row: Mapping[str, Any], countries: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One AEF row as a record of the v2 table; cells without a value are left out."""
    cells = {field: _cell(field, row.get(column)) for column, field in FIELDS[table].items()}
    if countries and str(cells.get("IncorporationCountry")) in countries:
        cells["IncorporationCountry"] = countries[str(cells["IncorporationCountry"])]
    several = {f: v for f, v in cells.items() if f in PICKED and isinstance(v, str) and SEPARATOR in v}
    if several:
        cells = cells | dict.fromkeys(several) | {"AdditionalInformation": _noted(cells, several, FIELDS[table])}
    return {table + field: value for field, value in cells.items() if value is not None}


def _cell(field: str, value: Any) -> Any:
    if value is None or value == "" or (value == NA and (field in NUMBERS or field in PICKED)):
        return None
    return value if field in NUMBERS else str(value)


def _noted(cells: dict[str, Any], several: dict[str, str], fields: dict[str, str]) -> str:
    """v2 takes one pick-list value where the AEF lists several: the list moves to the additional information."""
    columns = {field: column for column, field in fields.items()}
    notes = [f"{columns[field]}: {value}" for field, value in several.items()]
    earlier = cells.get("AdditionalInformation")
    return ". ".join(([earlier] if earlier and earlier != NA else []) + notes)


def payloads(
    sheets: Mapping[str, Sequence[Mapping[str, Any]]], countries: Mapping[str, str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Every row of the sheets given, per v2 table."""
    return {table: [payload(table, row, countries) for row in sheets.get(sheet, [])] for table, sheet in SHEETS.items()}
