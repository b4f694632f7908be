"""Pending movements: what waits for approval, a delay or a release, with the time it executes, and its cancel."""

from __future__ import annotations

from flask.testing import FlaskClient

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tenants.service_layer.catalogue import change_settings
from tests.integration.web.console.conftest import World, csrf

DELAYED = {"approval_policy": {"four_eyes": [], "delay_minutes": {"transfer_domestic": 90}}, "mfa_required_for": []}


def _delay_a_transfer(world: World, client: FlaskClient) -> str:
    change_settings(platform_of(world.app).catalogue, world.tenant.code, DELAYED)
    form = {
        "csrf_token": csrf(client),
        "source_account_id": str(world.accounts["holder"]),
        "destination_account_id": str(world.accounts["other"]),
        "quantity": "60",
    }
    answer = client.post(world.root + "/actions/domestic-transfer", data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return str(answer.headers["Location"]).rsplit("/", 1)[1]


def _holder(world: World) -> FlaskClient:
    return world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.organization)


def test_the_holder_sees_a_delayed_transfer_with_the_time_it_executes(world: World) -> None:
    holder = _holder(world)
    delayed = _delay_a_transfer(world, holder)
    answer = holder.get(world.root + "/pending")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "<h1>Pending movements</h1>" in html
    assert f"/transactions/{delayed}" in html
    assert "Executes" in html
    assert f"/pending/{delayed}/cancel" in html
    assert 'href="' + world.root + '/pending"' in html  # in the navigation


def test_another_organization_does_not_see_the_holder_pending_movements(world: World) -> None:
    delayed = _delay_a_transfer(world, _holder(world))
    stranger = world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.accounts["other"])
    html = stranger.get(world.root + "/pending").get_data(as_text=True)
    assert delayed not in html
    assert "Nothing is pending." in html


def test_the_holder_cancels_a_delayed_transfer_and_nothing_left_the_account(world: World) -> None:
    holder = _holder(world)
    delayed = _delay_a_transfer(world, holder)
    url = f"{world.root}/pending/{delayed}/cancel"
    answer = holder.post(url, data={"csrf_token": csrf(holder), "reason": "not me"})
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/pending")
    listing = holder.get(world.root + "/pending").get_data(as_text=True)
    assert "cancelled" in listing
    assert "Nothing is pending." in listing
    page = holder.get(f"{world.root}/transactions/{delayed}").get_data(as_text=True)
    assert "Cancelled" in page
    account = holder.get(f"{world.root}/accounts/{world.accounts['holder']}").get_data(as_text=True)
    assert "Total held: 100 units" in account
    assert "reserved" not in account
    admin = world.client(Role.REGISTRY_ADMIN)
    destination = admin.get(f"{world.root}/accounts/{world.accounts['other']}").get_data(as_text=True)
    assert "Total held: 0 units" in destination


def test_a_cancel_without_a_reason_or_twice_is_refused_in_place_and_changes_nothing(world: World) -> None:
    holder = _holder(world)
    delayed = _delay_a_transfer(world, holder)
    url = f"{world.root}/pending/{delayed}/cancel"
    blank = holder.post(url, data={"csrf_token": csrf(holder), "reason": " "})
    assert blank.status_code == 422
    assert "Give the reason" in blank.get_data(as_text=True)
    assert holder.post(url, data={"csrf_token": csrf(holder), "reason": "not me"}).status_code == 303
    twice = holder.post(url, data={"csrf_token": csrf(holder), "reason": "again"})
    assert twice.status_code in (409, 422)
    assert "LDG-" in twice.get_data(as_text=True)


def test_an_auditor_sees_pending_movements_but_cannot_cancel(world: World) -> None:
    delayed = _delay_a_transfer(world, _holder(world))
    auditor = world.client(Role.AUDITOR)
    html = auditor.get(world.root + "/pending").get_data(as_text=True)
    assert f"/transactions/{delayed}" in html
    assert f"/pending/{delayed}/cancel" not in html
    refused = auditor.post(f"{world.root}/pending/{delayed}/cancel", data={"csrf_token": csrf(auditor), "reason": "x"})
    assert refused.status_code == 403


PROTECTED = {
    "approval_policy": {"four_eyes": [], "delay_minutes": {}},
    "mfa_required_for": [],
    "account_protection": {"on_limit": "hold", "limits": {"per_transfer": 50}},
}


def _protected_transfer(world: World, client: FlaskClient, quantity: str) -> str:
    change_settings(platform_of(world.app).catalogue, world.tenant.code, PROTECTED)
    form = {
        "csrf_token": csrf(client),
        "source_account_id": str(world.accounts["holder"]),
        "destination_account_id": str(world.accounts["other"]),
        "quantity": quantity,
    }
    answer = client.post(world.root + "/actions/domestic-transfer", data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return str(answer.headers["Location"]).rsplit("/", 1)[1]


def test_a_transfer_to_an_untrusted_account_shows_why_it_waits(world: World) -> None:
    holder = _holder(world)
    delayed = _protected_transfer(world, holder, "10")
    html = holder.get(world.root + "/pending").get_data(as_text=True)
    assert f"/transactions/{delayed}" in html
    assert "LDG-086" in html
    assert f"/pending/{delayed}/release" not in html


def test_an_administrator_releases_a_transfer_held_over_a_limit(world: World) -> None:
    held = _protected_transfer(world, _holder(world), "60")
    holder_view = _holder(world).get(world.root + "/pending").get_data(as_text=True)
    assert "Awaiting release" in holder_view
    assert "LDG-087" in holder_view
    assert f"/pending/{held}/release" not in holder_view
    assert _holder(world).post(f"{world.root}/pending/{held}/release").status_code == 403

    admin = world.client(Role.REGISTRY_ADMIN)
    assert f"/pending/{held}/release" in admin.get(world.root + "/pending").get_data(as_text=True)
    assert admin.post(f"{world.root}/pending/{held}/release", data={"csrf_token": csrf(admin)}).status_code == 303
    after = admin.get(f"{world.root}/transactions/{held}").get_data(as_text=True)
    assert "Awaiting release" not in after.split("Status history")[0]
    twice = admin.post(f"{world.root}/pending/{held}/release", data={"csrf_token": csrf(admin)})
    assert twice.status_code == 409
    assert "LDG-090" in twice.get_data(as_text=True)


def test_the_holder_home_counts_pending_movements(world: World) -> None:
    holder = _holder(world)
    before = holder.get(world.root + "/").get_data(as_text=True)
    assert 'id="pending-count">0<' in before
    _delay_a_transfer(world, holder)
    after = holder.get(world.root + "/").get_data(as_text=True)
    assert 'id="pending-count">1<' in after
    assert "Units leaving your accounts wait" in after
