"""The delivery worker: sends what is due, each endpoint in a thread of its own, then records every attempt.

One slow or dead endpoint never holds the others: each POST has a timeout (the transport's), a pass claims
at most a few deliveries of each subscription and `per_pass` in all, and the sends of a pass run side by
side; the database is written afterwards, in the worker's own thread. A pass is thereby bounded (about two
rounds of timeouts), so the consumer it runs in goes on polling; registries take turns to go first.
The address is checked again before each attempt, so a host name that has since been pointed at a private
address gets nothing. Besides the signature, every attempt carries the headers the platform gives the
registry's deliveries (`registry_headers`: a training registry's say so); they are not signed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from uuid import UUID

from services.shared.clock import SYSTEM_CLOCK, Clock
from services.webhooks.domain.deliveries import succeeded
from services.webhooks.domain.endpoints import check_addresses
from services.webhooks.domain.signing import signed_headers
from services.webhooks.domain.subscriptions import SubscriptionRefused
from services.webhooks.service_layer.ports import Attempt, DueDelivery, Resolver, Transport, WebhookStore

log = logging.getLogger(__name__)


def no_registry_headers(_tenant_id: UUID) -> Mapping[str, str]:
    return {}


@dataclass
class WorkerStats:
    delivered: int = 0
    failed_attempts: int = 0


@dataclass
class DeliveryWorker:
    store: WebhookStore
    transport: Transport
    resolver: Resolver
    tenants: Callable[[], Iterable[UUID]]
    allow_loopback: bool = False
    clock: Clock = SYSTEM_CLOCK
    registry_headers: Callable[[UUID], Mapping[str, str]] = no_registry_headers
    per_subscription: int = 5
    per_pass: int = 32
    threads: int = 16
    stats: WorkerStats = field(default_factory=WorkerStats)
    passes: int = 0

    def send_due(self) -> int:
        """One pass over the registries; the number of attempts made."""
        claimed = self._claim()
        if not claimed:
            return 0
        prepared = [(delivery, self._request(delivery)) for delivery in claimed]
        with ThreadPoolExecutor(max_workers=min(self.threads, len(prepared))) as pool:
            attempts = list(pool.map(self._attempt, prepared))
        for (delivery, _), attempt in zip(prepared, attempts, strict=True):
            self._record(delivery, attempt)
        return len(prepared)

    def _claim(self) -> list[DueDelivery]:
        tenant_ids = list(self.tenants())
        due = self.store.tenants_with_due(tenant_ids, self.clock.now())
        turn = [tenant_id for tenant_id in tenant_ids if tenant_id in due]
        self.passes += 1
        if turn:
            start = self.passes % len(turn)
            turn = turn[start:] + turn[:start]
        claimed: list[DueDelivery] = []
        for tenant_id in turn:
            room = self.per_pass - len(claimed)
            if room <= 0:
                break
            claimed += self.store.claim_due(tenant_id, self.clock.now(), self.per_subscription, room)
        return claimed

    def _request(self, delivery: DueDelivery) -> dict[str, str] | Attempt:
        """The signed headers of this attempt, or the refusal that stands for it."""
        try:
            host = (urlsplit(delivery.url).hostname or "").lower()
            check_addresses(self.resolver.addresses(host), allow_loopback=self.allow_loopback)
        except SubscriptionRefused as refused:
            return Attempt(None, 0, "", f"not sent: {refused}")
        secrets = self.store.signing_secrets(delivery.tenant_id, delivery.subscription_id, self.clock.now())
        signed = signed_headers(secrets, str(delivery.id), self.clock.now(), delivery.payload)
        return {**self.registry_headers(delivery.tenant_id), **signed}

    def _attempt(self, prepared: tuple[DueDelivery, dict[str, str] | Attempt]) -> Attempt:
        delivery, request = prepared
        if isinstance(request, Attempt):
            return request
        headers = request | {"content-type": "application/json"}
        return self.transport.post(delivery.url, headers, delivery.payload)

    def _record(self, delivery: DueDelivery, attempt: Attempt) -> None:
        if attempt.status_code is not None and succeeded(attempt.status_code):
            self.stats.delivered += 1
        else:
            self.stats.failed_attempts += 1
            log.info("webhook delivery %s to %s: %s", delivery.id, delivery.url, attempt.error or attempt.status_code)
        self.store.record_attempt(delivery, attempt, self.clock.now())
