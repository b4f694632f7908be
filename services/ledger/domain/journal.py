"""The per-tenant journal: an append-only chain of records, each hashing its predecessor.

`record_hash` is SHA-256 over the canonical JSON of the record's sequence, tenant, time, payload and
previous hash, so changing, deleting or reordering a record breaks the chain where it happened.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.shared.messages import JsonValue, canonical_json, to_json_safe

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class JournalRecord:
    sequence: int
    tenant_id: UUID
    recorded_at: datetime
    payload: dict[str, JsonValue]
    previous_hash: str
    record_hash: str


@dataclass(frozen=True)
class BrokenLink:
    sequence: int
    reason: str


def compute_hash(
    sequence: int, tenant_id: UUID, recorded_at: datetime, payload: dict[str, JsonValue], previous_hash: str
) -> str:
    content = {  # the payload is JSON already: only the record's own fields need their JSON form
        "sequence": sequence,
        "tenant_id": to_json_safe(tenant_id),
        "recorded_at": to_json_safe(recorded_at),
        "payload": payload,
        "previous_hash": previous_hash,
    }
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def next_record(
    previous: JournalRecord | None, tenant_id: UUID, payload: dict[str, JsonValue], at: datetime
) -> JournalRecord:
    head = (0, GENESIS_HASH) if previous is None else (previous.sequence, previous.record_hash)
    return record_after(head, tenant_id, payload, at)


def record_after(head: tuple[int, str], tenant_id: UUID, payload: dict[str, JsonValue], at: datetime) -> JournalRecord:
    """The record that follows the chain head (sequence, record hash); (0, GENESIS_HASH) starts the chain."""
    sequence, previous_hash = head[0] + 1, head[1]
    record_hash = compute_hash(sequence, tenant_id, at, payload, previous_hash)
    return JournalRecord(sequence, tenant_id, at, payload, previous_hash, record_hash)


def verify_chain(records: Iterable[JournalRecord], head_hash: str | None = None) -> BrokenLink | None:
    """The first broken link of a chain read in sequence order, or None when it is whole.

    A chain cut short at its end still looks whole; pass the last known `head_hash` to catch that.
    """
    expected, previous_hash = 1, GENESIS_HASH
    for record in records:
        if record.sequence != expected:
            return BrokenLink(expected, f"record {expected} is missing or out of place: found {record.sequence}")
        if record.previous_hash != previous_hash:
            return BrokenLink(expected, f"previous hash does not match record {expected - 1}")
        content_hash = compute_hash(
            record.sequence, record.tenant_id, record.recorded_at, record.payload, record.previous_hash
        )
        if content_hash != record.record_hash:
            return BrokenLink(expected, "record hash does not match the record's content")
        expected, previous_hash = expected + 1, record.record_hash
    if head_hash is not None and head_hash != previous_hash:
        return BrokenLink(expected, "the chain ends before the known head")
    return None
