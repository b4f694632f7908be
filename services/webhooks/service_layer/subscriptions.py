"""Making, changing and rotating subscriptions. The signing secret is made here and shown once: at creation
and at each rotation. After a rotation the old secret still signs, beside the new one, for `ROTATION_GRACE`,
so that receivers can switch without losing a delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from uuid6 import uuid7

from services.webhooks.domain.endpoints import check_addresses, host_of
from services.webhooks.domain.signing import new_secret
from services.webhooks.domain.subscriptions import Subscription, SubscriptionStatus, check_scope
from services.webhooks.service_layer.ports import Resolver

ROTATION_GRACE = timedelta(hours=24)


class SubscriptionAdmin(Protocol):
    def create(self, session: Any, subscription: Subscription, secret: str) -> None: ...

    def update(self, session: Any, subscription: Subscription) -> None: ...

    def rotate(
        self, session: Any, tenant_id: UUID, subscription_id: UUID, secret: str, old_until: datetime
    ) -> None: ...


@dataclass(frozen=True)
class Requested:
    """What someone asked to subscribe to; `holder_accounts` is an account holder's own accounts, None for an
    administrator; `organization_id` the holder."""

    url: str
    event_types: frozenset[str]
    account_ids: frozenset[UUID] | None
    description: str
    holder_accounts: frozenset[UUID] | None
    organization_id: UUID | None


@dataclass(frozen=True)
class EndpointPolicy:
    resolver: Resolver
    allow_loopback: bool

    def check(self, url: str) -> None:
        host = host_of(url, allow_loopback=self.allow_loopback)
        check_addresses(self.resolver.addresses(host), allow_loopback=self.allow_loopback)


def subscribe(
    admin: SubscriptionAdmin,
    session: Any,
    tenant_id: UUID,
    requested: Requested,
    *,
    known_types: frozenset[str],
    policy: EndpointPolicy,
    created_by: str,
    now: datetime,
) -> tuple[Subscription, str]:
    """The new subscription and its secret (shown to the caller once, kept encrypted)."""
    check_scope(requested.event_types, known_types, requested.account_ids, requested.holder_accounts)
    policy.check(requested.url)
    subscription = Subscription(
        id=uuid7(),
        tenant_id=tenant_id,
        url=requested.url,
        event_types=requested.event_types,
        account_ids=requested.account_ids,
        organization_id=requested.organization_id,
        description=requested.description,
        status=SubscriptionStatus.ACTIVE,
        created_by=created_by,
        created_at=now,
    )
    secret = new_secret()
    admin.create(session, subscription, secret)
    return subscription, secret


def change(
    admin: SubscriptionAdmin,
    session: Any,
    subscription: Subscription,
    changes: dict[str, Any],
    *,
    holder_accounts: frozenset[UUID] | None,
    known_types: frozenset[str],
    policy: EndpointPolicy,
) -> Subscription:
    """The subscription with `changes` (url, event_types, account_ids, description, status) applied and saved."""
    event_types = frozenset(changes.get("event_types", subscription.event_types))
    account_ids = changes.get("account_ids", subscription.account_ids)
    check_scope(event_types, known_types, account_ids, holder_accounts)
    url = changes.get("url", subscription.url)
    if url != subscription.url:
        policy.check(url)
    changed = Subscription(
        id=subscription.id,
        tenant_id=subscription.tenant_id,
        url=url,
        event_types=event_types,
        account_ids=account_ids,
        organization_id=subscription.organization_id,
        description=changes.get("description", subscription.description),
        status=SubscriptionStatus(changes.get("status", subscription.status)),
        created_by=subscription.created_by,
        created_at=subscription.created_at,
    )
    admin.update(session, changed)
    return changed


def rotate_secret(admin: SubscriptionAdmin, session: Any, subscription: Subscription, now: datetime) -> str:
    """A new secret, returned once; the old one keeps signing beside it until the grace period ends."""
    secret = new_secret()
    admin.rotate(session, subscription.tenant_id, subscription.id, secret, now + ROTATION_GRACE)
    return secret
