"""The AEF "Action subtype" column carries only the UNFCCC common nomenclature's values, or NA."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from services.reporting.domain import aef
from services.reporting.domain.actions import actions_of
from services.reporting.domain.controlled import controlled_values

VALUES = controlled_values()
OMGE = ("Mandatory cancellation to deliver OMGE", "Voluntary cancellation to deliver OMGE")
# The nomenclature of 17 February 2026 (Tables 26(b) and 49(b)): only First transfer and Cancellation have
# subtypes; every other action type reports NA.
NOMENCLATURE_SUBTYPES = {
    "Authorization": {"NA"},
    "First transfer": {"First transfer to another Party", "Authorization", "Issuance", "Use or cancellation", *OMGE},
    "Transfer": {"NA"},
    "Acquisition": {"NA"},
    "Use": {"NA"},
    "Cancellation": {*OMGE, "Other cancellations"},
    "Voluntary Cancellation": {"NA"},
}


def block() -> dict[str, Any]:
    return {
        "block_id": str(uuid4()), "account_id": str(uuid4()), "state": "active", "serial_first": 1,
        "serial_last": 10, "first_itmo_id": "CA0001-GHA01-GHA-1-2023", "last_itmo_id": "CA0001-GHA01-GHA-10-2023",
        "cooperative_approach_id": "CA0001", "registry_id": "GHA01", "first_transferring_party": "GHA",
        "vintage": 2023, "metric": "t CO2 eq", "mitigation_type": "removals", "authorization_id": str(uuid4()),
        "authorization_version": 1,
    }  # fmt: skip


def event(**fields: Any) -> dict[str, Any]:
    return {"transaction_number": "GHA-T-1", "executed_at": "2025-06-01T10:00:00+00:00", "blocks": [block()], **fields}


EVENTS = [
    ("ledger.units.authorized", event()),
    ("ledger.units.first_transferred", event(trigger="first_international_transfer", acquiring_party="CHE")),
    ("ledger.units.first_transferred", event(trigger="issuance")),
    ("ledger.transfer.international_completed", event(acquiring_party="CHE")),
    ("ledger.acquisition.recorded", event(transferring_party="CHE")),
    ("ledger.units.used", event(purpose="NDC", ndc_year=2025)),
    ("ledger.units.used", event(purpose="OIMP", oimp_purpose="CORSIA")),
    ("ledger.units.cancelled", event(cancellation="voluntary")),
    ("ledger.units.cancelled", event(cancellation="omge")),
    ("ledger.units.cancelled", event(cancellation="oimp", oimp_purpose="CORSIA")),
    ("ledger.units.retired", event(beneficiary="Acme")),
]


def test_the_configuration_lists_exactly_the_nomenclature_subtypes() -> None:
    assert {kind: set(subtypes) for kind, subtypes in VALUES.action_types.items()} == NOMENCLATURE_SUBTYPES
    assert set(VALUES.first_transfer_subtypes.values()) <= NOMENCLATURE_SUBTYPES["First transfer"]


@pytest.mark.parametrize(("name", "data"), EVENTS, ids=[f"{name}-{i}" for i, (name, _) in enumerate(EVENTS)])
def test_every_action_subtype_is_a_nomenclature_value(name: str, data: dict[str, Any]) -> None:
    [record] = actions_of(name, data, VALUES, "GHA")
    assert record.action_subtype in NOMENCLATURE_SUBTYPES[record.action_type]


def row_of(name: str, data: dict[str, Any]) -> dict[str, Any]:
    [record] = actions_of(name, data, VALUES, "GHA")
    fields = {**record.block.__dict__, **record.__dict__}
    return dict(zip(aef.COLUMNS[aef.ACTIONS], aef.action_row(fields, None, VALUES), strict=True))


def test_a_use_reports_its_ndc_year_or_oimp_purpose_without_a_subtype() -> None:
    ndc = row_of("ledger.units.used", event(purpose="NDC", ndc_year=2025))
    oimp = row_of("ledger.units.used", event(purpose="OIMP", oimp_purpose="CORSIA"))
    year = "Calendar year for which the ITMOs are used towards the Party's NDC"
    purpose = "OIMP purpose of use/cancellation"
    assert (ndc["Action subtype"], ndc[year], ndc[purpose]) == ("NA", 2025, "NA")
    assert (oimp["Action subtype"], oimp[year], oimp[purpose]) == ("NA", "NA", "CORSIA")


def test_a_transfer_abroad_names_the_acquiring_party_without_a_subtype() -> None:
    row = row_of("ledger.transfer.international_completed", event(acquiring_party="CHE"))
    assert (row["Action subtype"], row["Acquiring Party ID"]) == ("NA", "CHE")
