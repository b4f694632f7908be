"""A registry whose journal is written the way the ledger writes it, without going through transfers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import insert

from gateway.bootstrap import Platform
from services.ledger.adapters import tables
from services.ledger.domain.journal import JournalRecord, next_record
from services.transparency.domain.leaves import JournalEntry, leaf_bytes
from services.transparency.domain.merkle import leaf_hash
from tests.conftest import new_tenant_command

START = datetime(2026, 1, 1, tzinfo=UTC)


def new_registry(platform: Platform) -> UUID:
    return platform.catalogue.create(new_tenant_command()).id


def append_records(
    platform: Platform, tenant_id: UUID, count: int, last: JournalRecord | None = None
) -> list[JournalRecord]:
    records: list[JournalRecord] = []
    for _ in range(count):
        at = START + timedelta(minutes=len(records) + (last.sequence if last else 0))
        payload = {"transaction": "retirement", "quantity": len(records) + 1, "note": "réduit"}
        last = next_record(last, tenant_id, payload, at)  # type: ignore[arg-type]
        records.append(last)
    rows = [
        {
            "tenant_id": tenant_id,
            "sequence": r.sequence,
            "recorded_at": r.recorded_at,
            "payload": r.payload,
            "previous_hash": r.previous_hash,
            "record_hash": r.record_hash,
        }
        for r in records
    ]
    with platform.database.transaction(tenant_id) as session:
        session.execute(insert(tables.journal), rows)
        heads = tables.journal_heads
        session.execute(heads.delete().where(heads.c.tenant_id == tenant_id))
        session.execute(
            insert(heads), {"tenant_id": tenant_id, "sequence": last.sequence, "record_hash": last.record_hash}
        )  # type: ignore[union-attr]
    return records


def leaf_of(record: JournalRecord) -> bytes:
    entry = JournalEntry(
        record.sequence, record.tenant_id, record.recorded_at, record.payload, record.previous_hash, record.record_hash
    )
    return leaf_hash(leaf_bytes(entry))
