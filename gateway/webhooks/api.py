"""Webhook subscriptions, their deliveries with every attempt, secret rotation and replay (docs/webhooks.md)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.bootstrap import bus
from gateway.errors import not_found
from gateway.tenancy import current_tenant
from gateway.webhooks import current_webhooks
from gateway.webhooks.schemas import (
    CreatedSubscriptionSchema,
    DeliveryDetailSchema,
    DeliveryListSchema,
    DeliveryQuerySchema,
    EventTypeListSchema,
    ReplayedSchema,
    ReplaySinceSchema,
    RotatedSecretSchema,
    SubscriptionInSchema,
    SubscriptionListSchema,
    SubscriptionPatchSchema,
    SubscriptionSchema,
)
from gateway.webhooks.scope import (
    Scope,
    accounts_asked,
    caller_scope,
    event_types,
    refused,
    subscribe_as_caller,
    visible,
)
from services.webhooks.domain.subscriptions import Subscription, SubscriptionRefused
from services.webhooks.service_layer import subscriptions as service

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>/webhooks",
    description="Webhooks: the registry's events pushed to integrators' endpoints, signed (Standard Webhooks)",
)
MANAGERS = (Role.REGISTRY_ADMIN, Role.ACCOUNT_REPRESENTATIVE)
READERS = (*MANAGERS, Role.AUDITOR)


def shown(subscription: Subscription) -> dict[str, Any]:
    accounts = subscription.account_ids
    return {
        "id": subscription.id,
        "url": subscription.url,
        "event_types": sorted(subscription.event_types),
        "account_ids": None if accounts is None else sorted(accounts, key=str),
        "organization_id": subscription.organization_id,
        "description": subscription.description,
        "status": subscription.status.value,
        "created_by": subscription.created_by,
        "created_at": subscription.created_at,
    }


def transaction() -> Any:
    return current_webhooks().database.transaction(current_tenant().id)


@blp.route("/event-types")
class EventTypes(MethodView):
    @blp.response(200, EventTypeListSchema)
    @requires(*READERS)
    def get(self) -> Any:
        """The event types a subscription can name"""
        return {"items": [{"type": t.type, "description": t.description} for t in bus.event_catalogue()]}


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @blp.response(200, SubscriptionListSchema)
    @requires(*READERS)
    def get(self) -> Any:
        """Subscriptions you may see: the registry's, or your organization's"""
        scope = caller_scope()
        with transaction() as session:
            found = current_webhooks().store.subscriptions(session, current_tenant().id, scope.organization_id)
        return {"items": [shown(subscription) for subscription in found]}

    @blp.arguments(SubscriptionInSchema)
    @blp.response(201, CreatedSubscriptionSchema)
    @requires(*MANAGERS)
    def post(self, body: dict[str, Any]) -> Any:
        """Subscribe an endpoint; the answer holds its signing secret, shown this once"""
        try:
            with transaction() as session:
                subscription, secret = subscribe_as_caller(session, body)
        except SubscriptionRefused as error:
            raise refused(error) from None
        return shown(subscription) | {"secret": secret}


@blp.route("/subscriptions/<uuid:subscription_id>")
class OneSubscription(MethodView):
    @blp.response(200, SubscriptionSchema)
    @requires(*READERS)
    def get(self, subscription_id: UUID) -> Any:
        """One subscription"""
        with transaction() as session:
            return shown(visible(session, subscription_id, caller_scope()))

    @blp.arguments(SubscriptionPatchSchema)
    @blp.response(200, SubscriptionSchema)
    @requires(*MANAGERS)
    def patch(self, body: dict[str, Any], subscription_id: UUID) -> Any:
        """Change the URL, event types, accounts, description, or pause and resume"""
        webhooks, scope = current_webhooks(), caller_scope()
        if "account_ids" in body:
            body["account_ids"] = accounts_asked(body["account_ids"], scope)
        try:
            with transaction() as session:
                changed = service.change(
                    webhooks.store,
                    session,
                    visible(session, subscription_id, scope),
                    body,
                    holder_accounts=scope.holder_accounts,
                    known_types=event_types(),
                    policy=webhooks.policy,
                )
        except SubscriptionRefused as error:
            raise refused(error) from None
        return shown(changed)

    @blp.response(204)
    @requires(*MANAGERS)
    def delete(self, subscription_id: UUID) -> None:
        """Remove a subscription with its deliveries and their attempts"""
        with transaction() as session:
            visible(session, subscription_id, caller_scope())
            current_webhooks().store.remove(session, current_tenant().id, subscription_id)


@blp.route("/subscriptions/<uuid:subscription_id>/rotate-secret")
class RotateSecret(MethodView):
    @blp.response(200, RotatedSecretSchema)
    @requires(*MANAGERS)
    def post(self, subscription_id: UUID) -> Any:
        """A new signing secret, shown this once; the old one keeps signing beside it for 24 hours"""
        webhooks = current_webhooks()
        now = webhooks.clock.now()
        with transaction() as session:
            subscription = visible(session, subscription_id, caller_scope())
            secret = service.rotate_secret(webhooks.store, session, subscription, now)
        return {"secret": secret, "previous_secret_valid_until": now + service.ROTATION_GRACE}


@blp.route("/subscriptions/<uuid:subscription_id>/deliveries")
class Deliveries(MethodView):
    @blp.arguments(DeliveryQuerySchema, location="query")
    @blp.response(200, DeliveryListSchema)
    @requires(*READERS)
    def get(self, query: dict[str, Any], subscription_id: UUID) -> Any:
        """A subscription's deliveries, newest first"""
        with transaction() as session:
            visible(session, subscription_id, caller_scope())
            items = current_webhooks().store.deliveries(
                session, current_tenant().id, subscription_id, query["status"], query["limit"]
            )
        return {"items": items}


@blp.route("/subscriptions/<uuid:subscription_id>/replay")
class ReplaySince(MethodView):
    @blp.arguments(ReplaySinceSchema)
    @blp.response(200, ReplayedSchema)
    @requires(*MANAGERS)
    def post(self, body: dict[str, Any], subscription_id: UUID) -> Any:
        """Send again every delivery made since a moment (same webhook-id, same body)"""
        with transaction() as session:
            visible(session, subscription_id, caller_scope())
            count = current_webhooks().store.replay_since(session, current_tenant().id, subscription_id, body["since"])
        return {"replayed": count}


def visible_delivery(session: Any, delivery_id: UUID, scope: Scope) -> dict[str, Any]:
    found = current_webhooks().store.delivery(session, current_tenant().id, delivery_id)
    if found is None:
        raise not_found("webhook delivery")
    visible(session, found["subscription_id"], scope)
    return found


@blp.route("/deliveries/<uuid:delivery_id>")
class OneDelivery(MethodView):
    @blp.response(200, DeliveryDetailSchema)
    @requires(*READERS)
    def get(self, delivery_id: UUID) -> Any:
        """One delivery: its body and every attempt (status, duration, the start of the answer)"""
        with transaction() as session:
            return visible_delivery(session, delivery_id, caller_scope())


@blp.route("/deliveries/<uuid:delivery_id>/replay")
class ReplayDelivery(MethodView):
    @blp.response(200, DeliveryDetailSchema)
    @requires(*MANAGERS)
    def post(self, delivery_id: UUID) -> Any:
        """Send a delivery again, with the same webhook-id and body and a fresh count of attempts"""
        with transaction() as session:
            visible_delivery(session, delivery_id, caller_scope())
            current_webhooks().store.replay(session, current_tenant().id, delivery_id)
            return visible_delivery(session, delivery_id, caller_scope())
