"""This registry's international transfers as an answer from another registry sees them: read only."""

from __future__ import annotations

import json
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.events.adapters.orm import outbox
from services.interregistry.domain.messages import ANSWER_TYPES
from services.interregistry.service_layer.inbound import PendingTransfer
from services.ledger.api import international_transfer


class SqlTransfers:
    def find(self, session: Session, tenant_id: UUID, transfer_id: UUID) -> PendingTransfer | None:
        found = international_transfer(session, tenant_id, transfer_id)
        if found is None:
            return None
        return PendingTransfer(found.number, found.acquiring_registry_id, found.awaiting_acceptance)

    def answered(self, session: Session, tenant_id: UUID, transfer_id: UUID, besides: UUID) -> bool:
        """An answer waiting in the outbox for the consumer counts: the ledger does not show it yet."""
        rows = session.execute(
            select(outbox.c.payload).where(
                outbox.c.tenant_id == tenant_id, outbox.c.event_type.in_(ANSWER_TYPES), outbox.c.event_id != besides
            )
        )
        return any(json.loads(bytes(row[0]))["data"].get("transfer_id") == str(transfer_id) for row in rows)
