"""Whose subscriptions a caller sees and manages: a registry administrator or auditor every one of the registry's,
an account holder's representative only its organization's, made for its own accounts. Shared by the API and
the console."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import request

from gateway.auth.access import current_principal
from gateway.auth.principal import Role
from gateway.errors import Problem, not_found
from gateway.ledger.context import views
from gateway.tenancy import current_tenant
from gateway.webhooks import current_webhooks, known_event_types
from services.webhooks.domain.subscriptions import Subscription, SubscriptionRefused
from services.webhooks.service_layer import subscriptions as service
from services.webhooks.service_layer.subscriptions import Requested


@dataclass(frozen=True)
class Scope:
    organization_id: UUID | None  # None: the whole registry
    holder_accounts: frozenset[UUID] | None

    def sees(self, subscription: Subscription) -> bool:
        return self.organization_id is None or subscription.organization_id == self.organization_id


def caller_scope() -> Scope:
    """An administrator manages the whole registry's subscriptions; an auditor reads them all, but what it changes
    as an account holder's representative too is its organization's only."""
    principal = current_principal()
    reads = request.method in ("GET", "HEAD")
    if principal.has_any(Role.REGISTRY_ADMIN) or (reads and principal.has_any(Role.AUDITOR)):
        return Scope(None, None)
    if principal.organization_id is None:  # a representative of no organization holds no account
        return Scope(UUID(int=0), frozenset())
    return Scope(principal.organization_id, frozenset(views().accounts_of_holder(principal.organization_id)))


def requested(body: dict[str, Any], scope: Scope) -> Requested:
    return Requested(
        url=body["url"],
        event_types=frozenset(body["event_types"]),
        account_ids=accounts_asked(body.get("account_ids"), scope),
        description=body.get("description", ""),
        holder_accounts=scope.holder_accounts,
        organization_id=scope.organization_id,
    )


def accounts_asked(accounts: list[UUID] | None, scope: Scope) -> frozenset[UUID] | None:
    """The accounts a subscription is limited to; an administrator's must exist (a holder's are checked as its own)."""
    account_ids = None if accounts is None else frozenset(accounts)
    if scope.holder_accounts is None and account_ids:
        _check_accounts_exist(account_ids)
    return account_ids


def _check_accounts_exist(account_ids: frozenset[UUID]) -> None:
    ledger = views()
    missing = sorted(str(account) for account in account_ids if ledger.account(account) is None)
    if missing:
        raise Problem(422, "webhooks.account_unknown", f"no such account: {', '.join(missing)}", field="account_ids")


def refused(error: SubscriptionRefused) -> Problem:
    status = 403 if error.code == "webhooks.account_not_yours" else 422
    extra = {"field": error.field} if error.field else {}
    return Problem(status, error.code, str(error), **extra)


def visible(session: Any, subscription_id: UUID, scope: Scope) -> Subscription:
    found = current_webhooks().store.subscription(session, current_tenant().id, subscription_id)
    if found is None or not scope.sees(found):
        raise not_found("webhook subscription")
    return found


def event_types() -> frozenset[str]:
    return known_event_types()


def subscribe_as_caller(session: Any, body: dict[str, Any]) -> tuple[Subscription, str]:
    """Subscribe what the caller asked for, within what its scope allows: the subscription and its secret."""
    webhooks = current_webhooks()
    return service.subscribe(
        webhooks.store,
        session,
        current_tenant().id,
        requested(body, caller_scope()),
        known_types=event_types(),
        policy=webhooks.policy,
        created_by=current_principal().subject,
        now=webhooks.clock.now(),
    )
