"""Operator console pages: the registries with their figures, one registry, platform health, and who may see them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from uuid6 import uuid7

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from gateway.web.operator.charts import horizontal_bars
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from tests.conftest import new_tenant_command
from tests.contract.bus_fixtures import make_bus, write_events
from tests.factories.auth import ensure_user
from tests.integration.test_readiness_backlog import age_pending_events, publish_everything
from tests.integration.web.operator.conftest import Operator
from tests.integration.web.test_browser_session import sign_in


def test_the_registry_list_shows_every_registry_with_status_and_figures(operator: Operator) -> None:
    catalogue = operator.platform.catalogue
    active = catalogue.create(new_tenant_command())
    suspended = catalogue.create(new_tenant_command(is_demo=True))
    catalogue.change_status(suspended.code, "suspend")
    page = operator.http.get("/operator/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<title>Hosted registries · Carbon Registry Platform</title>" in html
    for tenant in (active, suspended):
        assert f'id="tenant-{tenant.code}"' in html
        assert tenant.registry_id in html
    row = html.split(f'id="tenant-{suspended.code}"', 1)[1].split("</tr>", 1)[0]
    assert "status-suspended" in row
    assert "<td>yes</td>" in row
    assert "Transactions (30 days)" in html


def test_a_registry_page_shows_details_settings_figures_and_the_allowed_actions(operator: Operator) -> None:
    tenant = operator.platform.catalogue.create(new_tenant_command())
    html = operator.http.get(f"/operator/tenants/{tenant.code}").get_data(as_text=True)
    assert f"<h1>{tenant.name}</h1>" in html
    assert f"/registries/{tenant.code}/console/login" in html
    assert 'id="figure-accounts">0<' in html
    assert "time_zone" in html
    assert "UTC" in html
    assert f'action="/operator/tenants/{tenant.code}/suspend"' in html
    assert f'action="/operator/tenants/{tenant.code}/resume"' not in html
    assert f'href="/operator/tenants/{tenant.code}/export"' in html


def test_an_unknown_registry_is_a_404_page(operator: Operator) -> None:
    for path in ("/operator/tenants/no-such-code", "/operator/tenants/no-such-code/export"):
        answer = operator.http.get(path)
        assert answer.status_code == 404
        assert "Page not found" in answer.get_data(as_text=True)


def test_platform_health_shows_readiness_backlog_and_lag_per_consumer_and_registry(operator: Operator) -> None:
    tenant = operator.platform.catalogue.create(new_tenant_command())
    answer = operator.http.get("/operator/health")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'id="check-database"' in html
    assert "badge ok" in html
    assert 'id="outbox-total"' in html
    assert '<svg class="chart bars" role="img"' in html
    assert "<desc" in html
    for consumer in ("cadt", "interregistry", "reporting"):
        assert f'id="lag-{consumer}"' in html
    assert f'id="health-{tenant.code}"' in html


def test_platform_health_shows_the_outbox_check_of_readyz_failing_while_no_relay_publishes(
    operator: Operator,
) -> None:
    tenant = operator.platform.catalogue.create(new_tenant_command())
    for bus in make_bus("log", operator.platform):
        write_events(bus, tenant.id, ["Alpha"])
        age_pending_events(operator.platform, tenant.id, timedelta(days=1))
        stale = operator.http.get("/operator/health").get_data(as_text=True)
        publish_everything(bus)
        drained = operator.http.get("/operator/health").get_data(as_text=True)
    row = stale.split('id="check-events"', 1)[1].split("</tr>", 1)[0]
    assert "Outbox backlog" in row
    assert "badge bad" in row
    assert "is `registry relay` running?" in row
    assert "not ready" in stale.split('id="readiness"', 1)[1].split("</p>", 1)[0]
    assert "badge ok" in drained.split('id="check-events"', 1)[1].split("</tr>", 1)[0]


def test_pages_without_a_session_send_to_the_platform_sign_in(app: Flask) -> None:
    client = app.test_client()
    for path in ("/operator/", "/operator/health", "/operator/tenants/new"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert "/api/v1/platform/oauth/authorize" in answer.headers["Location"]


def test_a_registry_users_session_cannot_open_operator_pages(app: Flask) -> None:
    tenant = platform_of(app).catalogue.create(new_tenant_command())
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    client = app.test_client()
    assert sign_in(client, f"/registries/{tenant.code}/console/login", admin.username).startswith(
        f"/registries/{tenant.code}/"
    )
    for path in ("/operator/", f"/operator/tenants/{tenant.code}", "/operator/health"):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert "/api/v1/platform/oauth/authorize" in answer.headers["Location"]
    with client.session_transaction() as session:
        csrf = session["csrf"]
    refused = client.post(f"/operator/tenants/{tenant.code}/suspend", data={"csrf_token": csrf})
    assert refused.status_code == 302
    assert platform_of(app).catalogue.get(tenant.code).status.value == "active"


def test_the_pages_speak_french_and_spanish(operator: Operator) -> None:
    tenant = operator.platform.catalogue.create(new_tenant_command())
    french = operator.http.get("/operator/?lang=fr").get_data(as_text=True)
    assert "<h1>Registres hébergés</h1>" in french
    assert ">actif<" in french
    spanish = operator.http.get(f"/operator/tenants/{tenant.code}?lang=es").get_data(as_text=True)
    assert "Cifras clave" in spanish


def test_figures_are_each_registrys_own(operator: Operator) -> None:
    catalogue = operator.platform.catalogue
    busy, quiet = catalogue.create(new_tenant_command()), catalogue.create(new_tenant_command())
    bus = operator.platform.ledger.bus(operator.platform.ledger_tenant(busy))
    for name, kind in (("issuance", AccountType.ISSUANCE), ("party", AccountType.PARTY_HOLDING)):
        bus.handle(commands.OpenAccount(actor_id=uuid7(), account_type=kind, name=name))
    listing = operator.http.get("/operator/").get_data(as_text=True)
    busy_row = listing.split(f'id="tenant-{busy.code}"', 1)[1].split("</tr>", 1)[0]
    quiet_row = listing.split(f'id="tenant-{quiet.code}"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">(\d+)</td>', busy_row)[:1] == ["2"]  # accounts
    assert re.findall(r'<td class="num">(\d+)</td>', quiet_row) == ["0"] * 6
    page = operator.http.get(f"/operator/tenants/{busy.code}").get_data(as_text=True)
    assert 'id="figure-accounts">2<' in page
    assert 'id="figure-outbox">0<' not in page  # no relay runs here: the account events wait in the outbox
    health = operator.http.get("/operator/health").get_data(as_text=True)
    assert 'id="outbox-total">0<' not in health


def test_the_lag_chart_draws_one_bar_per_consumer_to_scale() -> None:
    svg = str(horizontal_bars("c", "Lag", "Lag per consumer", [("cadt", 10, "10"), ("reporting", 5, "5")]))
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [pytest.approx(2 * widths[1]), widths[1]]
    assert '<title id="c-t">Lag</title>' in svg
    escaped = str(horizontal_bars("c", "<b>", "d", [("<x>", 1, "1")]))
    assert "<b>" not in escaped
    assert "&lt;x&gt;" in escaped
