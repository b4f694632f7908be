"""Each v2 rule the stand-in enforces, pinned to the Joi schema of Chia-Network/cadt it was read from.

The file and commit are named by `rules_v2.COMMITS` and in each test's docstring.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cadt_standin import rules_v2

UUID_1 = "0b9a2b0e-4d3c-4f7e-9a55-3c1f7a1d2e01"
UUID_2 = "0b9a2b0e-4d3c-4f7e-9a55-3c1f7a1d2e02"
PROJECT: dict[str, Any] = {
    "projectRegistryName": "UNFCCC",
    "projectId": "GHA-P-1",
    "projectName": "Clean cookstoves",
    "projectLink": "https://registry.example/projects/1",
    "projectSector": ["Energy"],
    "projectType": ["Cookstoves"],
    "projectStatus": "Registered",
    "projectStatusDate": "2024-01-01",
    "projectUnitMetric": "tCO2e",
}
UNIT: dict[str, Any] = {
    "unitSerialId": "b1",
    "unitStartBlock": "x-1",
    "unitEndBlock": "x-100",
    "unitVintageYear": 2023,
    "cadTrustIssuanceId": UUID_1,
}
VALID: dict[str, dict[str, Any]] = {
    "project": PROJECT,
    "unit": UNIT,
    "issuance": {"issuanceId": "i1", "cadTrustVerificationId": UUID_1, "cadTrustProjectMethodologyId": UUID_2},
    "label": {"labelName": "LoA 7", "labelType": "Article 6 - Authorisation", "labelDate": "2024-02-01"},
    "unitLabel": {"cadTrustLabelId": 1, "cadTrustUnitId": 2},
    "estimation": {
        "estimationStartDate": "2021-01-01",
        "estimationEndDate": "2025-12-31",
        "estimationUnitCount": 9,
        "cadTrustProjectId": UUID_1,
    },
    "methodology": {"methodologyCode": "AM0001", "methodologyName": "AM0001"},
    "projectMethodology": {"cadTrustProjectId": UUID_1, "cadTrustMethodologyId": UUID_2},
    "stakeholder": {"stakeholderName": "Acme", "stakeholderType": "Developer"},
    "stakeholderProject": {"cadTrustStakeholderId": UUID_1, "cadTrustProjectId": UUID_2},
    "validation": {"validationId": "v1", "cadTrustProjectId": 7},
    "verification": {"verificationId": "vf1", "verificationBody": "DNV", "cadTrustProjectId": UUID_1},
}


def with_(table: str, **changes: Any) -> dict[str, Any]:
    return VALID[table] | changes


def without(table: str, name: str) -> dict[str, Any]:
    return {k: v for k, v in VALID[table].items() if k != name}


@pytest.mark.parametrize("table", sorted(VALID))
def test_a_record_with_its_required_fields_is_accepted(table: str) -> None:
    """Every table of src/validations/v2 (commits in rules_v2.COMMITS) accepts its required fields alone."""
    assert rules_v2.validate(table, VALID[table]) == []


@pytest.mark.parametrize(
    ("table", "name"),
    [
        ("project", "projectRegistryName"),  # project-v2.validations.js @ 0fdcecc
        ("project", "projectLink"),
        ("project", "projectSector"),
        ("project", "projectStatusDate"),
        ("project", "projectUnitMetric"),
        ("unit", "unitSerialId"),  # unit-v2.validations.js @ 25781ab
        ("unit", "unitVintageYear"),
        ("unit", "cadTrustIssuanceId"),
        ("issuance", "cadTrustVerificationId"),  # issuance-v2.validations.js @ 0da39cc
        ("issuance", "cadTrustProjectMethodologyId"),
        ("label", "labelName"),  # label-v2.validations.js @ 3a5bbf0
        ("unitLabel", "cadTrustUnitId"),  # unit-label-v2.validations.js @ 41348bd
        ("estimation", "estimationUnitCount"),  # estimation-v2.validations.js @ 0fdcecc
        ("methodology", "methodologyName"),  # methodology-v2.validations.js @ 3a5bbf0
        ("projectMethodology", "cadTrustMethodologyId"),  # project-methodology-v2.validations.js @ 3a5bbf0
        ("stakeholder", "stakeholderName"),  # stakeholder-v2.validations.js @ 3a5bbf0
        ("stakeholderProject", "cadTrustProjectId"),  # stakeholder-projects-v2.validations.js @ 738f709
        ("validation", "validationId"),  # validation-v2.validations.js @ 29899ce
        ("verification", "verificationBody"),  # verification-v2.validations.js @ 0fdcecc
    ],
)
def test_a_required_field_left_out_is_refused(table: str, name: str) -> None:
    assert rules_v2.validate(table, without(table, name)) == [f'"{name}" is required']


@pytest.mark.parametrize(
    ("table", "name"),
    [("project", "orgUid"), ("unit", "orgUid"), ("label", "cadTrustLabelId"), ("label", "createdAt"),
     ("estimation", "cadTrustEstimationId"), ("methodology", "cadTrustMethodologyId"),
     ("projectMethodology", "cadTrustProjectMethodologyId"), ("stakeholder", "updatedAt"),
     ("stakeholderProject", "createdByOrgUid")],
)  # fmt: skip
def test_a_field_the_node_sets_is_forbidden(table: str, name: str) -> None:
    """project-v2 and unit-v2 forbid orgUid (set from the home organization); label, estimation, methodology,
    project-methodology and stakeholder forbid their own id and timestamps (src/validations/v2, commits above)."""
    assert rules_v2.validate(table, with_(table, **{name: UUID_1})) == [f'"{name}" is not allowed']


def test_an_unknown_field_is_refused() -> None:
    """Joi objects refuse keys they do not describe; methodology-v2 @ 3a5bbf0 says so with `.unknown(false)`."""
    assert rules_v2.validate("methodology", with_("methodology", methodology="AM0001")) == [
        '"methodology" is not allowed'
    ]
    assert rules_v2.validate("project", with_("project", sector="Energy")) == ['"sector" is not allowed']


@pytest.mark.parametrize(
    ("table", "changes", "error"),
    [
        # project-v2.validations.js @ 0fdcecc: lengths, a uri link, arrays of sector and type
        ("project", {"projectName": "x" * 501}, '"projectName" length must be less than or equal to 500'),
        ("project", {"projectLink": "not a link"}, '"projectLink" must be a valid uri'),
        ("project", {"projectSector": "Energy"}, '"projectSector" must be an array'),
        ("project", {"projectStatusDate": "yesterday"}, '"projectStatusDate" must be a valid date'),
        ("project", {"cadTrustProgramId": "program-1"}, '"cadTrustProgramId" must be a valid uuid'),
        # unit-v2.validations.js @ 25781ab: vintage year 1900..2100, integer; count at least 0; uuid issuance
        ("unit", {"unitVintageYear": 1899}, '"unitVintageYear" must be greater than or equal to 1900'),
        ("unit", {"unitVintageYear": 2101}, '"unitVintageYear" must be less than or equal to 2100'),
        ("unit", {"unitVintageYear": 2023.5}, '"unitVintageYear" must be a valid integer'),
        ("unit", {"unitCount": -1}, '"unitCount" must be greater than or equal to 0'),
        ("unit", {"cadTrustIssuanceId": "i1"}, '"cadTrustIssuanceId" must be a valid uuid'),
        ("unit", {"unitLink": "registry/units/1"}, '"unitLink" must be a valid uri'),
        # label-v2.validations.js @ 3a5bbf0: the five label types
        ("label", {"labelType": "Letter of Authorization"}, '"labelType" must be one of'),
        ("label", {"labelName": "x" * 256}, '"labelName" length must be less than or equal to 255'),
        # unit-label-v2.validations.js @ 41348bd: label and unit are named by numbers
        ("unitLabel", {"cadTrustLabelId": UUID_1}, '"cadTrustLabelId" must be a valid number'),
        # stakeholder-v2.validations.js @ 3a5bbf0: three stakeholder types
        ("stakeholder", {"stakeholderType": "Financier"}, '"stakeholderType" must be one of'),
        # validation-v2.validations.js @ 29899ce: the project is named by an integer
        ("validation", {"cadTrustProjectId": UUID_1}, '"cadTrustProjectId" must be a valid integer'),
    ],
)
def test_types_limits_and_allowed_values(table: str, changes: dict[str, Any], error: str) -> None:
    (found,) = rules_v2.validate(table, with_(table, **changes))
    assert found.startswith(error)


@pytest.mark.parametrize(
    ("table", "name", "picklist"),
    [
        ("project", "projectStatus", "projectStatus"),  # project-v2 @ 0fdcecc: pickListValidationV2
        ("project", "projectUnitMetric", "projectUnitMetric"),
        ("unit", "unitStatus", "unitStatus"),  # unit-v2 @ 25781ab
        ("unit", "unitType", "unitType"),
        ("verification", "verificationBody", "verificationBody"),  # verification-v2 @ 0fdcecc
        ("methodology", "methodologyType", "methodologyType"),  # methodology-v2 @ 3a5bbf0
    ],
)
def test_a_value_off_the_pick_list_is_refused(table: str, name: str, picklist: str) -> None:
    (found,) = rules_v2.validate(table, with_(table, **{name: "Not on the list"}))
    assert found == f'"{name}" must be one of: {", ".join(rules_v2.PICKLISTS[picklist])}'


def test_each_project_sector_is_checked_against_the_list() -> None:
    """project-v2 @ 0fdcecc checks every item of projectSector (pickListArrayValidationV2)."""
    (found,) = rules_v2.validate("project", with_("project", projectSector=["Energy", "Mining"]))
    assert found.startswith('"projectSector" must be one of')


def test_optional_fields_take_null_where_the_schema_allows_it() -> None:
    """unit-v2 @ 25781ab allows null for its optional fields, and '' for unitLink; issuanceId may not be null."""
    assert rules_v2.validate("unit", with_("unit", unitStatus=None, unitLink="", unitCount=None)) == []
    assert rules_v2.validate("issuance", with_("issuance", issuanceId=None)) == ['"issuanceId" must be a string']


def test_an_estimation_ends_after_it_starts() -> None:
    """estimation-v2 @ 0fdcecc: a custom rule refuses an end date on or before the start date."""
    same_day = with_("estimation", estimationEndDate="2021-01-01")
    assert rules_v2.validate("estimation", same_day) == ["estimationEndDate must be after estimationStartDate"]


AEF_UNIT = {"AuthorizationId": "GHA-A-1", "FirstTransferringPartyId": "GHA", "PartyItmoRegistryId": "GHA01",
            "ItmoFirstId": "x-1", "ItmoLastId": "x-9", "UnitRegistryId": "NA", "UnitFirstId": "NA",
            "UnitLastId": "NA", "QuantityTCo2": 9, "VintageYear": 2023}  # fmt: skip
AEF_VALID: dict[str, dict[str, Any]] = {
    "aefT1Submission": {"aefT1SubmissionParty": "GHA", "aefT1SubmissionVersion": "1.0",
                        "aefT1SubmissionReportYear": 2025, "aefT1SubmissionSubmissionDate": "2026-01-10"},
    "aefT2Authorizations": {"aefT2AuthorizationsId": "GHA-A-1", "aefT2AuthorizationsDate": "2025-02-01",
                            "aefT2AuthorizationsCooperativeApproachId": "CA0001",
                            "aefT2AuthorizationsAuthorizedPartyId": "CHE"},
    "aefT3Actions": {"aefT3ActionsDate": "2025-03-01T00:00:00Z", "aefT3ActionsCoopoerativeApproachId": "CA0001",
                     "aefT3ActionsTransferringPartyId": "NA", "aefT3ActionsAcquiringPartyId": "CHE"}
    | {"aefT3Actions" + k: v for k, v in AEF_UNIT.items()},
    "aefT4Holdings": {"aefT4HoldingsCooperativeApproachId": "CA0001"}
    | {"aefT4Holdings" + k: v for k, v in AEF_UNIT.items()},
    "aefT5AuthorizedEntities": {"aefT5AuthorizedEntitiesAuthorizationDate": "2025-02-01",
                                "aefT5AuthorizedEntitiesName": "Acme", "aefT5AuthorizedEntitiesId": "GH-1",
                                "aefT5AuthorizedEntitiesCooperativeApproachId": "CA0001"},
}  # fmt: skip


@pytest.mark.parametrize("table", sorted(AEF_VALID))
def test_an_aef_record_with_its_required_fields_is_accepted_and_each_is_required(table: str) -> None:
    """aef-t1 @ 41348bd, aef-t2 @ 3a5bbf0, aef-t3 @ 3e58633, aef-t4 @ 11e4a3e, aef-t5 @ 3a5bbf0
    (src/validations/v2/aef-t*-v2.validations.js): these fields are required."""
    record = AEF_VALID[table]
    assert rules_v2.validate(table, record) == []
    for name in record:
        assert rules_v2.validate(table, {k: v for k, v in record.items() if k != name}) == [f'"{name}" is required']


@pytest.mark.parametrize(
    ("table", "changes", "error"),
    [
        # aef-t1 @ 41348bd: optional fields take no null, the report year is a number
        ("aefT1Submission", {"aefT1SubmissionReviewStatus": None}, '"aefT1SubmissionReviewStatus" must be a string'),
        ("aefT1Submission", {"aefT1SubmissionReportYear": "last"}, '"aefT1SubmissionReportYear" must be a valid'),
        # aef-t2 @ 3a5bbf0: pick lists of metric, sector, type and purpose; the id is set by the node
        ("aefT2Authorizations", {"aefT2AuthorizationsSector": "Energy generation; Agriculture"},
         '"aefT2AuthorizationsSector" must be one of'),
        ("aefT2Authorizations", {"aefT2AuthorizationsPurposesForAuthorization": "Sale"},
         '"aefT2AuthorizationsPurposesForAuthorization" must be one of'),
        ("aefT2Authorizations", {"cadTrustAefT2AuthorizationsId": UUID_1}, '"cadTrustAefT2AuthorizationsId" is not'),
        ("aefT2Authorizations", {"cadTrustProjectId": "p1"}, '"cadTrustProjectId" must be a valid uuid'),
        # aef-t3 @ 3e58633: vintage 1900..2100, action type on its list, quantity a number
        ("aefT3Actions", {"aefT3ActionsVintageYear": 1800}, '"aefT3ActionsVintageYear" must be greater than'),
        ("aefT3Actions", {"aefT3ActionsType": "Sale"}, '"aefT3ActionsType" must be one of'),
        ("aefT3Actions", {"aefT3ActionsQuantityTCo2": "NA"}, '"aefT3ActionsQuantityTCo2" must be a valid number'),
        # aef-t4 @ 11e4a3e: createdByOrgUid is the node's; mitigation type on its list
        ("aefT4Holdings", {"createdByOrgUid": "org-1"}, '"createdByOrgUid" is not allowed'),
        ("aefT4Holdings", {"aefT4HoldingsMitigationType": "Avoidance"}, '"aefT4HoldingsMitigationType" must be one'),
        # aef-t5 @ 3a5bbf0: the country of incorporation on the country list
        ("aefT5AuthorizedEntities", {"aefT5AuthorizedEntitiesIncorporationCountry": "Atlantis"},
         '"aefT5AuthorizedEntitiesIncorporationCountry" must be one of'),
    ],
)  # fmt: skip
def test_aef_types_limits_and_allowed_values(table: str, changes: dict[str, Any], error: str) -> None:
    (found,) = rules_v2.validate(table, AEF_VALID[table] | changes)
    assert found.startswith(error)
