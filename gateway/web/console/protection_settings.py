"""Registry console: the registry's account-protection settings (`account_protection`): the delays of the
trusted list and of transfers to other accounts, the registry's limits and what happens over them, and the
hours within which movements out run. Saved through `change_settings`, validated by the tenant schema."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.bootstrap import current_platform
from gateway.inputs.limits import whole_number
from gateway.tenancy import current_tenant
from gateway.web.console import bp
from gateway.web.console.common import root
from tenants.domain.errors import InvalidTenant
from tenants.service_layer.catalogue import change_settings

SETTING = "account_protection"
DELAYS = (
    ("trusted_account_delay_minutes", _l("Delay before a new trusted account is active (minutes)"), 7 * 24 * 60),
    ("untrusted_transfer_delay_minutes", _l("Delay of a transfer to an account not trusted (minutes)"), 26 * 60),
)
LIMITS = (
    ("per_transfer", _l("Units per transfer")),
    ("per_24_hours", _l("Units in any 24 hours")),
    ("transfers_per_24_hours", _l("Transfers in any 24 hours")),
)
ON_LIMIT = (("refuse", _l("Refuse the transfer")), ("hold", _l("Hold it for an administrator's release")))
WEEKDAYS = (
    (1, _l("Monday")),
    (2, _l("Tuesday")),
    (3, _l("Wednesday")),
    (4, _l("Thursday")),
    (5, _l("Friday")),
    (6, _l("Saturday")),
    (7, _l("Sunday")),
)


class Invalid(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@bp.get("/settings/protection")
@requires(Role.REGISTRY_ADMIN, Role.AUDITOR, session=True)
def protection_settings() -> tuple[str, int]:
    return _page(current_tenant().settings.get(SETTING), {})


@bp.post("/settings/protection")
@requires(Role.REGISTRY_ADMIN, mfa="key_and_policy_changes", session=True)
def change_protection_settings() -> Response | tuple[str, int]:
    g.audit_detail = {"control": "registry.account_protection", "subject": current_tenant().code}
    try:
        chosen = submitted()
        change_settings(current_platform().catalogue, current_tenant().code, {SETTING: chosen})
    except Invalid as error:
        return _page(_as_entered(), {error.field: str(error)}, 422)
    except InvalidTenant as error:
        return _page(_as_entered(), {"form": str(error)}, 422)
    flash(_("The account-protection settings are saved."), "ok")
    return redirect(f"{root()}/settings/protection", 303)


def submitted() -> dict[str, Any]:
    """The form as the `account_protection` setting; empty limits and hours are left out."""
    form = request.form
    chosen: dict[str, Any] = {name: _whole(name, minimum=0) for name, _label, _default in DELAYS}
    if form.get("on_limit") not in {value for value, _label in ON_LIMIT}:
        raise Invalid("on_limit", _("Choose what happens to a transfer over a limit."))
    chosen["on_limit"] = form["on_limit"]
    limits = {name: _whole(name, minimum=1) for name, _label in LIMITS if form.get(name, "").strip()}
    if limits:
        chosen["limits"] = limits
    opens, closes = form.get("opens", "").strip(), form.get("closes", "").strip()
    if opens or closes:
        chosen["hours"] = _hours(opens, closes, form.getlist("days"))
    return chosen


def _whole(name: str, minimum: int) -> int:
    value = whole_number(request.form.get(name, "").strip())
    if value is None or value < minimum:
        raise Invalid(name, _("Enter a whole number of at least %(minimum)s.", minimum=minimum))
    return value


def _hours(opens: str, closes: str, days: list[str]) -> dict[str, Any]:
    if not (len(opens) == len(closes) == 5 and opens < closes):
        raise Invalid("hours", _("Enter the opening and closing times as HH:MM, the opening first."))
    chosen = sorted({int(d) for d in days if d in {str(number) for number, _label in WEEKDAYS}})
    if not chosen:
        raise Invalid("hours", _("Choose at least one day on which the hours open."))
    return {"opens": opens, "closes": closes, "days": chosen}


def _as_entered() -> dict[str, Any]:
    """The refused form's values, shown back as they were typed."""
    form = request.form
    entered: dict[str, Any] = {name: form.get(name, "") for name, _label, _default in DELAYS}
    entered["on_limit"] = form.get("on_limit", "")
    entered["limits"] = {name: form.get(name, "") for name, _label in LIMITS}
    entered["hours"] = {"opens": form.get("opens", ""), "closes": form.get("closes", ""), "days": form.getlist("days")}
    return entered


def _page(values: dict[str, Any] | None, errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    settings = current_tenant().settings
    html = render_template(
        "web/console/settings/protection.html",
        values=values or {},
        active=values is not None,
        errors=errors,
        can_change=current_principal().has_any(Role.REGISTRY_ADMIN),
        delays=DELAYS,
        limits=LIMITS,
        on_limit=ON_LIMIT,
        weekdays=WEEKDAYS,
        time_zone=settings.get("time_zone") or "UTC",
        abroad_frozen=settings.get("transfers_abroad_frozen"),
    )
    return html, status
