"""Which registries have a delivery due, for the consumers' periodic look over every registry: the same
answer on SQLite and PostgreSQL, and on PostgreSQL one statement for the database however many registries
it holds (`tenants_with_due`, migration 0023); likewise which registries have a webhook subscription
(`tenants_with_webhook_subscriptions`, migration 0024)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Connection, Table, event, insert, select, text
from sqlalchemy.exc import DBAPIError

from gateway.bootstrap import Platform
from services.interregistry.adapters.orm import interregistry_outbound
from services.notifications.adapters.tables import emails
from services.shared.db.due import Queue, tenants_with_due, tenants_with_webhook_subscriptions
from services.webhooks.adapters.orm import webhook_deliveries, webhook_subscriptions
from tests.conftest import new_tenant_command

NOW = datetime.fromisoformat("2026-12-07T12:00:00+00:00")


def webhook(due: datetime, done: bool) -> dict[str, Any]:
    status = "delivered" if done else "pending"
    return {"subscription_id": uuid4(), "event_id": uuid4(), "event_type": "t", "payload": "{}", "status": status}


def email(due: datetime, done: bool) -> dict[str, Any]:
    return {
        "event_id": uuid4(),
        "recipient": "a@example.org",
        "subject": "s",
        "body": "b",
        "sent_at": NOW if done else None,
    }


def message(due: datetime, done: bool) -> dict[str, Any]:
    status = "delivered" if done else "pending"
    return {"peer_registry_id": "CHE01", "message_type": "t", "transfer_id": "x", "message": "{}", "status": status}


QUEUES: dict[Queue, tuple[Table, Callable[[datetime, bool], dict[str, Any]]]] = {
    "webhooks": (webhook_deliveries, webhook),
    "notifications": (emails, email),
    "interregistry": (interregistry_outbound, message),
}


def queue_row(platform: Platform, queue: Queue, tenant_id: UUID, due: datetime, *, done: bool = False) -> None:
    table, values = QUEUES[queue]
    row = {"id": uuid4(), "attempts": 0, "next_attempt_at": due, "created_at": NOW, **values(due, done)}
    with platform.database.transaction(tenant_id) as session:
        session.execute(insert(table).values(tenant_id=tenant_id, **row))


def has_due_of(queue: Queue) -> Callable[[Connection, UUID], bool]:
    table, _ = QUEUES[queue]
    return lambda connection, tenant_id: bool(
        connection.scalar(select(table.c.id).where(table.c.tenant_id == tenant_id).limit(1)) is not None
    )


@pytest.mark.parametrize("queue", sorted(QUEUES))
def test_only_the_registries_asked_about_with_a_row_due_are_named(platform: Platform, queue: Queue) -> None:
    due, later, done, empty, not_asked = (platform.catalogue.create(new_tenant_command()).id for _ in range(5))
    queue_row(platform, queue, due, NOW - timedelta(seconds=1))
    queue_row(platform, queue, later, NOW + timedelta(seconds=1))
    queue_row(platform, queue, done, NOW - timedelta(hours=1), done=True)
    queue_row(platform, queue, not_asked, NOW - timedelta(hours=1))
    table, _ = QUEUES[queue]

    def has_due(connection: Connection, tenant_id: UUID) -> bool:
        pending = table.c.sent_at.is_(None) if queue == "notifications" else table.c.status == "pending"
        query = select(table.c.id).where(table.c.tenant_id == tenant_id, pending, table.c.next_attempt_at <= NOW)
        return connection.scalar(query.limit(1)) is not None

    asked = [due, later, done, empty]
    assert tenants_with_due(platform.database, queue, asked, NOW, has_due) == {due}
    assert tenants_with_due(platform.database, queue, [], NOW, has_due) == set()


@pytest.mark.postgres
def test_postgres_answers_for_every_registry_in_one_statement(postgres_platform: Platform) -> None:
    tenants = [postgres_platform.catalogue.create(new_tenant_command()).id for _ in range(6)]
    queue_row(postgres_platform, "webhooks", tenants[2], NOW - timedelta(seconds=1))
    statements: list[str] = []
    engine = postgres_platform.database.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        found = tenants_with_due(postgres_platform.database, "webhooks", tenants, NOW, has_due_of("webhooks"))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert found == {tenants[2]}
    assert [s for s in statements if "tenants_with_due" in s or "webhook_deliveries" in s] == [
        "select tenants_with_due(%(queue)s, %(due_by)s)"
    ]


@pytest.mark.postgres
def test_the_function_answers_registry_ids_only_and_knows_its_queues(postgres_platform: Platform) -> None:
    with postgres_platform.database.engine.connect() as connection:
        kinds = connection.execute(
            text("select pg_get_function_result('tenants_with_due(text, timestamptz)'::regprocedure)")
        ).scalar()
        assert kinds == "SETOF uuid"
        with pytest.raises(DBAPIError, match="no such delivery queue"):
            connection.execute(text("select tenants_with_due('ledger_journal', now())")).all()


@pytest.mark.postgres
def test_registries_with_an_active_subscription_are_named_and_no_subscription_is_shown(
    postgres_platform: Platform,
) -> None:
    active, paused, none = (postgres_platform.catalogue.create(new_tenant_command()).id for _ in range(3))
    for tenant_id, status in ((active, "active"), (paused, "paused")):
        row = {"id": uuid4(), "url": "https://example.org/h", "description": "", "event_types": [], "status": status}
        row |= {"secret_encrypted": b"x", "created_by": "t", "created_at": NOW, "updated_at": NOW}
        with postgres_platform.database.transaction(tenant_id) as session:
            session.execute(insert(webhook_subscriptions).values(tenant_id=tenant_id, **row))

    found = tenants_with_webhook_subscriptions(postgres_platform.database, [active, paused, none], has_one)

    assert found == {active}
    with postgres_platform.database.engine.connect() as connection:  # the application role, bound to no registry
        assert connection.execute(select(webhook_subscriptions.c.id)).all() == []
        kinds = text("select pg_get_function_result('tenants_with_webhook_subscriptions()'::regprocedure)")
        assert connection.execute(kinds).scalar() == "SETOF uuid"


def has_one(_connection: Connection, _tenant_id: UUID) -> bool:
    raise AssertionError("PostgreSQL answers in one statement, without asking each registry")
