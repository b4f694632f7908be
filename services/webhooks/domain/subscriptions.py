"""A subscription: an endpoint that receives some event types of one registry, or of some of its accounts.

A registry administrator's subscription may cover the whole registry; an account holder's always names
accounts, all of the holder's own, and receives only the events that name one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

# The fields of the ledger's events that name an account of the registry.
ACCOUNT_FIELDS = ("account_id", "from_account_id", "to_account_id", "external_account_id")


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


@dataclass(frozen=True)
class Subscription:
    id: UUID
    tenant_id: UUID
    url: str
    event_types: frozenset[str]
    account_ids: frozenset[UUID] | None  # None: every event of the registry (administrators only)
    organization_id: UUID | None  # the account holder that owns it; None for the registry's own
    description: str
    status: SubscriptionStatus
    created_by: str
    created_at: datetime

    def wants(self, event_type: str, data: Mapping[str, Any], at: datetime) -> bool:
        """Whether an event of this registry, that happened `at`, goes to this endpoint: one of its types, not
        older than the subscription, naming one of its accounts if it has some."""
        if self.status is not SubscriptionStatus.ACTIVE or event_type not in self.event_types or at < self.created_at:
            return False
        return self.account_ids is None or not self.account_ids.isdisjoint(accounts_named(data))


def accounts_named(data: Mapping[str, Any]) -> frozenset[UUID]:
    """The accounts an event's data names."""
    named = set()
    for name in ACCOUNT_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        try:
            named.add(UUID(str(value)))
        except ValueError:
            continue
    return frozenset(named)


class SubscriptionRefused(ValueError):
    """A subscription that may not be made as asked; `code` is stable, the message says what to do."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


def check_scope(
    event_types: frozenset[str],
    known_types: frozenset[str],
    account_ids: frozenset[UUID] | None,
    holder_accounts: frozenset[UUID] | None,
) -> None:
    """Event types must be known ones; `holder_accounts` (an account holder's own, None for an administrator)
    bounds the accounts: a holder must name accounts, and only its own."""
    if not event_types:
        raise SubscriptionRefused("webhooks.event_types_missing", "name at least one event type", "event_types")
    unknown = sorted(event_types - known_types)
    if unknown:
        raise SubscriptionRefused(
            "webhooks.event_type_unknown",
            f"no such event type: {', '.join(unknown)}; GET .../webhooks/event-types lists them",
            "event_types",
        )
    if holder_accounts is None:
        return
    if not account_ids:
        raise SubscriptionRefused(
            "webhooks.accounts_required",
            "an account holder subscribes to events of its own accounts: name them",
            "account_ids",
        )
    if not account_ids <= holder_accounts:
        raise SubscriptionRefused(
            "webhooks.account_not_yours", "you may subscribe only to events of your own accounts", "account_ids"
        )
