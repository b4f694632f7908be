"""The hosted registries: the list with key figures, one registry's page, its lifecycle and its export."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.auth.realm import public_base
from gateway.web.operator import bp
from gateway.web.operator.common import STATUS_LABELS, console_login_url, platform, tenant_or_404
from gateway.web.operator.figures import figures_for
from gateway.web.operator.people import administrators_of
from tenants.domain.errors import InvalidTenant, TenantStateConflict
from tenants.domain.model import TRANSITIONS, Tenant
from tenants.service_layer.archive import export_lines
from tenants.service_layer.catalogue import freeze_transfers_abroad

OPERATOR = Role.PLATFORM_OPERATOR
LIFECYCLE = ("suspend", "resume", "archive")


@bp.get("/")
@requires(OPERATOR, session=True)
def tenants() -> str:
    found = platform().catalogue.list()
    return render_template(
        "web/operator/tenants.html", tenants=found, figures=figures_for(platform(), found), labels=STATUS_LABELS
    )


def _tenant_page(tenant: Tenant, problem: str | None = None, status: int = 200) -> tuple[str, int]:
    figures = figures_for(platform(), [tenant])[tenant.code]
    allowed = [command for command in LIFECYCLE if tenant.status in TRANSITIONS[command]]
    html = render_template(
        "web/operator/tenant.html",
        tenant=tenant,
        figures=figures,
        labels=STATUS_LABELS,
        allowed=allowed,
        problem=problem,
        login_url=console_login_url(public_base(), tenant.code),
        administrators=administrators_of(tenant.id),
        abroad_frozen=tenant.settings.get("transfers_abroad_frozen"),
        me=current_principal().subject,
    )
    return html, status


@bp.get("/tenants/<code>")
@requires(OPERATOR, session=True)
def tenant(code: str) -> tuple[str, int]:
    return _tenant_page(tenant_or_404(code))


def _change(code: str, command: str) -> Response | tuple[str, int]:
    tenant = tenant_or_404(code)
    try:
        changed = platform().catalogue.change_status(code, command)
    except TenantStateConflict as error:
        return _tenant_page(tenant, str(error), 409)
    flash(_("Registry %(code)s is now %(status)s.", code=code, status=STATUS_LABELS[changed.status]))
    return redirect(f"/operator/tenants/{code}", 303)


@bp.post("/tenants/<code>/suspend")
@requires(OPERATOR, session=True)
def suspend(code: str) -> Response | tuple[str, int]:
    return _change(code, "suspend")


@bp.post("/tenants/<code>/resume")
@requires(OPERATOR, session=True)
def resume(code: str) -> Response | tuple[str, int]:
    return _change(code, "resume")


@bp.get("/tenants/<code>/archive")
@requires(OPERATOR, session=True)
def confirm_archive(code: str) -> str:
    return render_template("web/operator/archive.html", tenant=tenant_or_404(code), labels=STATUS_LABELS)


@bp.post("/tenants/<code>/archive")
@requires(OPERATOR, session=True)
def archive(code: str) -> Response | tuple[str, int]:
    return _change(code, "archive")


@bp.get("/tenants/<code>/export")
@requires(OPERATOR, session=True)
def export(code: str) -> Response:
    """The same JSON Lines archive as 'registry tenants export' and the platform API."""
    tenant = tenant_or_404(code)
    response = Response(export_lines(platform().database, tenant), mimetype="application/x-ndjson")
    response.headers["Content-Disposition"] = f'attachment; filename="{tenant.code}.jsonl"'
    return response


@bp.post("/tenants/<code>/transfers-abroad/<any(freeze, unfreeze):change>")
@requires(OPERATOR, session=True)
def transfers_abroad(code: str, change: str) -> Response | tuple[str, int]:
    """The incident switch of the platform API's .../transfers-abroad-freeze: no transfer abroad leaves (LDG-082)."""
    tenant = tenant_or_404(code)
    reason = request.form.get("reason", "") if change == "freeze" else None
    g.audit_detail = {"control": f"transfers_abroad.{change}", "subject": code}
    try:
        freeze_transfers_abroad(platform().catalogue, code, reason, current_principal().subject)
    except InvalidTenant as error:
        return _tenant_page(tenant, str(error), 422)
    frozen = _("Transfers abroad out of %(code)s are frozen.", code=code)
    flash(frozen if reason is not None else _("Transfers abroad out of %(code)s run again.", code=code))
    return redirect(f"/operator/tenants/{code}", 303)
