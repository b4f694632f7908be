"""The pure parts: blocks and splits, picklists, the mapping, and projection idempotency."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.cadt.domain.blocks import plan_splits, shrink_around
from services.cadt.domain.mapping import PROJECT_STATUS, corresponding_adjustment, unit_status
from services.cadt.domain.model import Connection, Kind, Status, SyncRecord
from services.cadt.domain.picklists import project_problems, unit_problems
from services.cadt.service_layer import projection
from services.ledger.domain.reference import ProjectStatus
from tests.cadt_standin.rules import PICKLISTS

AT = datetime(2026, 1, 1, tzinfo=UTC)


def block(block_id: str, first: int, last: int, **extra: Any) -> dict[str, Any]:
    base = {
        "block_id": block_id,
        "serial_first": first,
        "serial_last": last,
        "cooperative_approach_id": "CA0001",
        "registry_id": "GHA01",
        "first_transferring_party": "GHA",
        "vintage": 2023,
        "state": "active",
        "issuance_id": "i1",
        "account_id": "a1",
        "first_itmo_id": f"x-{first}",
        "last_itmo_id": f"x-{last}",
    }
    return base | extra


class MemoryStore:
    def __init__(self) -> None:
        self.rows: dict[tuple[Kind, str], SyncRecord] = {}
        self.saves = 0

    def get(self, kind: Kind, local_id: str) -> SyncRecord | None:
        return self.rows.get((kind, local_id))

    def records(self, kind: Kind) -> list[SyncRecord]:
        return [r for (k, _), r in self.rows.items() if k is kind]

    def save(self, record: SyncRecord) -> None:
        self.saves += 1
        self.rows[(record.kind, record.local_id)] = record


def test_a_block_cut_from_a_known_block_shrinks_it_with_its_last_itmo_id() -> None:
    parent = SyncRecord(Kind.UNIT, "a", block("a", 1, 1000))
    (shrunk,) = shrink_around(block("b", 601, 1000), [parent])
    assert (shrunk.data["serial_last"], shrunk.data["last_itmo_id"]) == (600, "CA0001-GHA01-GHA-600-2023")
    assert shrunk.status is Status.PENDING
    assert shrink_around(block("c", 1, 10, registry_id="CHE01"), [parent]) == []


def published(local_id: str, first: int, last: int, now: tuple[int, int]) -> SyncRecord:
    record = SyncRecord(Kind.UNIT, local_id, block(local_id, *now), cadt_id=f"cadt-{local_id}")
    record.meta["serials"] = [first, last]
    return record


def test_a_split_needs_every_part_and_puts_the_parent_first() -> None:
    parent = published("a", 1, 1000, (1, 600))
    moved = SyncRecord(Kind.UNIT, "b", block("b", 601, 900))
    retired = SyncRecord(Kind.UNIT, "c", block("c", 901, 1000))
    fresh = SyncRecord(Kind.UNIT, "d", block("d", 1001, 1500))
    splits, new = plan_splits([retired, parent, moved, fresh])
    assert [[p.local_id for p in s.parts] for s in splits] == [["a", "b", "c"]]
    assert new == [fresh]
    incomplete, _ = plan_splits([parent, retired])
    assert incomplete == []


def test_picklist_problems_name_the_field_and_the_allowed_values() -> None:
    lists = {"coveredByNDC": ["Inside NDC", "Unknown"], "countries": ["Ghana"], "unitStatus": ["Held"]}
    payload = {"coveredByNDC": "Maybe", "projectLocations": [{"country": "Ghana"}, {"country": "Narnia"}]}
    problems = [p.to_dict() for p in project_problems(payload, lists)]
    assert [(p["field"], p["value"], p["allowed"]) for p in problems] == [
        ("coveredByNDC", "Maybe", ["Inside NDC", "Unknown"]),
        ("projectLocations[1].country", "Narnia", ["Ghana"]),
    ]
    assert [p.field for p in unit_problems({"unitStatus": "Active", "countryJurisdictionOfOwner": "Ghana"}, lists)] == [
        "unitStatus"
    ]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"state": "active"}, "Held"),
        ({"state": "used"}, "Retired"),
        ({"state": "cancelled"}, "Cancelled"),
        ({"state": "pending_out"}, "Pending Export"),
        ({"state": "active", "exported": True}, "Exported"),
    ],
)
def test_ledger_states_become_cad_trust_statuses(data: dict[str, Any], status: str) -> None:
    assert unit_status(data) == status


def test_authorized_units_commit_to_a_corresponding_adjustment() -> None:
    assert corresponding_adjustment({"authorization_id": None}) == ("Not Required", "Not Started")
    assert corresponding_adjustment({"authorization_id": "x", "first_transferred_at": "2025"}) == (
        "Committed",
        "Pending",
    )


def test_projection_ignores_replays_and_older_events() -> None:
    store = MemoryStore()
    retired = {"beneficiary": "Acme", "retirement_reason": None, "blocks": [block("b", 601, 1000, state="retired")]}
    projection.apply(store, "ledger.units.issued", {"blocks": [block("a", 1, 1000)]}, seq=1, at=AT)
    projection.apply(store, "ledger.units.retired", retired, seq=2, at=AT)
    saves = store.saves
    projection.apply(store, "ledger.units.issued", {"blocks": [block("a", 1, 1000)]}, seq=1, at=AT)
    projection.apply(store, "ledger.units.retired", retired, seq=2, at=AT)
    assert store.saves == saves
    a, b = store.get(Kind.UNIT, "a"), store.get(Kind.UNIT, "b")
    assert a is not None
    assert a.data["serial_last"] == 600
    assert b is not None
    assert b.data["owner"] == "Acme"
    assert b.data["status_reason"] == "Retired on behalf of Acme: retirement"


def test_units_from_abroad_are_not_this_registrys_to_publish() -> None:
    store = MemoryStore()
    projection.apply(
        store, "ledger.acquisition.recorded", {"blocks": [block("z", 1, 5, issuance_id=None)]}, seq=3, at=AT
    )
    record = store.get(Kind.UNIT, "z")
    assert record is not None
    assert record.status is Status.EXCLUDED


def test_the_connection_never_shows_its_key() -> None:
    assert "secret" not in repr(Connection("http://node", "secret"))


@pytest.mark.parametrize("status", list(ProjectStatus))
def test_every_project_status_of_the_ledger_has_a_cad_trust_v1_value(status: ProjectStatus) -> None:
    assert PROJECT_STATUS[status.value] in PICKLISTS["projectStatusValues"]


def test_the_project_status_mapping_is_the_one_documented() -> None:
    assert PROJECT_STATUS == {
        "listed": "Listed",
        "validated": "Listed",
        "registered": "Registered",
        "approved": "Registered",
        "authorized": "Registered",
        "completed": "Completed",
        "transitioned": "Transitioned",
        "withdrawn": "Withdrawn",
        "rejected": "Withdrawn",
        "inactive": "De-registered",
        "deregistered": "De-registered",
    }
