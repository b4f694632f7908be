"""Subscriptions, deliveries and attempts in each tenant's own transactions (row-level security on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database
from services.shared.db.due import tenants_with_due, tenants_with_webhook_subscriptions
from services.shared.secret_box import AesGcmSecretBox
from services.webhooks.adapters.orm import webhook_attempts as attempts
from services.webhooks.adapters.orm import webhook_deliveries as deliveries
from services.webhooks.adapters.orm import webhook_subscriptions as subscriptions
from services.webhooks.domain.deliveries import CLAIM_TIMEOUT, DeliveryStatus, after_failure, excerpt, succeeded
from services.webhooks.domain.subscriptions import Subscription, SubscriptionStatus
from services.webhooks.service_layer.ports import Attempt, DueDelivery

PENDING, DELIVERED = DeliveryStatus.PENDING.value, DeliveryStatus.DELIVERED.value


class SqlWebhookStore:
    def __init__(self, database: Database, secret_key: str, clock: Clock = SYSTEM_CLOCK) -> None:
        self.database = database
        self.box = AesGcmSecretBox(secret_key)
        self.clock = clock

    # Subscriptions

    def create(self, session: Session, subscription: Subscription, secret: str) -> None:
        session.execute(
            insert(subscriptions).values(
                tenant_id=subscription.tenant_id,
                id=subscription.id,
                secret_encrypted=self._seal(subscription.id, secret),
                created_by=subscription.created_by,
                created_at=subscription.created_at,
                organization_id=subscription.organization_id,
                **self._changeable(subscription),
            )
        )

    def update(self, session: Session, subscription: Subscription) -> None:
        session.execute(
            update(subscriptions)
            .where(*self._key(subscription.tenant_id, subscription.id))
            .values(**self._changeable(subscription))
        )

    def rotate(
        self, session: Session, tenant_id: UUID, subscription_id: UUID, secret: str, old_until: datetime
    ) -> None:
        session.execute(
            update(subscriptions)
            .where(*self._key(tenant_id, subscription_id))
            .values(
                previous_secret_encrypted=subscriptions.c.secret_encrypted,
                previous_secret_until=old_until,
                secret_encrypted=self._seal(subscription_id, secret),
                updated_at=self.clock.now(),
            )
        )

    def remove(self, session: Session, tenant_id: UUID, subscription_id: UUID) -> None:
        """The subscription, its deliveries and their attempts."""
        ids = select(deliveries.c.id).where(
            deliveries.c.tenant_id == tenant_id, deliveries.c.subscription_id == subscription_id
        )
        session.execute(delete(attempts).where(attempts.c.tenant_id == tenant_id, attempts.c.delivery_id.in_(ids)))
        session.execute(
            delete(deliveries).where(
                deliveries.c.tenant_id == tenant_id, deliveries.c.subscription_id == subscription_id
            )
        )
        session.execute(delete(subscriptions).where(*self._key(tenant_id, subscription_id)))

    def subscription(self, session: Session, tenant_id: UUID, subscription_id: UUID) -> Subscription | None:
        row = session.execute(select(subscriptions).where(*self._key(tenant_id, subscription_id))).mappings().first()
        return None if row is None else _subscription(row)

    def subscriptions(self, session: Session, tenant_id: UUID, organization_id: UUID | None) -> list[Subscription]:
        """A registry's subscriptions, or only an account holder's when `organization_id` is given."""
        query = select(subscriptions).where(subscriptions.c.tenant_id == tenant_id)
        if organization_id is not None:
            query = query.where(subscriptions.c.organization_id == organization_id)
        rows = session.execute(query.order_by(subscriptions.c.created_at, subscriptions.c.id)).mappings()
        return [_subscription(row) for row in rows]

    def active_subscriptions(self, session: Session, tenant_id: UUID) -> list[Subscription]:
        query = select(subscriptions).where(
            subscriptions.c.tenant_id == tenant_id, subscriptions.c.status == SubscriptionStatus.ACTIVE.value
        )
        return [_subscription(row) for row in session.execute(query).mappings()]

    def tenants_with_subscriptions(self, tenant_ids: Iterable[UUID]) -> set[UUID]:
        """Which of these tenants have an active subscription: one statement per database."""
        active = select(subscriptions.c.id).where(subscriptions.c.status == SubscriptionStatus.ACTIVE.value)

        def has_one(connection: Connection, tenant_id: UUID) -> bool:
            return connection.scalar(active.where(subscriptions.c.tenant_id == tenant_id).limit(1)) is not None

        return tenants_with_webhook_subscriptions(self.database, tenant_ids, has_one)

    def signing_secrets(self, tenant_id: UUID, subscription_id: UUID, now: datetime) -> list[str]:
        with self.database.session(tenant_id) as session:
            row = session.execute(select(subscriptions).where(*self._key(tenant_id, subscription_id))).mappings().one()
        found = [self._open(subscription_id, row["secret_encrypted"])]
        until = row["previous_secret_until"]
        if row["previous_secret_encrypted"] is not None and until is not None and until > now:
            found.append(self._open(subscription_id, row["previous_secret_encrypted"]))
        return found

    # Deliveries

    def add_delivery(
        self,
        session: Session,
        subscription: Subscription,
        delivery_id: UUID,
        event_id: UUID,
        event_type: str,
        payload: str,
    ) -> bool:
        key = (deliveries.c.tenant_id == subscription.tenant_id, deliveries.c.id == delivery_id)
        if session.scalar(select(deliveries.c.id).where(*key)) is not None:
            return False
        now = self.clock.now()
        session.execute(
            insert(deliveries).values(
                tenant_id=subscription.tenant_id,
                id=delivery_id,
                subscription_id=subscription.id,
                event_id=event_id,
                event_type=event_type,
                payload=payload,
                status=PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        return True

    def tenants_with_due(self, tenant_ids: Sequence[UUID], now: datetime) -> set[UUID]:
        """Which of these tenants have a delivery due: one statement per database."""
        due = select(deliveries.c.id).where(deliveries.c.status == PENDING, deliveries.c.next_attempt_at <= now)

        def has_due(connection: Connection, tenant_id: UUID) -> bool:
            return connection.scalar(due.where(deliveries.c.tenant_id == tenant_id).limit(1)) is not None

        return tenants_with_due(self.database, "webhooks", tenant_ids, now, has_due)

    def claim_due(self, tenant_id: UUID, now: datetime, per_subscription: int, limit: int) -> list[DueDelivery]:
        """The oldest due deliveries of each active subscription, at most `per_subscription` of each (so that one
        subscription's backlog never keeps another's waiting) and `limit` in all."""
        rank = (
            func.row_number()
            .over(partition_by=deliveries.c.subscription_id, order_by=(deliveries.c.next_attempt_at, deliveries.c.id))
            .label("rank")
        )
        due = (
            select(deliveries.c.id, deliveries.c.subscription_id, deliveries.c.payload, deliveries.c.attempts, rank)
            .add_columns(deliveries.c.next_attempt_at, subscriptions.c.url)
            .join(
                subscriptions,
                (subscriptions.c.tenant_id == deliveries.c.tenant_id)
                & (subscriptions.c.id == deliveries.c.subscription_id),
            )
            .where(deliveries.c.tenant_id == tenant_id, deliveries.c.status == PENDING)
            .where(deliveries.c.next_attempt_at <= now)
            .where(subscriptions.c.status == SubscriptionStatus.ACTIVE.value)
            .subquery()
        )
        with self.database.transaction(tenant_id) as session:
            rows = session.execute(
                select(due).where(due.c.rank <= per_subscription).order_by(due.c.next_attempt_at, due.c.id).limit(limit)
            ).all()
            claimed = []
            for row in rows:
                # Only the worker whose update still sees the old time holds the delivery.
                held = session.execute(
                    update(deliveries)
                    .where(deliveries.c.tenant_id == tenant_id, deliveries.c.id == row.id)
                    .where(deliveries.c.status == PENDING, deliveries.c.next_attempt_at == row.next_attempt_at)
                    .values(next_attempt_at=now + CLAIM_TIMEOUT)
                )
                if held.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(
                        DueDelivery(tenant_id, row.id, row.subscription_id, row.url, row.payload, row.attempts)
                    )
            return claimed

    def record_attempt(self, delivery: DueDelivery, attempt: Attempt, at: datetime) -> None:
        count = delivery.attempts + 1
        if attempt.status_code is not None and succeeded(attempt.status_code):
            outcome: dict[str, Any] = {"status": DELIVERED, "next_attempt_at": None, "delivered_at": at}
        else:
            status, next_at = after_failure(count, at)
            outcome = {"status": status.value, "next_attempt_at": next_at}
        with self.database.transaction(delivery.tenant_id) as session:
            number = session.scalar(
                select(func.count())
                .select_from(attempts)
                .where(attempts.c.tenant_id == delivery.tenant_id, attempts.c.delivery_id == delivery.id)
            )
            session.execute(
                insert(attempts).values(
                    tenant_id=delivery.tenant_id,
                    delivery_id=delivery.id,
                    number=int(number or 0) + 1,
                    attempted_at=at,
                    status_code=attempt.status_code,
                    duration_ms=attempt.duration_ms,
                    response_excerpt=excerpt(attempt.response_excerpt),
                    error=attempt.error[:1000] if attempt.error else None,
                )
            )
            session.execute(
                update(deliveries)
                .where(deliveries.c.tenant_id == delivery.tenant_id, deliveries.c.id == delivery.id)
                .where(deliveries.c.status == PENDING)
                .values(
                    attempts=count,
                    last_status_code=attempt.status_code,
                    last_error=attempt.error[:1000] if attempt.error else None,
                    **outcome,
                )
            )

    # What people see and do

    def deliveries(
        self, session: Session, tenant_id: UUID, subscription_id: UUID, status: str | None, limit: int
    ) -> list[RowMapping]:
        query = select(*_DELIVERY_COLUMNS).where(
            deliveries.c.tenant_id == tenant_id, deliveries.c.subscription_id == subscription_id
        )
        if status:
            query = query.where(deliveries.c.status == status)
        order = (deliveries.c.created_at.desc(), deliveries.c.id.desc())
        return list(session.execute(query.order_by(*order).limit(limit)).mappings())

    def delivery(self, session: Session, tenant_id: UUID, delivery_id: UUID) -> dict[str, Any] | None:
        """One delivery with its payload and every attempt, oldest first."""
        query = select(*_DELIVERY_COLUMNS, deliveries.c.payload).where(
            deliveries.c.tenant_id == tenant_id, deliveries.c.id == delivery_id
        )
        row = session.execute(query).mappings().first()
        if row is None:
            return None
        logged = session.execute(
            select(attempts)
            .where(attempts.c.tenant_id == tenant_id, attempts.c.delivery_id == delivery_id)
            .order_by(attempts.c.number)
        ).mappings()
        return dict(row) | {"attempt_log": [dict(attempt) for attempt in logged]}

    def replay(self, session: Session, tenant_id: UUID, delivery_id: UUID) -> bool:
        """Send a delivery again, with the same id and body, and a fresh count of attempts."""
        done = session.execute(
            update(deliveries)
            .where(deliveries.c.tenant_id == tenant_id, deliveries.c.id == delivery_id)
            .values(status=PENDING, attempts=0, next_attempt_at=self.clock.now())
        )
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]

    def replay_since(self, session: Session, tenant_id: UUID, subscription_id: UUID, since: datetime) -> int:
        """Send again every delivery of a subscription made since `since`; how many."""
        done = session.execute(
            update(deliveries)
            .where(deliveries.c.tenant_id == tenant_id, deliveries.c.subscription_id == subscription_id)
            .where(deliveries.c.created_at >= since)
            .values(status=PENDING, attempts=0, next_attempt_at=self.clock.now())
        )
        return int(done.rowcount)  # type: ignore[attr-defined]

    def _changeable(self, subscription: Subscription) -> dict[str, Any]:
        accounts = subscription.account_ids
        return {
            "url": subscription.url,
            "description": subscription.description,
            "event_types": sorted(subscription.event_types),
            "account_ids": None if accounts is None else sorted(str(account) for account in accounts),
            "status": subscription.status.value,
            "updated_at": self.clock.now(),
        }

    @staticmethod
    def _key(tenant_id: UUID, subscription_id: UUID) -> tuple[Any, Any]:
        return subscriptions.c.tenant_id == tenant_id, subscriptions.c.id == subscription_id

    def _seal(self, subscription_id: UUID, secret: str) -> bytes:
        return self.box.encrypt(secret.encode(), f"webhook-secret:{subscription_id}")

    def _open(self, subscription_id: UUID, sealed: bytes) -> str:
        return self.box.decrypt(bytes(sealed), f"webhook-secret:{subscription_id}").decode()


_DELIVERY_COLUMNS = (
    deliveries.c.id,
    deliveries.c.subscription_id,
    deliveries.c.event_id,
    deliveries.c.event_type,
    deliveries.c.status,
    deliveries.c.attempts,
    deliveries.c.next_attempt_at,
    deliveries.c.last_status_code,
    deliveries.c.last_error,
    deliveries.c.created_at,
    deliveries.c.delivered_at,
)


def _subscription(row: RowMapping) -> Subscription:
    accounts = row["account_ids"]
    return Subscription(
        id=row["id"],
        tenant_id=row["tenant_id"],
        url=row["url"],
        event_types=frozenset(row["event_types"]),
        account_ids=None if accounts is None else frozenset(UUID(account) for account in accounts),
        organization_id=row["organization_id"],
        description=row["description"],
        status=SubscriptionStatus(row["status"]),
        created_by=row["created_by"],
        created_at=row["created_at"],
    )
