"""Export then import reproduces a tenant's rows exactly, on both backends, or changes nothing."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from sqlalchemy import select
from uuid6 import uuid7

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from gateway.cli.events import build_relay, build_runtime
from gateway.journal_check import first_broken_link, journal_intact
from services.identity.domain.model import Organization, OrganizationKind
from services.shared.db.database import Database, tenant_tables
from tenants.adapters.orm import tenants as tenants_table
from tenants.domain.errors import DuplicateTenant, InvalidTenant
from tenants.service_layer.archive import export_lines, export_tenant, import_tenant
from tests.conftest import DatabaseUrls, fresh_postgres_database, new_tenant_command, settings_for, sqlite_urls
from tests.factories.auth import machine_client
from tests.integration.ledger_api.world import (
    Registry,
    authorization,
    authorize,
    furnish,
    issue,
    new_registry,
    transfer,
)

Rows = dict[str, list[dict[str, Any]]]


@pytest.fixture
def target(database_urls: DatabaseUrls, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Platform]:
    """A second, empty database of the same backend to import into."""
    if database_urls.backend == "sqlite":
        urls = sqlite_urls(tmp_path / "target")
        built = Platform.from_settings(settings_for(urls))
        yield built
        built.close()
        return
    generator = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    urls = next(generator)
    built = Platform.from_settings(settings_for(urls))
    yield built
    built.close()
    next(generator, None)


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


@pytest.fixture
def ghana(app: Flask) -> Registry:
    """A registry with a ledger history, people, organizations, clients, a signing key, idempotency keys,
    audit entries and its reporting projection, all made through the API and the event pipeline."""
    ghana, partner = new_registry(app), new_registry(app)
    furnish(ghana, partner)
    issue(ghana, 5_000)
    body = {"quantity": 10, "vintage": 2023, "issuance_id": ghana.issuance_id, "account_id": ghana.accounts["issuance"]}
    body["cooperative_approach_id"] = ghana.approach_id
    assert ghana.post("/transactions/issuances", body, Idempotency_Key="second-issuance").status_code == 201
    transfer(ghana, 1_200, "issuance", "party")
    ghana.open_account("second", "party_holding")
    transfer(ghana, 100, "party", "second")
    authorize(ghana, 300, authorization(ghana, ["NDC"]))
    machine_client(app, ghana.tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=uuid7())
    assert ghana.http.get(ghana.url("/interregistry/keys")).status_code == 200
    drain_events(platform_of(app))
    return ghana


def drain_events(platform: Platform) -> None:
    relay = build_relay(platform, "test")
    while relay.run_once():
        pass
    build_runtime(platform, "reporting").drain()


def all_rows(database: Database, tenant_id: UUID) -> Rows:
    """The tenant's catalogue row and every row of every tenant table, in primary-key order."""
    rows: Rows = {}
    with database.for_tenant(tenant_id).engine.connect() as connection, connection.begin():
        if database.for_tenant(tenant_id).is_postgres:
            connection.exec_driver_sql("select set_config('app.tenant_id', %(t)s, true)", {"t": str(tenant_id)})
        for table in [tenants_table, *tenant_tables()]:
            key = table.c.id if table is tenants_table else table.c.tenant_id
            query = select(table).where(key == tenant_id).order_by(*table.primary_key.columns)
            rows[table.name] = [dict(r) for r in connection.execute(query).mappings()]
    for row in rows["tenants"]:
        row.pop("database_url")
    return rows


def assert_same_rows(source: Rows, restored: Rows) -> None:
    assert source.keys() == restored.keys()
    for table, expected in source.items():
        assert len(restored[table]) == len(expected), table
        for number, (want, got) in enumerate(zip(expected, restored[table], strict=True)):
            for column, value in want.items():
                assert got[column] == value, f"{table} row {number} column {column}: {got[column]!r} != {value!r}"


def exported(platform: Platform, code: str) -> str:
    out = io.StringIO()
    export_tenant(platform.database, platform.catalogue.get(code), out)
    return out.getvalue()


def test_export_then_import_reproduces_every_row(platform: Platform, target: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command(settings={"time_zone": "Africa/Accra"}))
    other = platform.catalogue.create(new_tenant_command())
    with platform.database.transaction(tenant.id) as session:
        for name in ("Alpha Fund", "Beta Developer", "Gamma Buyer"):
            session.add(Organization(uuid7(), name, OrganizationKind.FUND, "GHA", datetime.now(UTC), "ID-1"))
    with platform.database.transaction(other.id) as session:
        session.add(Organization(uuid7(), "Not exported", OrganizationKind.FUND, "CHE", datetime.now(UTC)))

    first = io.StringIO()
    assert export_tenant(platform.database, tenant, first) == 3
    imported_id = import_tenant(target.database, io.StringIO(first.getvalue()))
    second = io.StringIO()
    export_tenant(target.database, target.catalogue.get(tenant.code), second)

    assert imported_id == tenant.id
    assert second.getvalue() == first.getvalue()
    assert "Not exported" not in first.getvalue()
    with target.database.session(tenant.id) as session:
        assert sorted(o.name for o in session.scalars(select(Organization))) == [
            "Alpha Fund",
            "Beta Developer",
            "Gamma Buyer",
        ]


def test_a_registry_with_history_comes_back_column_by_column(ghana: Registry, target: Platform) -> None:
    source: Platform = platform_of(ghana.app)
    archive = exported(source, ghana.tenant.code)

    import_tenant(target.database, io.StringIO(archive), checks=[journal_intact])

    restored = all_rows(target.database, ghana.tenant.id)
    assert_same_rows(all_rows(source.database, ghana.tenant.id), restored)
    filled = {"ledger_journal", "ledger_idempotency_keys", "users", "organizations", "oauth_clients"}
    filled |= {"audit_events", "interregistry_keys", "reporting_actions", "reporting_block_versions"}
    assert all(restored[table] for table in filled), {table: len(restored[table]) for table in filled}
    assert target.catalogue.get(ghana.tenant.code).status.value == "active"
    with target.database.transaction(ghana.tenant.id) as session:
        assert first_broken_link(session, ghana.tenant.id) == (None, len(restored["ledger_journal"]))


def test_an_export_does_not_see_writes_made_while_it_runs(ghana: Registry, target: Platform) -> None:
    source: Platform = platform_of(ghana.app)
    journal_before = len(all_rows(source.database, ghana.tenant.id)["ledger_journal"])
    lines = export_lines(source.database, source.catalogue.get(ghana.tenant.code))
    started = [next(lines), next(lines)]  # the header and the first row: the snapshot is taken

    transfer(ghana, 7, "issuance", "party")
    archive = "".join([*started, *lines])

    import_tenant(target.database, io.StringIO(archive), checks=[journal_intact])
    assert len(all_rows(target.database, ghana.tenant.id)["ledger_journal"]) == journal_before
    assert len(all_rows(source.database, ghana.tenant.id)["ledger_journal"]) == journal_before + 1


def tampered_journal(archive: str) -> str:
    lines = archive.splitlines()
    for number, line in enumerate(lines):
        record = json.loads(line)
        if record.get("table") == "ledger_journal":
            record["row"]["payload"] = {**record["row"]["payload"], "quantity": 999_999}
            lines[number] = json.dumps(record)
            break
    return "\n".join(lines) + "\n"


def without_first_transaction(archive: str) -> str:
    lines = archive.splitlines()
    first = next(n for n, line in enumerate(lines) if json.loads(line).get("table") == "ledger_transactions")
    return "\n".join(lines[:first] + lines[first + 1 :]) + "\n"


def damaged_last_row(archive: str) -> str:
    *lines, last_row, end = archive.splitlines()
    return "\n".join([*lines, last_row[: len(last_row) // 2], end]) + "\n"


def cut_at_a_table(archive: str) -> str:
    """Everything before the unit blocks' rows: every line whole, the end line missing."""
    lines = archive.splitlines()
    first = next(n for n, line in enumerate(lines) if json.loads(line).get("table") == "ledger_unit_blocks")
    return "\n".join(lines[:first]) + "\n"


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (tampered_journal, "journal is broken at record 1"),
        (without_first_transaction, "not one complete export"),
        (damaged_last_row, "line .* is not JSON"),
        (cut_at_a_table, "ends before its end line"),
    ],
)
def test_a_failed_import_leaves_nothing_and_a_retry_works(
    ghana: Registry, target: Platform, spoil: Callable[[str], str], message: str
) -> None:
    archive = exported(platform_of(ghana.app), ghana.tenant.code)

    with pytest.raises(InvalidTenant, match=message):
        import_tenant(target.database, io.StringIO(spoil(archive)), checks=[journal_intact])

    assert target.catalogue.find(ghana.tenant.code) is None
    assert all(rows == [] for rows in all_rows(target.database, ghana.tenant.id).values())
    import_tenant(target.database, io.StringIO(archive), checks=[journal_intact])
    assert target.catalogue.get(ghana.tenant.code).status.value == "active"


def test_import_refuses_a_tenant_that_exists(platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    archive = io.StringIO()
    export_tenant(platform.database, tenant, archive)
    with pytest.raises(DuplicateTenant):
        import_tenant(platform.database, io.StringIO(archive.getvalue()))


def test_import_refuses_a_file_that_is_not_an_export(platform: Platform) -> None:
    before = len(platform.catalogue.list())
    with pytest.raises(InvalidTenant, match="not a tenant export"):
        import_tenant(platform.database, io.StringIO('{"hello": 1}\n'))
    assert len(platform.catalogue.list()) == before


@pytest.mark.postgres
@pytest.mark.parametrize("database_urls", ["postgres"], indirect=True)
def test_an_export_under_load_is_one_consistent_moment(ghana: Registry, target: Platform) -> None:
    """Writers keep transferring and issuing while the export runs; the archive still restores whole."""
    source: Platform = platform_of(ghana.app)
    token = ghana.token(Role.REGISTRY_ADMIN)
    stop, completed, failures = threading.Event(), [0], []

    def write(issuing: bool) -> None:
        path, body = (
            "/transactions/domestic-transfers",
            {
                "source_account_id": ghana.accounts["issuance"],
                "destination_account_id": ghana.accounts["party"],
                "quantity": 1,
            },
        )
        if issuing:
            path, body = (
                "/transactions/issuances",
                {
                    "issuance_id": ghana.issuance_id,
                    "account_id": ghana.accounts["issuance"],
                    "cooperative_approach_id": ghana.approach_id,
                    "vintage": 2023,
                    "quantity": 3,
                },
            )
        while not stop.is_set():
            answer = ghana.post_as(token, path, body)
            if answer.status_code == 201:
                completed[0] += 1
            else:
                failures.append(answer)

    writers = [threading.Thread(target=write, args=(n % 2 == 0,)) for n in range(4)]
    for writer in writers:
        writer.start()
    try:
        while completed[0] < 20:
            stop.wait(0.05)
        archives = [exported(source, ghana.tenant.code) for _ in range(3)]
        at_export = completed[0]
    finally:
        stop.set()
        for writer in writers:
            writer.join()

    assert not failures, [f.get_json() for f in failures[:3]]
    assert completed[0] > at_export > 20, "the writers must have written during the exports"
    archive = archives[-1]
    import_tenant(target.database, io.StringIO(archive), checks=[journal_intact])
    restored = all_rows(target.database, ghana.tenant.id)
    assert exported(target, ghana.tenant.code) == archive
    head = restored["ledger_journal_heads"][0]
    assert head["sequence"] == len(restored["ledger_journal"]) == max(r["sequence"] for r in restored["ledger_journal"])
    with target.database.transaction(ghana.tenant.id) as session:
        assert first_broken_link(session, ghana.tenant.id)[0] is None


@pytest.mark.postgres
def test_the_snapshot_is_one_read_only_repeatable_read_transaction_of_the_tenant(postgres_platform: Platform) -> None:
    tenant = postgres_platform.catalogue.create(new_tenant_command())

    with postgres_platform.database.snapshot(tenant.id) as connection:
        shown = [
            connection.exec_driver_sql(f"show {name}").scalar()
            for name in ("transaction_isolation", "transaction_read_only")
        ]
        scope = connection.exec_driver_sql("select current_setting('app.tenant_id', true)").scalar()

    assert shown == ["repeatable read", "on"]
    assert scope == str(tenant.id)
