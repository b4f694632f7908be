"""A tenant's whole history to CAD Trust: project every event again, then publish until nothing is pending.

Projection is idempotent and the publisher knows the node's ids, so a backfill that stopped (a node
outage, a stopped job) is resumed by running it again, and ends in the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from services.cadt.domain.model import Kind, Status
from services.cadt.service_layer import projection
from services.cadt.service_layer.ports import CadtStore
from services.cadt.service_layer.publisher import Publisher
from services.events.domain.envelope import CloudEvent

Progress = Callable[[int, int], None]  # done, total
STOPPED = ("unavailable", "unauthorized", "disabled")


@dataclass
class BackfillResult:
    events: int
    published: int
    total: int
    outcome: str
    detail: str = ""


def publishable(store: CadtStore) -> tuple[int, int]:
    records = [r for kind in (Kind.PROJECT, Kind.ISSUANCE, Kind.UNIT) for r in store.records(kind)]
    counted = [r for r in records if r.status is not Status.EXCLUDED]
    return sum(r.status is Status.PUBLISHED for r in counted), len(counted)


def backfill(
    store: CadtStore,
    publisher: Publisher,
    tenant_id: UUID,
    events: Iterable[CloudEvent],
    progress: Progress = lambda done, total: None,
    *,
    max_passes: int = 50,
) -> BackfillResult:
    seen = 0
    for event in events:
        if event.tenant_id == tenant_id and projection.handles(event.name):
            projection.apply(store, event.name, event.data, seq=event.journal_seq, at=event.time)
            seen += 1
    outcome, detail = "published", ""
    for _ in range(max_passes):
        result = publisher.publish(force=True, wait=True)  # after the consumer's pass, never beside it
        progress(*publishable(store))
        if result.outcome in STOPPED:
            outcome, detail = result.outcome, result.detail
            break
        if result.staged == 0:
            break
    done, total = publishable(store)
    return BackfillResult(seen, done, total, outcome, detail)
