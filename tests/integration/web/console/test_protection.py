"""An account's protection page: the trusted list under four eyes, limits, and freezes lifted by a second
administrator; every refusal shown next to its form with its check code, changing nothing."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from uuid6 import uuid7

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from tests.integration.web.console.conftest import World, csrf


def _number(world: World, key: str) -> str:
    platform: Platform = platform_of(world.app)
    account = platform.ledger.views(platform.ledger_tenant(world.tenant)).account(world.accounts[key])
    assert account is not None
    return str(account.number)


def _page(world: World, client: FlaskClient, key: str = "holder") -> str:
    answer = client.get(f"{world.root}/accounts/{world.accounts[key]}/protection")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def _post(world: World, client: FlaskClient, path: str, **form: str) -> tuple[int, str]:
    answer = client.post(
        f"{world.root}/accounts/{world.accounts['holder']}{path}", data={"csrf_token": csrf(client), **form}
    )
    return answer.status_code, answer.get_data(as_text=True)


def _entry_id(html: str) -> str:
    found = re.search(r"/trusted/([0-9a-f-]{36})/remove", html)
    assert found, html
    return found.group(1)


def _holder(world: World) -> FlaskClient:
    return world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.organization)


def test_a_trusted_account_is_proposed_approved_by_a_second_person_and_active_only_later(world: World) -> None:
    holder = _holder(world)
    number = _number(world, "other")
    assert _post(world, holder, "/trusted", account_number=number)[0] == 303
    html = _page(world, holder)
    assert number in html
    assert "Awaiting approval" in html
    entry = _entry_id(html)
    assert f"/trusted/{entry}/approve" not in html  # the proposer is offered no approval

    status, refused = _post(world, holder, f"/trusted/{entry}/approve")
    assert status == 422
    assert "LDG-084" in refused
    assert "Awaiting approval" in refused

    admin = world.client(Role.REGISTRY_ADMIN)
    assert f"/trusted/{entry}/approve" in _page(world, admin)
    assert _post(world, admin, f"/trusted/{entry}/approve")[0] == 303
    approved = _page(world, holder)
    assert "Approved, not active yet" in approved
    assert "Awaiting approval" not in approved


def test_a_trusted_account_that_is_not_one_is_refused_next_to_the_form(world: World) -> None:
    holder = _holder(world)
    status, html = _post(world, holder, "/trusted", account_number="NO-SUCH-ACCOUNT")
    assert status == 422
    assert "LDG-083" in html
    assert 'value="NO-SUCH-ACCOUNT"' in html
    assert "No trusted accounts" in html
    status, html = _post(world, holder, "/trusted", account_number="")
    assert status == 422
    assert "request.invalid" in html


def test_the_holder_removes_a_trusted_entry_at_once(world: World) -> None:
    holder = _holder(world)
    _post(world, holder, "/trusted", account_number=_number(world, "other"))
    entry = _entry_id(_page(world, holder))
    assert _post(world, holder, f"/trusted/{entry}/remove")[0] == 303
    assert "No trusted accounts" in _page(world, holder)
    status, html = _post(world, holder, f"/trusted/{entry}/remove")
    assert status == 409
    assert "LDG-085" in html


def test_limits_are_set_by_an_administrator_and_read_by_the_holder(world: World) -> None:
    admin = world.client(Role.REGISTRY_ADMIN)
    status, html = _post(world, admin, "/limits", per_transfer="ten")
    assert status == 422
    assert "request.invalid" in html
    assert _post(world, admin, "/limits", per_transfer="10", transfers_per_24_hours="3")[0] == 303
    assert 'value="10"' in _page(world, admin)
    holder = _holder(world)
    assert _post(world, holder, "/limits", per_transfer="100000")[0] == 403
    read = _page(world, holder)
    assert "<dd>10</dd>" in read
    assert "no limit" in read


def test_a_freeze_stops_transfers_out_and_two_administrators_lift_it(world: World) -> None:
    first, second = world.client(Role.REGISTRY_ADMIN), world.client(Role.REGISTRY_ADMIN)
    status, html = _post(world, first, "/freeze", reason=" ")
    assert (status, "request.invalid" in html) == (422, True)
    assert _post(world, first, "/freeze", reason="phishing report")[0] == 303
    assert "phishing report" in _page(world, _holder(world))

    holder = _holder(world)
    transfer = {
        "csrf_token": csrf(holder),
        "source_account_id": str(world.accounts["holder"]),
        "destination_account_id": str(world.accounts["other"]),
        "quantity": "5",
    }
    refused = holder.post(world.root + "/actions/domestic-transfer", data=transfer)
    assert refused.status_code == 409
    assert "LDG-080" in refused.get_data(as_text=True)

    assert _post(world, first, "/unfreeze")[0] == 303
    assert "Confirm the unfreeze" in _page(world, first)
    status, html = _post(world, first, "/unfreeze")
    assert status == 422
    assert "LDG-092" in html
    assert _post(world, second, "/unfreeze")[0] == 303
    assert "Not frozen." in _page(world, second)


def test_an_organization_freeze_covers_its_accounts(world: World) -> None:
    admin = world.client(Role.REGISTRY_ADMIN)
    assert _post(world, admin, "/organization/freeze", reason="court order")[0] == 303
    html = _page(world, admin)
    assert "court order" in html
    status, twice = _post(world, admin, "/organization/freeze", reason="again")
    assert status == 409
    assert "LDG-093" in twice


def test_only_holding_accounts_of_ones_own_organization_have_the_page(world: World) -> None:
    stranger = world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=uuid7())
    assert stranger.get(f"{world.root}/accounts/{world.accounts['holder']}/protection").status_code == 404
    admin = world.client(Role.REGISTRY_ADMIN)
    retirement = admin.get(f"{world.root}/accounts/{world.accounts['retirement']}/protection")
    assert retirement.status_code == 404


def test_the_protection_and_pending_pages_speak_french_and_spanish(world: World) -> None:
    holder = _holder(world)
    french = holder.get(f"{world.root}/accounts/{world.accounts['holder']}/protection?lang=fr").get_data(as_text=True)
    assert "Comptes approuvés" in french
    assert "Proposer un compte approuvé" in french
    spanish = holder.get(f"{world.root}/pending?lang=es").get_data(as_text=True)
    assert "<h1>Movimientos pendientes</h1>" in spanish
    assert "No hay nada pendiente." in spanish
