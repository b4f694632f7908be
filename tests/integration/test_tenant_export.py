"""Export then import reproduces a tenant's rows exactly, on both backends."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from uuid6 import uuid7

from gateway.platform import Platform
from services.identity.domain.model import Organization, OrganizationKind
from tenants.domain.errors import DuplicateTenant, InvalidTenant
from tenants.service_layer.archive import export_tenant, import_tenant
from tests.conftest import DatabaseUrls, fresh_postgres_database, new_tenant_command, settings_for, sqlite_urls


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
