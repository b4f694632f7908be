import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.ledger.domain.journal import GENESIS_HASH, JournalRecord, next_record, verify_chain
from services.shared.ids import new_id

TENANT = new_id()
START = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def chain(length: int = 5) -> list[JournalRecord]:
    records: list[JournalRecord] = []
    for n in range(length):
        previous = records[-1] if records else None
        payload = {"number": f"GHA-T-{n + 1:08d}", "quantity": 100 * (n + 1), "blocks": [[1, 100]]}
        records.append(next_record(previous, TENANT, payload, START + timedelta(minutes=n)))  # type: ignore[arg-type]
    return records


def test_each_record_hashes_its_predecessor() -> None:
    records = chain()

    assert records[0].previous_hash == GENESIS_HASH
    assert all(b.previous_hash == a.record_hash for a, b in itertools.pairwise(records))
    assert [r.sequence for r in records] == [1, 2, 3, 4, 5]
    assert verify_chain(records) is None
    assert verify_chain([]) is None


def test_a_changed_record_is_found() -> None:
    records = chain()
    records[2] = replace(records[2], payload={**records[2].payload, "quantity": 1})

    broken = verify_chain(records)

    assert broken is not None
    assert broken.sequence == 3
    assert broken.reason == "record hash does not match the record's content"


def test_a_changed_record_with_a_recomputed_hash_breaks_the_next_link() -> None:
    records = chain()
    forged = next_record(records[1], TENANT, {"quantity": 1}, records[2].recorded_at)
    records[2] = forged

    broken = verify_chain(records)

    assert broken is not None
    assert broken.sequence == 4
    assert "previous hash" in broken.reason


def test_a_deleted_record_is_found() -> None:
    records = chain()
    del records[2]

    broken = verify_chain(records)

    assert broken is not None
    assert broken.sequence == 3
    assert "missing or out of place" in broken.reason


def test_reordered_records_are_found() -> None:
    records = chain()
    records[1], records[3] = records[3], records[1]

    broken = verify_chain(records)

    assert broken is not None
    assert broken.sequence == 2


@pytest.mark.parametrize("field", ["tenant_id", "recorded_at"])
def test_the_tenant_and_the_time_are_part_of_the_hash(field: str) -> None:
    records = chain()
    changed = {"tenant_id": new_id(), "recorded_at": START - timedelta(days=1)}[field]
    records[0] = replace(records[0], **{field: changed})

    broken = verify_chain(records)

    assert broken is not None
    assert broken.sequence == 1


def test_a_chain_cut_at_its_end_is_found_against_the_known_head() -> None:
    records = chain()
    head = records[-1].record_hash

    assert verify_chain(records, head_hash=head) is None
    broken = verify_chain(records[:-1], head_hash=head)
    assert broken is not None
    assert broken.sequence == 5
