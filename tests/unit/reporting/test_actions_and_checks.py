"""The pure rules of reporting: which events are actions, block trimming, the checks, the versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.reporting.domain import aef, checks
from services.reporting.domain.actions import actions_of
from services.reporting.domain.blocks import trimmed
from services.reporting.domain.controlled import controlled_values
from services.reporting.domain.errors import Conflict, ReportingError
from services.reporting.domain.records import Block
from services.reporting.service_layer import submissions

VALUES = controlled_values()
AUTHORIZATION = uuid4()


def block_data(first: int = 1, last: int = 100, authorized: bool = True) -> dict[str, Any]:
    return {
        "block_id": str(uuid4()), "account_id": str(uuid4()), "state": "active", "serial_first": first,
        "serial_last": last, "first_itmo_id": f"CA0001-GHA01-GHA-{first}-2023",
        "last_itmo_id": f"CA0001-GHA01-GHA-{last}-2023", "cooperative_approach_id": "CA0001", "registry_id": "GHA01",
        "first_transferring_party": "GHA", "vintage": 2023, "metric": "t CO2 eq", "mitigation_type": "removals",
        "authorization_id": str(AUTHORIZATION) if authorized else None,
        "authorization_version": 1 if authorized else None,
        "underlying_registry_id": None, "underlying_first_unit_id": None, "underlying_last_unit_id": None,
    }  # fmt: skip


def event(**fields: Any) -> dict[str, Any]:
    return {"transaction_number": "GHA-T-00000001", "executed_at": "2025-12-31T23:59:59+00:00", **fields}


def test_a_domestic_transfer_is_no_action() -> None:
    assert actions_of("ledger.units.transferred", event(blocks=[block_data()]), VALUES, "GHA") == []


def test_an_action_is_in_the_utc_year_it_was_executed_whatever_the_vintage() -> None:
    late = event(blocks=[block_data()], executed_at="2026-01-01T00:30:00+01:00", purpose="NDC", ndc_year=2025)
    [record] = actions_of("ledger.units.used", late, VALUES, "CHE")
    assert (record.year, record.block.vintage) == (2025, 2023)
    assert (record.action_type, record.action_subtype, record.using_party) == ("Use", "NA", "CHE")


def test_units_never_authorized_are_public_facts_but_not_aef_actions() -> None:
    retired = event(blocks=[block_data(authorized=False)], beneficiary="Acme", retirement_reason=None)
    [record] = actions_of("ledger.units.retired", retired, VALUES, "GHA")
    assert record.reported is False
    assert (
        actions_of(
            "ledger.units.cancelled", event(blocks=[block_data(authorized=False)], cancellation="omge"), VALUES, "GHA"
        )
        == []
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("voluntary", ("Voluntary Cancellation", "NA")),
        ("omge", ("Cancellation", "Voluntary cancellation to deliver OMGE")),
        ("oimp", ("Cancellation", "Other cancellations")),
    ],
)
def test_cancellations_take_their_type_and_subtype_from_the_nomenclature(kind: str, expected: tuple[str, str]) -> None:
    [record] = actions_of("ledger.units.cancelled", event(blocks=[block_data()], cancellation=kind), VALUES, "GHA")
    assert (record.action_type, record.action_subtype) == expected
    assert record.action_subtype in VALUES.subtypes(record.action_type)


def test_a_split_leaves_the_lower_serials_to_the_old_block() -> None:
    old = Block.from_data(block_data(1, 1000))
    moved = replace(Block.from_data(block_data(601, 1000)), block_id=uuid4())
    rest = trimmed(old, moved)
    assert rest is not None
    assert (rest.block_id, rest.serial_first, rest.serial_last) == (old.block_id, 1, 600)
    assert rest.last_itmo_id == "CA0001-GHA01-GHA-600-2023"
    assert trimmed(moved, old) is None


def actions_row(**changes: Any) -> aef.Row:
    record = {
        **Block.from_data(block_data()).__dict__,
        "executed_at": datetime(2025, 3, 1, tzinfo=UTC), "action_type": "Use", "action_subtype": "NA",
        "transferring_party": None, "acquiring_party": None, "oimp_purpose": None, "using_party": "CHE",
        "ndc_year": 2025, "transaction_number": "CHE-T-00000001",
    }  # fmt: skip
    record.update(changes)
    return aef.action_row(record, {"reference": "GHA-A-1", "gwp_values": ["AR5"]}, VALUES)


def test_each_finding_names_table_row_column_and_a_fix() -> None:
    good, bad = actions_row(), actions_row(first_itmo_id="GHA-1", action_subtype="Use for fun")
    found = checks.identifiers(aef.ACTIONS, [good, bad], 7) + checks.controlled(VALUES, [good, bad], [])
    assert [(f.table, f.row, f.column) for f in found] == [
        ("Table 3 Actions", 2, "First ID"),
        ("Table 3 Actions", 2, "Action subtype"),
    ]
    assert all(f.fix for f in found)


def test_year_boundaries_and_totals_are_checked() -> None:
    row = actions_row()
    assert checks.year_boundaries(2025, [row]) == []
    assert [f.column for f in checks.year_boundaries(2024, [row])] == ["Action date"]
    holding = aef.holding_row(Block.from_data(block_data(1, 60)).__dict__, None, VALUES)
    assert checks.totals(VALUES, [row], 160, [holding]) == []
    [finding] = checks.totals(VALUES, [row], 100, [holding])
    assert finding.table == "Table 4 Holdings"
    assert "plus -100" in finding.problem


def test_na_only_where_a_column_does_not_apply_and_blank_where_carp_fills() -> None:
    row = actions_row()
    assert row[aef.COLUMNS[aef.ACTIONS].index("Result of consistency checks")] is None
    assert (
        row[aef.COLUMNS[aef.ACTIONS].index("Calendar year for which the ITMOs are used towards the Party's NDC")]
        == 2025
    )
    assert row[aef.COLUMNS[aef.ACTIONS].index("Acquiring Party ID")] == "NA"
    assert row[aef.COLUMNS[aef.ACTIONS].index("Mitigation type")] == "Removals"
    assert len(row) == len(aef.COLUMNS[aef.ACTIONS]) == 27


class FakeStore:
    def __init__(self, versions: list[str]) -> None:
        self._versions = versions
        self.created: list[dict[str, Any]] = []

    def versions(self, year: int) -> list[str]:
        return self._versions

    def create(self, submission: dict[str, Any]) -> None:
        self.created.append(submission)

    def update(self, submission_id: UUID, values: dict[str, Any]) -> None:
        raise AssertionError("not used")

    def get(self, submission_id: UUID) -> dict[str, Any] | None:
        return None


class FakeSource:
    def first_activity(self) -> datetime | None:
        return datetime(2022, 5, 1, tzinfo=UTC)


TENANT = submissions.TenantFacts("GHA", datetime(2026, 1, 5, tzinfo=UTC), (2021, 2030))
NOW = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.mark.parametrize(
    ("year", "versions", "reason", "code"),
    [
        (2027, [], None, "reporting.year_in_future"),
        (2021, [], None, "reporting.year_before_registry"),
        (2024, ["1.0"], None, "reporting.reason_required"),
        (2024, ["1.0"], " ", "reporting.reason_required"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_created(
    year: int, versions: list[str], reason: str | None, code: str
) -> None:
    store = FakeStore(versions)
    with pytest.raises(ReportingError) as refused:
        submissions.request(TENANT, year, reason, "me", NOW, uuid4, store, FakeSource())  # type: ignore[arg-type]
    assert refused.value.code == code
    assert isinstance(refused.value, Conflict) is (code == "reporting.reason_required")
    assert store.created == []


def test_versions_go_1_0_then_1_1_then_1_2() -> None:
    store = FakeStore(["1.0", "1.1"])
    submissions.request(TENANT, 2022, "typo in Table 5", "me", NOW, uuid4, store, FakeSource())  # type: ignore[arg-type]
    assert store.created[0]["version"] == "1.2"
    assert submissions.next_version([]) == "1.0"


def test_the_controlled_values_are_versioned_configuration() -> None:
    assert VALUES.version == "2026-02-17"
    assert set(VALUES.action_types) == {
        "Authorization", "First transfer", "Transfer", "Acquisition", "Use", "Cancellation", "Voluntary Cancellation"
    }  # fmt: skip
    assert VALUES.purpose_label(["OIMP", "NDC"]) == "NDC and OIMP"
