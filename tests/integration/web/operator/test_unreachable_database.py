"""A registry whose dedicated database cannot be reached is shown as unreachable; the others still show."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DatabaseUrls, fresh_postgres_database, new_tenant_command
from tests.integration.web.operator.conftest import Operator

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_urls(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    """The operator pages walk every registry: only this test's registries may be there."""
    yield from fresh_postgres_database(postgres_server)


@pytest.fixture(params=["postgres"])
def database_urls(postgres_urls: DatabaseUrls) -> DatabaseUrls:
    return postgres_urls


def test_the_pages_show_a_registry_whose_database_is_gone_as_unreachable(
    operator: Operator, postgres_server: DatabaseUrls
) -> None:
    dedicated = next(fresh := fresh_postgres_database(postgres_server))
    catalogue = operator.platform.catalogue
    lost = catalogue.create(new_tenant_command(database_url=dedicated.app))
    fine = catalogue.create(new_tenant_command())
    operator.platform.database.dispose()  # its pooled sessions closed, the database can be dropped
    fresh.close()

    listing = operator.http.get("/operator/")
    page = operator.http.get(f"/operator/tenants/{lost.code}")
    health = operator.http.get("/operator/health")

    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    row = html.split(f'id="tenant-{lost.code}"', 1)[1].split("</tr>", 1)[0]
    assert "database unreachable" in row
    assert f'id="tenant-{fine.code}"' in html
    assert page.status_code == 200
    assert "database unreachable" in page.get_data(as_text=True)
    assert health.status_code == 200
    health_row = health.get_data(as_text=True).split(f'id="health-{lost.code}"', 1)[1].split("</tr>", 1)[0]
    assert "database unreachable" in health_row
