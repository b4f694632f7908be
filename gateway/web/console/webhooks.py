"""Registry console: webhook subscriptions, their deliveries and every attempt; subscribe, pause, rotate the
secret, remove, replay. The same store and scope as the API (gateway/webhooks), so both always agree."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, requires
from gateway.errors import Problem, not_found
from gateway.tenancy import current_tenant
from gateway.web.console import bp
from gateway.web.console.common import ADMIN, AUDITOR, REPRESENTATIVE, account_names, parse_day, root, visible_accounts
from gateway.webhooks import current_webhooks
from gateway.webhooks.scope import caller_scope, event_types, refused, subscribe_as_caller, visible
from services.webhooks.domain.deliveries import DeliveryStatus
from services.webhooks.domain.subscriptions import SubscriptionRefused, SubscriptionStatus
from services.webhooks.service_layer import subscriptions as service

READERS, MANAGERS = (ADMIN, AUDITOR, REPRESENTATIVE), (ADMIN, REPRESENTATIVE)
DELIVERY_LABELS = {"pending": _l("Pending"), "delivered": _l("Delivered"), "failed": _l("Failed")}
SUBSCRIPTION_LABELS = {"active": _l("Active"), "paused": _l("Paused")}


def _transaction() -> Any:
    return current_webhooks().database.transaction(current_tenant().id)


def _page() -> str:
    return f"{root()}/webhooks"


@bp.get("/webhooks")
@requires(*READERS, session=True)
def webhooks() -> str:
    return _render_index()


def _render_index(form: dict[str, Any] | None = None, error: str = "", secret: str = "") -> str:
    scope = caller_scope()
    with _transaction() as session:
        found = current_webhooks().store.subscriptions(session, current_tenant().id, scope.organization_id)
    return render_template(
        "web/console/webhooks/index.html",
        subscriptions=found,
        types=sorted(event_types()),
        accounts=visible_accounts(),
        holder=scope.holder_accounts is not None,
        may_manage=current_principal().has_any(*MANAGERS),
        form=form or {"event_types": [], "account_ids": []},
        error=error,
        secret=secret,
        label=lambda value: str(SUBSCRIPTION_LABELS.get(value, value)),
    )


@bp.post("/webhooks")
@requires(*MANAGERS, session=True)
def webhooks_subscribe() -> tuple[str, int]:
    form = {
        "url": request.form.get("url", "").strip(),
        "event_types": request.form.getlist("event_types"),
        "account_ids": request.form.getlist("account_ids"),
        "description": request.form.get("description", "").strip()[:200],
    }
    try:
        body = form | {"account_ids": [UUID(a) for a in form["account_ids"]] or None}
        with _transaction() as session:
            _, secret = subscribe_as_caller(session, body)
    except SubscriptionRefused as error:
        return _render_index(form, refused(error).detail), 422
    except (Problem, ValueError) as error:
        return _render_index(form, getattr(error, "detail", str(error))), 422
    return _render_index(secret=secret), 201


@bp.get("/webhooks/<uuid:subscription_id>")
@requires(*READERS, session=True)
def webhook(subscription_id: UUID) -> str:
    return _render_subscription(subscription_id)


def _render_subscription(subscription_id: UUID, secret: str = "") -> str:
    status = request.args.get("status", "")
    if status and status not in {s.value for s in DeliveryStatus}:
        raise Problem(400, "web.bad_filter", _("Choose a status from the list on the page."))
    scope = caller_scope()
    with _transaction() as session:
        subscription = visible(session, subscription_id, scope)
        found = current_webhooks().store.deliveries(session, current_tenant().id, subscription_id, status or None, 100)
    return render_template(
        "web/console/webhooks/subscription.html",
        s=subscription,
        deliveries=found,
        status=status,
        statuses=[(s.value, DELIVERY_LABELS[s.value]) for s in DeliveryStatus],
        names=account_names(visible_accounts()),
        may_manage=current_principal().has_any(*MANAGERS),
        secret=secret,
        label=lambda value: str(DELIVERY_LABELS.get(value, SUBSCRIPTION_LABELS.get(value, value))),
    )


@bp.post("/webhooks/<uuid:subscription_id>/status")
@requires(*MANAGERS, session=True)
def webhook_status(subscription_id: UUID) -> Response:
    wanted = SubscriptionStatus.PAUSED if request.form.get("status") == "paused" else SubscriptionStatus.ACTIVE
    webhooks, scope = current_webhooks(), caller_scope()
    with _transaction() as session:
        subscription = visible(session, subscription_id, scope)
        service.change(
            webhooks.store,
            session,
            subscription,
            {"status": wanted.value},
            holder_accounts=scope.holder_accounts,
            known_types=event_types(),
            policy=webhooks.policy,
        )
    flash(
        _("The subscription is paused.") if wanted is SubscriptionStatus.PAUSED else _("The subscription is active."),
        "ok",
    )
    return redirect(f"{_page()}/{subscription_id}", 303)


@bp.post("/webhooks/<uuid:subscription_id>/rotate")
@requires(*MANAGERS, session=True)
def webhook_rotate(subscription_id: UUID) -> str:
    webhooks = current_webhooks()
    with _transaction() as session:
        subscription = visible(session, subscription_id, caller_scope())
        secret = service.rotate_secret(webhooks.store, session, subscription, webhooks.clock.now())
    return _render_subscription(subscription_id, secret)


@bp.post("/webhooks/<uuid:subscription_id>/delete")
@requires(*MANAGERS, session=True)
def webhook_delete(subscription_id: UUID) -> Response:
    with _transaction() as session:
        visible(session, subscription_id, caller_scope())
        current_webhooks().store.remove(session, current_tenant().id, subscription_id)
    flash(_("The subscription and its deliveries are removed."), "ok")
    return redirect(_page(), 303)


@bp.post("/webhooks/<uuid:subscription_id>/replay")
@requires(*MANAGERS, session=True)
def webhook_replay_since(subscription_id: UUID) -> Response:
    try:
        since = parse_day(request.form.get("since"))
    except ValueError:
        since = None
    if since is None:
        raise Problem(400, "web.bad_date", _("Give the day to replay from as YYYY-MM-DD."))
    with _transaction() as session:
        visible(session, subscription_id, caller_scope())
        count = current_webhooks().store.replay_since(session, current_tenant().id, subscription_id, since)
    flash(_("%(count)s deliveries will be sent again.", count=count), "ok")
    return redirect(f"{_page()}/{subscription_id}", 303)


def _delivery(session: Any, delivery_id: UUID) -> dict[str, Any]:
    found = current_webhooks().store.delivery(session, current_tenant().id, delivery_id)
    if found is None:
        raise not_found("webhook delivery")
    visible(session, found["subscription_id"], caller_scope())
    return found


@bp.get("/webhooks/deliveries/<uuid:delivery_id>")
@requires(*READERS, session=True)
def webhook_delivery(delivery_id: UUID) -> str:
    with _transaction() as session:
        found = _delivery(session, delivery_id)
    return render_template(
        "web/console/webhooks/delivery.html",
        d=found,
        may_manage=current_principal().has_any(*MANAGERS),
        label=lambda value: str(DELIVERY_LABELS.get(value, value)),
    )


@bp.post("/webhooks/deliveries/<uuid:delivery_id>/replay")
@requires(*MANAGERS, session=True)
def webhook_delivery_replay(delivery_id: UUID) -> Response:
    with _transaction() as session:
        _delivery(session, delivery_id)
        current_webhooks().store.replay(session, current_tenant().id, delivery_id)
    flash(_("The delivery will be sent again, with the same webhook-id."), "ok")
    return redirect(f"{_page()}/deliveries/{delivery_id}", 303)
