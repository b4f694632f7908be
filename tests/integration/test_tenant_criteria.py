"""The tenant criteria of ORM queries: plain criteria built once per tenant, no lambda analysed per query,
and one cached statement still answers each tenant with its own rows (on SQLite the criteria are the only
guard; PostgreSQL adds row-level security)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.sql import lambdas

from gateway.auth.principal import Role
from gateway.bootstrap import Platform
from services.identity.domain.users import User
from services.identity.service_layer import accounts
from tests.conftest import new_tenant_command

USERNAME = "same-name-in-both"


def user_in(platform: Platform, tenant_id: Any) -> User:
    command = accounts.CreateUser(USERNAME, "correct horse battery staple", frozenset({Role.AUDITOR}))
    return accounts.create_user(command, platform.identity.uow(tenant_id), platform.identity.credentials)


def users_named(platform: Platform, tenant_id: Any) -> list[User]:
    with platform.database.session(tenant_id) as session:
        return list(session.scalars(select(User).where(User.username == USERNAME)))


def test_each_tenant_session_sees_only_its_rows_through_one_cached_statement(platform: Platform) -> None:
    first, second = (platform.catalogue.create(new_tenant_command()) for _ in range(2))
    mine, theirs = user_in(platform, first.id), user_in(platform, second.id)
    for _ in range(2):  # the second round runs from SQLAlchemy's statement cache
        assert [u.id for u in users_named(platform, first.id)] == [mine.id]
        assert [u.id for u in users_named(platform, second.id)] == [theirs.id]
        assert users_named(platform, None) == []


def test_a_query_in_a_tenant_session_analyses_no_lambda(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    user_in(platform, tenant.id)
    users_named(platform, tenant.id)
    analysed: list[object] = []
    original = lambdas.LambdaElement._retrieve_tracker_rec

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        analysed.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(lambdas.LambdaElement, "_retrieve_tracker_rec", counting)
    assert len(users_named(platform, tenant.id)) == 1
    assert analysed == []
