"""A journal record's receipt under the latest checkpoint, with the checkpoint's cosignatures."""

from __future__ import annotations

from uuid import UUID

from services.shared.db.database import Database
from services.shared.messages import JsonValue
from services.transparency.adapters.keys import SqlCheckpointStore
from services.transparency.adapters.store import SqlJournalSource, SqlTreeStore
from services.transparency.adapters.witnesses import SqlWitnesses
from services.transparency.domain.leaves import leaf_bytes
from services.transparency.domain.receipts import receipt
from services.transparency.entrypoints.checkpoints import origin_for
from services.transparency.service_layer import proving
from services.transparency.service_layer.proving import BeyondTree
from services.transparency.service_layer.witnessing import cosigned_note


class NoCheckpoint(Exception):
    """The registry has not published a checkpoint yet."""


def receipt_for(database: Database, tenant_id: UUID, registry_id: str, sequence: int) -> JsonValue:
    """The receipt of journal record `sequence`; NoCheckpoint, or BeyondTree until the log has integrated it."""
    with database.transaction(tenant_id) as session:
        latest = SqlCheckpointStore(session, tenant_id).latest()
        if latest is None:
            raise NoCheckpoint("the registry has not published a checkpoint yet")
        path = proving.inclusion_proof(SqlTreeStore(session, tenant_id), sequence - 1, latest.size)
        leaf = leaf_bytes(SqlJournalSource(session, tenant_id).entries(sequence, 1)[0])
        note = cosigned_note(latest.note, SqlWitnesses(session, tenant_id).lines(latest.size))
    return receipt(origin_for(registry_id), sequence, leaf, path, latest.size, note)


__all__ = ["BeyondTree", "NoCheckpoint", "receipt_for"]
