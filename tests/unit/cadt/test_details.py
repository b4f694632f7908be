"""Project details as v1 child tables, labels derived from authorizations, the key at rest, the retry timer's rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.cadt.adapters.fernet_secrets import FernetSecrets, SecretUnreadable
from services.cadt.domain import details
from services.cadt.domain.model import Connection, ConnectionState, Kind, Status, SyncRecord
from services.cadt.domain.picklists import project_problems
from services.cadt.service_layer import projection
from services.cadt.service_layer.retry import due
from tests.unit.cadt.test_domain import AT, MemoryStore, block

NOW = datetime(2026, 1, 1, tzinfo=UTC)
RECORDED: dict[str, Any] = {
    "labels": [
        {
            "label": "Letter of approval",
            "label_type": "Letter of Approval",
            "crediting_period_start": "2021-01-01",
            "crediting_period_end": "2030-12-31",
            "validity_period_start": "2024-01-01",
            "validity_period_end": "2030-12-31",
            "unit_quantity": 500,
            "label_link": "https://registry.example/loa/1",
        }
    ],
    "estimations": [{"crediting_period_start": "2021-01-01", "crediting_period_end": "2025-12-31", "unit_count": 9}],
    "ratings": [
        {
            "rating_type": "BeZero",
            "rating_range_lowest": "D",
            "rating_range_highest": "AAA",
            "rating": "A",
            "rating_link": "https://r.example/1",
        }
    ],
    "co_benefits": [{"cobenefit": "SDG 13 - Climate action"}],
    "related_projects": [{"related_project_id": "VCS-1"}],
    "locations": [{"country": "Ghana", "geographic_identifier": "5.6,-0.2", "in_country_region": "Ashanti"}],
}


def test_recorded_details_become_the_v1_child_tables_with_cadt_field_names() -> None:
    tables = details.child_tables(RECORDED)
    assert tables["labels"][0]["creditingPeriodStartDate"] == "2021-01-01"
    assert tables["labels"][0]["unitQuantity"] == 500
    assert tables["estimations"] == [{"creditingPeriodStart": "2021-01-01", "creditingPeriodEnd": "2025-12-31",
                                      "unitCount": 9}]  # fmt: skip
    assert tables["projectRatings"][0]["ratingType"] == "BeZero"
    assert tables["coBenefits"] == [{"cobenefit": "SDG 13 - Climate action"}]
    assert tables["relatedProjects"] == [{"relatedProjectId": "VCS-1"}]
    assert tables["projectLocations"] == [
        {"country": "Ghana", "geographicIdentifier": "5.6,-0.2", "inCountryRegion": "Ashanti"}
    ]


def test_tables_without_rows_are_left_out_as_v1_refuses_empty_lists() -> None:
    assert details.child_tables(details.empty()) == {}
    assert details.child_tables(None) == {}


def test_values_off_the_lists_and_periods_that_end_too_early_are_named() -> None:
    lists = {"labelType": ["Letter of Approval"], "ratingType": ["CDP"], "coBenefits": [], "countries": ["Ghana"]}
    wrong_period = RECORDED["estimations"][0] | {"crediting_period_end": "2020-12-31"}
    found = details.problems(RECORDED | {"estimations": [wrong_period]}, lists)
    assert [p.field for p in found] == [
        "ratings[0].rating_type",
        "co_benefits[0].cobenefit",
        "estimations[0].crediting_period_end",
    ]
    assert found[0].allowed == ("CDP",)
    assert [p.field for p in details.problems(RECORDED, None)] == []  # no list known yet: checked before publishing


def test_the_rating_type_is_checked_before_publishing_as_cadt_enforces_it() -> None:
    payload = {"projectRatings": [{"ratingType": "Moody"}]}
    (problem,) = project_problems(payload, {"ratingType": ["BeZero"]})
    assert problem.field == "projectRatings[0].ratingType"


def authorization(version: int = 1, **terms: Any) -> dict[str, Any]:
    base = {
        "authorized_on": "2024-02-01",
        "purposes": ["OIMP", "NDC"],
        "timeframe": {"vintage_from": 2021, "vintage_to": 2030, "valid_from": None, "valid_until": None},
        "authorized_quantity": None,
    }
    return {"authorization_id": "auth-1", "reference": "GHA-LoA-7", "version": version, "terms": base | terms}


def test_each_authorization_of_a_projects_units_becomes_a_letter_of_authorization_label() -> None:
    store = MemoryStore()
    projection.apply(store, "ledger.authorization.recorded", authorization(), seq=1, at=AT)
    for block_id, first, last in (("b1", 1, 100), ("b2", 101, 150)):
        data = block(block_id, first, last, authorization_id="auth-1", project_id="p1")
        projection.apply(store, "ledger.units.authorized", {"blocks": [data]}, seq=first + 1, at=AT)
    projection.apply(store, "ledger.units.issued", {"blocks": [block("b3", 151, 200, project_id="p1")]}, seq=999, at=AT)
    project = SyncRecord(Kind.PROJECT, "p1", {})
    (label,) = details.authorization_labels(
        project, store.records(Kind.AUTHORIZATION), store.records(Kind.UNIT), lambda p: f"https://r/{p}"
    )
    assert label == {
        "label": "Article 6.2 authorization GHA-LoA-7 (version 1; purposes NDC, OIMP)",
        "labelType": "Letter of Authorization",
        "creditingPeriodStartDate": "2021-01-01",
        "creditingPeriodEndDate": "2030-12-31",
        "validityPeriodStartDate": "2024-02-01",
        "validityPeriodEndDate": "2030-12-31",
        "unitQuantity": 150,
        "labelLink": "https://r/authorizations/auth-1",
    }
    assert store.get(Kind.AUTHORIZATION, "auth-1").status is Status.EXCLUDED  # type: ignore[union-attr]
    other = SyncRecord(Kind.PROJECT, "p2", {})
    assert details.authorization_labels(other, store.records(Kind.AUTHORIZATION), store.records(Kind.UNIT), str) == []


def test_an_authorizations_own_quantity_and_validity_win_and_older_versions_are_ignored() -> None:
    store = MemoryStore()
    frame = {"vintage_from": 2022, "vintage_to": 2025, "valid_from": "2024-03-01", "valid_until": "2026-06-30"}
    newer = authorization(2, timeframe=frame, authorized_quantity=70)
    projection.apply(store, "ledger.authorization.recorded", newer, seq=2, at=AT)
    projection.apply(store, "ledger.authorization.recorded", authorization(1), seq=3, at=AT)
    data = block("b1", 1, 10, authorization_id="auth-1", project_id="p1")
    projection.apply(store, "ledger.units.authorized", {"blocks": [data]}, seq=4, at=AT)
    (label,) = details.authorization_labels(
        SyncRecord(Kind.PROJECT, "p1", {}), store.records(Kind.AUTHORIZATION), store.records(Kind.UNIT), str
    )
    assert (label["unitQuantity"], label["validityPeriodStartDate"], label["validityPeriodEndDate"]) == (
        70,
        "2024-03-01",
        "2026-06-30",
    )
    assert "version 2" in label["label"]


def test_the_api_key_is_encrypted_and_keys_rotate() -> None:
    old, new = "o" * 40, "n" * 40
    stored = FernetSecrets([old]).encrypt("node-key")
    assert stored.startswith("fernet:")
    assert "node-key" not in stored
    rotated = FernetSecrets([new, old])
    assert rotated.decrypt(stored) == "node-key"
    assert FernetSecrets([new]).decrypt(rotated.encrypt("node-key")) == "node-key"
    with pytest.raises(SecretUnreadable, match="another SECRET_KEY"):
        FernetSecrets([new]).decrypt(stored)
    with pytest.raises(SecretUnreadable, match="not encrypted"):
        rotated.decrypt("node-key")
    with pytest.raises(ValueError, match="SECRET_KEY"):
        FernetSecrets([""])


def connection(**values: Any) -> Connection:
    return Connection("http://node", "k", **({"enabled": True} | values))


@pytest.mark.parametrize(
    ("values", "retryable", "expected"),
    [
        ({}, 3, True),
        ({}, 0, False),
        ({"enabled": False}, 3, False),
        ({"state": ConnectionState.UNAUTHORIZED}, 3, False),
        ({"next_attempt_at": NOW + timedelta(seconds=1)}, 3, False),
        ({"retry_at": NOW + timedelta(seconds=1)}, 3, False),
        ({"retry_at": NOW, "next_attempt_at": NOW - timedelta(seconds=1)}, 3, True),
    ],
)
def test_the_timer_retries_pending_records_once_their_time_has_come(
    values: dict[str, Any], retryable: int, expected: bool
) -> None:
    assert due(connection(**values), retryable, NOW) is expected
    assert due(None, retryable, NOW) is False


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ({}, ("2026-11-01", "2026-11-01")),  # given after its last vintage: valid from that day
        ({"valid_from": "2020-01-01"}, ("2020-01-01", "2025-12-31")),
        ({"valid_until": "2030-06-30"}, ("2026-11-01", "2030-06-30")),
        ({"valid_until": "2026-01-01"}, ("2026-11-01", "2026-11-01")),
    ],
)
def test_a_derived_label_is_never_valid_until_before_it_is_valid_from(
    frame: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert details.validity(frame, "2026-11-01", "2025-12-31") == expected
