"""Builds the transparency log's SQL adapters for one tenant's open transaction, and its witness clients."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.orm import Session

from services.transparency.adapters import tables
from services.transparency.adapters.keys import SqlCheckpointStore, SqlKeyRing
from services.transparency.adapters.store import SqlJournalSource, SqlTreeStore
from services.transparency.adapters.witness_http import HttpWitnessClient
from services.transparency.adapters.witnesses import SqlWitnesses
from services.transparency.service_layer.ports import WitnessClient


@dataclass(frozen=True)
class TenantLog:
    """One tenant's log in `session`, a transaction bound to that tenant."""

    session: Session
    tenant_id: UUID

    def tree(self) -> SqlTreeStore:
        return SqlTreeStore(self.session, self.tenant_id)

    def journal(self) -> SqlJournalSource:
        return SqlJournalSource(self.session, self.tenant_id)

    def checkpoints(self) -> SqlCheckpointStore:
        return SqlCheckpointStore(self.session, self.tenant_id)

    def log_keys(self) -> SqlKeyRing:
        return SqlKeyRing(self.session, self.tenant_id)

    def witness_keys(self) -> SqlKeyRing:
        """The keys the tenant cosigns other logs' checkpoints with, as a witness."""
        return SqlKeyRing(self.session, self.tenant_id, tables.witness_keys)

    def witnesses(self) -> SqlWitnesses:
        return SqlWitnesses(self.session, self.tenant_id)


def http_witness(url: str) -> WitnessClient:
    return HttpWitnessClient(url)
