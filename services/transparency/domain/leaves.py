"""The leaf bytes of a journal record: the stable, versioned encoding the tree hashes (docs/transparency.md).

Version 1 is the UTF-8 of the canonical JSON (sorted keys, no spaces) of the record's fields, its chain
hash included, under the key "leaf_version": so a leaf binds the record to its place in the hash chain.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.shared.messages import JsonValue, canonical_json, to_json_safe

LEAF_VERSION = 1


@dataclass(frozen=True)
class JournalEntry:
    """A journal record as the log sees it (the ledger's record, read from its table)."""

    sequence: int
    tenant_id: UUID
    recorded_at: datetime
    payload: dict[str, JsonValue]
    previous_hash: str
    record_hash: str


def leaf_bytes(entry: JournalEntry) -> bytes:
    document: dict[str, JsonValue] = {
        "leaf_version": LEAF_VERSION,
        "sequence": entry.sequence,
        "tenant_id": to_json_safe(entry.tenant_id),
        "recorded_at": to_json_safe(entry.recorded_at),
        "payload": entry.payload,
        "previous_hash": entry.previous_hash,
        "record_hash": entry.record_hash,
    }
    return canonical_json(document).encode()


def leaf_index(sequence: int) -> int:
    """Journal sequences start at 1, leaf indexes at 0."""
    return sequence - 1
