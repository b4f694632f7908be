"""The `reporting` consumer: ledger events in, the per-tenant reporting projection out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from services.events.domain.envelope import CloudEvent, type_major, type_name
from services.events.service_layer.consumer import Consumer
from services.reporting.adapters.sql_projection import SqlProjectionStore, reset
from services.reporting.domain.controlled import controlled_values
from services.reporting.service_layer import projection
from services.shared.db.database import Database

NAME = "reporting"


def supports(event_type: str) -> bool:
    return type_name(event_type).startswith("ledger.") and type_major(event_type) == projection.SUPPORTED_MAJOR


def build_consumer(
    database: Database,
    topics: list[str],
    tenants: Callable[[], Iterable[tuple[UUID, str]]],
) -> Consumer:
    """`tenants` lists (tenant id, Party) of every tenant: the Party is the using Party of its actions."""

    parties: dict[UUID, str] = {}

    def party_of(tenant_id: UUID) -> str:
        if tenant_id not in parties:  # a tenant created since the last look
            parties.update(tenants())
        return parties.get(tenant_id, "")

    def handle_batch(events: Sequence[CloudEvent], session: Any) -> None:
        """Events of one tenant, in sequence order, in its transaction: one store, one flush."""
        tenant_id = events[0].tenant_id
        store = SqlProjectionStore(session, tenant_id)
        batch = [(event.name, event.data, event.sequence) for event in events]
        projection.apply_batch(batch, store, controlled_values(), party_of(tenant_id))

    def handle(event: CloudEvent, session: Any) -> None:
        handle_batch([event], session)

    def clear() -> None:
        for tenant_id, _party in tenants():
            with database.transaction(tenant_id) as session:
                _clear(session, tenant_id)

    return Consumer(NAME, topics, handle, supports, clear, batch_handler=handle_batch, tenants_independent=True)


def _clear(session: Session, tenant_id: UUID) -> None:
    reset(session, tenant_id)
