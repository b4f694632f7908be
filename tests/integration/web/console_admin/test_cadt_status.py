"""CAD Trust page: the connection without its API key, records filtered by status and kind, in pages."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from gateway.bootstrap.cadt import cadt_for
from services.cadt.domain.model import Connection, Kind, Status, SyncRecord
from tenants.domain.model import Tenant
from tests.integration.web.console_admin.conftest import SignedIn, console

API_KEY = "never-show-this-key-4711"


def _seed(app: Flask, tenant: Tenant, pending: int = 0) -> None:
    store = cadt_for(platform_of(app)).store(tenant.id)
    store.save_connection(Connection("http://cadt.example:31310", API_KEY, "org-1", enabled=True))
    tried = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    store.save(SyncRecord(Kind.PROJECT, "P-1", {}, status=Status.PUBLISHED, cadt_id="c-1", attempts=1,
                          last_attempt_at=tried))  # fmt: skip
    store.save(SyncRecord(Kind.ISSUANCE, "I-1", {}, status=Status.FAILED, reason="the node refused it: 400",
                          attempts=5, last_attempt_at=tried))  # fmt: skip
    store.save(SyncRecord(Kind.PROJECT, "P-2", {}, status=Status.INVALID, reason="picklist",
                          problems=[{"field": "sector", "message": "sector: not on the CAD Trust list"}]))  # fmt: skip
    for number in range(pending):
        store.save(SyncRecord(Kind.UNIT, f"U-{number:03}", {}))


def test_the_connection_shows_whether_a_key_is_set_but_never_the_key(
    app: Flask, tenant: Tenant, signed_in: SignedIn
) -> None:
    _seed(app, tenant)
    page = signed_in([Role.REGISTRY_ADMIN]).get(console(tenant, "/cadt"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert API_KEY not in html
    assert "<dt>API key</dt><dd>set</dd>" in html
    assert "http://cadt.example:31310" in html
    assert "the node refused it: 400" in html
    assert "sector: not on the CAD Trust list" in html


def test_records_are_filtered_by_status_and_kind(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    _seed(app, tenant)
    client = signed_in([Role.REGISTRY_ADMIN])
    failed = client.get(console(tenant, "/cadt?status=failed")).get_data(as_text=True)
    assert "I-1" in failed
    assert "P-1" not in failed
    assert "P-2" not in failed
    projects = client.get(console(tenant, "/cadt?kind=project")).get_data(as_text=True)
    assert "P-1" in projects
    assert "P-2" in projects
    assert "I-1" not in projects
    assert client.get(console(tenant, "/cadt?status=lost")).status_code == 400


def test_records_come_in_pages(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    _seed(app, tenant, pending=55)
    client = signed_in([Role.REGISTRY_ADMIN])
    first = client.get(console(tenant, "/cadt?status=pending")).get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert "U-000" in first
    assert "U-054" not in first
    second = client.get(console(tenant, "/cadt?status=pending&page=2")).get_data(as_text=True)
    assert "U-054" in second
    assert "U-000" not in second


def test_without_a_connection_the_page_says_how_to_set_one(tenant: Tenant, signed_in: SignedIn) -> None:
    html = signed_in([Role.REGISTRY_ADMIN]).get(console(tenant, "/cadt")).get_data(as_text=True)
    assert "No CAD Trust node is configured" in html
    assert "No record matches." in html


def test_only_administrators_see_the_cadt_page(tenant: Tenant, signed_in: SignedIn) -> None:
    assert signed_in([Role.ACCOUNT_REPRESENTATIVE]).get(console(tenant, "/cadt")).status_code == 403
