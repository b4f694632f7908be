"""The pool pings a connection only after it sat idle (issue 17), and a connection that broke is never handed out
twice: a broken idle one is replaced before use, a broken busy one fails one unit of work, which the API answers
with 503 and Retry-After, and the pool is fresh after it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from gateway.app import create_app
from gateway.bootstrap import Platform
from services.shared.db import database as database_module
from services.shared.db.database import Database
from services.shared.db.reachability import Unreachable
from tests.conftest import DatabaseUrls, engine_for


@pytest.fixture
def database(postgres_urls: DatabaseUrls) -> Iterator[Database]:
    built = Database(postgres_urls.app, pool_size=1)
    yield built
    built.engine.dispose()


def backend(database: Database) -> int:
    with database.transaction(None) as session:
        return int(session.execute(text("select pg_backend_pid()")).scalar_one())


def terminate(urls: DatabaseUrls, pid: int) -> None:
    with engine_for(urls.app) as same_role, same_role.begin() as connection:  # a role may end its own backends
        assert connection.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid}).scalar() is True


def counting_pings(database: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    real = database.engine.dialect.do_ping

    def ping(dbapi_connection: object) -> bool:
        pings.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(database.engine.dialect, "do_ping", ping)
    return pings


@pytest.mark.postgres
def test_a_connection_in_steady_use_is_not_pinged_and_one_that_sat_idle_is(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings = counting_pings(database, monkeypatch)
    first = backend(database)
    assert (backend(database), backend(database), len(pings)) == (first, first, 0)

    monkeypatch.setattr(database_module, "IDLE_PING_S", 0.0)
    assert backend(database) == first
    assert len(pings) == 1


@pytest.mark.postgres
def test_a_connection_that_broke_while_idle_is_replaced_before_use(
    database: Database, postgres_urls: DatabaseUrls, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = backend(database)
    terminate(postgres_urls, first)
    monkeypatch.setattr(database_module, "IDLE_PING_S", 0.0)

    assert backend(database) != first


@pytest.mark.postgres
def test_a_connection_that_broke_in_steady_use_fails_one_unit_of_work_and_the_next_gets_a_new_one(
    database: Database, postgres_urls: DatabaseUrls
) -> None:
    first = backend(database)
    terminate(postgres_urls, first)

    with pytest.raises(Unreachable):
        backend(database)
    assert backend(database) != first


@pytest.mark.postgres
def test_a_database_that_cannot_be_reached_answers_503_with_retry_after(postgres_platform: Platform) -> None:
    app = create_app(postgres_platform.settings, postgres_platform)

    @app.get("/test-only/unreachable")
    def unreachable() -> str:
        raise Unreachable("select 1", None, OSError("server closed the connection unexpectedly"))

    answer = app.test_client().get("/test-only/unreachable")

    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "2"
    assert answer.json is not None
    assert answer.json["code"] == "database.unavailable"
    assert "same Idempotency-Key" in answer.json["detail"]
