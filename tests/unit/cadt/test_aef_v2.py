"""The five AEF tables, as the reporting context writes their rows, become records the v2 aef tables accept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.cadt.domain import aef_v2
from services.reporting.domain import aef
from services.reporting.domain.controlled import controlled_values
from tests.cadt_standin import rules_v2
from tests.unit.reporting.test_actions_and_checks import actions_row

VALUES = controlled_values()
TERMS: dict[str, Any] = {
    "authorized_on": "2025-02-01",
    "cooperative_approach_id": "CA0001",
    "authorized_quantity": 1000,
    "metric": {"non_ghg_metric": None},
    "gwp_values": ["AR5"],
    "sectors": ["Energy generation"],
    "activity_types": ["Cookstoves"],
    "purposes": ["NDC", "OIMP"],
    "authorized_parties": ["CHE"],
    "authorized_entities": [],
    "timeframe": {"vintage_from": 2021, "vintage_to": 2030},
}


def as_record(sheet: str, row: aef.Row) -> dict[str, Any]:
    return dict(zip(aef.COLUMNS[sheet], row, strict=True))


def authorization_row(**terms: Any) -> dict[str, Any]:
    record = {"reference": "GHA-A-1", "version": 2, "terms": TERMS | terms}
    return as_record(aef.AUTHORIZATIONS, aef.authorization_row(record, VALUES))


def test_the_submission_summary_is_an_aef_t1_record_without_the_cells_the_unfccc_fills() -> None:
    row = as_record(aef.SUBMISSION, aef.submission_row("GHA", "1.0", 2025, "2026-01-10", (2021, 2030)))
    payload = aef_v2.payload("aefT1Submission", row)
    assert payload == {
        "aefT1SubmissionParty": "GHA",
        "aefT1SubmissionVersion": "1.0",
        "aefT1SubmissionReportYear": 2025,
        "aefT1SubmissionSubmissionDate": "2026-01-10",
        "aefT1SubmissionNdcFirstYear": 2021,
        "aefT1SubmissionNdcLastYear": 2030,
    }
    assert rules_v2.validate("aefT1Submission", payload) == []


def test_an_authorization_is_an_aef_t2_record_and_na_is_no_pick_list_value() -> None:
    payload = aef_v2.payload("aefT2Authorizations", authorization_row())
    assert payload["aefT2AuthorizationsId"] == "GHA-A-1"
    assert payload["aefT2AuthorizationsVersion"] == "2"
    assert payload["aefT2AuthorizationsQuantity"] == 1000
    assert payload["aefT2AuthorizationsPurposesForAuthorization"] == "NDC and OIMP"
    assert payload["aefT2AuthorizationsAuthoziedEntityId"] == "NA"  # text: the AEF's own "does not apply"
    assert "aefT2AuthorizationsAuthorizationDocumentation" not in payload  # blank: the UNFCCC platform fills it
    assert rules_v2.validate("aefT2Authorizations", payload) == []
    no_sector = aef_v2.payload("aefT2Authorizations", authorization_row(sectors=[]))
    assert "aefT2AuthorizationsSector" not in no_sector
    assert rules_v2.validate("aefT2Authorizations", no_sector) == []


def test_several_sectors_move_to_the_additional_information_as_v2_takes_one() -> None:
    payload = aef_v2.payload("aefT2Authorizations", authorization_row(sectors=["Energy generation", "Agriculture"]))
    assert "aefT2AuthorizationsSector" not in payload
    assert payload["aefT2AuthorizationsAdditionalInformation"] == "Sector(s): Agriculture; Energy generation"
    assert rules_v2.validate("aefT2Authorizations", payload) == []


def test_an_action_and_a_holding_are_aef_t3_and_t4_records() -> None:
    action = aef_v2.payload("aefT3Actions", as_record(aef.ACTIONS, actions_row()))
    assert action["aefT3ActionsDate"] == "2025-03-01T00:00:00Z"
    assert action["aefT3ActionsCoopoerativeApproachId"] == "CA0001"
    assert (action["aefT3ActionsType"], action["aefT3ActionsItmoUsedYear"]) == ("Use", 2025)
    assert rules_v2.validate("aefT3Actions", action) == []
    cells = actions_row()[3:19]
    holding = aef_v2.payload("aefT4Holdings", as_record(aef.HOLDINGS, cells))
    assert holding["aefT4HoldingsVintageYear"] == action["aefT3ActionsVintageYear"]
    assert rules_v2.validate("aefT4Holdings", holding) == []


def test_an_authorized_entity_is_an_aef_t5_record() -> None:
    entity = {"authorized_on": "2025-02-01", "name": "Acme", "country_of_incorporation": "Ghana",
              "identification_number": "GH-1", "cooperative_approach_id": "CA0001", "conditions": None,
              "revoked_at": datetime(2025, 6, 1, tzinfo=UTC)}  # fmt: skip
    payload = aef_v2.payload("aefT5AuthorizedEntities", as_record(aef.ENTITIES, aef.entity_row(entity)))
    assert payload["aefT5AuthorizedEntitiesChangeConditions"] == "Revoked on 2025-06-01"
    assert payload["aefT5AuthorizedEntitiesIncorporationCountry"] == "Ghana"
    assert rules_v2.validate("aefT5AuthorizedEntities", payload) == []


def test_payloads_take_each_sheet_to_its_table() -> None:
    sheets = {aef.AUTHORIZATIONS: [authorization_row()]}
    tables = aef_v2.payloads(sheets)
    assert [len(tables[t]) for t in aef_v2.SHEETS] == [0, 1, 0, 0, 0]
    assert set(aef_v2.SHEETS.values()) == set(aef.SHEETS)
    assert all(list(aef_v2.FIELDS[t]) == aef.COLUMNS[s] for t, s in aef_v2.SHEETS.items())


def test_a_party_code_as_country_of_incorporation_becomes_the_country_name_the_connection_gives() -> None:
    entity = {"authorized_on": "2025-02-01", "name": "Acme", "country_of_incorporation": "GHA",
              "identification_number": "GH-1", "cooperative_approach_id": "CA0001", "conditions": None,
              "revoked_at": None}  # fmt: skip
    row = as_record(aef.ENTITIES, aef.entity_row(entity))
    named = aef_v2.payloads({aef.ENTITIES: [row]}, {"GHA": "Ghana"})["aefT5AuthorizedEntities"][0]
    assert named["aefT5AuthorizedEntitiesIncorporationCountry"] == "Ghana"
    assert rules_v2.validate("aefT5AuthorizedEntities", named) == []
    unknown = aef_v2.payload("aefT5AuthorizedEntities", row, {"CHE": "Switzerland"})
    assert rules_v2.validate("aefT5AuthorizedEntities", unknown) != []  # a code goes as it is and fails the list
