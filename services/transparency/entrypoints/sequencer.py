"""The sequencer as a periodic duty: each pass brings every listed registry's tree up to its journal.

Every batch is a transaction of its own on the registry's database, after the journal's commits, so the
log adds nothing to a transfer's transaction (docs/transparency.md, *Sequencer*).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from services.shared.db.database import Database
from services.transparency.adapters.store import SqlJournalSource, SqlTreeStore
from services.transparency.service_layer.sequencer import BATCH_SIZE, Integrated, integrate_batch


def catch_up(database: Database, tenant_id: UUID, batch_size: int = BATCH_SIZE) -> Integrated:
    """Integrate batches until the tree holds the whole journal as committed when each batch began."""
    total = 0
    while True:
        with database.transaction(tenant_id) as session:
            done = integrate_batch(SqlTreeStore(session, tenant_id), SqlJournalSource(session, tenant_id), batch_size)
        total += done.count
        if done.count < batch_size:
            return Integrated(total, done.size, done.root)


def sequence_all(database: Database, tenant_ids: Iterable[UUID], batch_size: int = BATCH_SIZE) -> int:
    """One pass of the duty over the registries: how many records it integrated."""
    return sum(catch_up(database, tenant_id, batch_size).count for tenant_id in tenant_ids)
