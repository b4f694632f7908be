"""The retry timer of the `cadt` consumer: records left pending after an outage or a refusal are published
again on a timer, not only when the next event arrives; so is a v2 registry's newly finished AEF submission.
The consumer runtime runs `tick` between polls (the consumer's periodic duty); passes of one tenant never
overlap (the publisher lease). Given `connected` (which of the registries have a CAD Trust connection: the
consumer's cache, see `connected.py`), a tick looks only at those: the others have nothing to retry or publish."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from uuid import UUID

from services.cadt.bootstrap import Cadt
from services.cadt.service_layer.retry import due
from services.shared.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)


class RetryTimer:
    def __init__(
        self,
        cadt: Cadt,
        tenant_ids: Callable[[], Iterable[UUID]],
        *,
        clock: Clock = SYSTEM_CLOCK,
        connected: Callable[[list[UUID]], set[UUID]] | None = None,
    ) -> None:
        self.cadt, self.tenant_ids, self.clock = cadt, tenant_ids, clock
        self.connected = connected or set  # without it, every registry is looked at

    def tick(self) -> dict[UUID, str]:
        """One look at every tenant; returns the outcome of each pass it ran."""
        outcomes: dict[UUID, str] = {}
        try:
            tenant_ids = list(self.tenant_ids())
            connected = self.connected(tenant_ids)
        except Exception:
            log.exception("cadt: the retry timer could not list the registries; it tries again on its next tick")
            return outcomes
        for tenant_id in tenant_ids:
            try:
                if tenant_id not in connected:
                    continue
                store = self.cadt.store(tenant_id)
                if due(store.connection(), store.retryable(), self.clock.now()) or self.cadt.aef_waiting(tenant_id):
                    outcomes[tenant_id] = self.cadt.publisher(tenant_id).publish(force=True).outcome
            except Exception:
                log.exception("cadt: retry pass for tenant %s failed; records stay pending", tenant_id)
        return outcomes
