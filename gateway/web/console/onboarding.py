"""In a training registry: the participant's script as a checklist beside every console page, and a
feedback form tied to the page and the script's current step (docs/onboarding.md)."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, request
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, optional_principal, requires
from gateway.auth.principal import Principal, Role
from gateway.bootstrap import current_platform
from gateway.onboarding import views
from gateway.onboarding.context import onboarding, scripts
from gateway.tenancy import current_tenant
from gateway.web.console import bp
from gateway.web.console.common import READERS, root
from services.onboarding.domain.errors import InvalidFeedback
from services.onboarding.domain.scripts import ScriptRole
from services.onboarding.service_layer import journeys as service

SCRIPT_OF_ROLE = {
    Role.REGISTRY_ADMIN: ScriptRole.ADMINISTRATOR,
    Role.AUTHORIZING_OFFICER: ScriptRole.AUTHORIZING_OFFICER,
    Role.APPROVER: ScriptRole.APPROVER,
    Role.ACCOUNT_REPRESENTATIVE: ScriptRole.ACCOUNT_HOLDER,
    Role.AUDITOR: ScriptRole.AUDITOR,
}


def scripts_of(principal: Principal) -> list[ScriptRole]:
    return [script for role, script in SCRIPT_OF_ROLE.items() if principal.has_any(role)]


@bp.context_processor
def _checklist_context() -> dict[str, Any]:
    """The signed-in participant's checklists, on every console page of a training registry."""
    tenant, principal = g.get("tenant"), optional_principal()
    if tenant is None or not tenant.is_training or principal is None or request.path.endswith("/login"):
        return {"checklists": []}
    wanted = scripts_of(principal)
    if not wanted:
        return {"checklists": []}
    platform = current_platform()
    found = service.script_progress(onboarding(platform), tenant.id, scripts(), platform.clock.now())
    language = str(get_locale() or "en")
    return {"checklists": [views.checklist(found[role], language) for role in wanted]}


@bp.post("/onboarding/feedback")
@requires(*READERS, session=True)
def leave_feedback() -> Response:
    tenant, platform = current_tenant(), current_platform()
    page = request.form.get("page", "")
    back = page if page.startswith(root()) else root()
    role_value, step = request.form.get("role") or None, request.form.get("step_id") or None
    role = ScriptRole(role_value) if role_value in {r.value for r in ScriptRole} else None
    new = service.NewFeedback(page, request.form.get("text", ""), current_principal().subject, role, step)
    if not tenant.is_training:
        flash(_("Feedback is collected in training registries only."), "error")
        return redirect(back, 303)
    try:
        service.leave_feedback(onboarding(platform), tenant.id, new, scripts(), platform.clock.now())
    except InvalidFeedback:
        flash(_("Write your feedback in the box before sending it."), "error")
        return redirect(back, 303)
    flash(_("Thank you: your feedback was sent to the platform's team."))
    return redirect(back, 303)
