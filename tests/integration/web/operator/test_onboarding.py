"""Onboarding a registry and its first administrator from one form; bad input creates nothing."""

from __future__ import annotations

import html
from typing import Any

from services.identity.domain.roles import Role
from tests.conftest import new_tenant_command, unique_code, unique_party
from tests.integration.web.operator.conftest import Operator
from tests.integration.web.test_browser_session import sign_in

PASSWORD = "a long initial password"


def _form(**overrides: object) -> dict[str, object]:
    party = unique_party()
    form: dict[str, object] = {
        "code": unique_code(party.lower()),
        "party": party,
        "registry_id": f"{party}01",
        "name": f"Carbon Registry of {party}",
        "languages": ["en", "fr"],
        "default_language": "fr",
        "time_zone": "Africa/Accra",
        "first_year": "2021",
        "last_year": "2035",
        "ndc_type": "multi_year",
        "default_oimp_first_transfer": "authorization",
        "four_eyes": ["issuance", "transfer_international"],
        "mfa_required_for": ["approvals"],
        "confidential_fields": ["beneficiary"],
        "cors_origins": "https://registry.example.org\n",
        "username": "first.admin",
        "display_name": "First Administrator",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    form.update(overrides)
    return form


def test_the_form_opens_with_the_platform_defaults(operator: Operator) -> None:
    page = operator.http.get("/operator/tenants/new").get_data(as_text=True)
    assert "<h1>Onboard a registry</h1>" in page
    assert '<label for="f-code">Code</label>' in page
    assert 'value="UTC"' in page
    assert 'name="csrf_token"' in page


def test_onboarding_creates_the_registry_and_its_administrator_who_can_sign_in(operator: Operator) -> None:
    form = _form()
    code = str(form["code"])
    answer: Any = operator.post("/operator/tenants/new", form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    assert answer.headers["Location"] == f"/operator/tenants/{code}"
    tenant = operator.platform.catalogue.get(code)
    assert tenant.status.value == "active"
    assert tenant.settings["default_language"] == "fr"
    assert tenant.settings["time_zone"] == "Africa/Accra"
    assert tenant.settings["ndc_implementation_period"] == {"first_year": 2021, "last_year": 2035}
    assert tenant.settings["approval_policy"]["four_eyes"] == ["issuance", "transfer_international"]
    assert tenant.settings["cors_origins"] == ["https://registry.example.org"]
    page = operator.http.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"http://localhost/registries/{code}/console/login" in html.unescape(page)
    assert "first.admin" in page
    identity = operator.platform.identity
    with identity.uow(tenant.id) as uow:
        admin = uow.users.by_username("first.admin")
    assert admin is not None
    assert admin.role_set == frozenset({Role.REGISTRY_ADMIN})
    assert admin.display_name == "First Administrator"
    console = operator.app.test_client()
    landed = sign_in(console, f"/registries/{code}/console/login", "first.admin", PASSWORD)
    assert landed == f"/registries/{code}/console/"


def _refused(operator: Operator, form: dict[str, object]) -> str:
    before = len(operator.platform.catalogue.list())
    answer: Any = operator.post("/operator/tenants/new", form)
    assert answer.status_code == 422
    assert len(operator.platform.catalogue.list()) == before
    assert operator.platform.catalogue.find(str(form["code"])) is None or form.get("_existing")
    return html.unescape(answer.get_data(as_text=True))


def test_bad_fields_show_their_messages_keep_the_values_and_create_nothing(operator: Operator) -> None:
    form = _form(party="gh", username="Not A Name!", time_zone="Mars/Olympus", password_again="something else")
    page = _refused(operator, form)
    assert "Nothing was created: correct the fields below." in page
    assert "party 'gh' is not an ISO 3166-1 alpha-3 code" in page
    assert "username 'Not A Name!' is not valid" in page
    assert "settings field time_zone" in page
    assert "The two passwords differ" in page
    assert f'value="{form["code"]}"' in page
    assert 'value="Not A Name!"' in page
    assert PASSWORD not in page  # the password is never sent back
    assert 'class="field invalid"' in page


def test_a_taken_code_or_registry_id_is_refused_and_nothing_is_created(operator: Operator) -> None:
    existing = operator.platform.catalogue.create(new_tenant_command())
    form = _form(code=existing.code, party=existing.party, registry_id=existing.registry_id, _existing=True)
    page = _refused(operator, form)
    assert f"A registry with code {existing.code} exists already: choose another code." in page
    assert f"Registry id {existing.registry_id} is taken by {existing.code}: use the next number." in page
    with operator.platform.identity.uow(existing.id) as uow:
        assert uow.users.by_username("first.admin") is None


def test_a_short_password_or_bad_settings_create_no_registry(operator: Operator) -> None:
    form = _form(password="short", password_again="short", languages=["en"], default_language="es")
    page = _refused(operator, form)
    assert "the password is too short" in page
    assert "settings field default_language" in page
    empty = _refused(operator, _form(languages=[], first_year="soon"))
    assert "Enter a year, for example 2030." in empty


def test_onboarding_without_the_csrf_token_is_refused(operator: Operator) -> None:
    form = _form()
    answer: Any = operator.post("/operator/tenants/new", form, csrf=False)
    assert answer.status_code == 403
    assert operator.platform.catalogue.find(str(form["code"])) is None
