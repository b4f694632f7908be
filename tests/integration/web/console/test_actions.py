"""Action forms: the API's checks shown next to their field with the values kept, nothing changed;
success goes to the transaction; CSRF is required; each role sees only its forms."""

from __future__ import annotations

from gateway.auth.principal import Role
from tests.integration.web.console.conftest import World, counts, csrf


def test_the_actions_index_lists_the_forms_the_roles_allow(world: World) -> None:
    admin = world.client(Role.REGISTRY_ADMIN).get(world.root + "/actions").get_data(as_text=True)
    for slug in ("issuance", "domestic-transfer", "retirement", "acceptance", "acquisition", "open-account", "project"):
        assert f"/actions/{slug}" in admin
    assert '/actions/authorization"' not in admin
    holder = world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.organization)
    listed = holder.get(world.root + "/actions").get_data(as_text=True)
    assert "/actions/retirement" in listed
    assert "/actions/domestic-transfer" in listed
    assert "/actions/issuance" not in listed
    assert holder.get(world.root + "/actions/issuance").status_code == 403


def test_a_failed_check_is_shown_next_to_its_field_and_changes_nothing(world: World) -> None:
    client = world.client(Role.REGISTRY_ADMIN)
    before = counts(world)
    form = {
        "csrf_token": csrf(client),
        "source_account_id": str(world.accounts["party"]),
        "destination_account_id": str(world.accounts["holder"]),
        "quantity": "-5",
    }
    answer = client.post(world.root + "/actions/domestic-transfer", data=form)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert '<div class="field invalid">\n  <label for="f-quantity">' in html
    assert "LDG-011" in html
    assert 'value="-5"' in html
    assert f'value="{world.accounts["holder"]}" selected' in html
    assert counts(world) == before


def test_a_schema_error_is_shown_next_to_its_field(world: World) -> None:
    client = world.client(Role.REGISTRY_ADMIN)
    form = {"csrf_token": csrf(client), "source_account_id": str(world.accounts["party"]), "quantity": "ten"}
    answer = client.post(world.root + "/actions/retirement", data=form)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "Send a number of units." in html
    assert 'id="f-beneficiary-error"' in html
    assert "request.invalid" in html


def test_a_form_without_csrf_is_refused(world: World) -> None:
    client = world.client(Role.REGISTRY_ADMIN)
    before = counts(world)
    form = {
        "source_account_id": str(world.accounts["party"]),
        "destination_account_id": str(world.accounts["holder"]),
        "quantity": "1",
    }
    assert client.post(world.root + "/actions/domestic-transfer", data=form).status_code == 403
    assert counts(world) == before


def test_a_holder_retires_from_its_own_account_and_lands_on_the_transaction(world: World) -> None:
    client = world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.organization)
    page = client.get(f"{world.root}/actions/retirement?source_account_id={world.accounts['holder']}").get_data(
        as_text=True
    )
    assert f'value="{world.accounts["holder"]}" selected' in page
    assert str(world.accounts["other"]) not in page
    assert str(world.accounts["party"]) not in page
    form = {
        "csrf_token": csrf(client),
        "source_account_id": str(world.accounts["holder"]),
        "retirement_account_id": str(world.accounts["retirement"]),
        "quantity": "7",
        "beneficiary": "Acme Rail",
    }
    answer = client.post(world.root + "/actions/retirement", data=form)
    assert answer.status_code == 303
    landed = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "completed" in landed
    assert "Acme Rail" in landed
    assert "/retirements/" in landed


def test_a_holder_cannot_act_from_another_organization_account(world: World) -> None:
    client = world.client(Role.ACCOUNT_REPRESENTATIVE, organization_id=world.organization)
    before = counts(world)
    form = {
        "csrf_token": csrf(client),
        "source_account_id": str(world.accounts["party"]),
        "retirement_account_id": str(world.accounts["retirement"]),
        "quantity": "1",
        "beneficiary": "Someone",
    }
    assert client.post(world.root + "/actions/retirement", data=form).status_code == 404
    assert counts(world) == before


def test_an_administrator_opens_an_account(world: World) -> None:
    client = world.client(Role.REGISTRY_ADMIN)
    form = {"csrf_token": csrf(client), "account_type": "ndc_use", "name": "NDC 2030"}
    missing = client.post(world.root + "/actions/open-account", data=form)
    assert missing.status_code == 422
    assert "LDG-" in missing.get_data(as_text=True)
    assert 'id="f-ndc-year-error"' in missing.get_data(as_text=True)
    answer = client.post(world.root + "/actions/open-account", data=form | {"ndc_year": "2030"})
    assert answer.status_code == 303
    assert "/accounts/" in answer.headers["Location"]


def test_numbers_beyond_the_database_are_shown_as_field_errors(world: World) -> None:
    client = world.client(Role.REGISTRY_ADMIN)
    before = counts(world)
    for quantity in ("99999999999999999999", "9" * 5_000):
        form = {
            "csrf_token": csrf(client),
            "source_account_id": str(world.accounts["party"]),
            "destination_account_id": str(world.accounts["holder"]),
            "quantity": quantity,
        }
        answer = client.post(world.root + "/actions/domestic-transfer", data=form)
        assert answer.status_code == 422, quantity[:30]
        assert '<div class="field invalid">\n  <label for="f-quantity">' in answer.get_data(as_text=True)
    assert counts(world) == before
