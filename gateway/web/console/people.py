"""Registry console: the registry's people, seen by administrators and auditors; administrators disable,
re-enable and reset second factors here, through the same identity service as the API."""

from __future__ import annotations

from uuid import UUID

from flask import flash, redirect, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.auth.realm import identity, realm_uow
from gateway.web.console import bp
from gateway.web.console.common import root
from services.identity.domain.errors import InvalidUser
from services.identity.service_layer import accounts, people

DONE = {
    "disable": _l("%(name)s is disabled."),
    "enable": _l("%(name)s can sign in again."),
    "mfa-reset": _l("The second factor of %(name)s is reset: they sign in with the password and may enrol again."),
}


@bp.get("/people")
@requires(Role.REGISTRY_ADMIN, Role.AUDITOR, session=True)
def people_page() -> tuple[str, int]:
    return _page()


@bp.post("/people/<uuid:user_id>/<any(disable, enable, 'mfa-reset'):action>")
@requires(Role.REGISTRY_ADMIN, session=True)
def person_action(user_id: UUID, action: str) -> Response | tuple[str, int]:
    request = people.Request(action, user_id, current_principal().subject)
    try:
        account = people.perform(request, realm_uow(), identity().clock)
    except InvalidUser as error:
        return _page(str(error), 422)
    flash(DONE[action] % {"name": account.username}, "ok")
    return redirect(f"{root()}/people", 303)


def _page(problem: str | None = None, status: int = 200) -> tuple[str, int]:
    principal = current_principal()
    html = render_template(
        "web/console/people/index.html",
        users=accounts.list_users(realm_uow()),
        can_change=principal.has_any(Role.REGISTRY_ADMIN),
        me=principal.subject,
        problem=problem,
    )
    return html, status
