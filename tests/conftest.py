"""Shared fixtures: databases on both backends, migrated by the real migration runner."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from uuid6 import uuid7

from gateway.bootstrap import Platform
from gateway.settings import Settings
from services.migrations.runner import upgrade
from services.shared.db.database import Database
from tenants.service_layer.catalogue import CreateTenant

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"

# The compose stack on podman (tests/containers) runs only in the container step of the test command
# (infra/containers/test.sh), which builds its images first.
collect_ignore = [] if os.environ.get("REGISTRY_CONTAINER_STACK") == "1" else ["containers"]


@dataclass(frozen=True)
class DatabaseUrls:
    app: str
    owner: str
    app_role: str

    @property
    def backend(self) -> str:
        return "postgres" if self.app.startswith("postgresql") else "sqlite"


def _required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the README's test command (make test), which starts PostgreSQL and Kafka")
    return value


def sqlite_urls(folder: Path) -> DatabaseUrls:
    """A migrated SQLite database of its own: a copy of one migrated once per test session."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "registry.db"
    shutil.copyfile(_migrated_sqlite_template(), target)
    url = f"sqlite:///{target}"
    return DatabaseUrls(app=url, owner=url, app_role="registry_app")


@functools.cache
def _migrated_sqlite_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="registry-sqlite-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    template = folder / "registry.db"
    upgrade(f"sqlite:///{template}", "registry_app")
    return template


@pytest.fixture(scope="session")
def postgres_server() -> DatabaseUrls:
    return DatabaseUrls(
        app=_required_env("DATABASE_URL"),
        owner=_required_env("DATABASE_OWNER_URL"),
        app_role=os.environ.get("DATABASE_APP_ROLE", "registry_app"),
    )


def fresh_postgres_database(server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    """A scratch database owned by the owner role, migrated, reachable by the app role."""
    name = f"registry_test_{uuid7().hex[-12:]}"
    admin = create_engine(server.owner, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        connection.execute(text(f'GRANT CONNECT ON DATABASE "{name}" TO "{server.app_role}"'))
    owner = make_url(server.owner).set(database=name).render_as_string(hide_password=False)
    app = make_url(server.app).set(database=name).render_as_string(hide_password=False)
    upgrade(owner, server.app_role)
    try:
        yield DatabaseUrls(app=app, owner=owner, app_role=server.app_role)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin: Engine, name: str) -> None:
    # The owner may not terminate the app role's sessions, so wait for closed ones to go away.
    for attempt in range(50):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == 49:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="session")
def postgres_urls(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    yield from fresh_postgres_database(postgres_server)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> DatabaseUrls:
    if request.param == "sqlite":
        return sqlite_urls(tmp_path)
    urls: DatabaseUrls = request.getfixturevalue("postgres_urls")
    return urls


def settings_for(urls: DatabaseUrls, **overrides: object) -> Settings:
    settings = Settings(
        database_url=urls.app,
        database_owner_url=urls.owner,
        database_app_role=urls.app_role,
        secret_key=TEST_SECRET,
        in_flight_per_registry=0,  # tests send many requests at once through one app: no threads to share
    )
    return settings.with_overrides(**overrides) if overrides else settings


@pytest.fixture(autouse=True)
def _dispose_databases(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Close the connection pools of every Database a test made (apps built by create_app included),
    so no pooled connection is left for the garbage collector to close in a later test."""
    created: list[Database] = []
    original = Database.__init__

    def tracking_init(self: Database, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        created.append(self)

    monkeypatch.setattr(Database, "__init__", tracking_init)
    yield
    for database in created:
        database.dispose()


@pytest.fixture
def platform(database_urls: DatabaseUrls) -> Iterator[Platform]:
    built = Platform.from_settings(settings_for(database_urls))
    yield built
    built.close()


@pytest.fixture
def postgres_platform(postgres_urls: DatabaseUrls) -> Iterator[Platform]:
    built = Platform.from_settings(settings_for(postgres_urls))
    yield built
    built.close()


@contextmanager
def engine_for(url: str, **options: Any) -> Iterator[Engine]:
    engine = create_engine(url, **options)
    try:
        yield engine
    finally:
        engine.dispose()


def unique_code(prefix: str = "t") -> str:
    return f"{prefix}-{uuid7().hex[-10:]}"


def _named_parties() -> set[str]:
    """Party codes that tests, benchmarks and the demo use by name (`"CHE"`, `"GHA01"`): never drawn at random."""
    import re

    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"[\"']([A-Z]{3})(?:0[0-9])?[\"']")
    named: set[str] = set()
    for folder in ("tests", "bench", "tenants", "gateway", "services"):
        for path in (root / folder).rglob("*"):
            if path.suffix in {".py", ".yaml", ".yml", ".json"} and path.is_file():
                named.update(pattern.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return named


_used_parties: set[str] = _named_parties()


def unique_party() -> str:
    """A fresh three-letter Party code, so tests sharing a database never clash on registry ids."""
    import random
    import string

    while True:
        party = "".join(random.choices(string.ascii_uppercase, k=3))
        if party not in _used_parties:
            _used_parties.add(party)
            return party


def new_tenant_command(**overrides: object) -> CreateTenant:
    party = unique_party()
    values: dict[str, object] = {
        "code": unique_code(party.lower()),
        "party": party,
        "registry_id": f"{party}01",
        "name": f"Registry of {party}",
    }
    values.update(overrides)
    return CreateTenant(**values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """argon2id with production parameters costs about 0.2 s a hash; tests sign in hundreds of times."""
    from argon2 import profiles

    from services.identity.adapters import passwords

    production = passwords.PROFILE
    passwords.PROFILE = profiles.CHEAPEST
    yield
    passwords.PROFILE = production
