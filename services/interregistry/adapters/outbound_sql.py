"""Outbound messages, peer endpoints and acknowledgement checks in each tenant's own transactions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from services.events.domain.envelope import CloudEvent
from services.interregistry.adapters.keys import SqlSignatures
from services.interregistry.adapters.orm import interregistry_endpoints as endpoints
from services.interregistry.adapters.orm import interregistry_outbound as outbound
from services.interregistry.domain.outbound import CLAIM_TIMEOUT, OutboundStatus, after_failure
from services.interregistry.service_layer.outbound import DueMessage, Endpoint
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database
from services.shared.db.due import tenants_with_due
from services.shared.secret_box import AesGcmSecretBox

PENDING, DELIVERED, DEAD = OutboundStatus.PENDING.value, OutboundStatus.DELIVERED.value, OutboundStatus.DEAD.value


class SqlOutboundStore:
    def __init__(self, database: Database, clock: Clock = SYSTEM_CLOCK) -> None:
        self.database = database
        self.clock = clock

    def add(self, session: Session, tenant_id: UUID, event: CloudEvent, peer: str, compact: str) -> bool:
        key = (outbound.c.tenant_id == tenant_id, outbound.c.id == event.id)
        if session.scalar(select(outbound.c.id).where(*key)) is not None:
            return False
        session.execute(
            insert(outbound).values(
                tenant_id=tenant_id,
                id=event.id,
                peer_registry_id=peer,
                message_type=event.type,
                transfer_id=event.subject,
                message=compact,
                status=PENDING,
                attempts=0,
                next_attempt_at=event.time,
                created_at=event.time,
            )
        )
        return True

    def tenants_with_due(self, tenant_ids: Sequence[UUID], now: datetime) -> set[UUID]:
        """Which of these tenants have a pending message due by `now`: one statement per database."""
        due = select(outbound.c.id).where(outbound.c.status == PENDING, outbound.c.next_attempt_at <= now).limit(1)

        def has_due(connection: Connection, tenant_id: UUID) -> bool:
            return connection.scalar(due.where(outbound.c.tenant_id == tenant_id)) is not None

        return tenants_with_due(self.database, "interregistry", tenant_ids, now, has_due)

    def claim_due(self, tenant_id: UUID, now: datetime, limit: int) -> list[DueMessage]:
        with self.database.transaction(tenant_id) as session:
            rows = session.execute(
                select(outbound.c.id, outbound.c.peer_registry_id, outbound.c.message, outbound.c.attempts)
                .add_columns(outbound.c.next_attempt_at)
                .where(outbound.c.tenant_id == tenant_id, outbound.c.status == PENDING)
                .where(outbound.c.next_attempt_at <= now)
                .order_by(outbound.c.next_attempt_at, outbound.c.id)
                .limit(limit)
            ).all()
            claimed = []
            for row in rows:
                # Only the sender whose update still sees the old time holds the message.
                held = session.execute(
                    update(outbound)
                    .where(outbound.c.tenant_id == tenant_id, outbound.c.id == row.id)
                    .where(outbound.c.status == PENDING, outbound.c.next_attempt_at == row.next_attempt_at)
                    .values(next_attempt_at=now + CLAIM_TIMEOUT)
                )
                if held.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(DueMessage(tenant_id, row.id, row.peer_registry_id, row.message, row.attempts))
            return claimed

    def delivered(self, message: DueMessage, acknowledgement: str, ack_status: str, now: datetime) -> None:
        self._update(
            message,
            status=DELIVERED,
            attempts=message.attempts + 1,
            delivered_at=now,
            acknowledgement=acknowledgement,
            ack_status=ack_status,
            last_error=None,
        )

    def failed(self, message: DueMessage, error: str, now: datetime) -> None:
        attempts = message.attempts + 1
        status, next_attempt = after_failure(attempts, now)
        self._update(message, status=status.value, attempts=attempts, next_attempt_at=next_attempt, last_error=error)

    def postpone(self, message: DueMessage, reason: str, until: datetime) -> None:
        self._update(message, next_attempt_at=until, last_error=reason)

    def _update(self, message: DueMessage, **values: Any) -> None:
        with self.database.transaction(message.tenant_id) as session:
            session.execute(
                update(outbound)
                .where(outbound.c.tenant_id == message.tenant_id, outbound.c.id == message.id)
                .where(outbound.c.status == PENDING)
                .values(**values)
            )

    # What operators see and do

    def listing(self, session: Session, tenant_id: UUID, status: str | None, limit: int) -> list[RowMapping]:
        query = select(outbound).where(outbound.c.tenant_id == tenant_id)
        if status:
            query = query.where(outbound.c.status == status)
        return list(session.execute(query.order_by(outbound.c.created_at.desc()).limit(limit)).mappings())

    def one(self, session: Session, tenant_id: UUID, message_id: UUID) -> RowMapping | None:
        query = select(outbound).where(outbound.c.tenant_id == tenant_id, outbound.c.id == message_id)
        return session.execute(query).mappings().first()

    def retry(self, session: Session, tenant_id: UUID, message_id: UUID) -> bool:
        """A dead message goes back to pending with a fresh count of attempts; False if it is not dead."""
        done = session.execute(
            update(outbound)
            .where(outbound.c.tenant_id == tenant_id, outbound.c.id == message_id, outbound.c.status == DEAD)
            .values(status=PENDING, attempts=0, next_attempt_at=self.clock.now())
        )
        return bool(done.rowcount == 1)  # type: ignore[attr-defined]


class SqlEndpoints:
    def __init__(self, database: Database, secret_key: str, clock: Clock = SYSTEM_CLOCK) -> None:
        self.database = database
        self.box = AesGcmSecretBox(secret_key)
        self.clock = clock

    def configure(self, session: Session, tenant_id: UUID, endpoint: Endpoint) -> None:
        secret = endpoint.client_secret
        values = {
            "url": endpoint.url,
            "token_url": endpoint.token_url,
            "client_id": endpoint.client_id,
            "client_secret_encrypted": None
            if not secret
            else self.box.encrypt(secret.encode(), self._context(endpoint)),
            "updated_at": self.clock.now(),
        }
        key = (endpoints.c.tenant_id == tenant_id, endpoints.c.registry_id == endpoint.registry_id)
        if session.scalar(select(endpoints.c.registry_id).where(*key)) is None:
            session.execute(insert(endpoints).values(tenant_id=tenant_id, registry_id=endpoint.registry_id, **values))
        else:
            session.execute(update(endpoints).where(*key).values(**values))

    def get(self, tenant_id: UUID, registry_id: str) -> Endpoint | None:
        with self.database.session(tenant_id) as session:
            row = (
                session.execute(
                    select(endpoints).where(endpoints.c.tenant_id == tenant_id, endpoints.c.registry_id == registry_id)
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        endpoint = Endpoint(registry_id, row["url"], row["token_url"], row["client_id"])
        sealed = row["client_secret_encrypted"]
        if sealed is None:
            return endpoint
        secret = self.box.decrypt(bytes(sealed), self._context(endpoint)).decode()
        return Endpoint(registry_id, endpoint.url, endpoint.token_url, endpoint.client_id, secret)

    @staticmethod
    def _context(endpoint: Endpoint) -> str:
        return f"interregistry-endpoint:{endpoint.registry_id}"


class SqlAckVerifier:
    def __init__(self, database: Database, signatures: SqlSignatures) -> None:
        self.database = database
        self.signatures = signatures

    def verify(self, tenant_id: UUID, compact: str) -> tuple[str, bytes]:
        with self.database.session(tenant_id) as session:
            return self.signatures.verify(session, tenant_id, compact)
