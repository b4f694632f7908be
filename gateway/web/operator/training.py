"""Training registries in the operator console: the people a seeding made (passwords shown once) and the
reset to the seed, behind a confirmation that names the registry."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.auth.realm import public_base
from gateway.training.errors import NotTrainingRegistry
from gateway.training.reset import reset_training_registry
from gateway.training.seed import TrainingSeed
from gateway.web.operator import bp
from gateway.web.operator.common import console_login_url, platform, tenant_or_404
from tenants.domain.model import Tenant


def people_page(tenant: Tenant, seed: TrainingSeed, heading: str, status: int = 200) -> tuple[str, int]:
    """The seeded people with their passwords: the only time anyone sees them."""
    html = render_template(
        "web/operator/training_people.html",
        tenant=tenant,
        seed=seed,
        heading=heading,
        login_url=console_login_url(public_base(), tenant.code),
        partner_login_url=console_login_url(public_base(), seed.partner),
    )
    return html, status


def _confirm_page(tenant: Tenant, error: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("web/operator/training_reset.html", tenant=tenant, error=error), status


@bp.get("/tenants/<code>/reset")
@requires(Role.PLATFORM_OPERATOR, session=True)
def confirm_reset(code: str) -> tuple[str, int]:
    tenant = tenant_or_404(code)
    if not tenant.is_training:
        raise NotTrainingRegistry(f"{code} is a production registry: only a training registry is reset")
    return _confirm_page(tenant)


@bp.post("/tenants/<code>/reset")
@requires(Role.PLATFORM_OPERATOR, session=True)
def reset(code: str) -> tuple[str, int]:
    tenant = tenant_or_404(code)
    if not tenant.is_training:
        raise NotTrainingRegistry(f"{code} is a production registry: only a training registry is reset")
    if request.form.get("confirm_code", "").strip() != tenant.code:
        return _confirm_page(tenant, _("Type the registry's code, %(code)s, to confirm.", code=tenant.code), 422)
    seed = reset_training_registry(platform(), tenant)
    return people_page(tenant, seed, _("%(code)s is back to its seed", code=tenant.code))
