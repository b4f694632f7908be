"""Onboarding a registry: the tenant and its first administrator from one form.

The catalogue and identity keep their data in separate transactions, so the two writes cannot be one
transaction. Every field is therefore validated first (the same rules the writes apply), and only a
fully valid form writes anything; should the administrator still be refused after the tenant was
created (a race), the new tenant is suspended and archived again so that it is never served.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.auth.realm import public_base
from gateway.training.seed import seed_training_registry
from gateway.web.i18n import LANGUAGES
from gateway.web.operator import bp
from gateway.web.operator.common import console_login_url, platform
from gateway.web.operator.onboarding_form import Onboarding, initial_values, options, read_form, validate
from gateway.web.operator.training import people_page
from services.identity.domain.errors import IdentityError
from services.identity.domain.roles import Role as DomainRole
from services.identity.service_layer import accounts
from tenants.domain.errors import DuplicateTenant, TenantError
from tenants.domain.model import Tenant


def _form(values: dict[str, Any], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    choices = {
        name: [(value, value) for value in options(name)]
        for name in ("ndc_type", "default_oimp_first_transfer", "mfa_required_for", "four_eyes", "confidential_fields")
    }
    languages = [(code, LANGUAGES[code]) for code in options("languages")]
    html = render_template(
        "web/operator/onboard.html", values=values, errors=errors, choices=choices, language_choices=languages
    )
    return html, status


@bp.get("/tenants/new")
@requires(Role.PLATFORM_OPERATOR, session=True)
def onboard_form() -> tuple[str, int]:
    return _form(initial_values(), {})


@bp.post("/tenants/new")
@requires(Role.PLATFORM_OPERATOR, session=True)
def onboard() -> Response | tuple[str, int]:
    onboarding = read_form(request.form)
    password, again = request.form.get("password", ""), request.form.get("password_again", "")
    validate(onboarding, platform().catalogue, password, again)
    if onboarding.errors:
        return _form(onboarding.values, onboarding.errors, 422)
    try:
        tenant = platform().catalogue.create(onboarding.tenant_command())
    except TenantError as error:  # a registry with this code or id was created meanwhile
        where = "code" if isinstance(error, DuplicateTenant) and "code" in str(error) else "registry_id"
        return _form(onboarding.values, {where: str(error)}, 422)
    try:
        _first_administrator(tenant, onboarding, password)
    except IdentityError as error:
        _withdraw(tenant)
        return _form(onboarding.values, {"username": str(error)}, 422)
    if tenant.is_training:
        return _seeded(tenant, onboarding)
    url = console_login_url(public_base(), tenant.code)
    flash(
        _(
            "Registry %(code)s is active. Next: give %(user)s their password through a safe channel; "
            "they sign in at %(url)s and create the registry's other users.",
            code=tenant.code,
            user=onboarding.text("username").lower(),
            url=url,
        )
    )
    return redirect(f"/operator/tenants/{tenant.code}", 303)


def _seeded(tenant: Tenant, onboarding: Onboarding) -> tuple[str, int]:
    """A training registry starts with its fictional data and people, whose passwords are shown once."""
    chosen = platform().catalogue.find(onboarding.text("partner")) if onboarding.text("partner") else None
    try:
        seed = seed_training_registry(platform(), tenant, chosen)
    except Exception:
        _withdraw(tenant)
        raise
    return people_page(tenant, seed, _("Training registry %(code)s is active and seeded", code=tenant.code))


def _first_administrator(tenant: Tenant, onboarding: Onboarding, password: str) -> None:
    identity = platform().identity
    command = accounts.CreateUser(
        onboarding.text("username"),
        password,
        frozenset({DomainRole.REGISTRY_ADMIN}),
        None,
        onboarding.text("display_name"),
    )
    accounts.bootstrap_admin(command, identity.uow(tenant.id), identity.credentials)


def _withdraw(tenant: Tenant) -> None:
    catalogue = platform().catalogue
    catalogue.change_status(tenant.code, "suspend")
    catalogue.change_status(tenant.code, "archive")
