"""What the webhooks service layer needs from the outside: storage, name resolution and HTTP."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from services.webhooks.domain.subscriptions import Subscription


@dataclass(frozen=True)
class DueDelivery:
    tenant_id: UUID
    id: UUID
    subscription_id: UUID
    url: str
    payload: str
    attempts: int


@dataclass(frozen=True)
class Attempt:
    """What one attempt found: the status code (None when nothing came back), how long it took, what came back."""

    status_code: int | None
    duration_ms: int
    response_excerpt: str
    error: str | None = None


class WebhookStore(Protocol):
    def active_subscriptions(self, session: Any, tenant_id: UUID) -> list[Subscription]: ...

    def tenants_with_subscriptions(self, tenant_ids: Iterable[UUID]) -> set[UUID]:
        """Those of `tenant_ids` with an active subscription, looked up together."""

    def add_delivery(
        self, session: Any, subscription: Subscription, delivery_id: UUID, event_id: UUID, event_type: str, payload: str
    ) -> bool:
        """Record a pending delivery unless one with this id exists; whether it was recorded."""

    def tenants_with_due(self, tenant_ids: Sequence[UUID], now: datetime) -> set[UUID]: ...

    def claim_due(self, tenant_id: UUID, now: datetime, per_subscription: int, limit: int) -> list[DueDelivery]:
        """Due pending deliveries, the oldest first, at most `per_subscription` of each subscription and `limit`
        in all, held from other workers for a while."""

    def signing_secrets(self, tenant_id: UUID, subscription_id: UUID, now: datetime) -> list[str]: ...

    def record_attempt(self, delivery: DueDelivery, attempt: Attempt, at: datetime) -> None:
        """Log the attempt and set the delivery's status and next attempt from it."""


class Transport(Protocol):
    def post(self, url: str, headers: dict[str, str], body: str) -> Attempt:
        """POST the body; an Attempt whatever happened (a timeout or refused connection has no status code)."""


class Resolver(Protocol):
    def addresses(self, host: str) -> list[str]:
        """The IP addresses a host name resolves to (empty when it does not)."""
