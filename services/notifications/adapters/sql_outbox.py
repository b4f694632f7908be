"""The outbox of e-mails in each tenant's own transactions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from services.notifications.adapters.tables import emails as table
from services.notifications.domain.delivery import CLAIM_TIMEOUT, next_attempt_after_failure
from services.notifications.domain.notices import Email
from services.notifications.service_layer.ports import QueuedEmail
from services.shared.db.database import Database
from services.shared.db.due import tenants_with_due
from services.shared.ids import new_id


class SqlMailOutbox:
    def __init__(self, database: Database) -> None:
        self.database = database

    def add(self, session: Session, tenant_id: UUID, event_id: UUID, emails: Sequence[Email], now: datetime) -> int:
        queued = set(
            session.scalars(
                select(table.c.recipient).where(table.c.tenant_id == tenant_id, table.c.event_id == event_id)
            )
        )
        rows = [_row(tenant_id, event_id, email, now) for email in _one_each(emails) if email.recipient not in queued]
        if rows:
            session.execute(insert(table), rows)
        return len(rows)

    def tenants_with_due(self, tenant_ids: Sequence[UUID], now: datetime) -> set[UUID]:
        """Which of these tenants have an unsent e-mail due by `now`: one statement per database."""
        due = select(table.c.id).where(table.c.sent_at.is_(None), table.c.next_attempt_at <= now).limit(1)

        def has_due(connection: Connection, tenant_id: UUID) -> bool:
            return connection.scalar(due.where(table.c.tenant_id == tenant_id)) is not None

        return tenants_with_due(self.database, "notifications", tenant_ids, now, has_due)

    def claim_due(self, tenant_id: UUID, now: datetime, limit: int) -> list[QueuedEmail]:
        with self.database.transaction(tenant_id) as session:
            rows = session.execute(
                select(table)
                .where(table.c.tenant_id == tenant_id, table.c.sent_at.is_(None), table.c.next_attempt_at <= now)
                .order_by(table.c.next_attempt_at, table.c.id)
                .limit(limit)
            ).all()
            claimed = []
            for row in rows:
                # Only the sender whose update still sees the old time holds the message.
                held = session.execute(
                    update(table)
                    .where(*_key(tenant_id, row.id), table.c.next_attempt_at == row.next_attempt_at)
                    .values(next_attempt_at=now + CLAIM_TIMEOUT)
                )
                if held.rowcount == 1:  # type: ignore[attr-defined]
                    email = Email(row.recipient, row.subject, row.body)
                    claimed.append(QueuedEmail(tenant_id, row.id, email, row.attempts))
            return claimed

    def sent(self, message: QueuedEmail, now: datetime) -> None:
        self._update(message, attempts=message.attempts + 1, sent_at=now, next_attempt_at=None, last_error=None)

    def failed(self, message: QueuedEmail, error: str, now: datetime) -> None:
        attempts = message.attempts + 1
        self._update(
            message, attempts=attempts, next_attempt_at=next_attempt_after_failure(attempts, now), last_error=error
        )

    def listing(self, tenant_id: UUID, status: str | None, limit: int) -> list[RowMapping]:
        """Newest first; `pending` (not sent yet) or `sent`, or both."""
        query = select(table).where(table.c.tenant_id == tenant_id)
        if status == "pending":
            query = query.where(table.c.sent_at.is_(None))
        elif status == "sent":
            query = query.where(table.c.sent_at.is_not(None))
        with self.database.transaction(tenant_id) as session:
            return list(
                session.execute(query.order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)).mappings()
            )

    def release(self, messages: Sequence[QueuedEmail], now: datetime) -> None:
        for message in messages:
            self._update(message, next_attempt_at=now)

    def _update(self, message: QueuedEmail, **values: Any) -> None:
        with self.database.transaction(message.tenant_id) as session:
            session.execute(update(table).where(*_key(message.tenant_id, message.id)).values(**values))


def _key(tenant_id: UUID, email_id: UUID) -> tuple[Any, ...]:
    return table.c.tenant_id == tenant_id, table.c.id == email_id, table.c.sent_at.is_(None)


def _one_each(emails: Sequence[Email]) -> list[Email]:
    return list({email.recipient: email for email in emails}.values())


def _row(tenant_id: UUID, event_id: UUID, email: Email, now: datetime) -> dict[str, object]:
    return {
        "tenant_id": tenant_id,
        "id": new_id(),
        "event_id": event_id,
        "recipient": email.recipient,
        "subject": email.subject[:300],
        "body": email.body,
        "created_at": now,
        "attempts": 0,
        "next_attempt_at": now,
    }
