"""Tenant A can never read, list, change or remove tenant B's rows, on either backend."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError
from uuid6 import uuid7

from gateway.bootstrap import Platform
from services.identity.adapters.orm import organizations
from services.identity.domain.model import Organization, OrganizationKind
from services.shared.db.database import CrossTenantWrite, tenant_tables
from tests.conftest import DatabaseUrls, engine_for, new_tenant_command


def add_organization(platform: Platform, tenant_id: UUID, name: str) -> UUID:
    organization = Organization(uuid7(), name, OrganizationKind.BUYER, "GHA", datetime.now(UTC))
    with platform.database.transaction(tenant_id) as session:
        session.add(organization)
    return organization.id


def make_two_tenants(platform: Platform) -> tuple[UUID, UUID, UUID, UUID]:
    a = platform.catalogue.create(new_tenant_command()).id
    b = platform.catalogue.create(new_tenant_command()).id
    return a, b, add_organization(platform, a, "Alpha Fund"), add_organization(platform, b, "Beta Fund")


@pytest.fixture
def two_tenants(platform: Platform) -> tuple[UUID, UUID, UUID, UUID]:
    return make_two_tenants(platform)


def test_lists_show_only_the_own_tenant(platform: Platform, two_tenants: tuple[UUID, ...]) -> None:
    a, b, org_a, org_b = two_tenants
    with platform.database.session(a) as session:
        assert [o.id for o in session.scalars(select(Organization))] == [org_a]
    with platform.database.session(b) as session:
        assert [o.id for o in session.scalars(select(Organization))] == [org_b]


def test_reading_another_tenants_row_finds_nothing(platform: Platform, two_tenants: tuple[UUID, ...]) -> None:
    a, _b, _org_a, org_b = two_tenants
    with platform.database.session(a) as session:
        assert session.get(Organization, (_b, org_b)) is None
        assert session.scalars(select(Organization).where(organizations.c.id == org_b)).first() is None


def test_updates_and_deletes_cannot_reach_another_tenant(platform: Platform, two_tenants: tuple[UUID, ...]) -> None:
    a, b, _org_a, org_b = two_tenants
    with platform.database.transaction(a) as session:
        changed = session.execute(update(Organization).where(organizations.c.id == org_b).values(name="Hijacked"))
        removed = session.execute(delete(Organization).where(organizations.c.id == org_b))
        assert (changed.rowcount, removed.rowcount) == (0, 0)  # type: ignore[attr-defined]
    with platform.database.session(b) as session:
        assert session.scalars(select(Organization)).one().name == "Beta Fund"


def test_a_session_without_tenant_sees_no_tenant_rows(platform: Platform, two_tenants: tuple[UUID, ...]) -> None:
    with platform.database.session(None) as session:
        assert session.scalars(select(Organization)).all() == []


def test_an_object_of_another_tenant_cannot_be_added(platform: Platform, two_tenants: tuple[UUID, ...]) -> None:
    a, b, _org_a, _org_b = two_tenants
    intruder = Organization(uuid7(), "Intruder", OrganizationKind.OTHER, "GHA", datetime.now(UTC))
    intruder.tenant_id = b  # type: ignore[attr-defined]
    with pytest.raises(CrossTenantWrite), platform.database.transaction(a) as session:
        session.add(intruder)
    with platform.database.session(b) as session:
        assert [o.name for o in session.scalars(select(Organization))] == ["Beta Fund"]


def test_every_tenant_table_leads_its_primary_key_with_tenant_id() -> None:
    for table in tenant_tables():
        assert next(iter(table.primary_key.columns)).name == "tenant_id", table.name


@pytest.mark.postgres
class TestRowLevelSecurity:
    """Raw SQL as the application role: the policies alone keep tenants apart."""

    @pytest.fixture
    def tenants(self, postgres_platform: Platform) -> tuple[UUID, UUID, UUID, UUID]:
        return make_two_tenants(postgres_platform)

    def test_no_tenant_set_means_no_rows(self, postgres_urls: DatabaseUrls, tenants: tuple[UUID, ...]) -> None:
        with engine_for(postgres_urls.app) as engine, engine.connect() as connection:
            for table in tenant_tables():
                assert connection.execute(text(f"select count(*) from {table.name}")).scalar() == 0

    def test_set_tenant_sees_only_its_rows(self, postgres_urls: DatabaseUrls, tenants: tuple[UUID, ...]) -> None:
        a, _b, org_a, _org_b = tenants
        with engine_for(postgres_urls.app) as engine, engine.begin() as connection:
            connection.execute(text("select set_config('app.tenant_id', :t, true)"), {"t": str(a)})
            ids = connection.execute(text("select id from organizations")).scalars().all()
        assert ids == [org_a]

    def test_insert_with_another_tenants_id_is_refused(
        self, postgres_urls: DatabaseUrls, postgres_platform: Platform, tenants: tuple[UUID, ...]
    ) -> None:
        a, b, _org_a, _org_b = tenants
        smuggle = text(
            "insert into organizations (tenant_id, id, name, kind, country, created_at) "
            "values (:tenant, :id, 'Smuggled', 'other', 'GHA', now())"
        )
        with engine_for(postgres_urls.app) as engine, engine.connect() as connection:
            connection.execute(text("select set_config('app.tenant_id', :t, false)"), {"t": str(a)})
            with pytest.raises(DBAPIError, match="row-level security"):
                connection.execute(smuggle, {"tenant": str(b), "id": str(uuid7())})
        with postgres_platform.database.session(b) as session:
            assert [o.name for o in session.scalars(select(Organization))] == ["Beta Fund"]

    def test_app_role_cannot_switch_security_off(self, postgres_urls: DatabaseUrls) -> None:
        with engine_for(postgres_urls.app) as engine:
            with pytest.raises(DBAPIError, match="must be owner"), engine.begin() as connection:
                connection.execute(text("alter table organizations disable row level security"))
            with engine.connect() as connection:
                role = connection.execute(
                    text("select rolsuper, rolbypassrls, rolcreaterole from pg_roles where rolname = current_user")
                ).one()
        assert tuple(role) == (False, False, False)

    def test_every_tenant_table_forces_row_level_security(self, postgres_urls: DatabaseUrls) -> None:
        with engine_for(postgres_urls.owner) as engine, engine.connect() as connection:
            rows = connection.execute(
                text("select relname, relrowsecurity, relforcerowsecurity from pg_class where relname = any(:names)"),
                {"names": [t.name for t in tenant_tables()]},
            ).all()
        assert {r.relname for r in rows} == {t.name for t in tenant_tables()}
        assert all(r.relrowsecurity and r.relforcerowsecurity for r in rows)
