"""Which registries have a CAD Trust connection, remembered so that the consumer skips the others' events.

A registry without a connection has nothing to publish, and the `cadt` consumer acknowledges its events
without opening a transaction. A connection, once configured, is never removed, so a registry seen with
one is remembered for good; one seen without is looked up again after `ttl` seconds. A registry that
configures CAD Trust therefore has its events projected and published from at most `ttl` seconds later;
what it recorded before (those seconds included) reaches the node with `registry cadt backfill`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from uuid import UUID

UNCONNECTED_TTL_S = 5.0


class ConnectedRegistries:
    def __init__(
        self,
        has_connection: Callable[[UUID], bool],
        *,
        ttl: float = UNCONNECTED_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.has_connection = has_connection
        self.ttl = ttl
        self.clock = clock
        self._connected: set[UUID] = set()
        self._unconnected_since: dict[UUID, float] = {}

    def __call__(self, tenant_id: UUID) -> bool:
        if tenant_id in self._connected:
            return True
        seen = self._unconnected_since.get(tenant_id)
        if seen is not None and self.clock() - seen < self.ttl:
            return False
        if self.has_connection(tenant_id):
            self._connected.add(tenant_id)
            self._unconnected_since.pop(tenant_id, None)
            return True
        self._unconnected_since[tenant_id] = self.clock()
        return False
