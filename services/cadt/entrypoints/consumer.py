"""The `cadt` consumer: each ledger event updates the sync records, then a publishing pass runs.

The records change in the consumer's transaction, so an event is taken into account exactly once.
The pass runs after that transaction commits and never fails the event: a node that is down leaves
the records pending for the next pass, and the pass records its outcome on the tenant's connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import event as sqlalchemy_event

from services.cadt.bootstrap import Cadt
from services.cadt.service_layer import projection
from services.cadt.service_layer.connected import ConnectedRegistries
from services.events.domain.envelope import CloudEvent
from services.events.service_layer.consumer import Consumer

log = logging.getLogger(__name__)
NAME = "cadt"


def supports(event_type: str) -> bool:
    return event_type.startswith("ledger.") and event_type.endswith(".v1")


def build_consumer(
    cadt: Cadt, topics: list[str], *, publish: bool = True, connected: Callable[[UUID], bool] | None = None
) -> Consumer:
    """`connected` tells whether a registry has a CAD Trust connection (default: cached, see `connected.py`)."""
    is_connected = connected or ConnectedRegistries(lambda tenant_id: cadt.store(tenant_id).has_connection())

    def skips(event: CloudEvent) -> bool:
        return not projection.handles(event.name) or not is_connected(event.tenant_id)

    def handle(event: CloudEvent, session: Any) -> None:
        if not projection.handles(event.name):
            return
        store = cadt.store_in(event.tenant_id, session)
        projection.apply(store, event.name, event.data, seq=event.sequence, at=event.time)
        if publish:
            sqlalchemy_event.listen(session, "after_commit", _after_commit(cadt, event.tenant_id), once=True)

    return Consumer(NAME, topics, handle, supports, skips=skips, tenants_independent=True)


def _after_commit(cadt: Cadt, tenant_id: UUID) -> Callable[[Any], None]:
    def run(_session: Any) -> None:
        try:
            result = cadt.publisher(tenant_id).publish()
        except Exception:
            log.exception("cadt: publishing pass for tenant %s failed; records stay pending", tenant_id)
            return
        if result.outcome not in ("disabled", "published"):
            log.info("cadt: tenant %s: %s %s", tenant_id, result.outcome, result.detail)

    return run
