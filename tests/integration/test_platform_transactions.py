"""A platform transaction (no tenant) on PostgreSQL sends no tenant binding (issue 17): every binding is local
to its transaction, so a transaction begins with none, and row-level security shows it no registry's rows,
also on a pooled connection whose previous transaction was bound to a registry."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from gateway.bootstrap import Platform
from services.identity.adapters import orm
from services.identity.adapters.audit_log import SqlAuditLog
from services.identity.domain.audit import AuditEntry
from services.shared.ids import new_id
from tests.conftest import new_tenant_command


@pytest.mark.postgres
def test_a_platform_transaction_sends_no_tenant_binding(postgres_platform: Platform) -> None:
    database, sent = postgres_platform.database, []

    def executing(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(database.engine, "before_cursor_execute", executing)
    try:
        with database.transaction(None) as session:
            session.execute(text("select 1"))
    finally:
        event.remove(database.engine, "before_cursor_execute", executing)

    assert sent == ["select 1"]


@pytest.mark.postgres
def test_a_platform_transaction_after_a_registry_one_sees_none_of_its_rows(postgres_platform: Platform) -> None:
    tenant = postgres_platform.catalogue.create(new_tenant_command())
    database, clock = postgres_platform.database, postgres_platform.clock
    entry = AuditEntry(
        id=new_id(), occurred_at=clock.now(), actor="a", action="b", target="c", outcome="success", status=201
    )
    SqlAuditLog(database, tenant.id).append(entry)
    count = select(func.count()).select_from(orm.audit_events).where(orm.audit_events.c.tenant_id == tenant.id)
    with database.transaction(tenant.id) as session:
        assert session.execute(count).scalar() == 1

    for _ in range(database.engine.pool.size() + 1):  # whichever pooled connection comes next
        with database.transaction(None) as session:
            assert session.execute(text("select count(*) from audit_events")).scalar() == 0
            assert session.execute(text("select current_setting('app.tenant_id', true)")).scalar() in (None, "")
