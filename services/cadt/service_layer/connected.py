"""Which registries have a CAD Trust connection, remembered so that the consumer skips the others' events.

A registry without a connection has nothing to publish, and the `cadt` consumer acknowledges its events
without opening a transaction. A connection, once configured, is never removed, so a registry seen with
one is remembered for good; one seen without is looked up again after `ttl` seconds. A registry that
configures CAD Trust therefore has its events projected and published from at most `ttl` seconds later;
what it recorded before (those seconds included) reaches the node with `registry cadt backfill`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from uuid import UUID

UNCONNECTED_TTL_S = 5.0


class ConnectedRegistries:
    def __init__(
        self,
        has_connection: Callable[[UUID], bool],
        *,
        with_connection: Callable[[list[UUID]], set[UUID]] | None = None,
        ttl: float = UNCONNECTED_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.has_connection = has_connection
        self.with_connection = with_connection  # several registries looked up at once (the retry timer's)
        self.ttl = ttl
        self.clock = clock
        self._connected: set[UUID] = set()
        self._unconnected_since: dict[UUID, float] = {}

    def _unknown(self, tenant_id: UUID, now: float) -> bool:
        seen = self._unconnected_since.get(tenant_id)
        return tenant_id not in self._connected and (seen is None or now - seen >= self.ttl)

    def __call__(self, tenant_id: UUID) -> bool:
        if tenant_id in self._connected:
            return True
        if not self._unknown(tenant_id, self.clock()):
            return False
        if self.has_connection(tenant_id):
            self._connected.add(tenant_id)
            self._unconnected_since.pop(tenant_id, None)
            return True
        self._unconnected_since[tenant_id] = self.clock()
        return False

    def among(self, tenant_ids: Iterable[UUID]) -> set[UUID]:
        """Those of `tenant_ids` with a connection, the ones not known yet looked up together."""
        tenant_ids = list(tenant_ids)
        if self.with_connection is None:
            return {tenant_id for tenant_id in tenant_ids if self(tenant_id)}
        now = self.clock()
        unknown = [tenant_id for tenant_id in tenant_ids if self._unknown(tenant_id, now)]
        if unknown:
            found = self.with_connection(unknown)
            self._connected |= found
            for tenant_id in unknown:
                if tenant_id in found:
                    self._unconnected_since.pop(tenant_id, None)
                else:
                    self._unconnected_since[tenant_id] = now
        return {tenant_id for tenant_id in tenant_ids if tenant_id in self._connected}
