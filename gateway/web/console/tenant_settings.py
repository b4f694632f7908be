"""Registry console: the registry's settings, shown to administrators and auditors, changed by administrators.

Changes go through `tenants.service_layer.catalogue.change_settings`, which validates them with the
tenant settings schema (tenants/config/tenant-settings.schema.json) exactly as when the registry was created.
"""

from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.bootstrap import current_platform
from gateway.tenancy import current_tenant
from gateway.web.console import bp
from gateway.web.i18n import LANGUAGES
from gateway.web.public.common import TYPE_LABELS
from tenants.domain.errors import InvalidTenant
from tenants.service_layer.catalogue import change_settings

MFA_LABELS = {
    "approvals": _l("Approving four-eyes transactions"),
    "external_transfers": _l("Transfers to other registries"),
    "key_and_policy_changes": _l("Changing keys, settings and policies"),
}
CONFIDENTIAL_LABELS = {
    "account_holder": _l("Account holder"),
    "beneficiary": _l("Beneficiary of a retirement"),
    "authorized_entity_identification": _l("Identification of authorized entities"),
    "project_location": _l("Project location"),
}
ACTION_LABELS = TYPE_LABELS  # the four-eyes choices are the action types
SCHEMA_FIELD = re.compile(r"^settings field ([a-z_]+)")


@bp.get("/settings")
@requires(Role.REGISTRY_ADMIN, Role.AUDITOR, session=True)
def settings() -> tuple[str, int]:
    return _page(current_tenant().settings, {})


@bp.post("/settings")
@requires(Role.REGISTRY_ADMIN, mfa="key_and_policy_changes", session=True)
def change() -> Response | tuple[str, int]:
    tenant = current_tenant()
    changes = _submitted(tenant.settings)
    if not changes["languages"]:
        return _page({**tenant.settings, **changes}, {"languages": _("Offer at least one language.")}, 422)
    if not changes["time_zone"]:
        return _page(
            {**tenant.settings, **changes}, {"time_zone": _("Enter a time zone, for example Europe/Paris.")}, 422
        )
    try:
        change_settings(current_platform().catalogue, tenant.code, changes)
    except InvalidTenant as error:
        found = SCHEMA_FIELD.match(str(error))
        where = found.group(1) if found else "form"
        return _page({**tenant.settings, **changes}, {where: _explained(where, str(error))}, 422)
    flash(_("The settings are saved."), "ok")
    return redirect(f"/registries/{tenant.code}/console/settings", 303)


def _submitted(current: dict[str, Any]) -> dict[str, Any]:
    form = request.form
    policy = dict(current.get("approval_policy") or {})
    policy["four_eyes"] = [a for a in ACTION_LABELS if a in form.getlist("four_eyes")]
    return {
        "languages": [code for code in LANGUAGES if code in form.getlist("languages")],
        "default_language": form.get("default_language", ""),
        "time_zone": form.get("time_zone", "").strip(),
        "approval_policy": policy,
        "mfa_required_for": [key for key in MFA_LABELS if key in form.getlist("mfa_required_for")],
        "confidential_fields": [key for key in CONFIDENTIAL_LABELS if key in form.getlist("confidential_fields")],
    }


def _explained(field: str, message: str) -> str:
    if field == "time_zone":
        return str(_("This time zone is not known: use a name such as Europe/Paris or America/Bogota."))
    if field == "default_language":
        return str(_("The default language must be one of the languages offered."))
    return message


def _page(values: dict[str, Any], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    html = render_template(
        "web/console/settings/index.html",
        values=values,
        errors=errors,
        can_change=current_principal().has_any(Role.REGISTRY_ADMIN),
        languages_all=list(LANGUAGES.items()),
        actions=list(ACTION_LABELS.items()),
        mfa_keys=list(MFA_LABELS.items()),
        confidential=list(CONFIDENTIAL_LABELS.items()),
        root=f"/registries/{current_tenant().code}/console/settings",
    )
    return html, status
