"""Registry records as CAD Trust v2 records: each table's payload, and each accepted by the v2 schemas."""

from __future__ import annotations

from typing import Any

from services.cadt.domain import mapping_v2
from services.cadt.domain.model import Connection, Kind, SyncRecord
from tests.cadt_standin import rules_v2
from tests.cadt_standin.rules import PICKLISTS as V1_PICKLISTS
from tests.unit.cadt.test_details import authorization
from tests.unit.cadt.test_domain import block

TABLES = ("project", "methodology", "pm", "verification", "issuance", "unit")
IDS = {name: f"0b9a2b0e-4d3c-4f7e-9a55-3c1f7a1d2e0{n}" for n, name in enumerate(TABLES)}
CONNECTION = Connection(
    "https://cadt.example", "key", options={"registry_of_origin": "UNFCCC",
                                            "public_base_url": "https://registry.example/gha"},
)  # fmt: skip
PROJECT = SyncRecord(
    Kind.PROJECT,
    "p1",
    {
        "project_id": "GHA-P-1",
        "name": "Clean cookstoves",
        "developer": "Acme Stoves",
        "sector": "Energy",
        "project_type": "Cookstoves",
        "status": "authorized",
        "recorded_on": "2024-01-05",
        "methodology": "CDM - AM0001",
        "country": "GHA",
        "cooperative_approach_id": "CA0001",
    },
)
ISSUANCE = SyncRecord(
    Kind.ISSUANCE,
    "i1",
    {"issuance_id": "GHA-I-1", "monitoring_start": "2022-01-01", "monitoring_end": "2022-12-31",
     "verified_on": "2023-03-01", "verifier": "DNV", "project_id": "p1"},
)  # fmt: skip


def unit(block_id: str = "b1", **extra: Any) -> SyncRecord:
    data = block(block_id, 1, 100, mitigation_type="emission_reductions", project_id="p1") | extra
    return SyncRecord(Kind.UNIT, block_id, data)


def test_a_project_is_a_flat_v2_record_with_arrays_of_sector_and_type() -> None:
    payload = mapping_v2.project_payload(PROJECT, CONNECTION)
    assert payload == {
        "projectRegistryName": "UNFCCC",
        "projectId": "GHA-P-1",
        "projectCreditingProgram": "Article 6.2 cooperative approach CA0001",
        "projectName": "Clean cookstoves",
        "projectLink": "https://registry.example/gha/projects/GHA-P-1",
        "projectSector": ["Energy"],
        "projectType": ["Cookstoves"],
        "projectStatus": "Registered",
        "projectStatusDate": "2024-01-05",
        "projectUnitMetric": "tCO2e",
    }
    assert rules_v2.validate("project", payload) == []


def test_the_developer_is_a_stakeholder_and_the_methodology_a_linked_record() -> None:
    assert mapping_v2.stakeholder_payload(PROJECT) == {"stakeholderName": "Acme Stoves", "stakeholderType": "Developer"}
    methodology = mapping_v2.methodology_payload(PROJECT)
    assert methodology == {"methodologyCode": "CDM - AM0001", "methodologyName": "CDM - AM0001"}
    link = mapping_v2.project_methodology_payload(IDS["project"], IDS["methodology"])
    assert link == {"cadTrustProjectId": IDS["project"], "cadTrustMethodologyId": IDS["methodology"]}
    for table, payload in (("stakeholder", mapping_v2.stakeholder_payload(PROJECT)), ("methodology", methodology),
                           ("projectMethodology", link)):  # fmt: skip
        assert rules_v2.validate(table, payload) == []


def test_an_issuance_rests_on_a_verification_of_its_monitoring_period() -> None:
    verification = mapping_v2.verification_payload(ISSUANCE, IDS["project"])
    assert verification == {
        "verificationId": "GHA-I-1-verification",
        "verificationStartDate": "2022-01-01",
        "verificationEndDate": "2022-12-31",
        "verificationBody": "DNV",
        "cadTrustProjectId": IDS["project"],
    }
    issuance = mapping_v2.issuance_payload(ISSUANCE, IDS["verification"], IDS["pm"])
    assert issuance == {
        "issuanceId": "GHA-I-1",
        "issuanceDate": "2023-03-01",
        "cadTrustVerificationId": IDS["verification"],
        "cadTrustProjectMethodologyId": IDS["pm"],
    }
    assert rules_v2.validate("verification", verification) == rules_v2.validate("issuance", issuance) == []


def test_a_held_block_names_its_owner_and_a_retired_block_its_beneficiary() -> None:
    held = mapping_v2.unit_payload(unit(), {"a1": "Ghana EPA"}, CONNECTION, IDS["issuance"])
    assert held == {
        "unitSerialId": "b1",
        "unitStartBlock": "x-1",
        "unitEndBlock": "x-100",
        "unitCount": 100,
        "unitType": "Reduction - technical",
        "unitVintageYear": 2023,
        "unitStatus": "Held",
        "unitStatusReason": None,
        "unitRetirementBeneficiary": None,
        "unitLink": "https://registry.example/gha/units/b1",
        "unitMetric": "tCO2e",
        "unitCurrentOwner": "Ghana EPA",
        "cadTrustIssuanceId": IDS["issuance"],
    }
    retired = unit(state="retired", owner="Airline A", status_reason="Retired on behalf of Airline A: CORSIA")
    payload = mapping_v2.unit_payload(retired, {}, CONNECTION, IDS["issuance"])
    assert (payload["unitStatus"], payload["unitRetirementBeneficiary"], payload["unitCurrentOwner"]) == (
        "Retired", "Airline A", None)  # fmt: skip
    assert rules_v2.validate("unit", held) == rules_v2.validate("unit", payload) == []


def test_each_authorization_of_the_projects_units_is_one_article_6_authorisation_label() -> None:
    auth = authorization()
    record = SyncRecord(Kind.AUTHORIZATION, "auth-1", auth)
    units = [unit("b1", authorization_id="auth-1"), unit("b2", authorization_id="auth-1"), unit("b3")]
    labels = mapping_v2.authorization_label_payloads(PROJECT, [record], units, CONNECTION)
    assert labels == {
        "auth-1": {
            "labelName": "Article 6.2 authorization GHA-LoA-7 (version 1; purposes NDC, OIMP)",
            "labelType": "Article 6 - Authorisation",
            "labelLink": "https://registry.example/gha/authorizations/auth-1",
            "labelDate": "2024-02-01",
        }
    }
    assert rules_v2.validate("label", labels["auth-1"]) == []
    other = SyncRecord(Kind.PROJECT, "p2", PROJECT.data)
    assert mapping_v2.authorization_label_payloads(other, [record], units, CONNECTION) == {}


def test_recorded_labels_take_the_v2_label_type_and_estimations_their_project() -> None:
    row = {"label": "LoA", "label_type": "Letter of Approval", "validity_period_start": "2024-01-01", "label_link": ""}
    label = mapping_v2.recorded_label_payload(row)
    assert label == {"labelName": "LoA", "labelType": "Article 6 - Letter of Approvals", "labelLink": None,
                     "labelDate": "2024-01-01"}  # fmt: skip
    estimation = mapping_v2.estimation_payload(
        {"crediting_period_start": "2021-01-01", "crediting_period_end": "2025-12-31", "unit_count": 9}, IDS["project"]
    )
    assert estimation["estimationUnitCount"] == 9
    assert rules_v2.validate("label", label) == rules_v2.validate("estimation", estimation) == []


def test_a_unit_label_ties_a_label_to_a_block_it_covers() -> None:
    payload = mapping_v2.unit_label_payload("7", "9", unit())
    assert payload == {"cadTrustLabelId": "7", "cadTrustUnitId": "9", "labelUnitDescription": "100 units authorized"}
    assert rules_v2.validate("unitLabel", payload) == []


def test_every_v1_label_type_has_a_v2_value() -> None:
    assert set(mapping_v2.LABEL_TYPE) == set(V1_PICKLISTS["labelType"])
    assert set(mapping_v2.LABEL_TYPE.values()) == set(rules_v2.LABEL_TYPES)
