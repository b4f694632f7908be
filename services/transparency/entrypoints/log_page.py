"""What the public log page shows: the latest checkpoint, its cosignatures, and the keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from services.shared.db.database import Database
from services.transparency.adapters.keys import SqlCheckpointStore, SqlKeyRing
from services.transparency.adapters.witnesses import SqlWitnesses
from services.transparency.domain.keys import LogKey, SignedCheckpoint
from services.transparency.domain.notes import verifier_key
from services.transparency.domain.witness import parse_witness_key, verify_cosignature
from services.transparency.service_layer.witnessing import cosigned_note


@dataclass(frozen=True)
class Cosignature:
    witness: str
    cosigned_at: datetime


@dataclass(frozen=True)
class LogSummary:
    checkpoint: SignedCheckpoint | None
    note: str | None  # with its cosignatures
    cosignatures: list[Cosignature]
    keys: list[tuple[LogKey, str]]  # each key with its verifier key


def log_summary(database: Database, tenant_id: UUID) -> LogSummary:
    with database.transaction(tenant_id) as session:
        latest = SqlCheckpointStore(session, tenant_id).latest()
        witnesses = SqlWitnesses(session, tenant_id)
        lines = witnesses.lines(latest.size) if latest else []
        known = {w.name: w.verifier_key for w in witnesses.all()}
        keys = [(k, verifier_key(k.name, k.public_key)) for k in SqlKeyRing(session, tenant_id).history()]
    if latest is None:
        return LogSummary(None, None, [], keys)
    note = cosigned_note(latest.note, lines)
    cosignatures = []
    for name, vkey in known.items():
        if any(line.startswith(f"\u2014 {name} ") for line in lines):
            at = verify_cosignature(note, *parse_witness_key(vkey))
            cosignatures.append(Cosignature(name, datetime.fromtimestamp(at, UTC)))
    return LogSummary(latest, note, cosignatures, keys)
