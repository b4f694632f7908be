"""Dedicated databases on PostgreSQL: `registry tenants move` and `create --database-url`, end to end.

After a move every path that opens a tenant session (API requests, the relay and consumers, the CLI)
reads and writes the dedicated database; the rows left in the shared one are no longer touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import Table, func, select
from sqlalchemy.engine import make_url

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from gateway.cli.events import build_relay, build_runtime
from gateway.cli.main import main
from services.ledger.adapters import tables as ledger_tables
from services.reporting.adapters import tables as reporting_tables
from tests.conftest import (
    TEST_SECRET,
    DatabaseUrls,
    engine_for,
    fresh_postgres_database,
    settings_for,
    unique_code,
    unique_party,
)
from tests.integration.ledger_api.world import Registry, furnish, issue, new_registry, transfer

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_urls(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    """The shared database, of this test alone: a registry moved out of it keeps a catalogue row routed to
    the dedicated database, which is dropped after the test, and no later test may meet that row."""
    yield from fresh_postgres_database(postgres_server)


@pytest.fixture
def dedicated(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    yield from fresh_postgres_database(postgres_server)


@pytest.fixture
def app(postgres_urls: DatabaseUrls, dedicated: DatabaseUrls) -> Iterator[Flask]:
    """The gateway on the shared database; closed before the dedicated database is dropped."""
    built = create_app(settings_for(postgres_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


def registry(urls: DatabaseUrls, *args: str) -> Result:
    env = {"DATABASE_URL": urls.app, "DATABASE_OWNER_URL": urls.owner, "SECRET_KEY": TEST_SECRET}
    return CliRunner().invoke(main, list(args), env=env)


def rows_in(url: str, table: Table, tenant_id: UUID) -> int:
    """Rows of the tenant in one database, read directly as the application role."""
    with engine_for(url) as engine, engine.begin() as connection:
        connection.exec_driver_sql("select set_config('app.tenant_id', %(t)s, true)", {"t": str(tenant_id)})
        count = connection.execute(select(func.count()).select_from(table).where(table.c.tenant_id == tenant_id))
        return int(count.scalar_one())


def drain_events(platform: Platform) -> None:
    relay = build_relay(platform, "test")
    while relay.run_once():
        pass
    build_runtime(platform, "reporting").drain()


def test_a_registry_moves_to_its_dedicated_database(
    app: Flask, postgres_urls: DatabaseUrls, dedicated: DatabaseUrls
) -> None:
    ghana, partner = new_registry(app), new_registry(app)
    furnish(ghana, partner)
    issue(ghana, 1_000)
    transfer(ghana, 250, "issuance", "party")
    holdings = {key: ghana.holdings(key) for key in ("issuance", "party")}
    listed = ghana.read("/transactions")
    transactions = ledger_tables.transactions
    in_shared = rows_in(postgres_urls.app, transactions, ghana.tenant.id)

    moved = registry(postgres_urls, "tenants", "move", ghana.tenant.code, "--database-url", dedicated.app)

    assert moved.exit_code == 0, moved.output
    assert "status active" in moved.output
    assert {key: ghana.holdings(key) for key in holdings} == holdings
    assert ghana.read("/transactions") == listed
    transfer(ghana, 5, "issuance", "party")
    assert ghana.holdings("party") == holdings["party"] + 5
    assert rows_in(dedicated.app, transactions, ghana.tenant.id) == in_shared + 1
    assert rows_in(postgres_urls.app, transactions, ghana.tenant.id) == in_shared
    verified = registry(postgres_urls, "journal", "verify", "--registry", ghana.tenant.code)
    assert (verified.exit_code, verified.output.strip()) == (0, "journal intact: 3 records")

    drain_events(platform_of(app))
    assert rows_in(dedicated.app, reporting_tables.actions, ghana.tenant.id) > 0
    shown = registry(postgres_urls, "tenants", "show", ghana.tenant.code)
    assert '"dedicated_database": true' in shown.output


def test_the_export_of_a_moved_registry_carries_no_database_password(
    app: Flask, postgres_urls: DatabaseUrls, dedicated: DatabaseUrls, tmp_path: Path
) -> None:
    ghana = Registry(app, new_registry(app).tenant)
    assert registry(postgres_urls, "tenants", "move", ghana.tenant.code, "--database-url", dedicated.app).exit_code == 0
    output = tmp_path / "ghana.jsonl"

    exported = registry(postgres_urls, "tenants", "export", ghana.tenant.code, "-o", str(output))

    assert exported.exit_code == 0, exported.output
    password = make_url(dedicated.app).password
    assert password
    assert str(password) not in output.read_text(encoding="utf-8")


def test_a_registry_created_with_its_own_database_is_served_from_it(
    app: Flask, postgres_urls: DatabaseUrls, dedicated: DatabaseUrls
) -> None:
    party = unique_party()
    code = unique_code(party.lower())
    created = registry(
        postgres_urls,
        *("tenants", "create", "--code", code, "--party", party, "--registry-id", f"{party}01", "--name", "Togo"),
        *("--database-url", dedicated.app),
    )
    assert created.exit_code == 0, created.output
    platform: Platform = platform_of(app)
    togo, partner = Registry(app, platform.catalogue.get(code)), new_registry(app)

    furnish(togo, partner)
    issue(togo, 100)

    assert rows_in(dedicated.app, ledger_tables.transactions, togo.tenant.id) == 1
    assert rows_in(postgres_urls.app, ledger_tables.transactions, togo.tenant.id) == 0
    assert togo.holdings("issuance") == 100


def test_an_archive_imports_into_a_dedicated_database_of_another_platform(
    app: Flask, postgres_urls: DatabaseUrls, postgres_server: DatabaseUrls, dedicated: DatabaseUrls, tmp_path: Path
) -> None:
    ghana, partner = new_registry(app), new_registry(app)
    furnish(ghana, partner)
    issue(ghana, 700)
    archive = tmp_path / "ghana.jsonl"
    assert registry(postgres_urls, "tenants", "export", ghana.tenant.code, "-o", str(archive)).exit_code == 0
    platform_db = fresh_postgres_database(postgres_server)
    other = next(platform_db)
    try:
        imported = registry(other, "tenants", "import", str(archive), "--database-url", dedicated.app)

        assert imported.exit_code == 0, imported.output
        assert rows_in(dedicated.app, ledger_tables.journal, ghana.tenant.id) == 1
        assert rows_in(other.app, ledger_tables.journal, ghana.tenant.id) == 0
        verified = registry(other, "journal", "verify", "--registry", ghana.tenant.code)
        assert (verified.exit_code, verified.output.strip()) == (0, "journal intact: 1 records")
        again = registry(other, "tenants", "import", str(archive), "--database-url", dedicated.app)
        assert (again.exit_code, len(again.output.strip().splitlines())) == (2, 1), again.output
    finally:
        next(platform_db, None)


def test_a_registry_whose_database_is_gone_stops_no_other_registry(
    app: Flask, postgres_urls: DatabaseUrls, dedicated: DatabaseUrls, postgres_server: DatabaseUrls
) -> None:
    platform: Platform = platform_of(app)
    lost_database = fresh_postgres_database(postgres_server)
    lost_urls = next(lost_database)
    lost = registry(postgres_urls, "tenants", "create", *_create_args(), "--database-url", lost_urls.app)
    assert lost.exit_code == 0, lost.output
    ghana, partner = new_registry(app), new_registry(app)
    assert registry(postgres_urls, "tenants", "move", ghana.tenant.code, "--database-url", dedicated.app).exit_code == 0
    furnish(ghana, partner)
    issue(ghana, 100)
    platform.database.dispose()  # the pooled sessions closed, so that the lost database can be dropped
    lost_database.close()

    drain_events(platform)  # the relay passes over the lost database and publishes the others' events
    ready = app.test_client().get("/readyz")

    assert rows_in(dedicated.app, reporting_tables.actions, ghana.tenant.id) > 0
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json()["checks"]["events"]["outbox_pending"] == 0


def _create_args() -> list[str]:
    party = unique_party()
    code = unique_code(party.lower())
    return ["--code", code, "--party", party, "--registry-id", f"{party}01", "--name", f"Lost {party}"]
