"""Operator console: operators disable, re-enable and reset the second factor of registries' administrators
(on the registry's page) and of other operators (the Operators page), through the identity service."""

from __future__ import annotations

from uuid import UUID

from flask import flash, redirect, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.web.operator import bp
from gateway.web.operator.common import platform, tenant_or_404
from services.identity.domain.errors import InvalidUser
from services.identity.domain.users import Account
from services.identity.service_layer import people
from services.identity.service_layer.ports import IdentityUnitOfWork
from services.shared.db.reachability import Unreachable

OPERATOR = Role.PLATFORM_OPERATOR
ACTION = "<any(disable, enable, 'mfa-reset'):action>"
DONE = {
    "disable": _l("%(name)s is disabled."),
    "enable": _l("%(name)s can sign in again."),
    "mfa-reset": _l("The second factor of %(name)s is reset: they sign in with the password and may enrol again."),
}


@bp.post(f"/tenants/<code>/administrators/<uuid:user_id>/{ACTION}")
@requires(OPERATOR, session=True)
def administrator_action(code: str, user_id: UUID, action: str) -> Response:
    tenant = tenant_or_404(code)
    request = people.Request(action, user_id, current_principal().subject, administrators_only=True)
    return _act(request, platform().identity.uow(tenant.id), f"/operator/tenants/{tenant.code}")


@bp.get("/operators")
@requires(OPERATOR, session=True)
def operators() -> str:
    found = people.operators(platform().identity.uow(None))
    return render_template("web/operator/operators.html", operators=found, me=current_principal().subject)


@bp.post(f"/operators/<uuid:operator_id>/{ACTION}")
@requires(OPERATOR, session=True)
def operator_action(operator_id: UUID, action: str) -> Response:
    request = people.Request(action, operator_id, current_principal().subject)
    return _act(request, platform().identity.uow(None), "/operator/operators")


def _act(request: people.Request, uow: IdentityUnitOfWork, back: str) -> Response:
    try:
        account = people.perform(request, uow, platform().identity.clock)
    except InvalidUser as error:
        flash(str(error), "error")
    else:
        flash(DONE[request.action] % {"name": account.username}, "ok")
    return redirect(back, 303)


def administrators_of(tenant_id: UUID) -> list[Account] | None:
    """The registry's administrators; None when its dedicated database cannot be reached."""
    try:
        return list(people.administrators(platform().identity.uow(tenant_id)))
    except Unreachable:
        return None
